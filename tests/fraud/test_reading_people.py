"""The people of a scan read from the files people have: an HR export in Windows-1251 with
semicolons and split names, relatives in an Ukrainian workbook, entries with moments that
carry no zone — and nobody dropped for a field that cannot be read."""

import io
import json
from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from click.testing import CliRunner
from openpyxl import Workbook

from contest.cli import main
from contest.fraud.people import read_entries, read_relatives, read_staff
from contest.fraud.scan import scan
from contest.spreadsheet.table import Reading
from tests.fraud.test_scan import ENTRIES, EXPECTED, RELATIVES, STAFF

MOSCOW = ZoneInfo("Europe/Moscow")

HR_EXPORT = (
    "Табельный номер;Фамилия;Имя;Отчество;Рабочая почта;Личная почта;Рабочий телефон;"
    "Личный телефон;Дата рождения;Адрес;Город;Индекс;Страна;Отдел;Компания;Должность\r\n"
    "S1;Иванов;Иван;Иванович;i.ivanov@snowfall.ru;ivan.ivanov@gmail.com;+7 495 000-00-01;"
    "8 (916) 123-45-67;01.05.1980;ул. Ленина, д. 5, кв. 12;Москва;101000;Россия;Sales;"
    "Snowfall;менеджер\r\n"
    "S2;Smith;John;;john.smith@snowfall.com;;(212) 555-0100;;03.03.1975;12 Main St Apt 4B;"
    "Springfield;62701;США;IT;Snowfall;инженер\r\n"
)


def relatives_workbook() -> bytes:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "Родичі"
    sheet.append(["Табельний номер", "ПІБ", "Ким доводиться", "Ел. пошта", "Телефон"])
    sheet.append(["S2", "Mary Smith", "дружина", "mary.smith@outlook.com", None])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def entries_in_moscow_time() -> bytes:
    """The entries of tests/fraud/data, tab-separated in UTF-8 with a BOM, each moment
    written in Moscow's local time without a zone, as a social network's export has it."""
    lines = ENTRIES.strip().split("\n")
    header = lines[0].split(",")
    at = header.index("submitted_at")
    rows = []
    for line in lines[1:]:
        cells = next(iter(__import__("csv").reader([line])))
        moment = datetime.fromisoformat(cells[at]).astimezone(MOSCOW)
        cells[at] = moment.strftime("%d.%m.%Y %H:%M:%S")
        rows.append("\t".join(cells))
    return ("\ufeff" + "\t".join(header) + "\n" + "\n".join(rows) + "\n").encode("utf-8")


def flagged(entrants: list, staff: list, relatives: list) -> set[tuple[str, str, str]]:  # type: ignore[type-arg]
    result = scan(entrants, staff, relatives)
    return {(flag.entry_id, flag.kind, flag.related_to) for flag in result.flags}


def test_the_same_people_written_the_way_hr_and_social_networks_write_are_flagged_alike(
        ) -> None:
    staff = read_staff(HR_EXPORT.encode("cp1251"), name="сотрудники.csv")
    relatives = read_relatives(relatives_workbook(), staff.people, name="родичі.xlsx")
    entrants = read_entries(entries_in_moscow_time(), name="entries.tsv",
                            reading=Reading(zone=MOSCOW))
    assert [read.report.warnings for read in (staff, relatives, entrants)] == [[], [], []]
    assert flagged(entrants.people, staff.people, relatives.people) == EXPECTED

    ivan = staff.people[0]
    assert (ivan.full_name, ivan.emails, ivan.birth_date.isoformat() if ivan.birth_date
            else None, ivan.country) == ("Иванов Иван Иванович",
                                         ("i.ivanov@snowfall.ru", "ivan.ivanov@gmail.com"),
                                         "1980-05-01", "RU")
    assert relatives.people[0].relation == "spouse"
    how = [str(line) for line in staff.report.how]
    assert how[0] == "CSV, Windows-1251, separated by ';'"
    assert "Фамилия + Имя + Отчество → full_name" in how[1]
    assert "Рабочая почта + Личная почта → email" in how[1]
    assert "not read: Должность" in how
    assert [str(line) for line in relatives.report.how][0] == "Excel workbook, sheet 'Родичі'"
    assert str(entrants.report.how[-1]) == (
        "13 moments without a time zone were read in Europe/Moscow")
    first = min(entrants.people, key=lambda person: person.order)
    assert first.submitted_at == datetime(2026, 12, 1, 10, 0, tzinfo=UTC)


def test_a_staff_member_with_a_phone_no_plan_knows_stays_on_the_roster_with_their_front_people(
        ) -> None:
    """The held-out population lost 13 of 200 staff rows to phones such as +1 466…: their
    proxies went unflagged. The row is kept, and the number still matches itself."""
    staff = read_staff(
        b"staff_id,full_name,email,phone,country\n"
        b"S7,Paul Turner,p.turner@snowfall.com; paul.turner77@yahoo.com,+1 466 555 0123,US\n")
    assert [person.key for person in staff.people] == ["S7"]
    assert [(e.line, e.column, e.code) for e in staff.warnings] == [
        (2, "phone", "invalid_phone")]
    entrants = read_entries(
        b"entry_id,full_name,email,phone,country\n"
        b"e1,Linda Moss,paul.turner77@yahoo.com,,US\n"
        b"e2,Rita Bloom,rita.b@gmail.com,+1 (466) 555-0123,US\n"
        b"e3,Carl Ode,carl.ode@gmail.com,+1 212 555 0199,US\n")
    found = flagged(entrants.people, staff.people, [])
    assert found == {("e1", "proxy", "S7"), ("e2", "proxy", "S7")}


