"""Social accounts on a contest's roster (issue 20): a roster and a list of relatives give
their accounts, stored as given (one no rule reads kept and warned about); a scan of the
stored entries finds an entry read from a staff member's account, or a relative's."""

import json
from datetime import timedelta

from sqlmodel import Session, select

from contest.entries.intake import Arrival, TakenEntry, take_entries
from contest.fraud.review import flag_queue, roster_fingerprint, scan_contest
from contest.fraud.roster import import_roster
from contest.models import Channel, Contest, DeclaredRelative, StaffMember
from contest.rules.document import Eligibility
from contest.rules.versions import PublishedContest
from tests.builders import OPENS, SIGNER, make_contest, rules_document

STAFF = ("staff_id,full_name,email,account\n"
         "S1,Иван Петров,ivan@brand.ru,https://vk.com/id123456; ig:Ivan.Petrov\n"
         "S2,Ольга Смирнова,olga@brand.ru,олга\n").encode()
RELATIVES = ("staff_id,full_name,relation,account\n"
             "S2,Мария Смирнова,сестра,tg:987654\n").encode()
LATER = OPENS + timedelta(days=1)


def _giveaway(session: Session) -> PublishedContest:
    rules = rules_document(eligibility=Eligibility(min_age=0, legal_min_age=0, countries=()))
    contest, version = make_contest(session, rules=rules)
    assert version is not None
    return PublishedContest(contest, version, rules)


def _read_from_vk(session: Session, published: PublishedContest,
                  people: list[tuple[str, str]]) -> dict[str, str]:
    """Entries as a VK read brings them in (a name and an account, keyed by the account):
    each account's ticket."""
    moment = OPENS + timedelta(hours=2)
    outcomes = take_entries(session, signer=SIGNER, contest=published, arrivals=[
        Arrival({"full_name": name, "account": account, "submitted_at": moment.isoformat()},
                Channel.VK, moment, idempotency_key=account) for name, account in people])
    tickets = {}
    for (_, account), outcome in zip(people, outcomes, strict=True):
        assert isinstance(outcome, TakenEntry), outcome
        tickets[account] = outcome.ticket
    return tickets


def test_a_roster_keeps_each_persons_accounts_and_warns_of_one_it_cannot_read(
        session: Session) -> None:
    contest, _ = make_contest(session)
    report = import_roster(session, contest=contest, staff=STAFF, relatives=RELATIVES,
                           now=OPENS)
    assert (report.staff_added, report.relatives_added, report.rejected) == (2, 1, [])
    assert [(which, error.line, error.column, error.code, error.params["value"])
            for which, error in report.warnings] == [
        ("staff", 3, "account", "invalid_account", "олга")]
    members = {m.staff_id: m.account for m in session.exec(select(StaffMember))}
    assert members == {"S1": "https://vk.com/id123456;ig:Ivan.Petrov", "S2": "олга"}
    assert session.exec(select(DeclaredRelative.account)).all() == ["tg:987654"]

    again = import_roster(session, contest=contest, staff=STAFF, relatives=RELATIVES,
                          now=OPENS)
    assert (again.staff_unchanged, again.relatives_already) == (2, 1)


def test_a_new_account_on_the_roster_is_a_new_roster(session: Session) -> None:
    """The freeze asks for a scan made with the roster on file: an account added since is a
    change (contest.draw.readiness)."""
    contest, _ = make_contest(session)
    import_roster(session, contest=contest, staff=b"staff_id,full_name\nS1,Ivan Petrov\n",
                  relatives=None, now=OPENS)
    before = roster_fingerprint(session, contest)
    report = import_roster(session, contest=contest,
                           staff=b"staff_id,full_name,account\nS1,Ivan Petrov,vk:123456\n",
                           relatives=None, now=OPENS)
    assert report.staff_updated == 1
    assert roster_fingerprint(session, contest) != before


def _scanned(session: Session, contest: Contest) -> dict[str, tuple[str, str, list[str]]]:
    scan_contest(session, contest=contest, now=LATER)
    return {item.entry.ticket: (item.flag.kind, item.flag.related_to,
                                [edge["to"] for edge in json.loads(item.flag.evidence_json)])
            for item in flag_queue(session, contest=contest)}


def test_a_scan_finds_the_entries_from_a_staff_members_account_and_a_relatives(
        session: Session) -> None:
    published = _giveaway(session)
    tickets = _read_from_vk(session, published, [
        ("Иван Петров", "vk:123456"), ("Мария Смирнова", "tg:987654"),
        ("Анна Кузнецова", "vk:555")])
    import_roster(session, contest=published.contest, staff=STAFF, relatives=RELATIVES,
                  now=OPENS)
    relative = session.exec(select(DeclaredRelative.id)).one()
    assert _scanned(session, published.contest) == {
        tickets["vk:123456"]: ("employee", "S1", ["account:vk:123456", "staff:S1"]),
        tickets["tg:987654"]: ("relative", "S2", [
            "account:tg:987654", f"relative:S2#{relative}", "staff:S2"]),
    }
