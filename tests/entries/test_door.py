"""At the door (issue 21): a live entry's e-mail address must be one mail can reach
(email-validator's syntax and domain checks), and a disposable one is refused, taken or
taken as the rules' ``defences.disposable_email`` say. Entries brought in are never refused
for either."""

from dataclasses import replace
from datetime import timedelta

import pytest
from sqlmodel import Session, select

from contest.entries.intake import Arrival, TakenEntry, take_entries, take_entry
from contest.errors import EntryRejected
from contest.models import Channel, Entry
from contest.rules.document import Defences, DisposableEmail, RulesDocument
from tests.builders import SIGNER, make_published, rules_document
from tests.entries.builders import DURING, entrant
from tests.entries.test_live_checks import agreed, refusal


def guarded(disposable: DisposableEmail) -> RulesDocument:
    return replace(rules_document(), defences=Defences(disposable_email=disposable))


def test_a_disposable_address_is_refused_by_the_email_field_in_the_entrants_language(
        session: Session) -> None:
    refused = refusal(session, guarded(DisposableEmail.REFUSE),
                      entrant(email="anna@yopmail.com"), language="ru")
    [error] = refused.errors
    assert (error.field, error.code) == ("email", "disposable_email")
    assert error.text("en") == (
        "\"anna@yopmail.com\" is a disposable address (yopmail.com), which this contest does "
        "not take: enter an address you will keep, as the prize is announced to it")


@pytest.mark.parametrize("disposable", [DisposableEmail.FLAG, DisposableEmail.ALLOW])
def test_a_disposable_address_is_taken_when_the_rules_flag_or_allow_it(
        session: Session, disposable: DisposableEmail) -> None:
    rules = guarded(disposable)
    published = make_published(session, rules=rules)
    taken = take_entry(session, signer=SIGNER, contest=published, arrival=Arrival(
        entrant(email="anna@box.mailinator.com"), Channel.FORM, DURING,
        consent=agreed(rules)))
    assert taken.eligible
    assert session.exec(select(Entry.email)).all() == ["anna@box.mailinator.com"]


def test_an_address_no_mail_can_reach_is_refused_at_the_form_and_the_api(
        session: Session) -> None:
    rules = rules_document()
    published = make_published(session, rules=rules)
    for channel in (Channel.FORM, Channel.API):
        with pytest.raises(EntryRejected) as refused:
            take_entry(session, signer=SIGNER, contest=published, arrival=Arrival(
                entrant(email="anna@mail.local"), channel, DURING, consent=agreed(rules)))
        assert [(e.field, e.code, e.text()) for e in refused.value.errors] == [
            ("email", "invalid_email", "\"anna@mail.local\" is not an email address")]


def test_entries_brought_in_are_never_refused_for_their_address(session: Session) -> None:
    rules = guarded(DisposableEmail.REFUSE)
    published = make_published(session, rules=rules)
    outcomes = take_entries(session, signer=SIGNER, contest=published, arrivals=[
        Arrival(entrant(email=email, submitted_at=DURING.isoformat(), entry_id=str(number)),
                channel, DURING + timedelta(hours=1))
        for number, (email, channel) in enumerate([
            ("anna@yopmail.com", Channel.CSV), ("boris@mail.local", Channel.CSV),
            ("vera@mailinator.com", Channel.VK), ("gleb@guerrillamail.com",
                                                  Channel.INSTAGRAM)])])
    assert all(isinstance(outcome, TakenEntry) for outcome in outcomes), outcomes
    assert sorted(session.exec(select(Entry.email)).all()) == [
        "anna@yopmail.com", "boris@mail.local", "gleb@guerrillamail.com",
        "vera@mailinator.com"]
