"""The detectors: each finds one kind of entrant the rules exclude, with a score in [0, 1] and
the path in the participant graph that justifies it.

- ``employee``: the entrant is a staff member (same name and birth date, or same name and a
  shared mailbox, phone, social account or device);
- ``relative``: the entrant is a declared relative (same name and a shared contact or home),
  or lives in a staff member's flat under the family surname (gendered forms count, and one
  typo in a surname of five letters or more: :func:`~contest.fraud.names.same_family`);
- ``household``: the entrant lives in a staff member's flat under another surname;
- ``proxy``: another identity using a staff member's or relative's mailbox, phone, social
  account or device, directly or through an entry already tied to that staff member;
- ``duplicate``: the same person entering more often than the rules allow; the earliest
  entries count and the later ones point to the earliest. A shared mailbox, phone or social
  account makes one person whatever the names, as for the entry limits
  (:mod:`contest.identity.ties`); a shared device, or a name, birth date and address alike,
  is a signal the limits do not count, flagged for the auditor only.

An entrant gets at most one of the first four kinds, in that order of precedence (a
household member who answers the family phone is a household member, not a proxy), and
then no duplicate flag (a front person who enters with a staff member's phone is the staff
member's entry again by the limits' rule, and excluded as a proxy). Sharing
an IP address alone never flags anyone; neither do a common surname, a namesake with another
birth date, or a neighbour in another flat of the same building.
"""

from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date
from functools import cached_property
from itertools import combinations
from typing import ClassVar, Protocol

import networkx as nx

from contest.fraud.blocking import candidate_pairs
from contest.fraud.bots import find_bots
from contest.fraud.clusters import group
from contest.fraud.graph import (
    KINDS,
    SAME_NAME,
    STRONG,
    ParticipantGraph,
    Profile,
    same_name,
)
from contest.fraud.likeness import APART, Identity, compare, name_words
from contest.fraud.names import same_family
from contest.fraud.people import PersonKind
from contest.identity.addresses import household_readings
from contest.identity.skeleton import other_layout
from contest.identity.ties import PERSON_TIES, one_person

# Entries sharing a mailbox, phone, account or device are one person if their names are this
# alike.
ALIKE_WITH_CONTACT = 0.8
# A name written with initials is at most INITIAL_LIKENESS alike, and a middle name it
# leaves out costs a tenth more ("R. Nelson" and "Nelson, Regan Syreeta": 0.72).
INITIALS_ALIKE = 0.7


def one_name(entrant: Profile, other: Profile, *, more: bool) -> float:
    """How alike the names of ``entrant`` and ``other`` are when they may name one person,
    else 0. Names at least :data:`~contest.fraud.graph.SAME_NAME` alike may. So may a name
    written with initials that fit the other's words ("Можаев И. А." and "Можаев Иосиф
    Аверьянович", :data:`~contest.fraud.names.INITIAL_LIKENESS`; "R. Nelson" and "Nelson,
    Regan Syreeta", at least :data:`INITIALS_ALIKE`), but only weakly ("И." is not yet
    "Иван"): with ``more`` to go on, the same birth date or a contact or home the two
    share."""
    likeness = same_name(entrant, other)
    if likeness >= SAME_NAME:
        return likeness
    if (more and likeness >= INITIALS_ALIKE
            and (entrant.name.initials or other.name.initials)):
        return likeness
    return 0.0


def _same_day(a: Profile, b: Profile) -> bool:
    return a.person.birth_date is not None and a.person.birth_date == b.person.birth_date


@dataclass(frozen=True)
class Flag:
    """One finding for the auditor: an entry, what it seems to be, how sure, and why."""

    entry_id: str
    kind: str
    score: float
    related_to: str
    evidence: tuple[dict[str, str], ...]

    def to_data(self) -> dict[str, object]:
        return {"entry_id": self.entry_id, "kind": self.kind, "score": round(self.score, 3),
                "related_to": self.related_to, "evidence": list(self.evidence)}


