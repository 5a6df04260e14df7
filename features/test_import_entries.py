"""Steps for features/import_entries.feature: the marketer's import on the command line, of
CSV files and Excel workbooks as people write them."""

import csv
import io
from datetime import timedelta
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from openpyxl import Workbook
from pytest_bdd import given, parsers, scenarios, then, when
from sqlmodel import Session, select

from contest.cli import main
from contest.entries.submission import COLUMNS
from contest.models import Entry
from tests.builders import OPENS, rules_document

from .conftest import entry_count

scenarios("import_entries.feature")


@pytest.fixture(autouse=True)
def marketers_terminal(cli_env: Path) -> None:
    """The marketer's terminal reaches the database the web app serves."""


@given(parsers.parse('a CSV file of {count:d} entries where line {line:d} has the e-mail '
                     '"{email}"'), target_fixture="csv_file")
def csv_file(tmp_path: Path, count: int, line: int, email: str) -> Path:
    rows = []
    for number in range(1, count + 1):
        rows.append({
            "entry_id": f"vk-{number}", "submitted_at": (OPENS + timedelta(hours=number))
            .isoformat(), "full_name": f"Иван Петров-{number}",
            "email": email if number + 1 == line else f"ivan{number}@mail.ru",
            "phone": "", "birth_date": "1990-01-0" + str(number), "country": "RU",
        })
    path = tmp_path / "entries.csv"
    _write(path, rows)
    return path


def _write(path: Path, rows: list[dict[str, str]]) -> None:
    with path.open("w", encoding="utf-8", newline="") as out:
        writer = csv.DictWriter(out, fieldnames=COLUMNS, restval="")
        writer.writeheader()
        writer.writerows(rows)


@given("the file also has a row submitted a day after the contest closed")
def late_row(csv_file: Path) -> None:
    with csv_file.open("a", encoding="utf-8", newline="") as out:
        late = rules_document().period.closes_at + timedelta(days=1)
        csv.DictWriter(out, fieldnames=COLUMNS, restval="").writerow({
            "entry_id": "vk-late", "submitted_at": late.isoformat(),
            "full_name": "Пётр Поздний", "email": "late@mail.ru", "country": "RU",
            "birth_date": "1970-05-05"})


def _run(*args: str) -> Result:
    result = CliRunner().invoke(main, list(args), catch_exceptions=False)
    return result


@given(parsers.parse('an Excel workbook with the columns {columns} of {count:d} entries, '
                     'written "{born}" and "{moment}"'), target_fixture="csv_file")
def workbook(tmp_path: Path, columns: str, count: int, born: str, moment: str) -> Path:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append([name.strip().strip('"') for name in columns.replace(" and ", ", ")
                  .split(",")])
    names = [("Петрова", "Анна", "Ивановна"), ("Сидоров", "Олег", "Петрович")]
    for number in range(count):
        surname, given_name, patronymic = names[number % len(names)]
        sheet.append([surname, given_name, patronymic, f"+7 916 123 45 6{number}", born,
                      moment])
    path = tmp_path / "участники.xlsx"
    book.save(path)
    return path


@given(parsers.parse('a Windows-1251 file separated by ";" with the columns "{header}" and '
                     'the row "{row}"'), target_fixture="csv_file")
def windows_file(tmp_path: Path, header: str, row: str) -> Path:
    path = tmp_path / "entries-1251.csv"
    path.write_bytes(f"{header}\r\n{row}\r\n".encode("cp1251"))
    return path


@given("a CSV file whose rows give only a city", target_fixture="csv_file")
def nobody_file(tmp_path: Path) -> Path:
    path = tmp_path / "cities.csv"
    path.write_text("full_name,city\n,Moscow\n,Kyiv\nAnna,Omsk\n", encoding="utf-8")
    return path


@when(parsers.parse('the marketer runs "contest {command}" on the file'),
      target_fixture="runs")
@when(parsers.parse('the marketer runs "contest {command}" on the workbook'),
      target_fixture="runs")
@when(parsers.parse('the marketer runs "contest {command}" on that file'),
      target_fixture="runs")
def run_import(csv_file: Path, command: str) -> list[Result]:
    result = _run(*command.split()[:3], str(csv_file), *command.split()[3:])
    assert result.exit_code == 0, result.output
    return [result]


@when(parsers.parse('the marketer runs "contest {command}" on that file, which fails'),
      target_fixture="runs")
def run_failing_import(csv_file: Path, command: str) -> list[Result]:
    result = _run(*command.split(), str(csv_file))
    assert result.exit_code == 1, result.output
    return [result]


@when(parsers.parse('the marketer runs "contest {command}" on the file again'))
def run_import_again(csv_file: Path, command: str, runs: list[Result]) -> None:
    result = _run(*command.split(), str(csv_file))
    assert result.exit_code == 0, result.output
    runs.append(result)


@then(parsers.parse("the summary says {accepted:d} rows were imported and {warned:d} field "
                    "was warned about"))
@then(parsers.parse("the summary says {accepted:d} row was imported and {warned:d} field "
                    "was warned about"))
def summary(runs: list[Result], accepted: int, warned: int) -> None:
    output = runs[-1].stdout
    assert f": {accepted} imported" in output, output
    assert f", {warned} field" in output and ", 0 refused" in output, output


@then(parsers.parse('the report names line {line:d}, column "{column}", kept'))
def report_names(csv_file: Path, line: int, column: str) -> None:
    report = csv_file.with_suffix(".rejected.csv").read_text(encoding="utf-8")
    rows = list(csv.DictReader(io.StringIO(report)))
    assert [(r["line"], r["column"], r["kept"]) for r in rows] == [(str(line), column, "yes")]
    assert rows[0]["reason"]


@then(parsers.parse('the output says "{text}"'))
def output_says(runs: list[Result], text: str) -> None:
    assert text in runs[-1].output, runs[-1].output


@then(parsers.parse('the entry of "{name}" was born on {born} and entered at {moment}'))
def entry_of(db: Session, name: str, born: str, moment: str) -> None:
    entry = db.exec(select(Entry).where(Entry.full_name == name)).one()
    assert str(entry.birth_date) == born
    assert entry.submitted_at.isoformat() == moment


@then(parsers.parse('"contest entries export {slug}" lists the {count:d} imported entries'))
def export_lists(slug: str, count: int) -> None:
    result = _run("entries", "export", slug)
    assert result.exit_code == 0
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert len(rows) == count
    assert list(rows[0]) == list(COLUMNS)
    assert {r["entry_id"] for r in rows} == {"vk-1", "vk-2", "vk-3", "vk-4"}


@then(parsers.parse("the contest has {count:d} entries"))
def contest_has(db: Session, count: int) -> None:
    assert entry_count(db) == count


@then(parsers.parse("the second summary says {count:d} rows were already imported"))
def already(runs: list[Result], count: int) -> None:
    assert f"{count} already imported" in runs[-1].stdout, runs[-1].stdout


@then(parsers.parse('that row\'s entry is stored as not eligible with the reason "{reason}"'))
def late_entry(db: Session, reason: str) -> None:
    entry = db.exec(select(Entry).where(Entry.source_entry_id == "vk-late")).one()
    assert not entry.eligible
    assert reason in entry.reasons
