"""Entries from the social networks where giveaways happen: VK, Telegram and Instagram.

The rules name each source (:class:`~contest.rules.document.SocialSource`: the network, the
post whose reposts, comments or likes make the entrants, the community or channel to be a
member of) and the conditions an entrant must meet. Each network has one reader behind the
:class:`NetworkReader` protocol, registered in :data:`contest.sources.registry.READERS` (as
the randomness sources are in :mod:`contest.randomness`):

- ``vk`` (:mod:`contest.sources.vk`): a community post's reposts, comments with their
  threads, and likes; membership of the community;
- ``telegram`` (:mod:`contest.sources.telegram`): the contest's bot is the entry form, so
  there is nothing to read; membership of the channel is checked;
- ``instagram`` (:mod:`contest.sources.instagram`): comments on a business account's media.

A reader only talks to its network (its API's address and token come from
:class:`~contest.config.NetworkSettings`) and says what it found: every list read, with the
count the network reports against the count read (:class:`ListRead`), the people in them
(:class:`Person`, by account: ``vk:123456``), and each condition checked for each person
(:class:`Check`). Taking the people as entries, recording the read and its completeness on
the public log, and checking the winners again at the draw are the domain's
(:mod:`contest.sources.reading`, :mod:`contest.draw.recheck`).
"""

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import ClassVar, Protocol

from contest.config import NetworkSettings
from contest.identity.accounts import AccountProfile
from contest.rules.document import ConditionKind, Network, SocialSource

__all__ = ["ACCOUNT_PREFIX", "AccountProfile", "Check", "ListRead", "NetworkRead",
           "NetworkReader", "Person", "Problem", "Result", "Sleep"]

ACCOUNT_PREFIX: Mapping[Network, str] = {
    Network.VK: "vk", Network.TELEGRAM: "tg", Network.INSTAGRAM: "ig"}
"""How an account of each network is written: ``vk:123456``, ``tg:987654``, ``ig:name``
(:func:`contest.identity.accounts.account_key`)."""


class Result(StrEnum):
    """What a condition's check found."""

    MET = "met"
    UNMET = "unmet"
    UNKNOWN = "unknown"
    """The network would not say (a private profile, a deleted account, access denied): the
    reason's code says which. Never counted against the entrant by itself."""


class Problem(StrEnum):
    """Why a network would not tell a condition: reason codes kept with the check and
    counted on the public record (VK's error codes 15, 18 and 30, and their like)."""

    ACCESS_DENIED = "access_denied"
    DELETED_OR_BANNED = "deleted_or_banned"
    PRIVATE_PROFILE = "private_profile"
    NOT_FOUND = "not_found"


@dataclass(frozen=True)
class Check:
    """One condition checked for one account: met, unmet, or unknown with the reason."""

    condition: ConditionKind
    result: Result
    reason: str = ""


@dataclass(frozen=True)
class Person:
    """Someone a read found: their account (``vk:123456``), the name the network shows
    (``""``: none), the language the network says they use (``None``: it does not), and
    when they did it."""

    account: str
    name: str
    language: str | None = None
    at: datetime | None = None
    """When they first did what the read found (a repost's or a comment's moment), where the
    network tells it (a like has none)."""


@dataclass(frozen=True)
class ListRead:
    """One list read from the network: its name (``reposts``, ``comments``, ``likes``), the
    count the network reports (``None``: it reports none) and how many items were read."""

    name: str
    reported: int | None
    read: int

    @property
    def complete(self) -> bool:
        return self.reported is not None and self.read >= self.reported


@dataclass(frozen=True)
class NetworkRead:
    """What one read of a source found: the lists read, the people in them (in the order
    first met), every condition of the source checked for each of them (by account, in the
    rules' order), how many people each problem kept from a check, and what the network
    said about each account (by account; none where it tells nothing)."""

    lists: tuple[ListRead, ...]
    people: tuple[Person, ...]
    checks: Mapping[str, tuple[Check, ...]]
    problems: Mapping[str, int] = field(default_factory=dict)
    profiles: Mapping[str, AccountProfile] = field(default_factory=dict)

    @property
    def complete(self) -> bool:
        return all(item.complete for item in self.lists)


Sleep = Callable[[float], None]
"""Waits the given seconds: ``time.sleep`` in production; tests pass one that records."""


class NetworkReader(Protocol):
    """One network's reader. Built with the settings and a way to wait (for the network's
    "too many requests": wait and retry); raises
    :class:`~contest.errors.NetworkUnavailable` when the network cannot be read."""

    network: ClassVar[Network]

    def __init__(self, settings: NetworkSettings, *, sleep: Sleep) -> None: ...

    def read(self, source: SocialSource) -> NetworkRead:
        """Everyone the source's post names (every page of every list its conditions
        need), with every condition checked."""
        ...

    def check(self, source: SocialSource,
              accounts: Sequence[str]) -> Mapping[str, tuple[Check, ...]]:
        """Every condition of ``source`` checked again, now, for each of ``accounts`` (the
        draw's winners and alternates): the same shape as :attr:`NetworkRead.checks`."""
        ...
