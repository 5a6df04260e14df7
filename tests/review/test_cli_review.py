"""The review from the command line: roster import, a stored scan, flags, decisions."""

import json
from pathlib import Path

from sqlmodel import Session, select

from contest.models import Entry, FraudFlag, StaffMember
from tests.builders import make_contest
from tests.fixtures import run_cli
from tests.review.builders import RELATIVES_CSV, STAFF_CSV, contest_with_roster


def test_staff_import_loads_the_whole_roster_and_reports_bad_fields(cli_env: Path,
                                                                    session: Session) -> None:
    contest, _ = make_contest(session)
    (cli_env / "staff.csv").write_bytes(STAFF_CSV + b"S3,Kate Brown,kate@,,,,,,,,\n")
    (cli_env / "relatives.csv").write_bytes(RELATIVES_CSV)
    result = run_cli("staff", "import", contest.slug, str(cli_env / "staff.csv"),
                     "--relatives", str(cli_env / "relatives.csv"))
    assert result.exit_code == 0, result.stderr
    assert "staff: 3 added, 0 updated, 0 unchanged; relatives: 1 added" in result.stdout
    assert "staff.csv: 3 rows read: 3 people kept, 1 field warned about, 0 rows refused" in (
        result.stderr)
    assert "warning: line 4, email: \"kate@\" is not an email address: kept as written" in (
        result.stderr)
    assert len(session.exec(select(StaffMember)).all()) == 3
    nothing = run_cli("staff", "import", contest.slug)
    assert nothing.exit_code == 2 and "give a staff roster file" in nothing.stderr


def test_a_stored_scan_then_flags_then_a_decision(cli_env: Path, session: Session) -> None:
    contest, tickets = contest_with_roster(session)
    scanned = run_cli("fraud", "scan", "--contest", contest.slug,
                      "--out", str(cli_env / "flags.json"))
    assert scanned.exit_code == 0
    assert "2 open flags (employee 1, relative 0, household 0, proxy 1, duplicate 0, bot 0)" in (
        scanned.stderr)
    written = json.loads((cli_env / "flags.json").read_text())
    assert {f["entry_id"]: f["kind"] for f in written["flags"]} == {
        tickets["employee"]: "employee", tickets["proxy"]: "proxy"}

    listed = run_cli("fraud", "flags", contest.slug, "--kind", "proxy")
    flag_id, kind, _score, ticket, related = listed.stdout.strip().split("\t")
    assert (kind, ticket, related) == ("proxy", tickets["proxy"], "S1")

    unsaid = run_cli("fraud", "decide", contest.slug, flag_id)
    assert unsaid.exit_code == 2 and "say --confirm or --dismiss" in unsaid.stderr
    no_reason = run_cli("fraud", "decide", contest.slug, flag_id, "--dismiss")
    assert no_reason.exit_code != 0 and "say why the flag is dismissed" in no_reason.stderr
    confirmed = run_cli("fraud", "decide", contest.slug, flag_id, "--confirm")
    assert confirmed.exit_code == 0 and "1 flags confirmed" in confirmed.stdout
    session.expire_all()
    entry = session.exec(select(Entry).where(Entry.ticket == tickets["proxy"])).one()
    assert entry.reasons == ("proxy",)
    statuses = run_cli("fraud", "flags", contest.slug, "--status", "confirmed", "--json")
    assert [f["kind"] for f in json.loads(statuses.stdout)["flags"]] == ["proxy"]
    assert session.exec(select(FraudFlag).where(FraudFlag.status == "open")).one().kind == (
        "employee")


def test_a_contest_scan_takes_no_csv_files(cli_env: Path, session: Session) -> None:
    contest, _ = make_contest(session)
    (cli_env / "e.csv").write_text("entry_id,full_name\n1,A B\n")
    mixed = run_cli("fraud", "scan", "--contest", contest.slug, "--entries",
                    str(cli_env / "e.csv"))
    assert mixed.exit_code == 2 and "give no files" in mixed.stderr
    missing = run_cli("fraud", "scan", "--entries", str(cli_env / "e.csv"))
    assert missing.exit_code == 2 and "Missing option '--staff'" in missing.stderr
    unknown = run_cli("fraud", "scan", "--contest", "no-such-contest")
    assert unknown.exit_code != 0 and "no contest no-such-contest" in unknown.stderr
