"""One social account, one person (issue 20): an account enters a contest once whatever the
route. An entry by the form giving an account and the same account read from VK are one
person's, so the later of the two is over the person limit; the same number on two networks
is two people. On SQLite and PostgreSQL, through the intake as each route takes entries."""

from datetime import timedelta

from sqlmodel import Session

from contest.entries.eligibility import EntrantKeys, apply_limits
from contest.entries.intake import Arrival, TakenEntry, take_entries
from contest.models import Channel, Entry
from contest.rules.document import Eligibility, RulesDocument
from contest.rules.versions import PublishedContest
from tests.builders import SIGNER, make_entry, make_published, rules_document
from tests.entries.builders import DURING, entrant

HOUR = timedelta(hours=1)


def _giveaway(per_person: int = 1) -> RulesDocument:
    """Rules a network's entrant can meet: no age or country to state (a read gives a name
    and an account only)."""
    return rules_document(per_person=per_person, eligibility=Eligibility(
        min_age=0, legal_min_age=0, countries=()))


def _read_from(network: Channel, published: PublishedContest, session: Session,
               account: str, name: str, at: timedelta) -> Entry:
    """The entry a network read takes for ``account``: a name and the account, keyed by it
    (as contest.sources.reading brings it in)."""
    moment = DURING + at
    [taken] = take_entries(session, signer=SIGNER, contest=published, arrivals=[Arrival(
        {"full_name": name, "account": account, "submitted_at": moment.isoformat()},
        network, moment + HOUR, idempotency_key=account)])
    assert isinstance(taken, TakenEntry), taken
    entry = session.get(Entry, taken.id)
    assert entry is not None
    session.refresh(entry)
    return entry


def test_an_account_given_on_the_form_and_read_from_vk_is_one_person(
        session: Session) -> None:
    published = make_published(session, rules=_giveaway())
    by_form = make_entry(session, published, data=entrant(account="https://vk.com/id123456"),
                         now=DURING)
    assert by_form.account == "vk:123456" and by_form.eligible
    from_vk = _read_from(Channel.VK, published, session, "vk:123456", "Аня П.", HOUR)
    session.refresh(by_form)
    assert by_form.eligible
    assert (from_vk.eligible, from_vk.reasons) == (False, ("person_limit",))


def test_the_earlier_entry_counts_whichever_route_it_came_by(session: Session) -> None:
    """Read from VK first (the repost was made first), entered by the form after: the form's
    entry is the one over the limit, and it is told so on its receipt at once."""
    published = make_published(session, rules=_giveaway())
    from_vk = _read_from(Channel.VK, published, session, "vk:123456", "Anna Petrova",
                         timedelta(0))
    by_form = make_entry(session, published, data=entrant(account="vk:123456"),
                         now=DURING + 3 * HOUR)
    session.refresh(from_vk)
    assert from_vk.eligible
    assert (by_form.eligible, by_form.reasons) == (False, ("person_limit",))


def test_an_account_ties_in_the_mailbox_the_form_gave_with_it(session: Session) -> None:
    """The account is looked up with the rest: a VK entry tied to a form entry by its account
    reaches, through that entry's mailbox, a third entry that gave no account."""
    published = make_published(session, rules=_giveaway(2))
    first = make_entry(session, published, data=entrant(phone=None, address=None), now=DURING)
    second = make_entry(session, published,
                        data=entrant(phone=None, address=None, account="vk:123456"),
                        now=DURING + HOUR)
    third = _read_from(Channel.VK, published, session, "vk:123456", "Anna", 2 * HOUR)
    for entry in (first, second):
        session.refresh(entry)
    assert [entry.reasons for entry in (first, second, third)] == [(), (), ("person_limit",)]


def test_one_number_on_two_networks_is_two_people(session: Session) -> None:
    published = make_published(session, rules=_giveaway())
    on_vk = _read_from(Channel.VK, published, session, "vk:123456", "Anna", timedelta(0))
    by_form = make_entry(session, published,
                         data=entrant(account="tg:123456"), now=DURING + HOUR)
    on_instagram = _read_from(Channel.INSTAGRAM, published, session, "ig:anna", "Anna",
                              2 * HOUR)
    session.refresh(on_vk)
    assert [entry.eligible for entry in (on_vk, by_form, on_instagram)] == [True] * 3


def test_freeing_an_account_lets_its_other_entry_count(session: Session) -> None:
    """An entry the auditor excludes uses up no allowance: the limits recounted for its
    account (and nothing else) let the same account's later entry count."""
    published = make_published(session, rules=_giveaway())
    by_form = make_entry(session, published, data=entrant(email=None, phone=None,
                                                          address=None, account="vk:777"),
                         now=DURING)
    from_vk = _read_from(Channel.VK, published, session, "vk:777", "Anna", HOUR)
    assert from_vk.reasons == ("person_limit",)
    by_form.reasons, by_form.eligible = ("employee",), False
    session.add(by_form)
    changed = apply_limits(session, contest_id=published.contest_id, rules=published.rules,
                           people=EntrantKeys.of([by_form]))
    assert changed == {from_vk.id: ()}
