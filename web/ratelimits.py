"""Rate limits on what the public sends (Flask-Limiter): per address and contest, and per
contest from everyone together, on POSTs only. The limits and where their counts live come
from the settings (``CONTEST_ENTRY_RATE_LIMIT``, ``CONTEST_CONTEST_RATE_LIMIT``,
``CONTEST_RATELIMIT_STORAGE_URI``); a person over the limit gets a friendly 429 page or JSON
answer with ``Retry-After`` (see :mod:`web.errors`).
"""

from collections.abc import Callable
from typing import Any, TypeVar

from flask import Flask, current_app, request
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address

limiter = Limiter(key_func=get_remote_address, headers_enabled=True)
View = TypeVar("View", bound=Callable[..., Any])


def init_app(app: Flask) -> None:
    limiter.init_app(app)


def _per_address() -> str:
    return f"{get_remote_address()}:{(request.view_args or {}).get('slug', '')}"


def _per_contest() -> str:
    return f"contest:{(request.view_args or {}).get('slug', '')}"


def public_submissions(view: View) -> View:
    """Limit a view that takes entries or complaints for the contest in its ``slug``."""
    limited = limiter.limit(lambda: str(current_app.config["CONTEST_RATE_LIMIT"]),
                            key_func=_per_contest, methods=["POST"],
                            scope="per-contest")(view)
    return limiter.limit(lambda: str(current_app.config["ENTRY_RATE_LIMIT"]),
                         key_func=_per_address, methods=["POST"],
                         scope="per-address")(limited)  # type: ignore[no-any-return]
