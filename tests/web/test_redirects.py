"""Where the site sends a person after a form: only to its own pages, whatever the form says.

Every redirect target that comes from a request (``next=`` on sign-in and the language switch,
``back=`` on the auditor's flag decision) goes through :func:`web.redirects.same_site_path`.
"""

from urllib.parse import urljoin, urlsplit

import pytest
from sqlmodel import Session

from contest.accounts import create_user
from tests.builders import make_contest
from tests.fixtures import Browser, Clock
from web.redirects import same_site_path

PASSWORD = "a long password"
FALLBACK = "/home"

HOSTILE = [
    "",
    "//evil.example",
    "///evil.example",
    "/\\evil.example",
    "\\\\evil.example",
    "/\\/evil.example",
    "/%09/evil.example",   # a tab the browser drops: //evil.example
    "/\t/evil.example",
    "/%0D%0AX:1",          # a header split
    "/\r\nX:1",
    "/\n/evil.example",
    "/%5C/evil.example",   # an encoded backslash
    "/%2F/evil.example",   # an encoded slash
    "/%252F/evil.example",  # twice encoded
    "/%25%30%39/evil.example",  # an encoded encoded tab
    " /path",
    "/path ",
    "/a b",
    "/a%20b",              # a space once decoded
    "/\u00a0/evil.example",  # a no-break space
    "/\u3000/evil.example",  # an ideographic space
    "/\u200b/evil.example",  # a zero-width space
    "/\x7f/evil.example",
    "/\x00",
    "https://evil.example/",
    "http:/evil.example",
    "javascript:alert(1)",
    "JaVaScRiPt:alert(1)",
    "data:text/html,hi",
    "evil.example",
    "path/without/slash",
    "?next=/x",
    "#/x",
    "/%",                  # a broken escape
    "/%zz",
]

SAFE = ["/", "/audit/contests", "/audit/contests/winter-giveaway/flags?status=open&page=2",
        "/contests/зима?x=1#top", "/contests/%D0%B7%D0%B8%D0%BC%D0%B0", "/a/b/../c",
        "/audit/contests?next=%2Faudit"]


@pytest.mark.parametrize("target", HOSTILE)
def test_a_hostile_target_is_replaced_by_the_fallback(target: str) -> None:
    assert same_site_path(target, fallback=FALLBACK) == FALLBACK


@pytest.mark.parametrize("target", SAFE)
def test_a_path_of_this_site_is_kept(target: str) -> None:
    assert same_site_path(target, fallback=FALLBACK) == target
    resolved = urlsplit(urljoin("https://contest.example/some/page", target))
    assert (resolved.scheme, resolved.netloc) == ("https", "contest.example")


def test_no_target_is_the_fallback() -> None:
    assert same_site_path(None, fallback=FALLBACK) == FALLBACK


def _account(db: Session, clock: Clock, role: str) -> str:
    email = f"{role}@brand.example"
    create_user(db, email=email, name=role.title(), role=role, password=PASSWORD,
                actor_id=None, now=clock.now)
    db.commit()
    return email


@pytest.mark.parametrize("query", ["next=/%09/evil.example", "next=//evil.example",
                                   "next=/%0D%0AX:1", "next=/%5Cevil.example",
                                   "next=https://evil.example/"])
def test_sign_in_never_sends_a_person_off_the_site(client: Browser, db: Session, clock: Clock,
                                                   query: str) -> None:
    email = _account(db, clock, "auditor")
    answer = client.submit(f"/login?{query}", {"email": email, "password": PASSWORD})
    assert answer.status_code == 302
    assert answer.headers["Location"] == "/audit/contests"


def test_sign_in_keeps_a_page_of_this_site(client: Browser, db: Session, clock: Clock) -> None:
    email = _account(db, clock, "auditor")
    answer = client.submit("/login?next=/audit/contests%3Fx%3D1",
                           {"email": email, "password": PASSWORD})
    assert answer.headers["Location"] == "/audit/contests?x=1"


@pytest.mark.parametrize("target", ["/%09/evil.example", "/\t/evil.example", "//evil.example",
                                    "/\r\nX:1"])
def test_the_language_switch_stays_on_the_site(client: Browser, target: str) -> None:
    answer = client.submit("/language/ru", {"next": target})
    assert answer.status_code == 302
    assert answer.headers["Location"] == "/"
    kept = client.submit("/language/ru", {"next": "/contests/winter-giveaway?x=1"})
    assert kept.headers["Location"] == "/contests/winter-giveaway?x=1"


@pytest.mark.parametrize("back", ["//evil.example", "/%09/evil.example", "/\\evil.example",
                                  "https://evil.example/"])
def test_a_flag_decision_goes_back_only_to_this_site(client: Browser, db: Session,
                                                     clock: Clock, back: str) -> None:
    contest, _ = make_contest(db)
    client.sign_in(_account(db, clock, "auditor"), PASSWORD)
    answer = client.submit(f"/audit/contests/{contest.slug}/flags/decide",
                           {"back": back, "decision": ""})
    assert answer.status_code == 302
    assert answer.headers["Location"] == f"/audit/contests/{contest.slug}/flags"
