"""Disposable (throwaway) e-mail addresses: mailboxes made to enter once and abandoned.

The list is the ``disposable-email-domains`` package's (the community list of
github.com/disposable-email-domains, updated with each release of the package; upgrading
the package updates it), less the domains of the project's allow-list,
``contest/data/disposable_allowed.txt``, for the list's false positives: a real provider's
domain there is never disposable (the file says how to add one). A domain is disposable
when it or a domain it belongs to is listed (``x.mailinator.com`` as ``mailinator.com``:
such services hand out every subdomain) and neither it nor a domain it belongs to is
allowed. Nothing is looked up on the network.

Who asks: the intake refuses a disposable address at the form and the API when the rules
say ``defences.disposable_email: refuse`` (:mod:`contest.entries.door`); the participant
graph flags it for the auditor when they say ``flag`` (the default), by calling
:func:`disposable_domain` on each stored entry's e-mail, which also names the listed domain
for the evidence. Entries brought in (a file, VK, Instagram) are never refused for it.
"""

import importlib.resources
from functools import cache, lru_cache

from disposable_email_domains import blocklist

from contest.identity.contacts import email_key

ALLOW_LIST = "data/disposable_allowed.txt"
"""The allow-list, in the ``contest`` package."""


@cache
def allowed_domains() -> frozenset[str]:
    """The domains of the allow-list (:data:`ALLOW_LIST`)."""
    text = importlib.resources.files("contest").joinpath(ALLOW_LIST).read_text(
        encoding="utf-8")
    return frozenset(line.strip().lower() for line in text.splitlines()
                     if line.strip() and not line.lstrip().startswith("#"))


def _domain(email: str) -> str | None:
    """The address's domain as the list writes domains (lower case, IDNA in xn-- form)."""
    key = email_key(email)
    if key is not None:
        return key.rpartition("@")[2]
    _, at, domain = email.strip().lower().rpartition("@")
    domain = domain.rstrip(".>").strip()
    return domain if at and domain else None


def _parents(domain: str) -> list[str]:
    """``a.b.example.com`` → ``a.b.example.com``, ``b.example.com``, ``example.com`` (never
    the top-level domain alone)."""
    labels = domain.split(".")
    return [".".join(labels[start:]) for start in range(len(labels) - 1)]


@lru_cache(maxsize=1 << 16)
def disposable_domain(email: str, allowed: frozenset[str] | None = None) -> str | None:
    """The listed domain that makes ``email`` disposable (``x@sub.mailinator.com`` →
    ``mailinator.com``), or None: not listed, allowed (``allowed``, by default the
    allow-list's), or not an address. Never raises."""
    domain = _domain(email)
    if domain is None:
        return None
    parents = _parents(domain)
    if not parents:
        return None
    exempt = allowed_domains() if allowed is None else allowed
    if any(parent in exempt for parent in parents):
        return None
    return next((parent for parent in parents if parent in blocklist), None)


def is_disposable(email: str) -> bool:
    """Whether ``email`` is on a disposable domain (see :func:`disposable_domain`)."""
    return disposable_domain(email) is not None
