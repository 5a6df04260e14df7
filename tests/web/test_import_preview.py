"""The marketer's import page previews a file as it will be read, lets them change what each
column gives, the zone and the date order, and imports exactly what was previewed; the file
waits on the server between the two, for this contest and this person only."""

import io
import re
import stat
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import openpyxl
from flask import Flask
from sqlmodel import Session, col, select

from contest.accounts import create_user
from contest.draw.service import freeze
from contest.entries.held_files import HELD_FOR
from contest.models import Entry
from tests.builders import OPENS, SIGNER, make_contest
from tests.draw.builders import FREEZE, SCANNED, closed_contest
from tests.fixtures import Browser, Clock
from tests.web.import_page import column_field, mapping_form, press, upload

SLUG = "winter-giveaway"
HEADER = ["Фамилия", "Имя", "Телефон", "Дата рождения", "Дата и время", "Должность"]
ROWS = [
    ["Иванова", "Анна", "+7 912 345-67-89", "05.06.1985", "02.12.2026 19:40", "бухгалтер"],
    ["Петренко", "Олег", "8 (913) 000-11-22", "31.12.1990", "03.12.2026 08:05", "водитель"],
    ["Сидоров", "Иван", "+7 914 555-66-77", "14.02.1979", "04.12.2026 23:59", "охранник"],
]


def cp1251_csv(header: list[str] = HEADER, rows: list[list[str]] = ROWS) -> bytes:
    """A file as Excel in a Russian locale saves it: Windows-1251, separated by ``;``."""
    return "\r\n".join(";".join(cells) for cells in [header, *rows]).encode("cp1251")


def workbook(header: list[str], rows: list[list[object]]) -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def contact_workbook() -> bytes:
    """A workbook whose phone column is headed ``Контакт`` (not read by its name), with its
    moments as Excel date cells (no time zone)."""
    return workbook(["Фамилия", "Имя", "Контакт", "Дата рождения", "Дата и время", "Должность"],
                    [["Иванова", "Анна", "+7 912 345-67-89", "05.06.1985",
                      datetime(2026, 12, 2, 19, 40), "бухгалтер"],
                     ["Петренко", "Олег", "+7 913 000-11-22", "31.12.1990",
                      datetime(2026, 12, 3, 8, 5), "водитель"]])


def marketer(client: Browser, db: Session, clock: Clock,
             email: str = "m@brand.example") -> None:
    create_user(db, email=email, name="M", role="marketer", password="a long password",
                actor_id=None, now=clock.now)
    db.commit()
    client.sign_in(email, "a long password")


def opened(client: Browser, db: Session, clock: Clock) -> None:
    """A published contest, open for five days, and its marketer signed in."""
    marketer(client, db, clock)
    make_contest(db)
    clock.now = OPENS + timedelta(days=5)


def cells(html: str) -> list[list[str]]:
    """The rows of the preview's table of rows, as text: line, then one cell per field."""
    table = re.search(r'<table aria-labelledby="rows-title">(.*?)</table>', html, re.S)
    assert table, "the page shows no rows"
    return [re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row)
            for row in re.findall(r"<tr>(.*?)</tr>", table.group(1).split("<tbody>")[1], re.S)]


def held(app: Flask) -> list[Path]:
    return sorted((Path(app.instance_path) / "held-imports").glob("*"))


def test_a_windows_1251_file_is_previewed_as_read_and_nothing_is_stored(
    app: Flask, client: Browser, db: Session, clock: Clock
) -> None:
    opened(client, db, clock)
    shown = upload(client, SLUG, cp1251_csv(), "выгрузка.csv")
    html = shown.get_data(as_text=True)
    assert shown.status_code == 200
    assert "<li>CSV, Windows-1251, separated by &#39;;&#39;</li>" in html
    assert "<li>columns: Фамилия + Имя → <code>full_name</code>, Телефон → <code>phone</code>, " \
        "Дата рождения → <code>birth_date</code>, Дата и время → <code>submitted_at</code>" \
        "</li>" in html
    assert "<li>not read: Должность</li>" in html
    assert "3 rows in all, 0 would be refused." in html
    assert cells(html) == [
        ["2", "Иванова Анна", "+7 912 345-67-89", "1985-06-05", "2026-12-02T19:40:00+00:00"],
        ["3", "Петренко Олег", "8 (913) 000-11-22", "1990-12-31",
         "2026-12-03T08:05:00+00:00"],
        ["4", "Сидоров Иван", "+7 914 555-66-77", "1979-02-14", "2026-12-04T23:59:00+00:00"]]
    form = mapping_form(html)
    assert [form[f"header-{place}"] for place in range(6)] == HEADER
    assert [form[f"column-{place}"] for place in range(6)] == [
        "surname", "given_name", "phone", "birth_date", "submitted_at", "-"]
    assert form["zone"] == "UTC"  # the contest's
    assert 'role="alert"' not in html
    assert db.exec(select(Entry)).first() is None
    files = held(app)
    assert len(files) == 2  # the file and what it is
    assert stat.S_IMODE(files[0].parent.stat().st_mode) == 0o700
    assert {stat.S_IMODE(path.stat().st_mode) for path in files} == {0o600}
    assert cp1251_csv() in [path.read_bytes() for path in files]


