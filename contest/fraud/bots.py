"""The ``bot`` detector: entries made by a script or a farm of throwaway identities rather
than by people, each flag with the signals that justify it.

A signal is one thing an entry has in common with many others; no signal alone flags anyone,
since each has an honest explanation (a TV mention brings thousands of people in minutes, a
dormitory puts hundreds behind one address, a family shares a tablet, two Ivan Petrovs add
their birth years to their mailboxes). An entry is flagged when it shows two signals of
different kinds:

- ``burst``: within :data:`WINDOW` of the entry, at least :data:`BURST_MIN` entries came from
  its IP address, its network (``/24`` for IPv4, ``/64`` for IPv6), its device or its user
  agent (the ``User-Agent`` a live entry's request named), and they were at least
  :data:`BURST_SHARE` of all the contest's entries in that time (a user agent's share also
  :data:`AGENT_LIFT` times its share over the whole contest). The contest's own traffic is
  the measure: 5,000 people in ten minutes after a TV mention make no burst of a carrier's
  address, which carries its usual small share of them, nor of the most common phone's
  browser, which carries its usual large share;
- ``shared_device``: one device used by at least :data:`DEVICE_NAMES` entrants of different
  names (the duplicate detector looks at a device under names alike);
- ``template``: a mailbox in a numbered series (``ivan.petrov1@``, ``ivan.petrov2@``, … at one
  domain, the throwaway domains counting as one: at least :data:`SERIES_MIN` of them, each
  number at most :data:`SERIES_GAP` from the next, birth years left out), or a name with
  digits in it;
- ``repeated_birth_date``: at least :data:`BIRTH_REPEAT` entrants of different names born on
  one day entered from one IP address, network or device, and they are at least
  :data:`BIRTH_SHARE` of that source's entrants (300 students of one dormitory share a
  birthday by chance, three by three, but not a fifth of them);
- ``disposable``: a throwaway mailbox (:func:`contest.identity.is_disposable`), counted only
  when the scan is given a test for it (the rules flag such addresses, or refuse them at the
  door while entries brought in from files still carry them);
- ``account_state``: the entrant's social account, as the network showed it at the read
  (:attr:`Person.profile <contest.fraud.people.Person.profile>`), is banned or deleted, is a
  bot (Telegram's ``is_bot``), or is empty: no profile photo, and at most
  :data:`FEW_FOLLOWERS` followers or a closed profile (:func:`account_state`). Many real
  people's accounts have no photo and few followers: alone it flags no one;
- ``registered_together``: at least :data:`TOGETHER_MIN` entrants' VK accounts whose ids
  follow each other at most :func:`together_gap` apart. VK gives its ids in the order
  accounts are registered (seen, not documented), so such accounts were registered at about
  the same time, as a farm makes them; a real crowd's ids lie across VK's whole range.

A shared IP address, network, carrier or office address is never enough alone. No network
tells when an account was created or how many friends it has in a list's answers, so those
are not read.
"""

import ipaddress
import re
from bisect import bisect_left, bisect_right
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from itertools import chain

from contest.fraud.graph import SAME_NAME
from contest.fraud.names import NameKey, name_key, name_similarity
from contest.fraud.people import Person
from contest.identity import is_disposable
from contest.identity.accounts import AccountProfile, account_key
from contest.rules.document import Defences, DisposableEmail

WINDOW = timedelta(minutes=10)
BURST_MIN = 8
BURST_SHARE = 0.25
DEVICE_NAMES = 3
SERIES_MIN = 3
SERIES_GAP = 3
"""Numbers of one series follow each other at most this far apart (``…7``, ``…8``, ``…10``);
a number that reads as a year (1930–2030) makes no series, so the many Ivan Petrovs who add
their year of birth, or the year they made the mailbox, do not."""
BIRTH_REPEAT = 3
BIRTH_SHARE = 0.2
SIGNALS_TO_FLAG = 2
AGENT_LIFT = 3
"""A user agent bursts only when its share of the entries in the window is at least this many
times its share over the whole contest: the most common phone's browser is a large share of
every crowd, a script's is none but its own burst's."""
FEW_FOLLOWERS = 3
TOGETHER_MIN = 5
TOGETHER_GAP = 100
VK_ACCOUNTS = 1_000_000_000
"""About how many ids VK has given: a real crowd of ``n`` accounts lies ``VK_ACCOUNTS / n``
ids apart on average (:func:`together_gap`)."""


