"""Filing, answering and extending complaints; the queue, the figures and the public log."""

import json
from datetime import date, timedelta

import pytest
from sqlmodel import Session, select

from contest.complaints.desk import (
    answer,
    contest_of,
    extend,
    extensions_of,
    file_complaint,
    find_by_key,
    find_complaint,
    named_winners,
    needs_recheck,
    public_answers,
    queue,
    recheck_result,
    recheck_winners,
    summary,
)
from contest.complaints.kinds import Kind
from contest.draw.service import current_winners, find_draw
from contest.errors import AlreadyDone, InvalidInput, NotFound
from contest.ledger.store import log_size, read_entries
from contest.models import AuditRecord, Complaint, ComplaintStatus, Contest
from contest.rules.document import ComplaintChannel, RulesDocument
from contest.rules.versions import find_published
from tests.builders import OPENS, SIGNER, make_contest, rules_document
from tests.draw.builders import drawn
from tests.review.builders import contest_with_roster

# A Wednesday, 10:00 UTC; the test rules count business days in UTC with Russia's holidays.
WEDNESDAY = OPENS + timedelta(days=1, hours=1)
COMPLAINT = {"contact": "anna@example.com", "kind": "not_included",
             "text": "I entered on Monday and my entry is not on the list."}


def events(session: Session) -> list[dict[str, object]]:
    return [json.loads(row.leaf) for row in read_entries(session, 0, log_size(session))]


def open_contest(session: Session, days: int = 1) -> tuple[Contest, RulesDocument]:
    rules = rules_document(complaints=ComplaintChannel("complaints@snowfall.example", days))
    contest, _ = make_contest(session, rules=rules)
    return contest, rules


def file(session: Session, contest: Contest, rules: RulesDocument, **data: str) -> Complaint:
    complaint = file_complaint(session, contest=contest, rules=rules,
                               data=COMPLAINT | data, language="en", now=WEDNESDAY,
                               signer=SIGNER)
    session.commit()
    return complaint


def test_a_complaint_gets_a_number_a_deadline_and_a_logged_acknowledgement(
        session: Session) -> None:
    contest, rules = open_contest(session)
    first = file(session, contest, rules)
    second = file(session, contest, rules, kind="other", text="The form was slow.")
    assert (first.number, second.number) == (1, 2)
    assert first.received_at == WEDNESDAY
    assert first.due_at.isoformat() == "2026-12-03T23:59:59+00:00"  # end of Thursday
    assert first.first_due_at == first.due_at
    assert first.status == ComplaintStatus.OPEN and first.key != second.key
    assert find_by_key(session, first.key).number == 1
    acknowledged = [e for e in events(session) if e["type"] == "complaint.acknowledged"]
    assert acknowledged[0] == {
        "type": "complaint.acknowledged", "contest": contest.slug, "number": 1,
        "kind": "not_included", "received_at": "2026-12-02T10:00:00Z",
        "due_at": "2026-12-03T23:59:59Z", "at": "2026-12-02T10:00:00Z"}
    assert "anna@example.com" not in json.dumps(events(session))


def test_the_rules_response_time_counts_business_days(session: Session) -> None:
    contest, rules = open_contest(session, days=3)
    complaint = file(session, contest, rules)
    assert complaint.due_at.date() == date(2026, 12, 7)  # Thursday, Friday, Monday


def test_every_wrong_field_is_named_at_once(session: Session) -> None:
    contest, rules = open_contest(session)
    with pytest.raises(InvalidInput) as caught:
        file_complaint(session, contest=contest, rules=rules, data={
            "contact": "anna@", "ticket": "not-a-ticket", "kind": "rigged", "text": " "},
            language="en", now=WEDNESDAY, signer=SIGNER)
    assert {(e.field, e.code) for e in caught.value.errors} == {
        ("contact", "invalid_email"), ("ticket", "invalid_ticket"), ("kind", "unknown_kind"),
        ("text", "required")}
    russian = {e.field: e.text("ru") for e in caught.value.errors}
    assert russian["kind"].startswith("«rigged» — не вид жалобы")
    with pytest.raises(InvalidInput) as caught:
        file_complaint(session, contest=contest, rules=rules, data={
            "contact": 5, "ticket": "0" * 32, "kind": "other", "text": "x" * 5001},
            language="en", now=WEDNESDAY, signer=SIGNER)
    assert {(e.field, e.code) for e in caught.value.errors} == {
        ("contact", "not_a_string"), ("contact", "required"),
        ("ticket", "unknown_ticket"), ("text", "too_long")}
    assert session.exec(select(Complaint)).all() == []


