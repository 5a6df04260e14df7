"""The contest lifecycle (issue 15, section 1): what each stage allows, and the findings of
the hostile review, each replayed against the domain on both databases."""

import hashlib
import io
import json
from datetime import timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from sqlmodel import Session, col, select

from contest.draw.bundle import build_bundle
from contest.draw.readiness import NotReady, missing_for_freeze
from contest.draw.service import (
    commit,
    freeze,
    make_draw,
    replace_winner,
    reveal,
    take_randomness,
)
from contest.draw.verify import verify_bundle
from contest.entries.csv_import import import_entries_file, public_imports
from contest.errors import AlreadyDone, InvalidInput
from contest.fraud.review import Decision, decide, scan_contest
from contest.fraud.roster import import_roster
from contest.ledger.events import moment
from contest.ledger.note import Signer
from contest.lifecycle import (
    PERMITTED,
    Action,
    Stage,
    StageForbids,
    allowed,
    markdown_table,
)
from contest.models import (
    Channel,
    Contest,
    Entry,
    FlagStatus,
    FraudFlag,
    LogEntry,
    Role,
    StaffMember,
)
from contest.randomness import RandomnessSource
from contest.randomness.drand import QUICKNET
from contest.rules.document import Exclusions, Money, Prize
from contest.rules.publishing import create_contest, publish, save_draft
from contest.rules.status import contest_stage
from contest.rules.versions import find_published
from tests.builders import SIGNER, make_entry, rules_document
from tests.draw.builders import CLOSES, DUE, FREEZE, ROUND, closed_contest, drawn
from tests.entries.builders import at, csv_bytes, entrant

DROP = {"chain_hash": QUICKNET.hash, "round": ROUND["round"], "signature": ROUND["signature"]}


@pytest.fixture
def signer(tmp_path: Path) -> Signer:
    return SIGNER  # the log's one key, as the builders' contests are sealed under it


def amend(session: Session, contest: Contest, now: object, signer: Signer, reason: str = "",
          **changes: object) -> None:
    """Publish the current rules with ``changes`` (dotted paths into the JSON data)."""
    found = find_published(session, contest)
    assert found is not None
    data = found.rules.to_data()
    for path, value in changes.items():
        *parents, last = path.split("__")
        target = data
        for part in parents:
            target = target[int(part)] if isinstance(target, list) else target[part]
        target[last] = value
    save_draft(session, contest=contest, draft=data, actor_id=None, now=now)  # type: ignore[arg-type]
    publish(session, contest=contest, actor_id=None, now=now, signer=signer,  # type: ignore[arg-type]
            reason=reason)


def logged(session: Session, kind: str) -> list[dict[str, object]]:
    leaves = [json.loads(row.leaf) for row in session.exec(
        select(LogEntry).order_by(col(LogEntry.leaf_index)))]
    return [leaf for leaf in leaves if leaf["type"] == kind]


# --- the table ------------------------------------------------------------------------------

def test_the_table_names_every_action_and_each_stage_allows_what_it_should() -> None:
    assert set(PERMITTED) == set(Action)
    assert [s for s in Stage if allowed(Action.AMEND, s)] == [
        Stage.SCHEDULED, Stage.OPEN, Stage.CLOSED]
    assert [s for s in Stage if allowed(Action.DRAW, s)] == [Stage.RANDOMNESS_TAKEN]
    assert [s for s in Stage if allowed(Action.IMPORT_ENTRIES, s)] == [
        Stage.SCHEDULED, Stage.OPEN, Stage.CLOSED]
    assert not allowed(Action.REPLACE_WINNER, Stage.DRAWN, Role.MARKETER)
    assert allowed(Action.REPLACE_WINNER, Stage.DRAWN, Role.AUDITOR)
    assert allowed(Action.REPLACE_WINNER, Stage.DRAWN, Role.ADMIN)
    assert not allowed(Action.FREEZE, Stage.CLOSED, Role.AUDITOR)
    assert not allowed(Action.FREEZE, Stage.CLOSED, None)


