"""The participant graph: entrants, staff members and declared relatives, joined through the
normalised attributes they share.

Nodes are people (``entry:<entry_id>``, ``staff:<staff_id>``, ``relative:<key>``) and
attributes (``email:<mailbox>``, ``phone:<E.164>``, ``device:<id>``, ``household:<key>``,
``ip:<address>``). An edge joins a person to an attribute they hold, labelled with the
attribute's kind; ``declared_relative`` joins a relative to their staff member, and
``same_person`` joins two people whose names match under transliteration and name order and
whose birth dates are equal (or who share a contact as well), and ``similar_record`` two
entries alike in name, birth date and address (:mod:`contest.fraud.linkage`).

Only attributes that two or more people hold become nodes, so a million entrants who share
nothing cost nothing: the graph holds just the connections worth explaining. An IP address
is weak evidence (carriers and offices put thousands behind one) and no detector flags
anyone on a shared IP alone.
"""

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import networkx as nx

from contest.fraud.addresses import building_key, household_key
from contest.fraud.contacts import device_key, email_key, ip_key, phone_key
from contest.fraud.names import NameKey, name_key, name_similarity, surname_stems
from contest.fraud.people import Person, Role

STRONG = ("email", "phone", "device")
"""Attributes that tie one person to another by themselves: a mailbox, a phone, a device."""
# Names at least this similar are the same name (typos, transliteration, name order).
SAME_NAME = 0.85


@dataclass(frozen=True)
class Profile:
    """A person with every attribute normalised, as the detectors compare them."""

    person: Person
    name: NameKey
    surnames: frozenset[str]
    attributes: tuple[tuple[str, str], ...]
    """``(kind, value)`` pairs: e-mail keys, E.164 phones, device, household, IP."""
    building: str | None

    @property
    def node(self) -> str:
        return self.person.node

    def values(self, kind: str) -> list[str]:
        return [value for k, value in self.attributes if k == kind]


def profile(person: Person, default_region: str | None = None) -> Profile:
    """Normalise ``person``'s attributes (phones in their own country, else the default)."""
    region = person.country or default_region
    attributes: list[tuple[str, str]] = []
    for email in person.emails:
        key = email_key(email)
        if key:
            attributes.append(("email", key))
    for phone in person.phones:
        key = phone_key(phone, region)
        if key:
            attributes.append(("phone", key))
    device = device_key(person.device_id) if person.device_id else None
    if device:
        attributes.append(("device", device))
    household = household_key(person.address, person.city, person.postal_code, person.country)
    if household:
        attributes.append(("household", household))
    ip = ip_key(person.ip) if person.ip else None
    if ip:
        attributes.append(("ip", ip))
    name = name_key(person.full_name)
    return Profile(person, name, surname_stems(name), tuple(dict.fromkeys(attributes)),
                   building_key(person.address, person.city, person.postal_code,
                                person.country))


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
        self.graph = nx.Graph()
        for (kind, value), nodes in self.holders.items():
            if len(nodes) < 2:
                continue
            attribute = f"{kind}:{value}"
            self.graph.add_node(attribute, kind=kind)
            for node in nodes:
                self._add_person(node)
                self.graph.add_edge(node, attribute, label=kind)
        for item in self.profiles.values():
            if item.person.role == Role.RELATIVE and item.person.staff_id:
                staff = f"{Role.STAFF.value}:{item.person.staff_id}"
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

    def link_similar_records(self, a: str, b: str, points: float) -> None:
        """``a`` and ``b`` are alike in name, birth date and address (record linkage)."""
        self._add_person(a)
        self._add_person(b)
        self.graph.add_edge(a, b, label="similar_record", points=round(points, 1))

    def evidence(self, path: Sequence[str]) -> list[dict[str, str]]:
        """The labelled edges along ``path`` (consecutive nodes of the graph)."""
        edges = []
        for a, b in zip(path, path[1:], strict=False):
            label = self.graph.edges[a, b]["label"] if self.graph.has_edge(a, b) else "related"
            edges.append({"from": a, "to": b, "label": label})
        return edges
