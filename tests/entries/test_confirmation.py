"""E-mail confirmation of entries (the rules' ``defences.confirm_email``): who is asked, the
link's key, confirming once, the mails' limit, and the close, which the freeze applies with
the public log's consent."""

from datetime import timedelta

import pytest
from sqlmodel import Session, col, select

from contest.draw.results import excluded_by_reason
from contest.draw.service import freeze
from contest.entries.confirmation import (
    MAILS_PER_WINDOW,
    WINDOW,
    Confirmed,
    asks,
    confirm,
    confirmation_key,
    confirmation_message,
    is_confirmation_key,
    mails_left,
    waiting,
)
from contest.entries.eligibility import Reason
from contest.errors import EntryRejected
from contest.ledger.logged_entries import logged_entries
from contest.models import Channel, ConfirmationMail, Entry, EntryConfirmation
from contest.rules.document import Defences, RulesDocument
from contest.rules.versions import PublishedContest, find_published
from tests.builders import OPENS, SIGNER, make_contest, make_entry, rules_document
from tests.draw.builders import CLOSES, FREEZE, closed_contest, review

SECRET = b"s" * 32
ASKED = rules_document(defences=Defences(confirm_email=True))
ANNA = {"full_name": "Anna Smith", "email": "anna@example.com", "birth_date": "1990-04-12",
        "country": "US"}
DURING = OPENS + timedelta(hours=5)


def _published(session: Session, rules: RulesDocument = ASKED) -> PublishedContest:
    contest, _version = make_contest(session, rules=rules)
    found = find_published(session, contest)
    assert found is not None
    return found


def test_the_key_is_bound_to_its_ticket_and_the_secret() -> None:
    key = confirmation_key("ab" * 16, SECRET)
    assert len(key) == 32 and is_confirmation_key("ab" * 16, key, SECRET)
    assert not is_confirmation_key("cd" * 16, key, SECRET)
    assert not is_confirmation_key("ab" * 16, key, b"t" * 32)
    assert not is_confirmation_key("ab" * 16, key[:-1] + "0" if key[-1] != "0" else key[:-1]
                                   + "1", SECRET)
    assert not is_confirmation_key("ab" * 16, "ключ", SECRET)
    assert not is_confirmation_key("\udcff", "\udcff", SECRET), "a lone surrogate fails no page"


def test_a_live_entry_waits_and_one_brought_in_or_from_telegram_does_not(
        session: Session) -> None:
    contest = _published(session)
    by_form = make_entry(session, contest, data=ANNA, now=DURING)
    by_api = make_entry(session, contest, data=ANNA | {"email": "bob@example.com",
                                                       "full_name": "Bob Brown"},
                        now=DURING, channel=Channel.API)
    from_file = make_entry(session, contest, data=ANNA | {"email": "cat@example.com",
                                                          "full_name": "Cat Black",
                                                          "submitted_at": DURING.isoformat()},
                           now=DURING, channel=Channel.CSV)
    assert by_form.id and by_api.id and from_file.id
    assert waiting(session, by_form.id) and waiting(session, by_api.id)
    assert session.get(EntryConfirmation, from_file.id) is None
    assert by_form.eligible, "it counts until the close says otherwise"


def test_without_the_option_nobody_is_asked(session: Session) -> None:
    contest = _published(session, rules_document())
    entry = make_entry(session, contest, data=ANNA, now=DURING)
    assert entry.id and session.get(EntryConfirmation, entry.id) is None


def test_a_live_entry_without_an_address_is_refused_saying_why(session: Session) -> None:
    contest = _published(session)
    with pytest.raises(EntryRejected) as refused:
        make_entry(session, contest, data=ANNA | {"email": None, "phone": "+12125550123"},
                   now=DURING)
    [error] = [e for e in refused.value.errors if e.field == "email"]
    assert error.code == "required_to_confirm"
    assert "confirm their e-mail address" in error.text("en")


def test_the_link_confirms_once_and_not_after_the_close(session: Session) -> None:
    contest = _published(session)
    entry = make_entry(session, contest, data=ANNA, now=DURING)
    assert entry.id is not None
    moment = DURING + timedelta(minutes=3)
    assert confirm(session, entry=entry, rules=ASKED, now=moment) == Confirmed.NOW
    assert confirm(session, entry=entry, rules=ASKED, now=moment + timedelta(hours=1)) \
        == Confirmed.BEFORE
    found = session.get(EntryConfirmation, entry.id)
    assert found is not None and found.confirmed_at == moment
    late = make_entry(session, contest, data=ANNA | {"email": "bob@example.com",
                                                     "full_name": "Bob Brown"}, now=DURING)
    assert confirm(session, entry=late, rules=ASKED,
                   now=ASKED.period.closes_at) == Confirmed.TOO_LATE
    assert late.id and waiting(session, late.id)