def test_a_contest_moves_through_every_stage_in_order(session: Session,
                                                      signer: Signer) -> None:
    contest = closed_contest(session)
    seen = [contest_stage(session, contest, CLOSES - timedelta(days=11)),
            contest_stage(session, contest, CLOSES - timedelta(days=1)),
            contest_stage(session, contest, CLOSES)]
    freeze(session, contest=contest, now=FREEZE, signer=signer)
    seen.append(contest_stage(session, contest, FREEZE))
    take_randomness(session, contest=contest, proof=DROP, now=DUE, signer=signer)
    seen.append(contest_stage(session, contest, DUE))
    make_draw(session, contest=contest, now=DUE, signer=signer)
    seen.append(contest_stage(session, contest, DUE))
    assert seen == [Stage.SCHEDULED, Stage.OPEN, Stage.CLOSED, Stage.FROZEN,
                    Stage.RANDOMNESS_TAKEN, Stage.DRAWN]


# --- Found: 2 → 5 winners after the freeze, and the draw read the current rules -------------

def test_no_amendment_after_the_freeze_and_the_draw_uses_the_frozen_version(
        session: Session, signer: Signer) -> None:
    contest = closed_contest(session)
    found = find_published(session, contest)
    assert found is not None
    more = found.rules.to_data() | {"winners": 5}
    more["prizes"][0]["quantity"] = 5
    save_draft(session, contest=contest, draft=more, actor_id=None, now=FREEZE)
    freeze(session, contest=contest, now=FREEZE, signer=signer)
    session.commit()
    with pytest.raises(StageForbids, match="cannot be amended: the contest is frozen for the"):
        publish(session, contest=contest, actor_id=None, now=FREEZE, signer=signer,
                reason="more_prizes")
    with pytest.raises(StageForbids, match="cannot be edited: the contest is frozen for the"):
        save_draft(session, contest=contest, draft=more, actor_id=None, now=FREEZE)
    session.rollback()
    take_randomness(session, contest=contest, proof=DROP, now=DUE, signer=signer)
    record = make_draw(session, contest=contest, now=DUE, signer=signer)
    session.commit()
    assert len(record.winners) == 3
    bundle = build_bundle(session, contest=contest, verifier_key=signer.verifier_key())
    verify_bundle(bundle, verifier_key=signer.verifier_key())


# --- Found: after the draw, the close moved to next year and the contest re-opened -----------

def test_after_the_draw_the_period_cannot_move_and_no_entry_is_taken(
        session: Session, signer: Signer) -> None:
    contest = drawn(session, signer)
    with pytest.raises(StageForbids, match="cannot be edited: the contest is drawn"):
        amend(session, contest, DUE + timedelta(days=1), signer, reason="extension",
              period__closes_at=(CLOSES + timedelta(days=365)).isoformat())
    session.rollback()
    assert [leaf["version"] for leaf in logged(session, "rules.amended")] == []


# --- Found: the draw did not wait for the auditor ------------------------------------------

def test_the_freeze_waits_for_a_scan_of_every_entry_and_no_open_flag(
        session: Session, signer: Signer) -> None:
    contest = closed_contest(session, reviewed=False)
    with pytest.raises(NotReady) as raised:
        freeze(session, contest=contest, now=FREEZE, signer=signer)
    assert [m.code for m in raised.value.missing] == ["no_roster", "no_scan"]

    found = find_published(session, contest)
    assert found is not None
    staff = (b"staff_id,full_name,email,phone\n"
             b"S1,Anna Smith7,p7@example.com,+12125550101\n")
    import_roster(session, contest=contest, staff=staff, relatives=None,
                  now=CLOSES, actor_id=None)
    # The employee entered as Anna Smith7 (p7@example.com): the scan flags her.
    scan_contest(session, contest=contest, now=CLOSES + timedelta(seconds=1))
    session.commit()
    missing = missing_for_freeze(session, contest, FREEZE)
    assert [m.code for m in missing] == ["open_flags"]
    assert missing[0].text() == "an auditor must confirm or dismiss 1 open flag"

    # A late import after the scan: the scan no longer covers every entry.
    rows = [entrant(entry_id="late-1", submitted_at=at(CLOSES - timedelta(minutes=5)),
                    email="late@example.com")]
    import_entries_file(session, contest=found, stream=io.BytesIO(csv_bytes(rows)),
                        now=CLOSES + timedelta(seconds=2), signer=signer)
    assert [m.code for m in missing_for_freeze(session, contest, FREEZE)] == [
        "scan_stale", "open_flags"]

    scan_contest(session, contest=contest, now=CLOSES + timedelta(seconds=3))
    flags = session.exec(select(FraudFlag).where(FraudFlag.status == FlagStatus.OPEN)).all()
    decide(session, contest=contest, flag_ids=[f.id or 0 for f in flags],
           decision=Decision.CONFIRM, reason="", actor_id=None,
           now=CLOSES + timedelta(seconds=4), signer=signer)
    assert missing_for_freeze(session, contest, FREEZE) == []
    record = freeze(session, contest=contest, now=FREEZE, signer=signer)
    assert ("employee",) in {item.reasons for item in record.excluded}


