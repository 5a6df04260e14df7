"""Steps for features/import_entries.feature: the marketer's CSV import on the command line."""

import csv
import io
from datetime import timedelta
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
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


@when(parsers.parse('the marketer runs "contest {command}" on the file'),
      target_fixture="runs")
def run_import(csv_file: Path, command: str) -> list[Result]:
    result = _run(*command.split(), str(csv_file))
    assert result.exit_code == 0, result.output
    return [result]


@when(parsers.parse('the marketer runs "contest {command}" on the file again'))
def run_import_again(csv_file: Path, command: str, runs: list[Result]) -> None:
    result = _run(*command.split(), str(csv_file))
    assert result.exit_code == 0, result.output
    runs.append(result)


@then(parsers.parse("the summary says {accepted:d} rows were imported and {rejected:d} was "
                    "rejected"))
def summary(runs: list[Result], accepted: int, rejected: int) -> None:
    output = runs[-1].stdout
    assert f"{accepted} imported" in output and f"{rejected} rejected" in output, output


@then(parsers.parse('the rejection report names line {line:d}, column "{column}"'))
def report_names(csv_file: Path, line: int, column: str) -> None:
    report = csv_file.with_suffix(".rejected.csv").read_text(encoding="utf-8")
    rows = list(csv.DictReader(io.StringIO(report)))
    assert [(r["line"], r["column"]) for r in rows] == [(str(line), column)]
    assert rows[0]["reason"]


@then(parsers.parse('"contest entries export {slug}" lists the {count:d} imported entries'))
def export_lists(slug: str, count: int) -> None:
    result = _run("entries", "export", slug)
    assert result.exit_code == 0
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert len(rows) == count
    assert list(rows[0]) == list(COLUMNS)
    assert {r["entry_id"] for r in rows} == {"vk-1", "vk-2", "vk-4"}


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
