import time
from collections.abc import Callable

import pytest
from flask import Flask
from itsdangerous import TimestampSigner
from limits.strategies import FixedWindowRateLimiter
from sqlmodel import Session, select
from werkzeug.test import TestResponse

from contest.accounts import create_user
from contest.models import User
from tests.fixtures import Browser, Clock
from web.ratelimits import ProcessCounts, SignInLimits

PASSWORD = "a long password"


def _account(db: Session, clock: Clock, role: str) -> str:
    email = f"{role}@brand.example"
    create_user(db, email=email, name=role.title(), role=role, password=PASSWORD,
                actor_id=None, now=clock.now)
    db.commit()
    return email


def test_the_public_is_sent_to_sign_in(client: Browser) -> None:
    response = client.get("/manage/contests")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/login")


def test_wrong_password_is_refused_with_a_clear_message(
    client: Browser, db: Session, clock: Clock
) -> None:
    email = _account(db, clock, "marketer")
    response = client.sign_in(email, "not the password")
    assert response.status_code == 401
    assert "Wrong e-mail or password." in response.get_data(as_text=True)


@pytest.mark.parametrize(
    ("role", "url", "status"),
    [
        ("auditor", "/manage/contests", 403),
        ("marketer", "/audit/contests", 403),
        ("marketer", "/admin/users", 403),
        ("auditor", "/admin/users", 403),
        ("marketer", "/manage/contests", 200),
        ("auditor", "/audit/contests", 200),
        ("admin", "/admin/users", 200),
        ("admin", "/manage/contests", 200),
    ],
)
def test_each_role_reaches_only_its_desk(
    client: Browser, db: Session, clock: Clock, role: str, url: str, status: int
) -> None:
    assert client.sign_in(_account(db, clock, role), PASSWORD).status_code == 302
    assert client.get(url).status_code == status


def test_a_form_without_its_csrf_token_is_refused(
    client: Browser, db: Session, clock: Clock
) -> None:
    email = _account(db, clock, "marketer")
    response = client.post("/login", data={"email": email, "password": PASSWORD})
    assert response.status_code == 400
    assert "The form expired" in response.get_data(as_text=True)


def test_admin_creates_an_account_and_errors_come_per_field(
    client: Browser, db: Session, clock: Clock
) -> None:
    client.sign_in(_account(db, clock, "admin"), PASSWORD)
    bad = client.submit("/admin/users", {"email": "x", "name": "", "role": "auditor",
                                         "password": "short"})
    html = bad.get_data(as_text=True)
    assert bad.status_code == 422
    assert 'id="email-error"' in html and 'id="password-error"' in html
    good = client.submit("/admin/users", {"email": "new@brand.example", "name": "New",
                                          "role": "auditor", "password": PASSWORD})
    assert good.status_code == 303
    assert client.sign_in("new@brand.example", PASSWORD).status_code == 302


def test_admin_switches_an_account_off_but_not_their_own_nor_one_that_does_not_exist(
    client: Browser, db: Session, clock: Clock
) -> None:
    admin = _account(db, clock, "admin")
    auditor = create_user(db, email="ann@brand.example", name="Ann", role="auditor",
                          password=PASSWORD, actor_id=None, now=clock.now)
    db.commit()
    client.sign_in(admin, PASSWORD)
    page = client.get("/admin/users").get_data(as_text=True)
    assert page.count(">Deactivate</button>") == 1  # Ann's; not the admin's own
    off = client.submit(f"/admin/users/{auditor.id}/active", {"active": "0"})
    assert off.status_code == 303
    db.refresh(auditor)
    assert not auditor.active
    own = db.exec(select(User).where(User.email == admin)).one()
    refused = client.submit(f"/admin/users/{own.id}/active", {"active": "0"},
                            headers={"Accept-Language": "uk"})
    assert refused.status_code == 409  # their role may; their own account may not be switched off
    assert "не можете вимкнути власний обліковий запис" in refused.get_data(as_text=True)
    db.refresh(own)
    assert own.active
    unknown = client.submit("/admin/users/999/active", {"active": "0"},
                            headers={"Accept-Language": "ru"})
    assert unknown.status_code == 404
    assert "учётной записи номер 999 нет" in unknown.get_data(as_text=True)


def test_a_cookie_saved_before_signing_out_opens_nothing_after_it(
        app: Flask, client: Browser, db: Session, clock: Clock) -> None:
    client.sign_in(_account(db, clock, "auditor"), PASSWORD)
    cookie = client.get_cookie("session")
    assert cookie is not None and client.get("/audit/contests").status_code == 200
    copy = app.test_client()  # the same cookie, carried off to another browser
    copy.set_cookie("session", cookie.value)
    assert copy.get("/audit/contests").status_code == 200
    assert client.submit("/logout").status_code == 302
    for browser in (client, copy):
        browser.set_cookie("session", cookie.value)  # replayed after the sign-out
        answer = browser.get("/audit/contests")
        assert answer.status_code == 302
        assert answer.headers["Location"].startswith("/login")


@pytest.fixture
def counts_clock(app: Flask) -> Callable[[float], None]:
    """Moves the rate-limit counts' clock (memory://) on by some seconds."""
    storage = app.extensions["contest.public_limits"].strategy.storage
    moment = [time.time()]
    storage.clock = lambda: moment[0]

    def advance(seconds: float) -> None:
        moment[0] += seconds

    return advance


