"""Rate limits on what the public sends: per address and contest, and per contest from everyone
together, on POSTs only. The limits and where their counts live come from the settings
(``CONTEST_ENTRY_RATE_LIMIT``, ``CONTEST_CONTEST_RATE_LIMIT``,
``CONTEST_RATELIMIT_STORAGE_URI``); a person over the limit gets a friendly 429 page or JSON
answer with ``Retry-After`` (see :mod:`web.errors`), and every limited answer tells where the
sender stands in ``X-RateLimit-Limit``, ``X-RateLimit-Remaining`` and ``X-RateLimit-Reset``.

Counted with the ``limits`` package's fixed windows, as Flask-Limiter counted them before
(same keys in a shared store, same order, same headers), but with only what these two limits
need: Flask-Limiter's general machinery cost about a tenth of each entry's time, and its
in-memory store started a thread every ten milliseconds to expire counts.

Staff sign-in attempts are counted in the same store (:class:`SignInLimits`): per account and
per address, so that guessing a password, or trying one password on many accounts, is paused
long before it could succeed.
"""

import hashlib
import math
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache, wraps
from typing import Any, ParamSpec, TypeVar

from flask import Flask, current_app, g, request
from limits import RateLimitItem, parse_many
from limits.errors import ConfigurationError
from limits.storage import Storage, storage_from_string
from limits.strategies import FixedWindowRateLimiter
from werkzeug.exceptions import TooManyRequests
from werkzeug.wrappers.response import Response

from contest.accounts import account_email
from contest.errors import ConfigError
from contest.urls import mask_url

Params = ParamSpec("Params")
Answer = TypeVar("Answer")
PER_CONTEST, PER_ADDRESS = "per-contest", "per-address"
SIGN_IN_PER_ACCOUNT, SIGN_IN_PER_ADDRESS = "sign-in-account", "sign-in-address"
# Guessing one account's password: 10 attempts a quarter of an hour is at most 960 a day, so
# a password of ten random lower-case letters (26**10 of them) holds for millions of years.
SIGN_IN_ACCOUNT_LIMIT = "10 per 15 minutes"
# Trying passwords on many accounts from one address; generous for an office behind one NAT.
SIGN_IN_ADDRESS_LIMIT = "30 per 15 minutes;100 per day"


class ProcessCounts(Storage):
    """Fixed-window counts in this process's memory (``memory://``): each worker counts on
    its own. Expired counts are dropped by the request that finds them, and all of them at
    most once a minute, instead of by a timer thread."""

    STORAGE_SCHEME = None  # not offered to storage_from_string: memory:// is mapped here
    SWEEP_SECONDS = 60.0

    def __init__(self, clock: Callable[[], float] = time.time) -> None:
        super().__init__()
        self.clock = clock
        self._windows: dict[str, list[float]] = {}  # key -> [window end, count]
        self._lock = threading.Lock()
        self._next_sweep = clock() + self.SWEEP_SECONDS

    @property
    def base_exceptions(self) -> type[Exception]:
        return ValueError

    def incr(self, key: str, expiry: int, amount: int = 1) -> int:
        now = self.clock()
        with self._lock:
            window = self._windows.get(key)
            if window is None or window[0] <= now:
                if now >= self._next_sweep:
                    self._windows = {k: w for k, w in self._windows.items() if w[0] > now}
                    self._next_sweep = now + self.SWEEP_SECONDS
                window = self._windows[key] = [now + expiry, 0]
            window[1] += amount
            return int(window[1])

    def get(self, key: str) -> int:
        window = self._windows.get(key)
        return int(window[1]) if window is not None and window[0] > self.clock() else 0

    def get_expiry(self, key: str) -> float:
        now = self.clock()
        window = self._windows.get(key)
        return window[0] if window is not None and window[0] > now else now

    def check(self) -> bool:
        return True

    def reset(self) -> int | None:
        with self._lock:
            count = len(self._windows)
            self._windows = {}
        return count

    def clear(self, key: str) -> None:
        with self._lock:
            self._windows.pop(key, None)

    def __len__(self) -> int:
        return len(self._windows)