def throwaway_test(defences: Defences) -> Callable[[str], bool] | None:
    """The test of a throwaway mailbox a scan counts as a ``disposable`` signal under rules
    with these ``defences``: the project's list, unless the rules allow such addresses. A
    rule that refuses them at the door still has them flagged, since entries brought in from
    a file or a network are never refused for it."""
    if defences.disposable_email == DisposableEmail.ALLOW:
        return None
    return is_disposable


@dataclass(frozen=True)
class Signal:
    """One signal of an entry: its kind, the shared thing (a graph-style node such as
    ``network:203.0.113.0/24``), how many entries share it, and the earliest of them."""

    kind: str
    node: str
    count: int
    first: str
    second: str
    """The earliest two entries sharing it (the same when it is the entry's alone)."""

    def edge(self, entry_node: str) -> dict[str, str]:
        return {"from": entry_node, "to": self.node, "label": self.kind,
                "count": str(self.count)}


@dataclass(frozen=True)
class BotFinding:
    """An entry with enough signals: its score and the signals, strongest first."""

    person: Person
    score: float
    signals: tuple[Signal, ...]


_TRAILING_NUMBER = re.compile(r"^(.*?)(\d+)$")
_DIGIT = re.compile(r"\d")


def _looks_like_a_year(digits: str) -> bool:
    return len(digits) == 4 and 1930 <= int(digits) <= 2030


def _runs(numbered: list[tuple[int, int]]) -> list[list[tuple[int, int]]]:
    """``(number, entrant)`` pairs, sorted, cut where the numbers jump by more than
    :data:`SERIES_GAP`."""
    runs: list[list[tuple[int, int]]] = [[numbered[0]]]
    for item in numbered[1:]:
        if item[0] - runs[-1][-1][0] > SERIES_GAP:
            runs.append([])
        runs[-1].append(item)
    return runs


def account_state(profile: AccountProfile | None) -> str | None:
    """What in an account's state suggests no person behind it: ``banned``, ``deleted``,
    ``bot`` or ``empty`` (no profile photo, and at most :data:`FEW_FOLLOWERS` followers or
    a closed profile); ``None``: nothing, or nothing known."""
    if profile is None:
        return None
    if profile.deactivated:
        return "banned" if profile.deactivated == "banned" else "deleted"
    if profile.is_bot:
        return "bot"
    if profile.has_photo is False and (
            (profile.followers is not None and profile.followers <= FEW_FOLLOWERS)
            or (profile.followers is None and profile.closed is True)):
        return "empty"
    return None