@dataclass
class Scan:
    """What the detectors share: the graph, the people, and the flags found so far."""

    graph: ParticipantGraph
    entrants: list[Profile]
    per_person: int = 1
    disposable: Callable[[str], bool] | None = None
    """The test of a throwaway mailbox when the rules flag them (else None): a bot signal."""
    flags: list[Flag] = field(default_factory=list)
    tied: dict[str, Flag] = field(default_factory=dict)
    """Entry node → the flag that ties it to a staff member (employee … household)."""

    def tie(self, item: Profile, kind: str, score: float, related_to: str,
            path: Sequence[str]) -> None:
        flag = Flag(item.person.key, kind, score, related_to,
                    tuple(self.graph.evidence(path)))
        self.flags.append(flag)
        self.tied[item.node] = flag

    @cached_property
    def identities(self) -> list[Identity]:
        """Each entrant's :class:`~contest.fraud.likeness.Identity`, as :attr:`entrants`."""
        return [item.identity() for item in self.entrants]

    @cached_property
    def near(self) -> list[Profile]:
        """The entrants who share an attribute with a staff member or relative, in
        submission order: the only ones a shared attribute can tie to the staff."""
        found = self.sharing_with(node for node, item in self.graph.profiles.items()
                                  if item.person.kind != PersonKind.ENTRANT)
        known = {item.node for item in found}
        found += [self.graph.profiles[node] for node in self.homes_read_otherwise
                  if node not in known]
        return sorted(found, key=lambda item: item.person.order)

    @cached_property
    def homes_read_otherwise(self) -> dict[str, list[tuple[str, str]]]:
        """Entrant node → ``(staff member or relative, household node)`` for the homes that
        are one only when a house written "5/12" is read as house 5, flat 12
        (:func:`~contest.identity.addresses.household_readings`); the graph gets the edge."""
        profiles, holders = self.graph.profiles, self.graph.holders
        insiders: dict[str, list[str]] = defaultdict(list)    # home read otherwise → nodes
        for node, item in profiles.items():
            if item.person.kind != PersonKind.ENTRANT and item.values("household"):
                for key in _other_readings(item):
                    insiders[key].append(node)
        found: dict[str, list[tuple[str, str]]] = defaultdict(list)
        for (kind, key), nodes in holders.items():
            if kind != "household":
                continue
            pairs = [(node, other, key) for other in insiders.get(key, ()) for node in nodes]
            if key.endswith("|") and "/" in key:
                entrants = [node for node in nodes
                            if profiles[node].person.kind == PersonKind.ENTRANT]
                for other_key in _other_readings(profiles[entrants[0]]) if entrants else ():
                    pairs += [(node, other, other_key) for node in entrants
                              for other in holders.get(("household", other_key), ())
                              if profiles[other].person.kind != PersonKind.ENTRANT]
            for node, other, shared in pairs:
                if profiles[node].person.kind != PersonKind.ENTRANT:
                    continue
                attribute = f"household:{shared}"
                self.graph.graph.add_edge(node, attribute, label="household")
                self.graph.graph.add_edge(other, attribute, label="household")
                found[node].append((other, attribute))
        return found

    def sharing(self, item: Profile, kinds: Sequence[str] = STRONG) -> list[tuple[str, str]]:
        """``(other person, attribute node)`` for everyone sharing one of ``item``'s
        attributes of ``kinds``, homes read either way (see :attr:`homes_read_otherwise`)."""
        found = self.graph.sharing(item, kinds)
        if "household" in kinds and item.node in self.homes_read_otherwise:
            found += self.homes_read_otherwise[item.node]
        return found

    def sharing_with(self, nodes: Iterable[str], kinds: Sequence[str] = KINDS
                     ) -> list[Profile]:
        """The entrants holding an attribute (of ``kinds``) that one of ``nodes`` holds, in
        submission order."""
        found: dict[str, Profile] = {}
        profiles = self.graph.profiles
        for node in nodes:
            for other, _ in self.graph.sharing(profiles[node], kinds):
                item = profiles[other]
                if item.person.kind == PersonKind.ENTRANT:
                    found[other] = item
        return sorted(found.values(), key=lambda item: item.person.order)

    def untied(self, among: Iterable[Profile] | None = None) -> Iterator[Profile]:
        """The entrants ``among`` (those :attr:`near` the staff) not tied yet."""
        return (item for item in (self.near if among is None else among)
                if item.node not in self.tied)

    def insider(self, node: str) -> Profile | None:
        """The staff member or relative at ``node``, or None for an entrant."""
        found = self.graph.profiles.get(node)
        return found if found is not None and found.person.kind != PersonKind.ENTRANT else None