def attempt(client: Browser, email: str, password: str, address: str,
            language: str = "en") -> TestResponse:
    return client.submit("/login", {"email": email, "password": password},
                         environ_base={"REMOTE_ADDR": address},
                         headers={"Accept-Language": language})


def test_wrong_passwords_pause_the_accounts_sign_in_for_a_quarter_of_an_hour(
        client: Browser, db: Session, clock: Clock,
        counts_clock: Callable[[float], None]) -> None:
    email = _account(db, clock, "auditor")
    # Ten guesses, each from an address of its own.
    guesses = [attempt(client, email, f"guess {n}", f"198.51.100.{n}").status_code
               for n in range(10)]
    assert guesses == [401] * 10
    paused = attempt(client, email, PASSWORD, "198.51.100.200")
    html = paused.get_data(as_text=True)
    assert paused.status_code == 429
    assert "Too many sign-in attempts" in html and "Please wait 15 minutes" in html
    assert 840 < int(paused.headers["Retry-After"]) <= 900
    russian = attempt(client, email.upper(), PASSWORD, "198.51.100.201", "ru")
    assert russian.status_code == 429
    assert "Слишком много попыток входа" in russian.get_data(as_text=True)
    # Another account is not paused, from the same addresses.
    other = _account(db, clock, "marketer")
    assert attempt(client, other, PASSWORD, "198.51.100.1").status_code == 302
    counts_clock(15 * 60)
    assert attempt(client, email, PASSWORD, "198.51.100.200").status_code == 302


def test_a_successful_sign_in_clears_the_accounts_count(
        client: Browser, db: Session, clock: Clock) -> None:
    email = _account(db, clock, "auditor")
    for round_ in range(3):
        assert [attempt(client, email, "typo", f"198.51.100.{round_}{n}").status_code
                for n in range(9)] == [401] * 9
        assert attempt(client, email, PASSWORD, f"198.51.100.{round_}9").status_code == 302


def test_one_address_trying_many_accounts_is_paused_and_its_own_sign_in_does_not_undo_it(
        client: Browser, db: Session, clock: Clock,
        counts_clock: Callable[[float], None]) -> None:
    own = _account(db, clock, "auditor")  # the guesser's own account
    address = "203.0.113.5"
    guesses = [attempt(client, f"someone{n}@brand.example", "a guess", address).status_code
               for n in range(29)]
    assert guesses == [401] * 29
    assert attempt(client, own, PASSWORD, address).status_code == 302  # the 30th attempt
    paused = attempt(client, "someone@brand.example", "a guess", address)
    assert paused.status_code == 429 and "Retry-After" in paused.headers
    assert attempt(client, own, PASSWORD, address).status_code == 429
    assert attempt(client, own, PASSWORD, "203.0.113.6").status_code == 302


def test_an_address_has_a_hundred_attempts_a_day() -> None:
    moment = [1_000_000.0]
    limits = SignInLimits(FixedWindowRateLimiter(ProcessCounts(clock=lambda: moment[0])))
    allowed = 0
    for quarter in range(4):
        for n in range(30):
            if limits.attempt(email=f"p{quarter}.{n}@brand.example", address="203.0.113.9"):
                break
            allowed += 1
        moment[0] += 15 * 60
    assert allowed == 100
    # The other addresses, and the accounts, are counted apart.
    assert limits.attempt(email="p0.0@brand.example", address="203.0.113.10") is None


def _token_later(client: Browser, monkeypatch: pytest.MonkeyPatch, seconds: float) -> str:
    """A form's CSRF token, and the clock that signs and checks tokens moved on."""
    token = client.csrf_token()
    later = time.time() + seconds
    monkeypatch.setattr(TimestampSigner, "get_timestamp", lambda self: int(later))
    return token


def test_a_form_open_less_than_eight_hours_is_still_taken(
        client: Browser, db: Session, clock: Clock, monkeypatch: pytest.MonkeyPatch) -> None:
    email = _account(db, clock, "auditor")
    token = _token_later(client, monkeypatch, 8 * 3600 - 60)
    answer = client.post("/login", data={"csrf_token": token, "email": email,
                                         "password": PASSWORD})
    assert answer.status_code == 302


def test_a_form_open_more_than_eight_hours_asks_to_reload_the_page(
        client: Browser, db: Session, clock: Clock, monkeypatch: pytest.MonkeyPatch) -> None:
    email = _account(db, clock, "auditor")
    token = _token_later(client, monkeypatch, 8 * 3600 + 60)
    answer = client.post("/login", data={"csrf_token": token, "email": email,
                                         "password": PASSWORD},
                         headers={"Accept-Language": "uk"})
    assert answer.status_code == 400
    html = answer.get_data(as_text=True)
    assert "понад 8 годин" in html and "Перезавантажте сторінку" in html


def test_signing_out_ends_the_forms_tokens_too(
        client: Browser, db: Session, clock: Clock) -> None:
    client.sign_in(_account(db, clock, "admin"), PASSWORD)
    token = client.csrf_token()
    client.post("/logout", data={"csrf_token": token})
    answer = client.post("/logout", data={"csrf_token": token})
    assert answer.status_code == 400