def test_a_contact_may_be_a_phone_or_a_profile(session: Session) -> None:
    contest, rules = open_contest(session)
    assert file(session, contest, rules, contact="+7 916 123-45-67").number == 1
    assert file(session, contest, rules, contact="@anna_k on Instagram").number == 2


def test_an_answer_is_logged_with_whether_it_was_on_time(session: Session) -> None:
    contest, rules = open_contest(session)
    complaint = file(session, contest, rules)
    late = complaint.due_at + timedelta(minutes=1)
    answer(session, contest=contest, complaint=complaint, text="Your entry is number 12.",
           public=False, actor_id=None, now=late, signer=SIGNER)
    session.commit()
    answered = [e for e in events(session) if e["type"] == "complaint.answered"]
    assert answered == [{
        "type": "complaint.answered", "contest": contest.slug, "number": 1,
        "kind": "not_included", "received_at": "2026-12-02T10:00:00Z",
        "first_due_at": "2026-12-03T23:59:59Z", "due_at": "2026-12-03T23:59:59Z",
        "on_time": False, "public": False, "at": "2026-12-04T00:00:59Z"}]
    with pytest.raises(AlreadyDone, match="already answered"):
        answer(session, contest=contest, complaint=complaint, text="Again", public=True,
               actor_id=None, now=late, signer=SIGNER)
    with pytest.raises(InvalidInput):
        answer(session, contest=contest, complaint=file(session, contest, rules), text="  ",
               public=True, actor_id=None, now=late, signer=SIGNER)


def test_an_extension_needs_a_later_date_and_a_reason(session: Session) -> None:
    contest, rules = open_contest(session)
    complaint = file(session, contest, rules)
    moment = WEDNESDAY + timedelta(hours=2)
    with pytest.raises(InvalidInput) as caught:
        extend(session, contest=contest, complaint=complaint, until=date(2026, 12, 8),
               timezone="UTC", reason="", actor_id=None, now=moment, signer=SIGNER)
    assert caught.value.errors[0].field == "reason"
    with pytest.raises(InvalidInput) as caught:
        extend(session, contest=contest, complaint=complaint, until=date(2026, 12, 3),
               timezone="UTC", reason="We ask the courier", actor_id=None, now=moment,
               signer=SIGNER)
    assert caught.value.errors[0].code == "not_later"
    extend(session, contest=contest, complaint=complaint, until=date(2026, 12, 8),
           timezone="UTC", reason="We ask the courier", actor_id=None, now=moment,
           signer=SIGNER)
    session.commit()
    assert complaint.due_at.isoformat() == "2026-12-08T23:59:59+00:00"
    assert complaint.first_due_at.isoformat() == "2026-12-03T23:59:59+00:00"
    assert [x.reason for x in extensions_of(session, complaint)] == ["We ask the courier"]
    extended = [e for e in events(session) if e["type"] == "complaint.extended"]
    assert extended[0]["due_at"] == "2026-12-08T23:59:59Z"
    assert "courier" not in json.dumps(events(session))
    # Answered after the first deadline but before the moved one: on time, and it shows.
    answer(session, contest=contest, complaint=complaint, text="Delivered.", public=True,
           actor_id=None, now=WEDNESDAY + timedelta(days=4), signer=SIGNER)
    answered = [e for e in events(session) if e["type"] == "complaint.answered"][0]
    assert answered["on_time"] is True
    assert answered["first_due_at"] != answered["due_at"]


def test_the_queue_puts_the_nearest_deadline_first_and_marks_overdue(session: Session) -> None:
    contest, rules = open_contest(session, days=2)
    first = file(session, contest, rules)
    extend(session, contest=contest, complaint=first, until=date(2026, 12, 20),
           timezone="UTC", reason="Waiting for the courier", actor_id=None, now=WEDNESDAY,
           signer=SIGNER)
    second = file(session, contest, rules, kind="other")
    after = second.due_at + timedelta(seconds=1)
    items = queue(session, contest=contest, now=after)
    assert [item.complaint.number for item in items] == [2, 1]
    assert [item.overdue for item in items] == [True, False]
    answer(session, contest=contest, complaint=second, text="Sorry.", public=True,
           actor_id=None, now=after, signer=SIGNER)
    assert [i.complaint.number for i in queue(session, contest=contest, now=after)] == [1]
    assert [i.complaint.number for i in queue(session, contest=contest, now=after,
                                              status=None)] == [2, 1]