def test_a_changed_roster_needs_a_new_scan(session: Session, signer: Signer) -> None:
    contest = closed_contest(session)
    staff = session.exec(select(StaffMember)).one()
    staff.phone = "+12125550199"
    session.add(staff)
    session.flush()
    assert [m.code for m in missing_for_freeze(session, contest, FREEZE)] == ["roster_changed"]


# --- Found: disqualifying a winner ----------------------------------------------------------

def test_a_winner_is_replaced_only_with_a_reason_code_and_the_note_stays_private(
        session: Session, signer: Signer) -> None:
    contest = drawn(session, signer)
    winner = build_bundle(session, contest=contest, verifier_key=signer.verifier_key())[
        "winners"][0]
    with pytest.raises(InvalidInput, match="must be one of employee") as raised:
        replace_winner(session, contest=contest, ticket=winner, now=DUE + timedelta(days=1),
                       reason="Works at the Springfield shop, saw her badge", signer=signer)
    assert [e.code for e in raised.value.errors] == ["invalid_choice"]
    replace_winner(session, contest=contest, ticket=winner, now=DUE + timedelta(days=1),
                   reason="employee", note="Olga Ivanova, Springfield shop", signer=signer)
    session.commit()
    event = logged(session, "winner.replaced")[0]
    assert event["reason"] == "employee"
    assert "Olga" not in json.dumps([row.leaf for row in session.exec(select(LogEntry))])


# --- Found: prize, randomness and period changed once open; draw before its moment -----------

OPEN_AT = CLOSES - timedelta(days=5)


@pytest.mark.parametrize(("changes", "reason", "codes"), [
    ({"prizes__0__name": "Skateboard", "prizes__0__retail_value": {
        "amount": "20.00", "currency": "USD"}}, "prize_substitute", ["prize_cheaper"]),
    ({"prizes__0__name": "Gift card XL"}, "correction", ["substitute_undeclared"]),
    ({"prizes__0__quantity": 2, "winners": 2}, "correction", ["fewer_winners", "fewer_prizes"]),
    ({"selection__randomness": "rfc3797"}, "other", ["randomness_frozen"]),
    ({"period__closes_at": (OPEN_AT + timedelta(minutes=6)).isoformat()}, "schedule",
     ["closes_earlier"]),
    ({"period__draw_at": (DUE - timedelta(minutes=1)).isoformat()}, "schedule",
     ["draw_earlier"]),
    ({"eligibility__min_age": 21}, "other", ["eligibility_narrowed"]),
    ({"eligibility__countries": ["US"]}, "other", ["eligibility_narrowed"]),
    ({"exclusions__household": True}, "other", ["eligibility_narrowed"]),
    ({"limits__per_day": 1}, "other", ["limits_narrowed"]),
])
def test_once_open_an_amendment_can_only_be_kinder(
        session: Session, signer: Signer, changes: dict[str, object], reason: str,
        codes: list[str]) -> None:
    contest = closed_contest(session, entrants=2, reviewed=False,
                             exclusions=Exclusions(household=False))
    with pytest.raises(InvalidInput) as raised:
        amend(session, contest, OPEN_AT, signer, reason=reason, **changes)
    assert [e.code for e in raised.value.errors] == codes


def test_once_open_kinder_changes_are_published_with_their_code(
        session: Session, signer: Signer) -> None:
    contest = closed_contest(session, entrants=2, reviewed=False)
    amend(session, contest, OPEN_AT, signer, reason="prize_substitute",
          prizes__0__name="Gift card, premium",
          prizes__0__retail_value={"amount": "150.00", "currency": "USD"})
    amend(session, contest, OPEN_AT, signer, reason="extension",
          period__closes_at=(CLOSES + timedelta(days=1)).isoformat(),
          period__draw_at=(DUE + timedelta(days=1)).isoformat())
    amend(session, contest, OPEN_AT, signer, reason="more_prizes", winners=4,
          prizes__0__quantity=4)
    found = find_published(session, contest)
    assert found is not None
    assert found.rules.prizes[0] == Prize("Gift card, premium", 4,
                                          Money(Decimal("150.00"), "USD"))
    assert [leaf["reason"] for leaf in logged(session, "rules.amended")] == [
        "prize_substitute", "extension", "more_prizes"]


