import gc
from datetime import datetime, timedelta
from typing import Any

import pytest
from sqlmodel import Session, func, select

from contest.entries import intake
from contest.entries.intake import Arrival, BroughtIn, TakenEntry, take_entries, take_entry
from contest.entries.tickets import TICKET_PATTERN
from contest.errors import EntryRejected, IdempotencyKeyReused, RulesChanged
from contest.models import Channel, Contest, Entry, RulesVersion
from contest.rules.document import RulesDocument
from contest.rules.versions import PublishedContest
from tests.builders import (
    OPENS,
    SIGNER,
    amend_contest,
    consent_version,
    make_contest,
    make_entry,
    make_published,
    rules_document,
)
from tests.entries.builders import DURING, entrant


def submit(session: Session, rules: RulesDocument, data: dict[str, str | None], *,
           now: datetime = DURING, key: str | None = None,
           slug: str = "winter-giveaway") -> Entry:
    """Enter ``data`` in the contest ``slug``, made with ``rules`` on first use."""
    contest = session.exec(select(Contest).where(Contest.slug == slug)).first()
    if contest is None:
        contest, version = make_contest(session, slug=slug, rules=rules)
    else:
        version = session.exec(
            select(RulesVersion).where(RulesVersion.contest_id == contest.id)).one()
    assert version is not None
    return make_entry(session, PublishedContest(contest, version, rules), data=data,
                      channel=Channel.FORM, idempotency_key=key, now=now)


def count(session: Session) -> int:
    return session.exec(select(func.count()).select_from(Entry)).one()


def test_an_eligible_entry_is_stored_with_its_ticket_and_rules(session: Session) -> None:
    rules = rules_document()
    entry = submit(session, rules, entrant(phone="8 (916) 123-45-67"))
    session.commit()
    stored = session.get(Entry, entry.id)
    assert stored is not None
    assert TICKET_PATTERN.fullmatch(stored.ticket)
    assert stored.eligible and stored.reasons == ()
    assert stored.phone == "+79161234567"
    assert stored.submitted_at == stored.received_at == DURING
    assert stored.channel == "form"


def test_the_entry_records_the_rules_version_it_was_made_under(session: Session) -> None:
    rules = rules_document()
    contest, version = make_contest(session, rules=rules)
    assert contest is not None and version is not None
    taken = take_entry(session, signer=SIGNER, contest=PublishedContest(contest, version, rules),
                       arrival=Arrival(entrant(), Channel.API, DURING,
                                       consent=consent_version(rules)))
    entry = session.get(Entry, taken.id)
    assert entry is not None
    assert (entry.rules_version_id, taken.rules_sha256) == (version.id, version.sha256)


def test_invalid_fields_store_nothing(session: Session) -> None:
    with pytest.raises(EntryRejected, match="the entry has 2 errors"):
        submit(session, rules_document(), {"full_name": "", "email": "nope"})
    assert count(session) == 0


def test_the_form_refuses_entries_before_the_opening_and_after_the_closing(
    session: Session,
) -> None:
    rules = rules_document()
    with pytest.raises(EntryRejected, match="the contest opens at 2026-12-01T09:00:00") as early:
        submit(session, rules, entrant(), now=OPENS - timedelta(minutes=1))
    assert [(e.field, e.code) for e in early.value.errors] == [("contest", "not_open_yet")]
    with pytest.raises(EntryRejected, match="the contest closed at") as late:
        submit(session, rules, entrant(), now=rules.period.closes_at)
    assert [(e.field, e.code) for e in late.value.errors] == [("contest", "closed")]
    assert count(session) == 0


def test_an_ineligible_entry_brought_in_is_kept_with_its_reasons(session: Session) -> None:
    rules = rules_document(countries=("US",))
    entry = make_entry(session, make_published(session, rules=rules),
                       data=entrant(birth_date="2010-01-01"), channel=Channel.CSV, now=DURING)
    session.commit()
    stored = session.get(Entry, entry.id)
    assert stored is not None and not stored.eligible
    assert stored.reasons == ("under_age", "country_not_allowed")


def test_a_double_submit_stores_one_entry(session: Session) -> None:
    rules = rules_document()
    first = submit(session, rules, entrant(), key="form-123")
    again = submit(session, rules, entrant(full_name=" Anna  Petrova", email="ANNA@example.ru"),
                   key="form-123", now=DURING + timedelta(seconds=2))
    session.commit()
    assert again.id == first.id and again.full_name == "Anna Petrova"
    assert count(session) == 1