def test_a_column_mapped_to_a_field_is_read_in_the_preview_again(
    client: Browser, db: Session, clock: Clock
) -> None:
    opened(client, db, clock)
    first = upload(client, SLUG, contact_workbook(), "contacts.xlsx")
    html = first.get_data(as_text=True)
    assert "<li>not read: Контакт, Должность</li>" in html
    assert "+7 912 345-67-89" not in html.split('id="rows-title"')[1].split("</table>")[0]
    form = mapping_form(html)
    again = press(client, SLUG, first, "preview", **{column_field(form, "Контакт"): "phone"})
    html = again.get_data(as_text=True)
    assert again.status_code == 200
    assert "Контакт → <code>phone</code>" in html and "<li>not read: Должность</li>" in html
    assert [row[2] for row in cells(html)] == ["+7 912 345-67-89", "+7 913 000-11-22"]
    assert mapping_form(html)[column_field(form, "Контакт")] == "phone"
    assert db.exec(select(Entry)).first() is None


def test_import_stores_exactly_the_previewed_rows_with_the_mapping_and_zone_chosen(
    app: Flask, client: Browser, db: Session, clock: Clock
) -> None:
    opened(client, db, clock)
    first = upload(client, SLUG, contact_workbook(), "contacts.xlsx")
    form = mapping_form(first.get_data(as_text=True))
    previewed = press(client, SLUG, first, "preview", zone="Europe/Moscow",
                      **{column_field(form, "Контакт"): "phone"})
    html = previewed.get_data(as_text=True)
    assert "2 moments without a time zone were read in Europe/Moscow" in html
    assert [row[4] for row in cells(html)] == ["2026-12-02T19:40:00+03:00",
                                               "2026-12-03T08:05:00+03:00"]
    done = press(client, SLUG, previewed, "import")
    html = done.get_data(as_text=True)
    assert done.status_code == 200
    assert "2 rows: 2 imported (" in html and "0 refused." in html
    stored = db.exec(select(Entry).order_by(col(Entry.id))).all()
    assert [(e.full_name, e.phone, e.birth_date, e.submitted_at.astimezone(UTC))
            for e in stored] == [
        ("Иванова Анна", "+79123456789", date(1985, 6, 5),
         datetime(2026, 12, 2, 16, 40, tzinfo=UTC)),
        ("Петренко Олег", "+79130001122", date(1990, 12, 31),
         datetime(2026, 12, 3, 5, 5, tzinfo=UTC))]
    assert held(app) == []  # deleted once imported
    again = press(client, SLUG, previewed, "import")
    assert again.status_code == 404
    assert "the uploaded file is no longer kept" in again.get_data(as_text=True)
    assert len(db.exec(select(Entry)).all()) == 2


def test_choices_changed_after_the_preview_are_previewed_before_anything_is_imported(
    client: Browser, db: Session, clock: Clock
) -> None:
    opened(client, db, clock)
    first = upload(client, SLUG, contact_workbook(), "contacts.xlsx")
    form = mapping_form(first.get_data(as_text=True))
    answer = press(client, SLUG, first, "import", **{column_field(form, "Контакт"): "phone"})
    html = answer.get_data(as_text=True)
    assert "The choices were changed after the preview below was made" in html
    assert [row[2] for row in cells(html)] == ["+7 912 345-67-89", "+7 913 000-11-22"]
    assert db.exec(select(Entry)).first() is None
    press(client, SLUG, answer, "import")
    assert {e.phone for e in db.exec(select(Entry))} == {"+79123456789", "+79130001122"}


def test_the_order_of_ambiguous_dates_is_the_marketers_choice(
    client: Browser, db: Session, clock: Clock
) -> None:
    opened(client, db, clock)
    first = upload(client, SLUG, cp1251_csv(["ФИО", "Телефон", "Дата рождения"],
                                            [["Анна Иванова", "+79123456789", "04/10/1985"]]),
                   "us.csv")
    assert cells(first.get_data(as_text=True))[0][-1] == "1985-10-04"  # day first
    month = press(client, SLUG, first, "preview", order="month")
    html = month.get_data(as_text=True)
    assert cells(html)[0][-1] == "1985-04-10"
    assert "Дата рождения: dates read month first" in html
    press(client, SLUG, month, "import")
    assert [e.birth_date for e in db.exec(select(Entry))] == [date(1985, 4, 10)]


def test_a_zone_that_is_not_one_is_a_clear_error_next_to_the_field(
    client: Browser, db: Session, clock: Clock
) -> None:
    opened(client, db, clock)
    first = upload(client, SLUG, cp1251_csv(), "entries.csv")
    for action in ("preview", "import"):
        answer = press(client, SLUG, first, action, zone="Mars/Olympus_Mons")
        html = answer.get_data(as_text=True)
        assert answer.status_code == 422
        assert re.search(r'<p class="error" id="zone-error" role="alert">Mars/Olympus_Mons is '
                         r"not a time zone we know", html)
        assert 'aria-invalid="true"' in html and 'value="Mars/Olympus_Mons"' in html
    assert db.exec(select(Entry)).first() is None