def test_mails_are_limited_in_any_hour(session: Session) -> None:
    contest = _published(session)
    entry = make_entry(session, contest, data=ANNA, now=DURING)
    assert entry.id is not None
    for minute in range(MAILS_PER_WINDOW):
        session.add(ConfirmationMail(entry_id=entry.id,
                                     sent_at=DURING + timedelta(minutes=minute * 10)))
    session.flush()
    now = DURING + timedelta(minutes=25)
    assert mails_left(session, entry_id=entry.id, now=now) == (0, DURING + WINDOW)
    assert mails_left(session, entry_id=entry.id, now=DURING + WINDOW) == (1, None)


def test_the_mail_names_the_contest_and_holds_the_link() -> None:
    message = confirmation_message(to="anna@example.com", language="en",
                                   contest_title="Winter\r\nBcc: x@example.com giveaway",
                                   ticket="ab" * 16, link="https://c.example/confirm/ab/k",
                                   closes_at="2026-12-31 23:59 UTC")
    assert message["Subject"] == 'Confirm your entry in "Winter Bcc: x@example.com giveaway"'
    assert message["Bcc"] is None
    body = message.get_content()
    assert "https://c.example/confirm/ab/k" in body and "2026-12-31 23:59 UTC" in body
    assert "open this link and press the button on its page" in body, "opening alone is not enough"


def test_the_freeze_leaves_out_entries_unconfirmed_at_the_close_and_the_log_agrees(
        session: Session) -> None:
    contest = closed_contest(session, entrants=10, defences=Defences(confirm_email=True))
    found = find_published(session, contest)
    assert found is not None
    asked = session.exec(select(Entry).join(
        EntryConfirmation, col(EntryConfirmation.entry_id) == col(Entry.id))
        .order_by(col(Entry.id))).all()
    assert len(asked) == 9, "the nine API entrants; the CSV one was not asked"
    confirmed = asked[:5]
    for entry in confirmed:
        assert confirm(session, entry=entry, rules=found.rules,
                       now=CLOSES - timedelta(minutes=1)) == Confirmed.NOW
    session.commit()
    record = freeze(session, contest=contest, now=FREEZE, signer=SIGNER)
    unconfirmed = {entry.ticket for entry in asked[5:]}
    assert sorted(record.tickets) == sorted(entry.ticket for entry in confirmed)
    excluded = {item.ticket: item.reasons for item in record.excluded}
    assert all(excluded[ticket] == (Reason.UNCONFIRMED.value,) for ticket in unconfirmed)
    logged = logged_entries(session, contest=contest.slug)
    assert all(logged.reasons[ticket] == frozenset({"unconfirmed"}) for ticket in unconfirmed)
    assert excluded_by_reason(record) == {"under_age": 1, "unconfirmed": 4}, "the public counts"


def test_an_entry_left_out_unconfirmed_frees_the_allowance_of_its_entrants_other_entry(
        session: Session) -> None:
    contest = closed_contest(session, entrants=0, reviewed=False,
                             defences=Defences(confirm_email=True))
    found = find_published(session, contest)
    assert found is not None
    same = {"full_name": "Olena Koval", "birth_date": "1991-02-03", "country": "US",
            "phone": "+12125550177"}
    first = make_entry(session, found, data=same | {"email": "olena@example.com"},
                       now=CLOSES - timedelta(hours=3), channel=Channel.API)
    second = make_entry(session, found, data=same | {"email": "o.koval@example.com"},
                        now=CLOSES - timedelta(hours=2), channel=Channel.API)
    assert second.reasons == (Reason.PERSON_LIMIT.value,), "one entry a person"
    assert confirm(session, entry=second, rules=found.rules,
                   now=CLOSES - timedelta(hours=1)) == Confirmed.NOW
    session.commit()
    review(session, contest)
    record = freeze(session, contest=contest, now=FREEZE, signer=SIGNER)
    assert list(record.tickets) == [second.ticket]
    logged = logged_entries(session, contest=contest.slug)
    assert logged.reasons[first.ticket] == frozenset({"unconfirmed"})
    assert logged.reasons[second.ticket] == frozenset()


def test_only_the_form_and_the_api_are_asked_telegram_vouches_for_its_own() -> None:
    asked = {channel for channel in Channel if asks(ASKED, channel)}
    assert asked == {Channel.FORM, Channel.API}
    assert not any(asks(rules_document(), channel) for channel in Channel)