def test_after_the_close_nothing_that_decides_the_winners_changes(
        session: Session, signer: Signer) -> None:
    contest = closed_contest(session, entrants=2, reviewed=False)
    after = CLOSES + timedelta(seconds=5)
    with pytest.raises(InvalidInput) as raised:
        amend(session, contest, after, signer, reason="extension",
              period__closes_at=(CLOSES + timedelta(minutes=1)).isoformat(),
              eligibility__min_age=21, limits__per_person=2)
    assert [(e.field, e.code) for e in raised.value.errors] == [
        ("period.closes_at", "closed_unchangeable"), ("eligibility", "closed_unchangeable"),
        ("limits", "closed_unchangeable")]
    amend(session, contest, after, signer, reason="correction", title="Winter giveaway 2026")
    assert contest_stage(session, contest, after) == Stage.CLOSED


def test_the_draw_waits_for_the_published_draw_moment(session: Session,
                                                      signer: Signer) -> None:
    contest = closed_contest(session)
    freeze(session, contest=contest, now=FREEZE, signer=signer)
    take_randomness(session, contest=contest, proof=DROP, now=DUE, signer=signer)
    with pytest.raises(NotReady, match="the rules publish the draw for"):
        make_draw(session, contest=contest, now=DUE - timedelta(seconds=1), signer=signer)
    make_draw(session, contest=contest, now=DUE, signer=signer)


def test_announced_numbers_are_taken_only_after_they_are_published(
        session: Session, signer: Signer) -> None:
    contest = closed_contest(session, source=RandomnessSource.RFC3797)
    with pytest.raises(InvalidInput) as raised:
        freeze(session, contest=contest, now=FREEZE, signer=signer,
               announced_sources="us-ny-lotto, us-powerball")
    assert [e.code for e in raised.value.errors] == ["required"]
    with pytest.raises(InvalidInput) as raised:
        freeze(session, contest=contest, now=FREEZE, signer=signer,
               announced_sources="us-ny-lotto, us-powerball", announced_at=FREEZE)
    assert [e.code for e in raised.value.errors] == ["not_future"]
    with pytest.raises(InvalidInput) as raised:
        freeze(session, contest=contest, now=FREEZE, signer=signer, announced_at=DUE,
               announced_sources="NY lottery of 7 December; Olga is staff")
    assert [e.code for e in raised.value.errors] == ["invalid_choice"]
    publish_at = FREEZE + timedelta(days=1)
    record = freeze(session, contest=contest, now=FREEZE, signer=signer,
                    announced_sources="us-ny-lotto, us-powerball", announced_at=publish_at)
    plan = json.loads(record.randomness_plan_json)
    assert (plan["announced"], plan["due_at"]) == ("us-ny-lotto, us-powerball",
                                                   moment(publish_at))
    proof = {"sources": ["9319", "2 5 12 8 10"]}
    with pytest.raises(NotReady, match="exists only from"):
        take_randomness(session, contest=contest, proof=proof,
                        now=FREEZE + timedelta(seconds=11), signer=signer)
    take_randomness(session, contest=contest, proof=proof, now=publish_at, signer=signer)


# --- Found: the CSV import ------------------------------------------------------------------

def test_imported_rows_outside_the_period_or_in_the_future_are_ineligible_and_counted(
        session: Session, signer: Signer) -> None:
    contest = closed_contest(session, entrants=0, reviewed=False)
    found = find_published(session, contest)
    assert found is not None
    rules = found.rules
    now = CLOSES - timedelta(days=2)
    rows = [entrant(entry_id=f"in-{n}", email=f"in{n}@example.com", phone=None,
                    submitted_at=at(now - timedelta(hours=n + 1))) for n in range(3)]
    rows += [entrant(entry_id=f"early-{n}", email=f"early{n}@example.com", phone=None,
                     submitted_at=at(rules.period.opens_at - timedelta(hours=n + 1)))
             for n in range(2)]
    rows += [entrant(entry_id=f"future-{n}", email=f"future{n}@example.com", phone=None,
                     submitted_at=at(now + timedelta(hours=n + 1))) for n in range(2)]
    report = import_entries_file(session, contest=found, stream=io.BytesIO(csv_bytes(rows)),
                                 now=now, signer=signer)
    assert (report.accepted, report.eligible, report.ineligible) == (7, 3, 4)
    assert report.summary() == ("7 rows: 7 imported (3 eligible, 4 ineligible), "
                                "0 already imported, 0 fields warned about, 0 refused")
    reasons = {e.source_entry_id: e.reasons for e in session.exec(select(Entry))}
    assert reasons["early-0"] == ("outside_period",)
    assert reasons["future-0"] == ("submitted_in_future",)


