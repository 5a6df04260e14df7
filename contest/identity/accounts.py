"""Social accounts as one person's identity: ``vk:123456``, ``tg:987654``, ``ig:username``.

An entry that came from VK, Telegram or Instagram keeps the account it came from; a staff
roster or a people file may list accounts too. :func:`account_key` reads an account however
it is written (``vk:123``, ``https://vk.com/id123``, ``tg:987654``, ``@Brand.Fan`` with the
network named, ``instagram.com/brand.fan``) into the one form every part compares: the
network's short name, a colon, and the id the network gives (VK and Telegram: a number;
Instagram: the username in lower case, as Instagram treats it). One account is one person:
it enters a contest once, whatever the route.

A roster's account that no rule reads (a bare id with no network named) is still the
person's: :func:`person_account_key` keeps it as written (:func:`written_account_key`), so the
same value in two rows ties them, as a mistyped phone does.
"""

import re
from dataclasses import dataclass

from contest.identity.contacts import WRITTEN

NETWORK_PREFIXES = ("vk", "tg", "ig")
"""The short names accounts start with: VK, Telegram, Instagram."""


@dataclass(frozen=True)
class AccountProfile:
    """What a network said about an account when it was read: each fact ``None`` where the
    network does not tell it (or would not, for this account). Kept for the auditor's
    participant graph (:mod:`contest.fraud.bots`), never shown to the public.

    VK tells ``deactivated`` (``deleted`` or ``banned``: then nothing else), ``closed`` (the
    profile hidden by its privacy settings), ``has_photo`` and ``followers``; the friends
    count only one account per call, so it is not read. Telegram tells ``is_bot``.
    Instagram tells nothing beyond the username. No network tells when an account was
    created."""

    deactivated: str | None = None
    closed: bool | None = None
    has_photo: bool | None = None
    followers: int | None = None
    friends: int | None = None
    is_bot: bool | None = None


_NUMBER = re.compile(r"[1-9][0-9]{0,18}")
_USERNAME = re.compile(r"[a-z0-9._]{1,30}")
_WRITTEN = (
    (re.compile(r"(?:https?://)?(?:m\.)?vk\.com/id([0-9]+)/?", re.IGNORECASE), "vk"),
    (re.compile(r"(?:https?://)?(?:www\.)?instagram\.com/([A-Za-z0-9._]+)/?",
                re.IGNORECASE), "ig"),
)


def account_key(written: str, network: str | None = None) -> str | None:
    """The account ``written`` names as ``network:id``, or ``None`` when it names none.

    ``network`` (``vk``, ``tg`` or ``ig``) reads a bare id or ``@username`` as that
    network's; without it only a prefixed account or a profile link is read."""
    text = written.strip()
    for pattern, prefix in _WRITTEN:
        if found := pattern.fullmatch(text):
            return _checked(prefix, found.group(1))
    prefix, colon, rest = text.partition(":")
    if colon and prefix.lower() in NETWORK_PREFIXES:
        return _checked(prefix.lower(), rest.strip())
    if network in NETWORK_PREFIXES:
        return _checked(network, text)
    return None


def _checked(prefix: str, value: str) -> str | None:
    if prefix == "ig":
        username = value.removeprefix("@").lower()
        return f"ig:{username}" if _USERNAME.fullmatch(username) else None
    return f"{prefix}:{value}" if _NUMBER.fullmatch(value) else None


def written_account_key(written: str) -> str | None:
    """An account :func:`account_key` cannot read, as written (white space left out, case
    folded) behind :data:`~contest.identity.contacts.WRITTEN`, for exact matches; None for
    an empty value."""
    value = "".join(written.split()).casefold()
    return WRITTEN + value if value else None


def person_account_key(written: str) -> str | None:
    """The key an account ties people by in the participant graph: :func:`account_key` for
    an account it reads, else :func:`written_account_key` (an account kept as written from a
    file)."""
    return account_key(written) or written_account_key(written)
