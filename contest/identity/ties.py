"""Which shared attributes make two entries one person, and which only suggest it: the rule
the entry limits count by and the fraud scan's duplicate detector groups by.

**One person.** Two entries are one person when they share a mailbox (:func:`email_key`:
``a+2@gmail.com`` and ``A.@googlemail.com`` are one), a phone that is one person's
(:func:`phone_key`: E.164, not a placeholder such as ``+7 916 000-00-00``) or a social
account (:func:`~contest.identity.accounts.account_key`: ``vk:123456``, ``tg:987654``,
``ig:username``), transitively, whatever names, birth dates or addresses are written with
them, and whatever route each entry came by (an entry form giving the account, and the
account read from a VK post, are one person's). These are the contacts a prize is claimed
through; a rule that also asked for names alike would let anyone enter again under another
name. :func:`person_keys` gives an entry's keys and :func:`one_person` groups entries by
them:

- the entry limits (:mod:`contest.entries.eligibility`) count a person's entries by this rule
  at intake, so an entry over the limit is told so on its receipt at once (``person_limit``);
- the scan's duplicate detector (:mod:`contest.fraud.detectors`) groups entries by the same
  rule before anything else, names aside, so it ties the same entries to the same earliest
  one. Someone who enters first with another person's mailbox uses up that person's
  allowance: the owner's receipt says ``person_limit``, and the scan calls the owner's entry
  a duplicate of the first (limits on contacts nobody verifies cannot tell who wrote them;
  the owner complains, and an entry the auditor excludes uses up no allowance).

**Signals.** A device id (:data:`SIGNALS`: a browser's cookie or an app's id) and a name,
birth date and address alike (record linkage, :mod:`contest.fraud.likeness`) suggest one
person but never make one here: a family shares a computer, a cookie is cleared, two
people share a name. As Gleam and KickoffLabs treat a device or IP match, they are
evidence for a person to weigh, never a silent limit. The limits do not count them, so the
receipt says the entry is eligible; the scan ties entries by a signal only under names
alike (a device) or whole identities alike, and flags the later entry as a duplicate for the
auditor (:func:`limits_count` tells such a flag from one the limits already applied). If
the auditor confirms it, the flag's kind becomes one of the entry's reasons and the
receipt says "the same person entered again". IP addresses are not even signals: carriers
and offices put thousands behind one.

A household (:func:`household_key`) is not a person: it has its own limit.
"""

from collections.abc import Hashable, Iterable
from typing import TypeVar

from contest.identity.contacts import person_phone_key

EDITION = 3
"""The edition of who the limits count as one person: this rule and the keys it compares
(edition 1 was the intake's lower-cased mailbox, before migration 0012; edition 2 the
mailbox and phone, until the social account joined them in migration 0019). Raised with
every change to who is one person (a key's folding, :data:`PERSON_TIES`), which comes with a
migration recomputing the stored keys and recounting the limits of the contests not yet
frozen (as 0012 and 0013 do) where stored keys or verdicts change (edition 3 changed none:
see 0019). A fraud scan recounts the limits and records the edition it
did so under (:func:`contest.fraud.review.scan_contest`); the freeze waits for a scan under
this edition (:mod:`contest.draw.readiness`), so it never fixes verdicts counted by another
rule, nor an entry a recount let in that no scan has judged."""

PERSON_TIES = ("email", "phone", "account")
"""The attribute kinds that make two entries one person by themselves: a mailbox, a phone
that is one person's and a social account. The limits count by them; the scan groups by
them, names aside."""
SIGNALS = ("device",)
"""The attribute kinds that only suggest one person: the scan weighs them with names, the
limits never count them."""

Entrant = TypeVar("Entrant", bound=Hashable)


def person_keys(email_key: str | None, phone: str | None,
                default_region: str | None = None, *, account: str | None = None) -> list[str]:
    """The keys an entry is one person by: ``email:<mailbox>`` for its mailbox key (as
    :func:`~contest.identity.email_key` gives it), ``phone:<E.164>`` for its phone when the
    number is one person's (``phone:?<digits>`` for one no plan reads, kept as written:
    :func:`~contest.identity.contacts.person_phone_key`) and ``account:<network:id>`` for its
    social account, as :func:`~contest.identity.accounts.account_key` gives it (an entry
    keeps it so: ``account:vk:123456``). The participant graph names its attribute nodes
    alike."""
    keys = [f"email:{email_key}"] if email_key else []
    if phone and (number := person_phone_key(phone, default_region)):
        keys.append(f"phone:{number}")
    if account:
        keys.append(f"account:{account}")
    return keys


def one_person(entrants: Iterable[tuple[Entrant, Iterable[str]]]) -> dict[Entrant, int]:
    """Entrant → person number: entrants holding a key in common (see :func:`person_keys`)
    are one person, transitively; an entrant holding no key is a person alone. Numbers are
    small integers, one per person."""
    parent: dict[str, str] = {}

    def find(node: str) -> str:
        root = node
        while parent.setdefault(root, root) != root:
            root = parent[root]
        while parent[node] != root:
            parent[node], node = root, parent[node]
        return root

    anchors: list[tuple[Entrant, str | None]] = []
    for entrant, keys in entrants:
        anchor: str | None = None
        for key in keys:
            if anchor is None:
                anchor = find(key)
            elif (root := find(key)) != anchor:
                parent[root] = anchor
        anchors.append((entrant, anchor))
    numbers: dict[str, int] = {}
    people: dict[Entrant, int] = {}
    for entrant, anchor in anchors:
        if anchor is None:
            people[entrant] = -1 - len(people)
            continue
        root = find(anchor)
        number = numbers.get(root)
        if number is None:
            number = numbers[root] = len(numbers)
        people[entrant] = number
    return people


def limits_count(labels: Iterable[str]) -> bool:
    """Whether a tie whose evidence edges carry ``labels`` is one the entry limits count: every
    edge a shared mailbox, phone or social account. A duplicate flag resting on anything else
    (a device, a name, birth date and address alike: ``same_person``) is a signal for the
    auditor, and the entry's receipt said it was eligible."""
    found = list(labels)
    return bool(found) and all(label in PERSON_TIES for label in found)