def test_every_import_is_public_and_none_after_the_freeze(session: Session,
                                                          signer: Signer) -> None:
    contest = closed_contest(session, entrants=3)
    found = find_published(session, contest)
    assert found is not None
    rows = [entrant(entry_id=f"late-{n}", email=f"late{n}@example.com", phone=None,
                    submitted_at=at(CLOSES - timedelta(hours=n + 1))) for n in range(20)]
    data = csv_bytes(rows)
    import_entries_file(session, contest=found, stream=io.BytesIO(data),
                        now=CLOSES + timedelta(seconds=2), signer=signer, role="marketer")
    event = logged(session, "entries.imported")[0]
    assert event == {
        "type": "entries.imported", "contest": contest.slug,
        "file_sha256": hashlib.sha256(data).hexdigest(), "rows": 20, "accepted": 20,
        "eligible": 20, "ineligible": 0, "already_imported": 0, "rejected": 0,
        "after_close": True, "role": "marketer", "at": moment(CLOSES + timedelta(seconds=2))}
    [shown] = public_imports(session, contest)
    assert (shown.accepted, shown.after_close) == (20, True)

    scan_contest(session, contest=contest, now=CLOSES + timedelta(seconds=3))
    freeze(session, contest=contest, now=FREEZE, signer=signer)
    with pytest.raises(StageForbids, match="cannot be imported into .*: the contest is frozen"):
        import_entries_file(session, contest=found, stream=io.BytesIO(data),
                            now=FREEZE + timedelta(seconds=1), signer=signer)


# --- Free text stays out of the public log --------------------------------------------------

def test_commit_parties_are_codes_and_their_names_stay_private(session: Session,
                                                               signer: Signer) -> None:
    contest = closed_contest(session, source=RandomnessSource.COMMIT_REVEAL)
    secret = "33" * 16
    digest = hashlib.sha256(bytes.fromhex(secret)).hexdigest()
    with pytest.raises(InvalidInput, match="must be one of sponsor"):
        commit(session, contest=contest, party="Ivan Petrov, notary", digest=digest,
               now=CLOSES - timedelta(days=1), signer=signer)
    commit(session, contest=contest, party="Notary", name="Ivan Petrov", digest=digest,
           now=CLOSES - timedelta(days=1), signer=signer)
    freeze(session, contest=contest, now=FREEZE, signer=signer)
    reveal(session, contest=contest, party="notary", secret_hex=secret, now=DUE)
    with pytest.raises(AlreadyDone, match="party notary has already revealed"):
        reveal(session, contest=contest, party="notary", secret_hex=secret, now=DUE)
    take_randomness(session, contest=contest, proof={}, now=DUE, signer=signer)
    leaves = " ".join(row.leaf for row in session.exec(select(LogEntry)))
    assert '"party":"notary"' in leaves and "Petrov" not in leaves


def test_entries_for_a_contest_are_taken_only_while_open(session: Session) -> None:
    contest = closed_contest(session, entrants=1, reviewed=False)
    found = find_published(session, contest)
    assert found is not None
    with pytest.raises(InvalidInput, match="closed"):
        make_entry(session, found,
                   data={"full_name": "Late Comer", "email": "late@example.com"},
                   channel=Channel.API, idempotency_key=None, now=CLOSES)



def test_the_docs_show_the_table_the_code_enforces() -> None:
    page = (Path(__file__).resolve().parent.parent / "docs" / "LIFECYCLE.md").read_text(
        encoding="utf-8")
    assert markdown_table() in page


# --- Found by the hostile review of this issue ----------------------------------------------

