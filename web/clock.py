"""The app's clock: the moment a request acts at, frozen in tests through ``CLOCK``.

Domain functions never read the clock; each view passes ``now=now()``. A module of its own, so
that the blueprints need not import the application factory to tell the time."""

from collections.abc import Callable
from datetime import UTC, datetime

from flask import current_app


def utc_now() -> datetime:
    """The real clock, the app's ``CLOCK`` unless a test config sets another."""
    return datetime.now(UTC)


def now() -> datetime:
    """The app's clock (frozen in tests through ``CLOCK``)."""
    clock: Callable[[], datetime] = current_app.config["CLOCK"]
    return clock()
