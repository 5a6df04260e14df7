"""The participant graph: entrants, staff members and declared relatives, joined through the
normalised attributes they share.

Nodes are people (``entry:<entry_id>``, ``staff:<staff_id>``, ``relative:<key>``) and
attributes (``email:<mailbox>``, ``phone:<E.164>``, ``account:<network:id>`` such as
``account:vk:123456``, ``device:<id>``, ``household:<key>``). A social account is as strong as
a mailbox: an entry from a staff member's account, or a relative's, is theirs, and two
entries from one account are one person's (:mod:`contest.identity.ties`).
An edge joins a person to an attribute they hold, labelled with the
attribute's kind; ``declared_relative`` joins a relative to their staff member, and
``same_person`` joins two people whose names match under transliteration and name order and
whose birth dates are equal (or who share a contact as well).

Only attributes that two or more people hold become nodes, so a million entrants who share
nothing cost nothing: the graph holds just the connections worth explaining.

IP addresses are not attributes: carriers and offices put thousands behind one, so a shared
IP is never evidence enough, and no flag rests on one; joining a million entrants through
their carriers' addresses would only cost time.
"""

import re
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from functools import cached_property

import networkx as nx

from contest.fraud.likeness import Identity, identity
from contest.fraud.names import NameKey, name_key, name_similarity, surname_stems
from contest.fraud.people import Person, PersonKind
from contest.identity.accounts import person_account_key
from contest.identity.addresses import household_key, place_key
from contest.identity.contacts import (
    device_key,
    email_key,
    person_phone_key,
    written_email_key,
)

STRONG = ("email", "phone", "account", "device")
"""Attributes that tie one person to another by themselves: a mailbox, a phone, a social
account, a device."""
KINDS = (*STRONG, "household")
"""Every attribute kind, in the order a profile lists them."""
# Names at least this similar are the same name (typos, transliteration, name order).
SAME_NAME = 0.85

_NOT_DIGIT = re.compile(r"\D")
_NUMBER = re.compile(r"\d+")
_NOT_WORD = re.compile(r"[\W_]")
_PLAIN_PHONE = re.compile(r"[\d\s()+./-]*\d")
_ACCOUNT_PARTS = re.compile(r"[:/]")


@dataclass
class Profile:
    """A person with the attributes others may share normalised, as the detectors compare
    them; the name is parsed when a detector first asks for it. Read-only once made (not
    frozen: a million are made in a scan, and a frozen one takes three times as long)."""

    person: Person
    attributes: tuple[tuple[str, str], ...]
    """``(kind, value)`` pairs: e-mail keys, E.164 phones, social accounts, device, household —
    only those that someone else's may equal (see :func:`profiles`)."""
    own_contacts: bool
    """Whether the person holds a mailbox, phone, account or device that no one else's can
    equal."""
    node: str
    """``person.node``, kept: the detectors look people up by it millions of times."""

    @cached_property
    def name(self) -> NameKey:
        return name_key(self.person.full_name)

    @cached_property
    def surnames(self) -> frozenset[str]:
        return surname_stems(self.name)

    def identity(self) -> Identity:
        """Name, birth date, address and contacts, for :mod:`.likeness`."""
        contacts = {f"{kind}:{value}" for kind, value in self.attributes if kind in STRONG}
        if self.own_contacts:
            contacts.add(f"own:{self.node}")
        return identity(self.person, frozenset(contacts))

    def values(self, kind: str) -> list[str]:
        return [value for k, value in self.attributes if k == kind]


Rough = list[tuple[int | None, str, str]]
"""One person's ``(code, kind, value)`` triples (see :func:`_rough`)."""


def _rough(person: Person) -> Rough:
    """``(code, kind, value)`` for each attribute value of ``person``: ``code`` hashes the
    kind and a rough key of the value. Two values with one normalised key always have one
    rough key (the rough key keeps less), so a value whose code no one else holds need not
    be normalised: it can meet no one. A code of None means "cannot tell cheaply": such
    values are always normalised. (Two rough keys of one hash only cost a normalisation.)"""
    found: Rough = []
    for email in person.emails:
        login = email.lower().rsplit("@", 1)[0].rsplit("<", 1)[-1].rsplit(":", 1)[-1]
        found.append((hash(("email", _NOT_WORD.sub("", login.split("+", 1)[0]))), "email",
                      email))
    for phone in person.phones:
        # The last digits of a plainly written number are its subscriber's; an extension
        # ("доб. 12", "x12") would end the digits instead.
        plain = _PLAIN_PHONE.fullmatch(phone) is not None
        found.append((hash(("phone", _NOT_DIGIT.sub("", phone)[-7:])) if plain else None,
                      "phone", phone))
    for account in person.accounts:
        found.append((hash(("account", _rough_account(account))), "account", account))
    if person.device_id:
        found.append((hash(("device", person.device_id.strip().casefold())), "device",
                      person.device_id))
    if person.address:
        home = _rough_home(person)
        found.append((hash(("household", home)) if home else None, "household", ""))
    return found


def _rough_account(account: str) -> str:
    """The last part of an account, case folded, with no ``@`` or ``id`` before it:
    ``vk:123``, ``https://vk.com/id123/`` and ``123`` are all ``123``, ``ig:@Brand.Fan``
    ``brand.fan``; every spelling of one account (and one written as it was) has one."""
    last = _ACCOUNT_PARTS.split("".join(account.split()).casefold().rstrip("/"))[-1]
    return last.removeprefix("@").removeprefix("id")