def test_commitments_close_with_the_entries_and_each_role_records_its_own_parties(
        session: Session, signer: Signer) -> None:
    contest = closed_contest(session, source=RandomnessSource.COMMIT_REVEAL)
    digest = hashlib.sha256(b"\x07" * 16).hexdigest()
    open_at = CLOSES - timedelta(days=1)
    with pytest.raises(InvalidInput, match="is not a party your role records"):
        commit(session, contest=contest, party="auditor", digest=digest, now=open_at,
               signer=signer, role=Role.MARKETER)
    with pytest.raises(InvalidInput, match="is not a party your role records"):
        commit(session, contest=contest, party="sponsor", digest=digest, now=open_at,
               signer=signer, role=Role.AUDITOR)
    commit(session, contest=contest, party="sponsor", digest=digest, now=open_at,
           signer=signer, role=Role.MARKETER)
    assert [m.code for m in missing_for_freeze(session, contest, FREEZE)] == [
        "no_independent_commitment"]
    with pytest.raises(StageForbids, match="are taken before the close"):
        commit(session, contest=contest, party="witness", digest=digest, now=CLOSES,
               signer=signer, role=Role.AUDITOR)
    commit(session, contest=contest, party="witness", digest=digest, now=open_at,
           signer=signer, role=Role.AUDITOR)
    assert missing_for_freeze(session, contest, FREEZE) == []


def test_an_entry_freed_by_a_confirmation_is_scanned_before_the_freeze(
        session: Session, signer: Signer) -> None:
    contest = closed_contest(session, entrants=4, reviewed=False)
    found = find_published(session, contest)
    assert found is not None
    olga = {"full_name": "Olga Ivanova", "email": "olga@snowfall.example",
            "birth_date": "1985-02-02", "country": "US"}
    first = make_entry(session, found,
                       data=olga, channel=Channel.API, idempotency_key=None,
                       now=CLOSES - timedelta(minutes=30))
    second = make_entry(session, found,
                        data=olga | {"phone": "+12125550199"}, channel=Channel.API,
                        idempotency_key=None, now=CLOSES - timedelta(minutes=20))
    session.add(StaffMember(contest_id=contest.id or 0, staff_id="S1", full_name="Olga Ivanova",
                            email="olga@snowfall.example"))
    session.flush()
    assert not second.eligible
    scan_contest(session, contest=contest, now=CLOSES + timedelta(seconds=1))
    flags = session.exec(select(FraudFlag).where(FraudFlag.status == FlagStatus.OPEN)).all()
    flags = [f for f in flags if f.entry_id in (first.id, second.id)]
    assert {f.entry_id for f in flags} == {first.id}  # over the limit, the second is not judged
    decide(session, contest=contest, flag_ids=[f.id or 0 for f in flags],
           decision=Decision.CONFIRM, reason="", actor_id=None,
           now=CLOSES + timedelta(seconds=2), signer=signer)
    session.refresh(second)
    assert second.eligible  # the limit no longer holds it back…
    reopened = session.exec(select(FraudFlag).where(FraudFlag.status == FlagStatus.OPEN)).all()
    assert second.id in {f.entry_id for f in reopened}  # …so it was scanned at once
    assert first.id not in {f.entry_id for f in reopened}
    assert [m.code for m in missing_for_freeze(session, contest, FREEZE)] == ["open_flags"]


@pytest.mark.parametrize("first_version", [True, False])
def test_rules_cannot_open_entries_before_they_are_published(
        session: Session, signer: Signer, first_version: bool) -> None:
    contest = create_contest(session, slug="late-rules", language="en", title="Late rules",
                             actor_id=None, now=CLOSES - timedelta(days=30),
                             draft=rules_document(opens_at=CLOSES - timedelta(days=10),
                                                  closes_at=CLOSES).to_data())
    if not first_version:
        early = rules_document(opens_at=CLOSES + timedelta(days=1),
                               closes_at=CLOSES + timedelta(days=10))
        save_draft(session, contest=contest, draft=early.to_data(), actor_id=None,
                   now=CLOSES - timedelta(days=30))
        publish(session, contest=contest, actor_id=None, now=CLOSES - timedelta(days=30),
                signer=signer)
        save_draft(session, contest=contest, actor_id=None, now=CLOSES,
                   draft=rules_document(opens_at=CLOSES - timedelta(days=10),
                                        closes_at=CLOSES + timedelta(days=10)).to_data())
    with pytest.raises(InvalidInput) as raised:
        publish(session, contest=contest, actor_id=None, now=CLOSES, signer=signer)
    assert "opens_in_the_past" in [e.code for e in raised.value.errors]


def test_a_refusal_names_the_stage_in_the_persons_language() -> None:
    from contest.lifecycle import Action, Stage, StageForbids, require

    with pytest.raises(StageForbids) as caught:
        require(Action.ENTER, Stage.CLOSED, slug="winter-giveaway")
    assert caught.value.text("en").endswith("the contest is closed for entries")
    for language in ("ru", "uk"):
        text = caught.value.text(language)
        assert "closed" not in text and "entries" not in text, text