def test_the_public_summary(session: Session) -> None:
    contest, rules = open_contest(session)
    complaints = [file(session, contest, rules) for _ in range(4)]
    for complaint, hours in zip(complaints[:3], (2, 6, 100), strict=True):
        answer(session, contest=contest, complaint=complaint, text="Answered.",
               public=hours == 2, actor_id=None, now=WEDNESDAY + timedelta(hours=hours),
               signer=SIGNER)
    session.commit()
    figures = summary(session, contest=contest, now=WEDNESDAY + timedelta(days=10))
    assert (figures.received, figures.answered, figures.answered_on_time) == (4, 3, 2)
    assert (figures.open, figures.overdue) == (1, 1)
    assert figures.median_response == timedelta(hours=6)
    assert [c.number for c in public_answers(session, contest=contest)] == [1]
    empty, _ = make_contest(session, slug="quiet")
    assert summary(session, contest=empty, now=WEDNESDAY).median_response is None


def test_a_complaint_about_a_winner_before_the_draw_rechecks_the_named_ticket(
        session: Session) -> None:
    contest, tickets = contest_with_roster(session)
    found = find_published(session, contest)
    assert found is not None
    complaint = file(session, contest, found.rules, kind="winner_staff_or_proxy",
                     text=f"Ticket {tickets['proxy'].upper()} is the manager's wife!")
    assert needs_recheck(complaint)
    assert named_winners(session, contest=contest, complaint=complaint) == [tickets["proxy"]]
    result = recheck_winners(session, contest=contest, complaint=complaint, now=WEDNESDAY)
    session.commit()
    assert [item["ticket"] for item in result] == [tickets["proxy"]]
    assert [flag["kind"] for flag in result[0]["flags"]] == ["proxy"]  # type: ignore[index]
    assert recheck_result(complaint) == result and not needs_recheck(complaint)
    assert session.exec(select(AuditRecord).where(
        AuditRecord.action == "complaint.rechecked")).one().subject == f"{contest.slug}#1"


def test_a_complaint_about_the_winners_after_the_draw_rechecks_each_current_winner(
        session: Session) -> None:
    contest = drawn(session, SIGNER)
    found = find_published(session, contest)
    record = find_draw(session, contest)
    assert found is not None and record is not None
    winners = current_winners(session, record)
    complaint = file_complaint(session, contest=contest, rules=found.rules, data={
        "contact": "x@example.com", "kind": "winner_staff_or_proxy",
        "text": "The winners are all from the office."}, language="ru",
        now=record.drawn_at or WEDNESDAY, signer=SIGNER)
    assert named_winners(session, contest=contest, complaint=complaint) == winners
    complaint.text += f" Especially {winners[1]}."
    assert named_winners(session, contest=contest, complaint=complaint) == [winners[1]]
    result = recheck_winners(session, contest=contest, complaint=complaint,
                             now=record.drawn_at or WEDNESDAY)
    assert [item["ticket"] for item in result] == [winners[1]]
    # The builder's entrants "Anna Smith1", "Anna Smith11"… share a birth date: whatever the
    # scan says of the winner is attached, and only that.
    assert all(flag["entry_id"] == winners[1]
               for flag in result[0]["flags"])  # type: ignore[attr-defined]
    assert recheck_result(complaint) == result


def test_complaints_are_per_contest(session: Session) -> None:
    contest, rules = open_contest(session)
    other, _ = make_contest(session, slug="spring", rules=rules)
    file(session, contest, rules)
    assert file(session, other, rules).number == 1
    with pytest.raises(NotFound):
        find_complaint(session, contest=other, number=2)
    with pytest.raises(NotFound):
        find_by_key(session, "nope")
    complaint = file(session, other, rules)
    assert contest_of(session, find_by_key(session, complaint.key)) == other
    assert Kind("other") == Kind.OTHER


def test_the_median_response_of_an_even_count_is_the_mean_of_the_middle_two(
        session: Session) -> None:
    contest, rules = open_contest(session)
    for hours in (2, 6, 100, 7):
        complaint = file(session, contest, rules)
        answer(session, contest=contest, complaint=complaint, text="Answered.", public=False,
               actor_id=None, now=WEDNESDAY + timedelta(hours=hours), signer=SIGNER)
    figures = summary(session, contest=contest, now=WEDNESDAY + timedelta(days=10))
    assert figures.median_response == timedelta(hours=6, minutes=30)