def test_a_key_sent_again_with_another_entry_is_refused_and_nothing_stored(
        session: Session) -> None:
    rules = rules_document()
    first = submit(session, rules, entrant(), key="form-123")
    session.commit()
    for changed in (entrant(full_name="Changed"), entrant(phone=None),
                    entrant(device_id="another-browser"), entrant(birth_date="31.12.1990")):
        with pytest.raises(IdempotencyKeyReused, match='key "form-123" was already used'):
            submit(session, rules, changed, key="form-123", now=DURING + timedelta(seconds=2))
    session.rollback()
    assert [entry.id for entry in session.exec(select(Entry)).all()] == [first.id]


def test_the_database_decides_a_double_submit_and_the_stored_entry_is_read_only_then(
    session: Session, monkeypatch: pytest.MonkeyPatch
) -> None:
    rules = rules_document()
    looked: list[set[str]] = []
    real = intake.stored_under_keys

    def look(session: Session, *, contest_id: int, keys: set[str]) -> dict[str, Any]:
        looked.append(keys)
        return real(session, contest_id=contest_id, keys=keys)

    monkeypatch.setattr(intake, "stored_under_keys", look)
    first = submit(session, rules, entrant(), key="race")
    session.commit()
    assert looked == []  # a new key: the insert alone decides, no look-up before it
    again = submit(session, rules, entrant(), key="race")
    session.commit()
    assert again.id == first.id and looked == [{"race"}]
    assert count(session) == 1


def test_a_repeated_key_returns_its_entry_even_after_the_close_but_not_for_bad_fields(
    session: Session,
) -> None:
    rules = rules_document()
    first = submit(session, rules, entrant(), key="form-9")
    session.commit()
    after_close = rules.period.closes_at + timedelta(days=1)
    late = submit(session, rules, entrant(), key="form-9", now=after_close)
    assert late.id == first.id
    # Fields that could not have been stored are not the entry stored under the key.
    with pytest.raises(IdempotencyKeyReused):
        submit(session, rules, {"full_name": "", "email": "nope"}, key="form-9")
    with pytest.raises(IdempotencyKeyReused):
        submit(session, rules, entrant(full_name="Eve"), key="form-9", now=after_close)
    with pytest.raises(EntryRejected, match="the contest closed at"):
        submit(session, rules, entrant(), key="form-10", now=after_close)
    with pytest.raises(EntryRejected, match="the entry has 2 errors"):
        submit(session, rules, {"full_name": "", "email": "nope"}, key="form-11")
    assert count(session) == 1


def test_an_intake_bound_to_the_current_rules_refuses_replaced_ones_and_stores_nothing(
    session: Session,
) -> None:
    rules = rules_document()
    contest, first = make_contest(session, rules=rules)
    assert first is not None
    amended = rules_document(min_age=40)
    second = amend_contest(session, contest, amended)
    sent = Arrival(entrant(birth_date="1970-01-01"), Channel.API, DURING, idempotency_key="k",
                   consent=consent_version(rules))
    with pytest.raises(RulesChanged, match="the rules changed from version 1 to 2"):
        take_entry(session, signer=SIGNER, contest=PublishedContest(contest, first, rules),
                   arrival=sent,
                   only_if_current=True)
    session.rollback()
    assert count(session) == 0
    taken = take_entry(session, signer=SIGNER, contest=PublishedContest(contest, second, amended),
                       arrival=sent, only_if_current=True)
    session.commit()
    assert (taken.new, taken.eligible, taken.reasons) == (True, True, ())
    stored = session.get(Entry, taken.id)
    assert stored is not None and stored.rules_version_id == second.id
    assert (stored.ticket, taken.rules_sha256) == (taken.ticket, second.sha256)


def test_the_same_key_in_another_contest_is_another_entry(session: Session) -> None:
    rules = rules_document()
    first = submit(session, rules, entrant(), key="k")
    other = submit(session, rules, entrant(), key="k", slug="spring-giveaway")
    assert first.id != other.id and count(session) == 2


def test_entries_without_a_key_are_separate(session: Session) -> None:
    rules = rules_document(per_person=5)
    first = submit(session, rules, entrant())
    second = submit(session, rules, entrant())
    assert first.ticket != second.ticket and first.idempotency_key != second.idempotency_key
    assert count(session) == 2


