"""The detectors on a small population where every kind of case is planted by hand, and
`contest fraud scan` on CSV files."""

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from contest.cli import main
from contest.fraud.people import read_entries, read_relatives, read_staff
from contest.fraud.scan import scan

DATA = Path(__file__).parent / "data"
STAFF = (DATA / "staff.csv").read_text(encoding="utf-8")
RELATIVES = (DATA / "relatives.csv").read_text(encoding="utf-8")
ENTRIES = (DATA / "entries.csv").read_text(encoding="utf-8")
EXPECTED = {
    ("e01", "employee", "S1"), ("e02", "proxy", "S1"), ("e03", "relative", "S1"),
    ("e04", "household", "S1"), ("e07", "proxy", "S1"), ("e08", "duplicate", "e06"),
    ("e11", "relative", "S2"), ("e12", "household", "S2"),
}


def run_scan() -> dict[str, tuple[str, str, float, list[dict[str, str]]]]:
    staff = read_staff(STAFF.encode())
    relatives = read_relatives(RELATIVES.encode(), staff.people)
    entrants = read_entries(ENTRIES.encode())
    assert not (staff.rejected or relatives.rejected or entrants.rejected)
    result = scan(entrants.people, staff.people, relatives.people)
    return {flag.entry_id: (flag.kind, flag.related_to, flag.score, list(flag.evidence))
            for flag in result.flags}


def test_each_planted_case_is_flagged_as_what_it_is() -> None:
    flags = run_scan()
    assert {(entry, kind, related) for entry, (kind, related, _, _) in flags.items()} == EXPECTED


@pytest.mark.parametrize("entry_id", ["e05", "e06", "e09", "e10", "e13"])
def test_namesakes_neighbours_dotted_mailboxes_common_surnames_and_one_ip_are_not_flagged(
        entry_id: str) -> None:
    assert entry_id not in run_scan()


def test_evidence_is_a_labelled_path_from_the_entry_to_the_staff_member() -> None:
    flags = run_scan()
    _, _, score, proxy = flags["e02"]
    assert proxy == [{"from": "entry:e02", "to": "phone:+79161234567", "label": "phone"},
                     {"from": "phone:+79161234567", "to": "staff:S1", "label": "phone"}]
    assert 0 < score <= 1
    chained = flags["e07"][3]
    assert chained[0] == {"from": "entry:e07", "to": "device:dev-a", "label": "device"}
    assert chained[-1]["to"] == "staff:S1"
    assert flags["e01"][3] == [{"from": "entry:e01", "to": "staff:S1", "label": "same_person"}]


def test_the_earliest_entries_count_up_to_the_rules_limit() -> None:
    entrants = read_entries(ENTRIES.encode())
    assert not [f for f in scan(entrants.people, per_person=2).flags if f.kind == "duplicate"]


def test_bad_fields_are_warned_about_with_line_and_column_and_nobody_is_dropped() -> None:
    staff = read_staff(b"staff_id,full_name,email,phone,birth_date,country\n"
                       b"S1,Bob,,,,\n"
                       b"S1,Anna,not-mail,+7 916 123 45 67,1990-13-01,RU\n"
                       b"S2,,,12,,XX\n"
                       b",,,,,RU\n")
    assert sorted((e.line, e.column, e.code) for e in staff.warnings) == [
        (3, "birth_date", "invalid_date"), (3, "email", "invalid_email"),
        (3, "staff_id", "duplicate"), (4, "country", "invalid_country"),
        (4, "phone", "invalid_phone")]
    assert [person.key for person in staff.people] == ["S1", "S1@L3", "S2"]
    anna = staff.people[1]
    assert (anna.full_name, anna.emails, anna.birth_date) == ("Anna", ("not-mail",), None)
    assert staff.people[2].phones == ("12",)
    assert [(e.line, e.code) for e in staff.rejected] == [(5, "nobody")]
    assert (staff.report.rows, staff.report.kept, staff.report.refused_rows) == (4, 3, 1)
    relatives = read_relatives(b"staff_id,full_name,relation\nS9,Ann,cousin\n", [])
    assert [e.code for e in relatives.warnings] == ["unknown_staff", "invalid_relation"]
    assert [(p.staff_id, p.relation) for p in relatives.people] == [("S9", "other")]


def test_the_command_line_scan_writes_flags_json(tmp_path: Path) -> None:
    for name, text in (("staff", STAFF), ("relatives", RELATIVES), ("entries", ENTRIES)):
        (tmp_path / f"{name}.csv").write_text(text, encoding="utf-8")
    out = tmp_path / "flags.json"
    result = CliRunner().invoke(main, [
        "fraud", "scan", "--entries", str(tmp_path / "entries.csv"),
        "--staff", str(tmp_path / "staff.csv"), "--relatives", str(tmp_path / "relatives.csv"),
        "--out", str(out)])
    assert result.exit_code == 0, result.output
    document = json.loads(out.read_text())
    assert set(document) == {"flags", "stats"}
    assert all(set(flag) == {"entry_id", "kind", "score", "related_to", "evidence"}
               for flag in document["flags"])
    assert {(f["entry_id"], f["kind"], f["related_to"]) for f in document["flags"]} == EXPECTED
    assert [f["score"] for f in document["flags"]] == sorted(
        (f["score"] for f in document["flags"]), reverse=True)
    assert document["stats"]["entries"] == 13


def test_an_empty_roster_makes_a_duplicate_only_scan(tmp_path: Path) -> None:
    (tmp_path / "staff.csv").write_text("staff_id,full_name\n", encoding="utf-8")
    (tmp_path / "entries.csv").write_text(
        "entry_id,full_name,email\n1,Anna Lee,anna.lee@gmail.com\n2,Anna Lee,annalee@gmail.com\n"
        "3,Bob,\n3,Carl,\n", encoding="utf-8")
    result = CliRunner().invoke(main, [
        "fraud", "scan", "--entries", str(tmp_path / "entries.csv"),
        "--staff", str(tmp_path / "staff.csv"), "--out", "-"])
    assert result.exit_code == 0
    assert ("warning: line 5, entry_id: 3 appears on an earlier row too: this row is named "
            "3@L5") in result.stderr
    flags = json.loads(result.stdout[:result.stdout.rindex("}") + 1])["flags"]
    assert [(f["entry_id"], f["kind"], f["related_to"]) for f in flags] == [
        ("2", "duplicate", "1")]


def test_a_scan_reports_each_stage_as_it_goes() -> None:
    staff = read_staff(STAFF.encode())
    entrants = read_entries(ENTRIES.encode())
    reported: list[tuple[str, int, int]] = []
    scan(entrants.people, staff.people, progress=lambda *at: reported.append(at))
    people = len(staff.people) + len(entrants.people)
    assert reported == [("profiling", people, people), ("employee", 0, 6), ("relative", 1, 6),
                        ("household", 2, 6), ("proxy", 3, 6), ("duplicate", 4, 6),
                        ("bot", 5, 6)]


def test_entrants_are_put_in_submission_order_whatever_their_time_zones() -> None:
    header = "entry_id,full_name,submitted_at\n"
    rows = ["late,A B,2026-11-02T10:00:00.000001+00:00", "none,C D,",
            "first,E F,2026-11-02T12:59:59+03:00", "tie,G H,2026-11-02T10:00:00.000001Z",
            "second,I J,2026-11-02T05:00:00-05:00"]
    entrants = read_entries((header + "\n".join(rows) + "\n").encode()).people
    assert [(person.key, person.order) for person in entrants] == [
        ("first", 0), ("second", 1), ("late", 2), ("tie", 3), ("none", 4)]