class Detector(Protocol):
    kind: ClassVar[str]

    def detect(self, scan: Scan) -> None:
        """Add this kind's flags to ``scan``."""
        ...


def _other_readings(item: Profile) -> tuple[str, ...]:
    """The households ``item``'s address names besides its household key."""
    person = item.person
    return household_readings(person.address, person.city, person.postal_code,
                              person.country)[1:]


def _staff_node(staff_id: str) -> str:
    return f"{PersonKind.STAFF.value}:{staff_id}"


class EmployeeDetector:
    kind: ClassVar[str] = "employee"

    def detect(self, scan: Scan) -> None:
        born: dict[date, list[Profile]] = defaultdict(list)
        for item in scan.graph.profiles.values():
            if item.person.kind == PersonKind.STAFF and item.person.birth_date:
                born[item.person.birth_date].append(item)
        for entrant in scan.untied(self._candidates(scan, born)):
            best: tuple[float, Profile, list[str]] | None = None
            candidates: dict[str, str | None] = {}
            for other, shared in scan.graph.sharing(entrant):
                if other.startswith("staff:"):
                    candidates.setdefault(other, shared)
            if entrant.person.birth_date:
                for staff in born.get(entrant.person.birth_date, ()):
                    candidates.setdefault(staff.node, None)
            for node, attribute in candidates.items():
                staff = scan.graph.profiles[node]
                same_day = _same_day(entrant, staff)
                likeness = one_name(entrant, staff, more=same_day or attribute is not None)
                if not likeness:
                    continue
                score = (0.95 if same_day and attribute else 0.9 if same_day else 0.85)
                score *= likeness ** 0.5
                if best is None or score > best[0]:
                    if same_day:
                        scan.graph.link_same_person(entrant.node, node, likeness)
                        path = [entrant.node, node]
                    else:
                        assert attribute is not None
                        path = [entrant.node, attribute, node]
                    best = (score, staff, path)
            if best is not None:
                scan.tie(entrant, self.kind, best[0], best[1].person.key, best[2])

    @staticmethod
    def _candidates(scan: Scan, born: dict[date, list[Profile]]) -> list[Profile]:
        """Entrants near the staff, and those born on a staff member's birthday with a name
        word starting as one of that staff member's (a cheap test before the names are
        compared: a name alike has a word alike from its third letter at least), or as the
        staff member's name typed with the other keyboard layout on."""
        found = {item.node: item for item in scan.near}
        starts: dict[str, frozenset[str]] = {}
        for entrant, identity in zip(scan.entrants, scan.identities, strict=True):
            day = entrant.person.birth_date
            if day is None or day not in born or entrant.node in found:
                continue
            mine = {word[:3] for word in identity.words}
            for staff in born[day]:
                theirs = starts.get(staff.node)
                if theirs is None:
                    # also as typed with the other keyboard layout on ("Bdfyjd" for Иванов)
                    name = staff.person.full_name
                    theirs = starts[staff.node] = frozenset(
                        word[:3] for word in (*name_words(name),
                                              *name_words(other_layout(name))))
                if mine & theirs:
                    found[entrant.node] = entrant
                    break
        return sorted(found.values(), key=lambda item: item.person.order)