def test_a_second_entry_of_one_person_gets_the_person_limit(session: Session) -> None:
    rules = rules_document(per_person=1)
    first = submit(session, rules, entrant())
    by_phone = submit(session, rules, entrant(email="other@example.ru"),
                      now=DURING + timedelta(hours=1))
    by_email = submit(session, rules, entrant(email="ANNA@example.ru", phone=None),
                      now=DURING + timedelta(hours=2))
    assert first.eligible
    assert (by_phone.eligible, by_phone.reasons) == (False, ("person_limit",))
    assert (by_email.eligible, by_email.reasons) == (False, ("person_limit",))


def test_an_entry_that_ties_two_people_together_recounts_both_of_their_entries(
        session: Session) -> None:
    # The last entry shares Anna's e-mail and Boris's phone, so the limits must also find
    # Boris's and Vera's entries through the phone, and then their e-mails: several keys of
    # one kind at once, the widened lookup.
    rules = rules_document(per_person=1)
    hour = timedelta(hours=1)
    anna = submit(session, rules, entrant(address=None))
    boris = submit(session, rules, entrant(email="boris@example.ru", phone="+7 916 000 0001",
                                           address=None), now=DURING + hour)
    vera = submit(session, rules, entrant(email="vera@example.ru", phone="+7 916 000 0001",
                                          address=None), now=DURING + 2 * hour)
    assert (anna.eligible, boris.eligible, vera.reasons) == (True, True, ("person_limit",))

    tie = submit(session, rules, entrant(phone="+7 916 000 0001", address=None),
                 now=DURING + 3 * hour)
    for entry in (anna, boris, vera):
        session.refresh(entry)
    assert anna.eligible
    assert [(e.eligible, e.reasons) for e in (boris, vera, tie)] == [
        (False, ("person_limit",))] * 3


def test_an_over_long_idempotency_key_is_refused(session: Session) -> None:
    with pytest.raises(EntryRejected, match="at most 210 are allowed"):
        submit(session, rules_document(), entrant(), key="k" * 211)


def test_a_ticket_collision_is_retried_with_a_new_ticket(
    session: Session, monkeypatch: pytest.MonkeyPatch
) -> None:
    rules = rules_document(per_person=5)
    first = submit(session, rules, entrant())
    session.commit()
    tickets = iter([first.ticket, "f" * 32])
    monkeypatch.setattr(intake, "new_ticket", lambda: next(tickets))
    second = submit(session, rules, entrant(), key="after-collision")
    session.commit()
    assert second.ticket == "f" * 32 and second.id != first.id
    assert count(session) == 2


def test_a_refusal_comes_back_without_the_frames_it_was_raised_in(session: Session) -> None:
    """An import keeps the refusal of each bad row to the end; with its traceback, a refusal
    would hold the intake's frames and through them every row of the import, in a cycle
    that only the garbage collector's full pass frees (a tenth of a large import's time)."""
    rules = rules_document()
    contest, version = make_contest(session, rules=rules)
    assert version is not None
    arrivals = [Arrival(entrant(full_name=None, email=None, phone=None), Channel.CSV, DURING),
                Arrival(entrant(), Channel.CSV, DURING)]
    gc.collect()
    gc.disable()
    try:
        outcomes = take_entries(session, signer=SIGNER,
                                contest=PublishedContest(contest, version, rules),
                                arrivals=arrivals)
        refused = outcomes[0]
        assert isinstance(refused, EntryRejected)
        assert refused.__traceback__ is None
        del arrivals, outcomes, refused
        gc.set_debug(gc.DEBUG_SAVEALL)
        gc.collect()
        left = {type(thing).__name__ for thing in gc.garbage}
    finally:
        gc.set_debug(0)
        gc.garbage.clear()
        gc.enable()
    assert not left & {"frame", "EntryRejected", "Arrival", "TakenEntry"}, "nothing of the take"


def test_an_entry_brought_in_again_is_known_by_its_key_and_read_no_further(
        session: Session) -> None:
    rules = rules_document(per_person=5)
    contest, version = make_contest(session, rules=rules)
    assert version is not None
    published = PublishedContest(contest, version, rules)
    arrivals = [Arrival(entrant(entry_id="r1", email="r1@example.ru"), Channel.CSV, DURING),
                Arrival(entrant(email="no-id@example.ru", phone=None), Channel.CSV, DURING)]
    first = take_entries(session, signer=SIGNER, contest=published, arrivals=arrivals)
    again = take_entries(session, signer=SIGNER, contest=published, arrivals=arrivals)
    assert [isinstance(outcome, TakenEntry) and outcome.new for outcome in first] == [
        True, True]
    assert again == [BroughtIn.BEFORE, BroughtIn.BEFORE]
    assert count(session) == 2