def together_gap(accounts: int) -> int:
    """How far apart, at most, the ids of VK accounts registered together lie, among
    ``accounts`` of a contest: :data:`TOGETHER_GAP`, less in a crowd so large that its ids
    would come that close by chance (a hundredth of their average distance)."""
    return max(1, min(TOGETHER_GAP, VK_ACCOUNTS // (max(accounts, 1) * 100)))


def network(ip: str) -> str | None:
    """The ``/24`` (IPv4) or ``/64`` (IPv6) network of an address; None if it is none."""
    head, _, last = ip.strip().rpartition(".")
    if last.isdigit() and head.count(".") == 2 and head.replace(".", "").isdigit():
        # the common case, ten times quicker than ipaddress (written as given: no one
        # writes 010.1.1.1 for 10.1.1.1)
        return f"{head}.0/24"
    try:
        address = ipaddress.ip_address(ip.strip())
    except ValueError:
        return None
    prefix = 24 if address.version == 4 else 64
    return str(ipaddress.ip_network(f"{address}/{prefix}", strict=False))


def _names(people: Iterable[Person], enough: int) -> int:
    """How many different people's names ``people`` give, counted up to ``enough``: a name
    :data:`~contest.fraud.graph.SAME_NAME` alike to one counted already (a transliteration,
    a typo, another order) is that one again."""
    counted: list[NameKey] = []
    for person in people:
        key = name_key(person.full_name)
        if all(name_similarity(key, other) < SAME_NAME for other in counted):
            counted.append(key)
            if len(counted) >= enough:
                break
    return len(counted)


@dataclass
class _Signals:
    entrants: Sequence[Person]
    disposable: Callable[[str], bool] | None
    found: dict[int, dict[str, Signal]] = field(default_factory=lambda: defaultdict(dict))
    held: dict[str, list[int]] = field(default_factory=lambda: defaultdict(list))
    """The entrants of each IP address, network and device (``ip:…``, ``network:…``,
    ``device:…``), in the order given."""
    agents: dict[str, list[int]] = field(default_factory=lambda: defaultdict(list))
    """The entrants of each user agent (``agent:…``): a source of bursts only, since a
    phone's browser is shared by thousands of honest people."""

    def __post_init__(self) -> None:
        networks: dict[str, str | None] = {}
        for i, person in enumerate(self.entrants):
            if ip := person.ip.strip():
                self.held[f"ip:{ip}"].append(i)
                if ip not in networks:
                    networks[ip] = network(ip)
                if (net := networks[ip]) is not None:
                    self.held[f"network:{net}"].append(i)
            if device := person.device_id.strip():
                self.held[f"device:{device.casefold()}"].append(i)
            if agent := person.user_agent.strip():
                self.agents[f"agent:{agent}"].append(i)

    def add(self, members: Iterable[int], kind: str, node: str) -> None:
        members = sorted(set(members), key=lambda i: self.entrants[i].order)
        first = self.entrants[members[0]].key
        second = self.entrants[members[min(1, len(members) - 1)]].key
        for i in members:
            known = self.found[i].get(kind)
            if known is None or known.count < len(members):
                self.found[i][kind] = Signal(kind, node, len(members), first, second)

    def bursts(self) -> None:
        moments: list[datetime] | None = None
        half = WINDOW / 2
        dated = sum(person.submitted_at is not None for person in self.entrants) or 1
        for source, members in chain(self.held.items(), self.agents.items()):
            if len(members) < BURST_MIN:
                continue
            # the share a window must reach: a user agent's must stand out from its usual one
            share = (max(BURST_SHARE, AGENT_LIFT * len(members) / dated)
                     if source.startswith("agent:") else BURST_SHARE)
            held = sorted((moment, i) for i in members
                          if (moment := self.entrants[i].submitted_at) is not None)
            times = [moment for moment, _ in held]
            in_burst: set[int] = set()
            for moment in times:
                start, end = moment - half, moment + half
                low, high = bisect_left(times, start), bisect_right(times, end)
                if high - low < BURST_MIN:
                    continue
                if moments is None:    # everyone's, only once a source may burst
                    moments = sorted(person.submitted_at for person in self.entrants
                                     if person.submitted_at is not None)
                everyone = bisect_right(moments, end) - bisect_left(moments, start)
                if high - low >= share * everyone:
                    in_burst.update(i for _, i in held[low:high])
            if in_burst:
                self.add(in_burst, "burst", source)

    def devices(self) -> None:
        for source, members in self.held.items():
            if (source.startswith("device:") and len(members) >= DEVICE_NAMES and _names(
                    (self.entrants[i] for i in members), DEVICE_NAMES) >= DEVICE_NAMES):
                self.add(members, "shared_device", source)

    def templates(self) -> None:
        series: dict[str, list[tuple[int, int]]] = defaultdict(list)
        for i, person in enumerate(self.entrants):
            if _DIGIT.search(person.full_name):
                self.add([i], "template", f"name:{person.full_name}")
            for email in person.emails:
                login, at, domain = email.strip().casefold().rpartition("@")
                login = login.split("+", 1)[0]
                if not (at and login[-1:].isdigit()):
                    continue
                match = _TRAILING_NUMBER.match(login)
                if (match is not None and len(match[1]) >= 3
                        and not _looks_like_a_year(match[2])):
                    # a farm rotating throwaway domains writes one series across them
                    if self.disposable is not None and self.disposable(email):
                        domain = "(throwaway)"
                    series[f"{match[1]}#@{domain}"].append((int(match[2][:9]), i))
        for key, numbered in series.items():
            if len(numbered) < SERIES_MIN:
                continue
            for run in _runs(sorted(numbered)):
                if len({number for number, _ in run}) >= SERIES_MIN:
                    self.add((i for _, i in run), "template", f"series:{key}")

    def birth_dates(self) -> None:
        for source, members in self.held.items():
            if len(members) < BIRTH_REPEAT:
                continue
            born: dict[date, list[int]] = defaultdict(list)
            for i in members:
                if (day := self.entrants[i].birth_date) is not None:
                    born[day].append(i)
            dated = sum(len(same) for same in born.values())
            for day, same in born.items():
                if (len(same) >= BIRTH_REPEAT and len(same) >= BIRTH_SHARE * dated
                        and _names((self.entrants[i] for i in same), BIRTH_REPEAT)
                        >= BIRTH_REPEAT):
                    self.add(same, "repeated_birth_date", f"birth:{day.isoformat()} {source}")

    def accounts(self) -> None:
        vk: dict[int, list[int]] = defaultdict(list)
        for i, person in enumerate(self.entrants):
            if (state := account_state(person.profile)) is not None:
                self.add([i], "account_state", f"profile:{state}")
            for written in person.accounts:
                key = account_key(written)
                if key is not None and key.startswith("vk:"):
                    vk[int(key[3:])].append(i)
        ids = sorted(vk)
        gap = together_gap(len(ids))
        start = 0
        for end in range(1, len(ids) + 1):
            if end < len(ids) and ids[end] - ids[end - 1] <= gap:
                continue
            if end - start >= TOGETHER_MIN:
                self.add((i for number in ids[start:end] for i in vk[number]),
                         "registered_together",
                         f"registered:vk:{ids[start]}…vk:{ids[end - 1]}")
            start = end

    def disposables(self) -> None:
        if self.disposable is None:
            return
        for i, person in enumerate(self.entrants):
            for email in person.emails:
                if self.disposable(email):
                    self.add([i], "disposable", f"domain:{email.rpartition('@')[2].lower()}")
                    break


def entry_signals(entrants: Sequence[Person],
                  disposable: Callable[[str], bool] | None = None) -> dict[int, list[Signal]]:
    """Each entrant's signals (by place in ``entrants``), strongest first."""
    signals = _Signals(entrants, disposable)
    signals.bursts()
    signals.devices()
    signals.templates()
    signals.birth_dates()
    signals.disposables()
    signals.accounts()
    return {i: sorted(found.values(), key=lambda s: (-_WEIGHT[s.kind], -s.count))
            for i, found in signals.found.items()}


_WEIGHT = {"shared_device": 4, "burst": 3, "registered_together": 3, "template": 2,
           "repeated_birth_date": 2, "account_state": 2, "disposable": 1}


def find_bots(entrants: Sequence[Person],
              disposable: Callable[[str], bool] | None = None) -> list[BotFinding]:
    """The entrants with at least :data:`SIGNALS_TO_FLAG` signals of different kinds, in
    submission order. Two signals score 0.6, each one more 0.1 (up to 0.9)."""
    findings = []
    for i, found in sorted(entry_signals(entrants, disposable).items()):
        if len(found) >= SIGNALS_TO_FLAG:
            score = min(0.9, 0.6 + 0.1 * (len(found) - SIGNALS_TO_FLAG))
            findings.append(BotFinding(entrants[i], score, tuple(found)))
    return findings