def _rough_home(person: Person) -> str | None:
    """The place (when the person's own fields tell it) and the numbers of the address:
    the household key holds both (numbers of five digits or more may be a postal code it
    leaves out). None when the city may be written inside the address.

    :func:`~contest.identity.addresses.place_key` is asked only what the place depends on (the
    ZIP code in the United States, else the city), so that its cache serves the many
    entrants of one city whatever their postal codes."""
    country = person.country.strip().upper()
    if country == "US" and _NOT_WORD.sub("", person.postal_code):
        place = place_key("", person.postal_code, country)
    elif person.city.strip():
        place = place_key(person.city, "", country)
    else:
        return None
    numbers = sorted(number for number in _NUMBER.findall(person.address) if len(number) <= 4)
    return f"{place}|{' '.join(numbers)}"


def _exact(kind: str, value: str, person: Person, region: str | None) -> str | None:
    # A contact no rule reads still matches itself as written (a roster's mistyped phone).
    if kind == "email":
        return email_key(value) or written_email_key(value)
    if kind == "phone":
        return person_phone_key(value, region)
    if kind == "account":
        return person_account_key(value)
    if kind == "device":
        return device_key(value)
    return household_key(person.address, person.city, person.postal_code, person.country)


def _counted(rough: Iterable[Rough]) -> set[int]:
    """The codes of rough keys seen twice or more."""
    counts = Counter(code for found in rough for code, _, _ in found if code is not None)
    return {code for code, count in counts.items() if count > 1}


def profiles(people: Sequence[Person], default_region: str | None = None,
             progress: Callable[[int, int], None] | None = None) -> list[Profile]:
    """Profiles of ``people`` (phones in each one's own country, else the default).

    Normalising every value of a million entrants would cost most of a scan, and most values
    are held by one person only. So each value gets a cheap rough key first (:func:`_rough`)
    and only values whose rough key two people hold are normalised; a value alone under its
    rough key cannot equal anyone's, whatever its normal form.

    (Sharing this work with a forked process was tried: on two cores the halves ran no
    faster than the whole, as every page the two touched was copied.)"""
    total = len(people)
    rough = [_rough(person) for person in people]
    twice = _counted(rough)
    result: list[Profile] = []
    for done, (person, found) in enumerate(zip(people, rough, strict=True), start=1):
        attributes: list[tuple[str, str]] = []
        own = False
        for code, kind, value in found:
            if code is not None and code not in twice:
                own = own or kind in STRONG
            elif exact := _exact(kind, value, person, person.country or default_region):
                attributes.append((kind, exact))
        result.append(Profile(person, tuple(dict.fromkeys(attributes)) if attributes else (),
                              own, person.node))
        if progress is not None and (done % 10_000 == 0 or done == total):
            progress(done, total)
    return result


def profile(person: Person, default_region: str | None = None) -> Profile:
    """One person's profile with every attribute normalised (none left out as unshared)."""
    region = person.country or default_region
    attributes = [(kind, exact) for _, kind, value in _rough(person)
                  if (exact := _exact(kind, value, person, region))]
    return Profile(person, tuple(dict.fromkeys(attributes)), False, person.node)


def same_name(a: Profile, b: Profile) -> float:
    """How alike two people's names are, in [0, 1] (0 when either has none)."""
    if not a.name.tokens or not b.name.tokens:
        return 0.0
    return name_similarity(a.name, b.name)


class ParticipantGraph:
    """The graph, and indexes from each attribute value to the people holding it."""

    def __init__(self, profiles: Iterable[Profile]) -> None:
        self.profiles: dict[str, Profile] = {}
        self.holders: dict[tuple[str, str], list[str]] = defaultdict(list)
        for item in profiles:
            self.profiles[item.node] = item
            for attribute in item.attributes:
                self.holders[attribute].append(item.node)
        self.graph: nx.Graph[str] = nx.Graph()
        for (kind, value), nodes in self.holders.items():
            if len(nodes) < 2:
                continue
            shared = f"{kind}:{value}"
            self.graph.add_node(shared, kind=kind)
            for node in nodes:
                self._add_person(node)
                self.graph.add_edge(node, shared, label=kind)
        for item in self.profiles.values():
            if item.person.kind == PersonKind.RELATIVE and item.person.staff_id:
                staff = f"{PersonKind.STAFF.value}:{item.person.staff_id}"
                self._add_person(item.node)
                self._add_person(staff)
                self.graph.add_edge(item.node, staff, label="declared_relative",
                                    relation=item.person.relation)

    def _add_person(self, node: str) -> None:
        if node not in self.graph:
            item = self.profiles.get(node)
            self.graph.add_node(node, kind=node.split(":", 1)[0],
                                name=item.person.full_name if item else "")

    def sharing(self, item: Profile, kinds: Sequence[str] = STRONG) -> list[tuple[str, str]]:
        """``(other person, attribute node)`` for everyone sharing one of ``item``'s attributes
        of the given kinds."""
        found: list[tuple[str, str]] = []
        for kind, value in item.attributes:
            if kind not in kinds:
                continue
            for other in self.holders.get((kind, value), ()):
                if other != item.node:
                    found.append((other, f"{kind}:{value}"))
        return found

    def link_same_person(self, a: str, b: str, score: float) -> None:
        self._add_person(a)
        self._add_person(b)
        self.graph.add_edge(a, b, label="same_person", score=round(score, 3))

    def evidence(self, path: Sequence[str]) -> list[dict[str, str]]:
        """The labelled edges along ``path`` (consecutive nodes of the graph)."""
        edges = []
        for a, b in zip(path, path[1:], strict=False):
            label = self.graph.edges[a, b]["label"] if self.graph.has_edge(a, b) else "related"
            edges.append({"from": a, "to": b, "label": label})
        return edges