class RelativeDetector:
    kind: ClassVar[str] = "relative"

    def detect(self, scan: Scan) -> None:
        for entrant in scan.untied():
            found = self._declared(scan, entrant) or self._family_home(scan, entrant)
            if found is not None:
                score, staff_id, path = found
                scan.tie(entrant, self.kind, score, staff_id, path)

    def _declared(self, scan: Scan, entrant: Profile
                  ) -> tuple[float, str, list[str]] | None:
        for other, attribute in scan.sharing(entrant, (*STRONG, "household")):
            relative = scan.insider(other)
            if relative is None or relative.person.kind != PersonKind.RELATIVE:
                continue
            likeness = one_name(entrant, relative, more=True)    # they share ``attribute``
            if likeness:
                return (0.9 * likeness ** 0.5, relative.person.staff_id,
                        [entrant.node, attribute, other, _staff_node(relative.person.staff_id)])
        return None

    def _family_home(self, scan: Scan, entrant: Profile
                     ) -> tuple[float, str, list[str]] | None:
        for other, attribute in scan.sharing(entrant, ("household",)):
            staff = scan.insider(other)
            if staff is None or staff.person.kind != PersonKind.STAFF:
                continue
            if same_family(entrant.name, staff.name) and same_name(entrant, staff) < SAME_NAME:
                return 0.8, staff.person.key, [entrant.node, attribute, other]
        return None


class HouseholdDetector:
    kind: ClassVar[str] = "household"

    def detect(self, scan: Scan) -> None:
        for entrant in scan.untied():
            for other, attribute in scan.sharing(entrant, ("household",)):
                insider = scan.insider(other)
                if insider is None or same_family(insider.name, entrant.name):
                    continue
                if same_name(entrant, insider) >= SAME_NAME:
                    continue
                staff_id = insider.person.staff_id
                path = [entrant.node, attribute, other]
                if insider.person.kind == PersonKind.RELATIVE:
                    path.append(_staff_node(staff_id))
                scan.tie(entrant, self.kind, 0.7, staff_id, path)
                break


class ProxyDetector:
    kind: ClassVar[str] = "proxy"
    rounds = 2
    """How many entries deep a chain of shared devices and contacts is followed."""

    def detect(self, scan: Scan) -> None:
        for entrant in scan.untied():
            self._direct(scan, entrant)
        for _ in range(self.rounds):
            ties = dict(scan.tied)
            for entrant in list(scan.untied(scan.sharing_with(ties, STRONG))):
                self._through(scan, entrant, ties)

    def _direct(self, scan: Scan, entrant: Profile) -> None:
        best: tuple[float, str, list[str]] | None = None
        for other, attribute in scan.graph.sharing(entrant):
            insider = scan.insider(other)
            if insider is None or same_name(entrant, insider) >= SAME_NAME:
                continue
            score = 0.75 if attribute.startswith("device:") else 0.85
            path = [entrant.node, attribute, other]
            if insider.person.kind == PersonKind.RELATIVE:
                path.append(_staff_node(insider.person.staff_id))
            if best is None or score > best[0]:
                best = (score, insider.person.staff_id, path)
        if best is not None:
            scan.tie(entrant, self.kind, *best)

    def _through(self, scan: Scan, entrant: Profile, ties: dict[str, Flag]) -> None:
        for other, attribute in scan.graph.sharing(entrant):
            flag = ties.get(other)
            if flag is None:
                continue
            if same_name(entrant, scan.graph.profiles[other]) >= ALIKE_WITH_CONTACT:
                continue  # the same person again: a duplicate, not a front
            evidence = [{"from": entrant.node, "to": attribute,
                         "label": attribute.split(":", 1)[0]},
                        {"from": attribute, "to": other, "label": attribute.split(":", 1)[0]},
                        *flag.evidence]
            flagged = Flag(entrant.person.key, self.kind, 0.65 * min(1.0, flag.score / 0.85),
                           flag.related_to, tuple(evidence))
            scan.flags.append(flagged)
            scan.tied[entrant.node] = flagged
            return


