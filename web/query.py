"""Whole numbers in query strings and paths, read the same way by every view: ``?page=2``,
``?version=3``, ``/log/entries?start=0&end=10``, ``/audit/…/flags/<int:flag_id>``.

A value is ASCII digits with an optional minus sign, within a stated range; anything else is
a clear 422 naming each wrong parameter and its range, never a default in disguise, and never
a number too large for the database (which would be a 500). No range reaches past
:data:`~contest.models.LARGEST_INTEGER`, the largest value of an ``INTEGER`` column; a
number in a path beyond it matches no page (a 404).
"""

import re
from dataclasses import dataclass
from typing import Any

from flask import Flask, request
from werkzeug.routing import IntegerConverter, Map

from contest.errors import FieldError, InvalidInput
from contest.i18n import N_, N_plural
from contest.models import LARGEST_INTEGER as LARGEST

LAST_PAGE = 1_000_000
"""The largest page number a paged view answers (a hundred million rows at 100 a page)."""

_WHOLE = re.compile(r"-?[0-9]{1,20}")
_SHOWN = 40  # characters of a wrong value repeated in the message


def init_app(app: Flask) -> None:
    """Bound every ``<int:…>`` of the app's paths; runs before the blueprints add theirs."""
    app.url_map.converters["int"] = BoundedInteger


class BoundedInteger(IntegerConverter):
    """``<int:…>`` at most :data:`LARGEST` unless the rule says otherwise."""

    def __init__(self, map: Map, *args: Any, **kwargs: Any) -> None:  # noqa: A002
        kwargs.setdefault("max", LARGEST)
        super().__init__(map, *args, **kwargs)


@dataclass(frozen=True)
class WholeNumber:
    """A whole-number query parameter and its range; required unless it has a default."""

    name: str
    minimum: int = 0
    maximum: int = LARGEST
    default: int | None = None


def whole_numbers(*parameters: WholeNumber) -> tuple[int, ...]:
    """The parameters' values in order, or :class:`InvalidInput` naming every wrong one."""
    values: list[int] = []
    errors: list[FieldError] = []
    for parameter in parameters:
        value = _read(parameter)
        if isinstance(value, FieldError):
            errors.append(value)
        else:
            values.append(value)
    if errors:
        raise InvalidInput(N_plural("the request has {count} error",
                                    "the request has {count} errors"), errors)
    return tuple(values)


def optional_whole_number(name: str, *, minimum: int = 0,
                          maximum: int = LARGEST) -> int | None:
    """The parameter's value, or None when it is absent or empty."""
    if not request.args.get(name, ""):
        return None
    [value] = whole_numbers(WholeNumber(name, minimum, maximum))
    return value


def page_number() -> int:
    """The ``page`` a paged view shows: 1 when absent, at most :data:`LAST_PAGE`."""
    [page] = whole_numbers(WholeNumber("page", minimum=1, maximum=LAST_PAGE, default=1))
    return page


def _read(parameter: WholeNumber) -> int | FieldError:
    raw = request.args.get(parameter.name, "")
    if not raw and parameter.default is not None:
        return parameter.default
    value = int(raw) if _WHOLE.fullmatch(raw) else None
    if value is not None and parameter.minimum <= value <= parameter.maximum:
        return value
    shown = (raw if len(raw) <= _SHOWN else raw[:_SHOWN] + "…") or '""'
    return FieldError(parameter.name, "not_integer" if value is None else "out_of_range",
                      N_("must be a whole number from {minimum} to {maximum}, got {value}"),
                      {"minimum": parameter.minimum, "maximum": parameter.maximum,
                       "value": shown})