@dataclass(frozen=True)
class PublicLimits:
    """The limits of public submissions, counted in one store. The limits are read from the
    app's configuration on each request, as they may be changed after the app is made."""

    strategy: FixedWindowRateLimiter

    @classmethod
    def from_config(cls, config: Any) -> "PublicLimits":
        """The limits counted in the store the settings name; :class:`ConfigError` (with the
        URI's password hidden) if it cannot be used."""
        uri = str(config["RATELIMIT_STORAGE_URI"])
        try:
            storage = ProcessCounts() if uri == "memory://" else storage_from_string(uri)
        except (ConfigurationError, ValueError) as problem:
            raise ConfigError(
                "CONTEST_RATELIMIT_STORAGE_URI cannot be used ({problem}): expected memory:// "
                "or redis://host:6379, got {value!r}",
                {"problem": str(problem).replace(uri, mask_url(uri)),
                 "value": mask_url(uri)}) from None
        return cls(FixedWindowRateLimiter(storage))

    def count(self, slug: str) -> None:
        """Count this request against every limit; raise 429 at the first one it is over."""
        config = current_app.config
        address = request.remote_addr or "127.0.0.1"
        shown: tuple[RateLimitItem, tuple[str, str]] | None = None
        for item, scope in _in_order(str(config["CONTEST_RATE_LIMIT"]),
                                     str(config["ENTRY_RATE_LIMIT"])):
            identifiers = (f"contest:{slug}" if scope == PER_CONTEST else f"{address}:{slug}",
                           scope)
            allowed = self.strategy.hit(item, *identifiers)
            if shown is None or not allowed:
                shown = (item, identifiers)
            if not allowed:
                g.rate_limit_shown = shown
                raise TooManyRequests()
        g.rate_limit_shown = shown

    def add_headers(self, response: Response) -> Response:
        """Where the sender stands against the limit counted first (or the one they are
        over); ``Retry-After`` is when that window ends, or later if the answer says so."""
        shown = g.pop("rate_limit_shown", None)
        if shown is None:
            return response
        item, identifiers = shown
        reset, remaining = self.strategy.get_window_stats(item, *identifiers)
        reset_at = int(reset + 1)
        response.headers.add("X-RateLimit-Limit", str(item.amount))
        response.headers.add("X-RateLimit-Remaining", str(remaining))
        response.headers.add("X-RateLimit-Reset", str(reset_at))
        retry_at = reset_at
        asked = response.headers.get("Retry-After")
        if asked is not None and asked.isdigit():
            retry_at = max(int(time.time() + int(asked)), reset_at)
        response.headers["Retry-After"] = str(int(retry_at - time.time()))
        return response


@dataclass(frozen=True)
class SignInLimits:
    """Staff sign-in attempts, counted before the password is checked, so a guess beyond the
    limit is not even tried (and many guesses sent at once are counted each).

    Per account (the e-mail as typed, whether an account has it or not, so a pause tells
    nothing about which e-mails have accounts): every attempt counts, and a successful
    sign-in clears the count, as only the password's holder can do that. Per address: every
    attempt counts, successful ones too, and nothing clears it, so a guesser cannot sign in
    to an account of their own to start afresh."""

    strategy: FixedWindowRateLimiter
    per_account: tuple[RateLimitItem, ...] = tuple(parse_many(SIGN_IN_ACCOUNT_LIMIT))
    per_address: tuple[RateLimitItem, ...] = tuple(parse_many(SIGN_IN_ADDRESS_LIMIT))

    def attempt(self, *, email: str, address: str) -> int | None:
        """Count one attempt: the seconds to wait if it is over a limit, else None."""
        for items, identifiers in ((self.per_address, (address, SIGN_IN_PER_ADDRESS)),
                                   (self.per_account, _account_identifiers(email))):
            for item in items:
                if not self.strategy.hit(item, *identifiers):
                    reset = self.strategy.get_window_stats(item, *identifiers).reset_time
                    return max(1, math.ceil(reset - time.time()))
        return None

    def signed_in(self, *, email: str) -> None:
        for item in self.per_account:
            self.strategy.clear(item, *_account_identifiers(email))


def _account_identifiers(email: str) -> tuple[str, str]:
    # The store need not hold staff e-mail addresses: their digest names the count as well.
    digest = hashlib.sha256(account_email(email).encode()).hexdigest()
    return digest, SIGN_IN_PER_ACCOUNT


@lru_cache(maxsize=16)
def _in_order(per_contest: str, per_address: str) -> tuple[tuple[RateLimitItem, str], ...]:
    """The limits in the order they are counted: shortest windows first, the contest's before
    the address's of the same window, and none after the first one over. So an address over
    its limit still counts against the contest's, which is there against floods."""
    limits = [(item, PER_CONTEST) for item in parse_many(per_contest)]
    limits += [(item, PER_ADDRESS) for item in parse_many(per_address)]
    return tuple(sorted(limits, key=lambda pair: pair[0].GRANULARITY.seconds))


def init_app(app: Flask) -> None:
    limits = PublicLimits.from_config(app.config)
    app.extensions["contest.public_limits"] = limits
    app.extensions["contest.sign_in_limits"] = SignInLimits(limits.strategy)
    app.after_request(limits.add_headers)


def sign_in_limits() -> SignInLimits:
    limits: SignInLimits = current_app.extensions["contest.sign_in_limits"]
    return limits


def public_submissions(view: Callable[Params, Answer]) -> Callable[Params, Answer]:
    """Limit a view that takes entries or complaints for the contest in its ``slug``."""

    @wraps(view)
    def limited(*args: Params.args, **kwargs: Params.kwargs) -> Answer:
        if request.method == "POST":
            limits: PublicLimits = current_app.extensions["contest.public_limits"]
            limits.count(str(kwargs.get("slug", "")))
        return view(*args, **kwargs)

    return limited
