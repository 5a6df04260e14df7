"""The auditor's review: a scan of stored entries, the queue, decisions and what they change."""

import json
from datetime import timedelta

import pytest
from sqlmodel import Session, select

from contest.accounts import create_user
from contest.draw.service import freeze
from contest.errors import AlreadyDone, Conflict, InvalidInput, NotFound
from contest.fraud.review import (
    Decision,
    decide,
    decided_by,
    flag_counts,
    flag_queue,
    recheck,
    scan_contest,
)
from contest.ledger.store import log_size, read_entries
from contest.models import AuditRecord, Entry, ExcludedTicket, FraudFlag
from tests.builders import OPENS, SIGNER
from tests.draw.builders import FREEZE, closed_contest
from tests.review.builders import contest_with_roster

LATER = OPENS + timedelta(days=1)


def read_events(session: Session) -> list[dict[str, object]]:
    return [json.loads(row.leaf) for row in read_entries(session, 0, log_size(session))]


def flags_by_ticket(session: Session) -> dict[str, tuple[str, str]]:
    return {entry.ticket: (flag.kind, flag.related_to) for flag, entry in session.exec(
        select(FraudFlag, Entry).join(Entry))}


def test_a_scan_flags_the_employee_and_the_proxy_but_not_the_namesake(session: Session) -> None:
    contest, tickets = contest_with_roster(session)
    summary = scan_contest(session, contest=contest, now=LATER)
    assert flags_by_ticket(session) == {tickets["employee"]: ("employee", "S1"),
                                        tickets["proxy"]: ("proxy", "S1")}
    assert (summary.entries, summary.staff, summary.relatives) == (4, 2, 1)
    assert summary.open_flags == 2
    assert summary.by_kind["employee"] == summary.by_kind["proxy"] == 1


def test_the_queue_puts_the_highest_score_first_and_filters_by_kind(session: Session) -> None:
    contest, tickets = contest_with_roster(session)
    scan_contest(session, contest=contest, now=LATER)
    queue = flag_queue(session, contest=contest)
    assert [item.flag.score for item in queue] == sorted(
        (item.flag.score for item in queue), reverse=True)
    proxies = flag_queue(session, contest=contest, kind="proxy")
    assert [item.entry.ticket for item in proxies] == [tickets["proxy"]]
    evidence = proxies[0].evidence
    assert evidence[0]["from"] == f"entry:{tickets['proxy']}"
    assert evidence[-1]["to"] == "staff:S1"
    assert "phone" in {edge["label"] for edge in evidence}


def test_confirming_excludes_the_entry_and_logs_only_the_ticket_and_code(
        session: Session) -> None:
    contest, tickets = contest_with_roster(session)
    scan_contest(session, contest=contest, now=LATER)
    proxy = flag_queue(session, contest=contest, kind="proxy")[0]
    decide(session, contest=contest, flag_ids=[proxy.flag.id or 0], decision=Decision.CONFIRM,
           reason="Olga is Ivan's sister-in-law", actor_id=None, now=LATER, signer=SIGNER)
    session.commit()
    entry = session.exec(select(Entry).where(Entry.ticket == tickets["proxy"])).one()
    assert (entry.eligible, entry.reasons) == (False, ("proxy",))
    decided = session.get(FraudFlag, proxy.flag.id)
    assert decided is not None
    assert (decided.status, decided.decided_at) == ("confirmed", LATER)
    event = read_events(session)[-1]
    assert event == {"type": "auditor.decision", "contest": contest.slug,
                     "ticket": tickets["proxy"], "decision": "confirmed", "reason": "proxy",
                     "at": "2026-12-02T09:00:00Z"}
    audit = session.exec(select(AuditRecord).where(AuditRecord.action == "flag.confirmed")).one()
    assert json.loads(audit.detail)["reason"] == "Olga is Ivan's sister-in-law"


def test_dismissing_needs_a_reason_and_keeps_the_entry(session: Session) -> None:
    contest, tickets = contest_with_roster(session)
    scan_contest(session, contest=contest, now=LATER)
    employee = flag_queue(session, contest=contest, kind="employee")[0]
    with pytest.raises(InvalidInput) as refused:
        decide(session, contest=contest, flag_ids=[employee.flag.id or 0],
               decision=Decision.DISMISS, reason="  ", actor_id=None, now=LATER, signer=SIGNER)
    assert [e.code for e in refused.value.errors] == ["required"]
    decide(session, contest=contest, flag_ids=[employee.flag.id or 0],
           decision=Decision.DISMISS, reason="left the company in 2019", actor_id=None,
           now=LATER, signer=SIGNER)
    entry = session.exec(select(Entry).where(Entry.ticket == tickets["employee"])).one()
    assert entry.eligible
    assert read_events(session)[-1]["reason"] == "dismissed"
    assert "2019" not in json.dumps(read_events(session))


