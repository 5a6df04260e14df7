import io
from datetime import timedelta

from sqlmodel import Session, select

from contest.accounts import create_user
from contest.models import Entry
from tests.builders import OPENS, make_contest
from tests.fixtures import Browser, Clock
from tests.web.import_page import upload_and_import

HEADER = ("entry_id,submitted_at,full_name,email,phone,birth_date,address,city,postal_code,"
          "country,ip,device_id,social_handle\n")


def _marketer(client: Browser, db: Session, clock: Clock) -> None:
    create_user(db, email="m@brand.example", name="M", role="marketer",
                password="a long password", actor_id=None, now=clock.now)
    db.commit()
    client.sign_in("m@brand.example", "a long password")


def test_upload_imports_every_entry_and_reports_bad_fields(
    client: Browser, db: Session, clock: Clock
) -> None:
    _marketer(client, db, clock)
    make_contest(db)
    clock.now = OPENS + timedelta(days=1)
    moment = (OPENS + timedelta(hours=2)).isoformat()
    body = (HEADER + f"a1,{moment},Ann Lee,ann@example.com,,1990-01-01,,,,US,,,\n"
            + f"a2,{moment},,bob@example.com,,1990-01-01,,,,US,,,\n"
            + ",,,,,,,Omsk,,,,,\n").encode()
    response = upload_and_import(client, "winter-giveaway", body, "entries.csv")
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert ("3 rows: 2 imported (2 eligible, 0 ineligible), 0 already imported, 1 field "
            "warned about, 1 refused.") in html
    assert "<li>CSV, UTF-8, separated by &#39;,&#39;</li>" in html
    assert "<td>3</td><td><code>full_name</code></td><td>the full name is required</td>" \
        "<td>kept</td>" in html
    assert "<td>4</td><td><code></code></td>" in html and "<td>refused</td>" in html
    assert [e.source_entry_id for e in db.exec(select(Entry))] == ["a1", "a2"]


def test_an_upload_that_names_nobody_says_so_in_red_and_imports_nothing(
    client: Browser, db: Session, clock: Clock
) -> None:
    _marketer(client, db, clock)
    make_contest(db)
    clock.now = OPENS + timedelta(days=1)
    response = upload_and_import(client, "winter-giveaway", b"full_name,city\n,Omsk\n,Kyiv\n",
                                 "x.csv")
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert ('<p class="error" role="alert">2 rows read: 0 people kept, 0 fields warned about, '
            "2 rows refused — more than half of the rows were refused. Nothing was imported."
            "</p>") in html
    assert db.exec(select(Entry)).first() is None


def test_an_unreadable_upload_is_explained(client: Browser, db: Session, clock: Clock) -> None:
    _marketer(client, db, clock)
    make_contest(db)
    response = client.submit("/manage/contests/winter-giveaway/entries/import",
                             {"file": (io.BytesIO(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
                                                  + bytes(504)), "entries.xls")},
                             content_type="multipart/form-data")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert 'class="error" role="alert"' in html
    assert "the file is in the old Excel format (.xls)" in html
    assert db.exec(select(Entry)).first() is None


def test_a_new_contest_with_a_taken_slug_is_refused_next_to_the_field(
    client: Browser, db: Session, clock: Clock
) -> None:
    _marketer(client, db, clock)
    make_contest(db)
    response = client.submit("/manage/contests", {"slug": "winter-giveaway", "title": "Again",
                                                  "language": "en"})
    assert response.status_code == 422
    assert 'id="slug-error"' in response.get_data(as_text=True)


def test_the_preview_of_a_broken_draft_sends_the_marketer_back_to_the_errors(
    client: Browser, db: Session, clock: Clock
) -> None:
    _marketer(client, db, clock)
    client.submit("/manage/contests", {"slug": "fresh-one", "title": "Fresh", "language": "ru"})
    client.submit("/manage/contests/fresh-one/rules", {"title": "Fresh", "winners": "0",
                                                       "then": "stay"})
    response = client.get("/manage/contests/fresh-one/preview", follow_redirects=True)
    html = response.get_data(as_text=True)
    assert ('<p class="flash error" role="status">Fix the errors in the rules before the '
            'preview.</p>') in html
    assert 'href="#winners"' in html


def test_the_preview_asks_for_a_reason_as_the_stage_of_the_contest_does(
    client: Browser, db: Session, clock: Clock
) -> None:
    _marketer(client, db, clock)
    make_contest(db, slug="unpublished", published=False)
    make_contest(db)

    def reason_field(slug: str) -> str:
        html = client.get(f"/manage/contests/{slug}/preview").get_data(as_text=True)
        return html[html.find("<select"):html.find(">", html.find("<select")) + 1] \
            if 'name="reason"' in html else ""

    assert reason_field("unpublished") == ""  # the first version amends nothing
    assert reason_field("winter-giveaway") == '<select id="reason" name="reason">'
    clock.now = OPENS + timedelta(hours=1)
    assert reason_field("winter-giveaway") == '<select id="reason" name="reason" required>'