class DuplicateDetector:
    """Entries of one person: those sharing a mailbox, phone or social account whatever their
    names, by the rule the entry limits count by (:mod:`contest.identity.ties`); and, as
    signals for the auditor, those sharing a device under a similar name, or whose name,
    birth date and address are alike (:mod:`.likeness`, among the pairs :mod:`.blocking`
    proposes), grouped without chaining strangers (:mod:`.clusters`).

    Each group's entries are walked in submission order as the limits walk a person's: an
    entry already out for another reason (:attr:`~contest.fraud.people.Person.set_aside`)
    neither counts nor is flagged; after the first ``per_person`` that count, each one is
    flagged (unless a staff detector tied it already). An entry with ``per_person`` earlier
    ones of its own person by rule is one whose receipt says ``person_limit``: it points to
    its person's first entry, its evidence mailboxes, phones and accounts alone. Any other
    is over the allowance only through a signal the limits did not count: it points to the earliest
    entry of another person in its group, and its evidence shows the signal
    (:func:`contest.identity.limits_count` tells the two apart)."""

    kind: ClassVar[str] = "duplicate"

    def detect(self, scan: Scan) -> None:
        entrants = scan.entrants
        person = one_person(
            (i, [f"{kind}:{value}" for kind, value in item.attributes if kind in PERSON_TIES])
            for i, item in enumerate(entrants) if item.attributes)
        ties = _Ties()
        alike = ties.through_contacts(scan, person)
        ties.through_likeness(scan.identities, person, alike)
        joined: dict[int, list[int]] = defaultdict(list)
        for i, number in person.items():
            joined[number].append(i)

        def apart(i: int, j: int) -> bool:
            likeness = compare(scan.identities[i], scan.identities[j])
            return likeness.weight < APART or (likeness.conflict and likeness.told_apart)

        groups, kept = group(ties.links, apart, (m for m in joined.values() if len(m) > 1))
        ties.keep(scan, kept)
        for members in groups:
            self._walk(scan, ties, person, members)

    def _walk(self, scan: Scan, ties: "_Ties", person: dict[int, int],
              members: Iterable[int]) -> None:
        """Flag the entries of one group past the allowance, walked as the limits walk: an
        entry with ``per_person`` earlier ones of its own person by rule is over the limit
        there too, a duplicate of its person's first; any other entry past the allowance is
        over it only through a signal, and is tied to the earliest entry of another person
        by rule in its group. An entry tied to the staff already (a front using a staff
        member's phone) is flagged for that."""
        entrants = scan.entrants
        counted = sorted((i for i in members if not entrants[i].person.set_aside),
                         key=lambda i: entrants[i].person.order)
        if len(counted) <= scan.per_person:
            return

        def rule_person(i: int) -> object:
            return person.get(i, ("alone", i))

        earlier: dict[object, list[int]] = defaultdict(list)
        for position, later in enumerate(counted):
            own = earlier[rule_person(later)]
            if position >= scan.per_person and entrants[later].node not in scan.tied:
                if len(own) >= scan.per_person:
                    graph, first = ties.by_rule, own[0]
                else:
                    graph, first = ties.paths, next(
                        i for i in counted[:position] if rule_person(i) != rule_person(later))
                scan.flags.append(self._flag(graph, entrants[later], entrants[first]))
            own.append(later)

    def _flag(self, paths: "nx.Graph[str]", later: Profile, first: Profile) -> Flag:
        path = nx.shortest_path(paths, later.node, first.node)
        edges = [paths.edges[a, b] for a, b in zip(path, path[1:], strict=False)]
        evidence = tuple({"from": a, "to": b, "label": edge["label"]}
                         for a, b, edge in zip(path, path[1:], edges, strict=False))
        score = min(edge["score"] for edge in edges)
        return Flag(later.person.key, self.kind, score, first.person.key, evidence)