def test_the_file_of_another_contest_or_person_or_an_old_one_is_not_found(
    app: Flask, client: Browser, db: Session, clock: Clock
) -> None:
    opened(client, db, clock)
    make_contest(db, slug="spring-giveaway")
    first = upload(client, SLUG, cp1251_csv(), "entries.csv")
    form = mapping_form(first.get_data(as_text=True))
    del form["csrf_token"]  # each session sends its own
    elsewhere = client.submit("/manage/contests/spring-giveaway/entries/import",
                              form | {"action": "import"})
    assert elsewhere.status_code == 404
    assert "the uploaded file is no longer kept" in elsewhere.get_data(as_text=True)
    for token in ("../../secret_key", "", "x" * 43):
        answer = client.submit(f"/manage/contests/{SLUG}/entries/import",
                               form | {"token": token, "action": "preview"})
        assert answer.status_code in (200, 404)
        assert 'class="error" role="alert"' in answer.get_data(as_text=True)
    client.submit("/logout")
    marketer(client, db, clock, email="other@brand.example")
    theirs = client.submit(f"/manage/contests/{SLUG}/entries/import",
                           form | {"action": "import"})
    assert theirs.status_code == 404
    assert db.exec(select(Entry)).first() is None
    client.submit("/logout")
    client.sign_in("m@brand.example", "a long password")
    clock.now += HELD_FOR + timedelta(seconds=1)
    late = client.submit(f"/manage/contests/{SLUG}/entries/import", form | {"action": "import"})
    assert late.status_code == 404
    assert held(app) == []  # swept
    assert db.exec(select(Entry)).first() is None


def test_a_preview_that_would_fail_is_red_and_its_import_imports_nothing(
    client: Browser, db: Session, clock: Clock
) -> None:
    opened(client, db, clock)
    first = upload(client, SLUG, cp1251_csv(HEADER, [ROWS[0], ["", "", "", "", "", "повар"],
                                                     ["", "", "", "", "", "курьер"]]),
                   "entries.csv")
    html = first.get_data(as_text=True)
    assert ('<p class="error" role="alert">3 rows in all, 2 would be refused — more than half '
            "of the rows were refused. Importing this file as it is read now would import "
            "nothing") in html
    done = press(client, SLUG, first, "import")
    html = done.get_data(as_text=True)
    assert ('<p class="error" role="alert">3 rows read: 0 people kept, 0 fields warned about, '
            "2 rows refused — more than half of the rows were refused. Nothing was imported."
            "</p>") in html
    assert db.exec(select(Entry)).first() is None
    assert 'class="mapping"' in html  # the file is still there, to be read otherwise


def test_two_columns_giving_one_field_are_offered_to_be_told_apart(
    client: Browser, db: Session, clock: Clock
) -> None:
    opened(client, db, clock)
    first = upload(client, SLUG, cp1251_csv(["ФИО", "Телефон", "Моб. телефон"],
                                            [["Анна Иванова", "+79123456789", "+79120000000"]]),
                   "entries.csv")
    html = first.get_data(as_text=True)
    assert "the columns Телефон, Моб. телефон all give <code>phone</code>" in html
    form = mapping_form(html)
    assert [form["column-1"], form["column-2"]] == ["phone", "phone"]
    answer = press(client, SLUG, first, "preview", **{"column-2": "-"})
    assert cells(answer.get_data(as_text=True)) == [["2", "Анна Иванова", "+79123456789"]]


def test_a_file_previewed_before_the_freeze_is_not_imported_after_it(
    app: Flask, client: Browser, db: Session, clock: Clock
) -> None:
    contest = closed_contest(db, entrants=2)
    marketer(client, db, clock)
    clock.now = SCANNED + timedelta(seconds=1)
    before = len(db.exec(select(Entry)).all())
    shown = upload(client, SLUG, cp1251_csv(), "late.csv")
    assert 'value="import"' in shown.get_data(as_text=True)
    freeze(db, contest=contest, now=FREEZE, signer=SIGNER)
    db.commit()
    clock.now = FREEZE + timedelta(seconds=1)
    answer = press(client, SLUG, shown, "import")
    html = answer.get_data(as_text=True)
    assert answer.status_code == 200
    assert "The entries are frozen for the draw: nothing more is imported." in html
    assert 'class="mapping"' not in html and "Import report" not in html
    assert len(db.exec(select(Entry)).all()) == before
    waiting = held(app)
    again = upload(client, SLUG, cp1251_csv(), "later.csv")
    assert "Preview: nothing is imported yet" not in again.get_data(as_text=True)
    assert held(app) == waiting  # nothing more is kept for an import that cannot be
