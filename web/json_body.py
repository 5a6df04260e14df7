"""The JSON body of an API request (RFC 8259), read safely: one object, or a clear 422.

Flask's ``get_json(silent=True)`` hides a body that is not JSON but not one nested so deep
that the decoder runs out of stack: a body of 200,000 ``[`` raised ``RecursionError``, a
500. The entry and complaint APIs take a flat object of fields, so a body nested more than
:data:`MAX_DEPTH` levels is refused, as are a body that is not JSON (with where it goes
wrong) and JSON that is not an object.
"""

import json
from collections.abc import Callable
from typing import Any

from flask import request

from contest.errors import FieldError, InvalidInput
from contest.i18n import N_

MAX_DEPTH = 20
"""The deepest nesting of arrays and objects accepted, the body's own object counting as 1."""


def json_object(refuse: Callable[[list[FieldError]], InvalidInput], *,
                send: str) -> dict[str, Any]:
    """The request's body as a JSON object; otherwise raises ``refuse([error])``, whose
    field is ``body``: ``not_json`` or ``too_deep``, or ``not_json_object`` with the
    message ``send`` (what the object should hold)."""
    if not request.is_json:
        raise refuse([FieldError("body", "not_json_object", send)])
    raw = request.get_data(cache=True)
    try:
        body = json.loads(raw)
        too_deep = _deeper_than(body, MAX_DEPTH)
    except RecursionError:
        too_deep = True  # deeper than the decoder's stack, so far deeper than MAX_DEPTH
    except UnicodeDecodeError as problem:
        raise refuse([FieldError("body", "not_json", N_(
            "is not JSON: the byte 0x{byte:02x} at position {position} is not UTF-8"),
            {"byte": raw[problem.start], "position": problem.start})]) from None
    except json.JSONDecodeError as problem:
        raise refuse([FieldError("body", "not_json", N_(
            "is not JSON: {problem} at line {line} column {column}"),
            {"problem": problem.msg, "line": problem.lineno, "column": problem.colno})]
            ) from None
    if too_deep:
        raise refuse([FieldError("body", "too_deep", N_(
            "is nested more than {max} levels deep; at most {max} are allowed"),
            {"max": MAX_DEPTH})])
    if not isinstance(body, dict):
        raise refuse([FieldError("body", "not_json_object", send)])
    return body


def _deeper_than(value: object, limit: int) -> bool:
    """Whether arrays and objects nest in ``value`` more than ``limit`` levels deep (a level
    at a time, so no stack is spent however deep it goes)."""
    level = [value]
    for _ in range(limit):  # then ``level`` holds what ``limit`` levels of them hold
        level = [item for container in level if isinstance(container, (dict, list))
                 for item in (container.values() if isinstance(container, dict) else container)]
        if not level:
            return False
    return any(isinstance(item, (dict, list)) for item in level)