def test_who_decided_a_flag_is_the_auditors_account_or_nobody(session: Session) -> None:
    """The flag page names the auditor who decided; an open flag, or one decided on the
    command line (no account), names nobody."""
    contest, _ = contest_with_roster(session)
    auditor = create_user(session, email="ann@example.com", name="Ann Auditor", role="auditor",
                          password="long enough pw", actor_id=None, now=LATER)
    scan_contest(session, contest=contest, now=LATER)
    employee, proxy = (flag_queue(session, contest=contest, kind=kind)[0].flag
                       for kind in ("employee", "proxy"))
    assert decided_by(session, flag=employee) is None
    decide(session, contest=contest, flag_ids=[employee.id or 0], decision=Decision.CONFIRM,
           reason="", actor_id=auditor.id, now=LATER, signer=SIGNER)
    decide(session, contest=contest, flag_ids=[proxy.id or 0], decision=Decision.CONFIRM,
           reason="", actor_id=None, now=LATER, signer=SIGNER)
    assert decided_by(session, flag=employee) == auditor
    assert decided_by(session, flag=proxy) is None


def test_flags_are_decided_in_bulk_and_only_once(session: Session) -> None:
    contest, _ = contest_with_roster(session)
    scan_contest(session, contest=contest, now=LATER)
    ids = [item.flag.id or 0 for item in flag_queue(session, contest=contest)]
    decided = decide(session, contest=contest, flag_ids=ids, decision=Decision.CONFIRM,
                     reason="", actor_id=None, now=LATER, signer=SIGNER)
    assert [flag.status for flag in decided] == ["confirmed", "confirmed"]
    assert flag_counts(session, contest=contest)["confirmed"] == {
        "employee": 1, "relative": 0, "household": 0, "proxy": 1, "duplicate": 0, "bot": 0}
    with pytest.raises(AlreadyDone, match=f"flag {ids[0]} was already decided") as again:
        decide(session, contest=contest, flag_ids=ids[:1], decision=Decision.DISMISS,
               reason="changed my mind", actor_id=None, now=LATER, signer=SIGNER)
    assert again.value.text("ru").endswith("(подтверждена: заявка исключена)")
    with pytest.raises(NotFound, match="no flag 9999"):
        decide(session, contest=contest, flag_ids=[9999], decision=Decision.CONFIRM,
               reason="", actor_id=None, now=LATER, signer=SIGNER)


def test_a_new_scan_keeps_decisions_and_replaces_open_flags(session: Session) -> None:
    contest, tickets = contest_with_roster(session)
    scan_contest(session, contest=contest, now=LATER)
    employee = flag_queue(session, contest=contest, kind="employee")[0]
    decide(session, contest=contest, flag_ids=[employee.flag.id or 0],
           decision=Decision.DISMISS, reason="a different Ivan", actor_id=None, now=LATER,
           signer=SIGNER)
    again = scan_contest(session, contest=contest, now=LATER + timedelta(hours=1))
    assert (again.open_flags, again.already_decided) == (1, 1)
    rows = session.exec(select(FraudFlag)).all()
    assert sorted((f.kind, f.status) for f in rows) == [("employee", "dismissed"),
                                                        ("proxy", "open")]
    assert recheck(session, contest=contest, ticket=tickets["proxy"])[0]["kind"] == "proxy"
    assert recheck(session, contest=contest, ticket=tickets["clean"]) == []


def test_confirmed_exclusions_feed_the_freeze(session: Session) -> None:
    contest = closed_contest(session, entrants=5)
    entries = session.exec(select(Entry).where(Entry.contest_id == contest.id)).all()
    later = entries[-1]
    # The last entrant enters again under another name from the same mailbox.
    session.add(FraudFlag(contest_id=contest.id or 0, entry_id=later.id or 0, kind="duplicate",
                          score=0.9, related_to=entries[0].ticket, evidence_json="[]",
                          found_at=FREEZE - timedelta(hours=1)))
    session.commit()
    flag = flag_queue(session, contest=contest)[0]
    decide(session, contest=contest, flag_ids=[flag.flag.id or 0], decision=Decision.CONFIRM,
           reason="", actor_id=None, now=FREEZE - timedelta(minutes=30), signer=SIGNER)
    record = freeze(session, contest=contest, now=FREEZE, signer=SIGNER)
    assert ExcludedTicket(later.ticket, ("duplicate",)) in record.excluded
    assert later.ticket not in record.tickets
    with pytest.raises(Conflict, match="frozen"):
        decide(session, contest=contest, flag_ids=[flag.flag.id or 0],
               decision=Decision.CONFIRM, reason="", actor_id=None, now=FREEZE,
               signer=SIGNER)


def test_a_recheck_of_a_ticket_not_in_the_contest_is_refused(session: Session) -> None:
    contest, _ = contest_with_roster(session)
    with pytest.raises(NotFound, match="no entry with ticket ffff"):
        recheck(session, contest=contest, ticket="ffff")