def test_moments_written_without_a_zone_are_read_in_the_zone_given_and_counted() -> None:
    entrants = read_entries(
        "entry_id,full_name,email,submitted_at\n"
        "1,Анна Петрова,a@mail.ru,2026-10-02T20:27:24\n"
        "2,Олег Сидоров,o@mail.ru,2026-10-04 19:35\n"
        "3,Ірина Коваль,i@ukr.net,04.10.2026 19:40\n"
        "4,Ann Lee,ann@gmail.com,2026-10-04T16:00:00Z\n".encode(),
        reading=Reading(zone=MOSCOW))
    assert entrants.warnings == []
    moments = {person.key: person.submitted_at for person in entrants.people}
    assert moments["1"] == datetime(2026, 10, 2, 17, 27, 24, tzinfo=UTC)
    assert moments["2"] == datetime(2026, 10, 4, 16, 35, tzinfo=UTC)
    assert moments["3"] == datetime(2026, 10, 4, 16, 40, tzinfo=UTC)
    assert str(entrants.report.how[-1]) == (
        "3 moments without a time zone were read in Europe/Moscow")
    assert [person.key for person in entrants.people] == ["1", "4", "2", "3"]


def test_a_russian_birth_date_and_moment_keep_the_row_and_a_wrong_one_is_only_warned_about(
        ) -> None:
    entrants = read_entries(
        "entry_id,full_name,email,birth_date,submitted_at\n"
        "1,Анна Петрова,a@mail.ru,05.06.1963,04.10.2026 19:40\n"
        "2,Олег Сидоров,o@mail.ru,31.02.1963,32.10.2026 19:40\n".encode())
    assert [(person.key, str(person.birth_date)) for person in entrants.people] == [
        ("1", "1963-06-05"), ("2", "None")]
    assert [(e.line, e.column, e.code) for e in entrants.warnings] == [
        (3, "birth_date", "invalid_date"), (3, "submitted_at", "invalid_moment")]
    assert entrants.report.summary() == (
        "2 rows read: 2 people kept, 2 fields warned about, 0 rows refused")


def run(*arguments: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, ["fraud", "scan", *arguments])
    return result.exit_code, result.stdout, result.stderr


def test_a_scan_that_read_no_entry_fails_loudly_and_writes_no_flags(tmp_path: Path) -> None:
    """The held-out file whose moments had no zone read as zero entries and exited 0."""
    (tmp_path / "staff.csv").write_text(STAFF, encoding="utf-8")
    (tmp_path / "header.csv").write_text("entry_id,full_name,email\n", encoding="utf-8")
    (tmp_path / "cities.csv").write_text("entry_id,full_name,city\n1,,Omsk\n2,,Kyiv\n",
                                         encoding="utf-8")
    out = tmp_path / "flags.json"
    for name, reason in (("header.csv", "no row was read"),
                         ("cities.csv", "more than half of the rows were refused")):
        code, _, errors = run("--entries", str(tmp_path / name), "--staff",
                              str(tmp_path / "staff.csv"), "--out", str(out))
        assert code == 1, errors
        assert f"error: {name}: " in errors and reason in errors
        assert not out.exists()


def test_the_command_line_takes_a_mapping_and_a_zone_and_says_what_it_read(
        tmp_path: Path) -> None:
    (tmp_path / "staff.csv").write_text(STAFF, encoding="utf-8")
    (tmp_path / "relatives.csv").write_text(RELATIVES, encoding="utf-8")
    (tmp_path / "vk.csv").write_bytes(
        "Участник;Контакт;Когда;Ссылка\n"
        "Petrova Anna;+7 916 123-45-67;01.12.2026 13:05;vk.com/id1\n"
        "Ivan Ivanov;+7 495 000 00 01;01.12.2026 13:00;vk.com/id2\n"
        "Oleg Popov;8 916;01.12.2026 13:10;vk.com/id3\n".encode("cp1251"))
    out = tmp_path / "flags.json"
    code, _, errors = run("--entries", str(tmp_path / "vk.csv"), "--staff",
                          str(tmp_path / "staff.csv"), "--relatives",
                          str(tmp_path / "relatives.csv"), "--map", "Контакт=phone",
                          "--map", "Когда=submitted_at", "--timezone", "Europe/Moscow",
                          "--out", str(out))
    assert code == 0, errors
    assert "vk.csv: 3 rows read: 3 people kept, 1 field warned about, 0 rows refused" in errors
    assert ("columns: Участник → full_name, Контакт → phone, Когда → submitted_at"
            in errors)
    assert "not read: Ссылка" in errors
    assert "3 moments without a time zone were read in Europe/Moscow" in errors
    assert "warning: line 4, Контакт: \"8 916\" is not a valid phone number" in errors
    flags = json.loads(out.read_text())["flags"]
    assert {(f["entry_id"], f["kind"]) for f in flags} == {("L2", "proxy"), ("L3", "employee")}
    code, _, errors = run("--entries", str(tmp_path / "vk.csv"), "--staff",
                          str(tmp_path / "staff.csv"), "--timezone", "Mars/Olympus",
                          "--out", str(out))
    assert code == 2 and "Mars/Olympus is not a time zone" in errors