@dataclass
class _Ties:
    """What the duplicate detector found between entrants (by their place in
    :attr:`Scan.entrants`): each pair's tie (what it runs through, and its score), the links
    to group by, and the evidence graphs the flags' paths are read from."""

    paths: "nx.Graph[str]" = field(default_factory=nx.Graph)
    """Every tie kept: the evidence of a flag."""
    by_rule: "nx.Graph[str]" = field(default_factory=nx.Graph)
    """The ties the limits count (a shared mailbox, phone or social account), alone."""
    pairs: dict[tuple[int, int], tuple[str, float]] = field(default_factory=dict)
    links: list[tuple[float, int, int]] = field(default_factory=list)

    def through_contacts(self, scan: Scan, person: dict[int, int]) -> set[tuple[int, int]]:
        """Tie the holders of each strong attribute: one person by rule through a mailbox,
        phone or account, names aside; through a device, under names alike. The pairs sharing a
        device under names apart are returned: birth date and address may tell."""
        entrants = scan.entrants
        # Entrants by node, those holding a shared attribute only: no one else can be a holder.
        place = {item.node: i for i, item in enumerate(entrants) if item.attributes}
        alike: set[tuple[int, int]] = set()
        for (kind, value), holders in scan.graph.holders.items():
            if kind not in STRONG or len(holders) < 2:
                continue
            held = sorted(place[node] for node in holders if node in place)
            via = f"{kind}:{value}"
            if kind in PERSON_TIES:  # the evidence runs through the contact
                for i in held:
                    for graph in (self.paths, self.by_rule):
                        graph.add_edge(entrants[i].node, via, label=kind, score=_BY_RULE)
                continue
            for i, j in combinations(held, 2):
                if (i, j) in self.pairs or person[i] == person[j]:
                    continue
                if same_name(entrants[i], entrants[j]) >= ALIKE_WITH_CONTACT:
                    self.pairs[(i, j)] = (via, 0.9)
                    self.links.append((_BY_CONTACT, i, j))
                else:
                    alike.add((i, j))
        return alike

    def through_likeness(self, identities: Sequence[Identity], person: dict[int, int],
                         pairs: set[tuple[int, int]]) -> None:
        """Tie the entrants of ``pairs``, and those blocking proposes, whose name, birth
        date and address say they are one person."""
        for i, j in pairs | candidate_pairs(identities):
            if (i, j) in self.pairs or (i in person and person[i] == person.get(j)):
                continue
            likeness = compare(identities[i], identities[j])
            if likeness.same_person:
                score = min(0.85, max(0.6, likeness.probability))
                self.pairs[(i, j)] = (
                    "same_person", score * (0.85 if likeness.conflict else 1.0))
                self.links.append((likeness.weight, i, j))

    def keep(self, scan: Scan, kept: Iterable[tuple[int, int]]) -> None:
        """Put the ties grouping kept into the evidence (and a likeness into the graph)."""
        entrants = scan.entrants
        for i, j in kept:
            a, b = entrants[i].node, entrants[j].node
            via, score = self.pairs[(i, j)]
            if via == "same_person":
                scan.graph.link_same_person(a, b, score)
                self.paths.add_edge(a, b, label=via, score=score)
            else:
                label = via.split(":", 1)[0]
                self.paths.add_edge(a, via, label=label, score=score)
                self.paths.add_edge(via, b, label=label, score=score)


class BotDetector:
    """Entries made by a script or a farm (:mod:`contest.fraud.bots`): two signals of
    different kinds among a burst from one address, network or device, a device under many
    names, a numbered mailbox series or a name with digits, a birth date repeated under other
    names from one source, a throwaway mailbox. An entry another detector flagged already,
    and one already out for another reason, is not flagged again. The flag points to the
    earliest other entry sharing its strongest signal; its evidence runs from the entry to
    each signal."""

    kind: ClassVar[str] = "bot"

    def detect(self, scan: Scan) -> None:
        persons = [item.person for item in scan.entrants]
        flagged = {flag.entry_id for flag in scan.flags}
        for finding in find_bots(persons, scan.disposable):
            person = finding.person
            if person.set_aside or person.key in flagged:
                continue
            related = finding.signals[0].first
            if related == person.key:
                related = finding.signals[0].second
            scan.flags.append(Flag(person.key, self.kind, finding.score, related,
                                   tuple(signal.edge(person.node)
                                         for signal in finding.signals)))


# Entries one person by rule (a shared mailbox, phone or account) are as sure a duplicate as
# the limits make them, whatever their names.
_BY_RULE = 0.9
# Links through a shared contact are taken before any comparison of name, birth and address.
_BY_CONTACT = 1000.0


DETECTORS: dict[str, type[Detector]] = {
    detector.kind: detector for detector in (
        EmployeeDetector, RelativeDetector, HouseholdDetector, ProxyDetector,
        DuplicateDetector, BotDetector)
}
"""Every detector by the kind it flags, in the order they run."""
