"""The JSON body of an API request (RFC 8259), read safely: one object, or a clear 422.

Flask's ``get_json(silent=True)`` hides a body that is not JSON but not one nested so deep
that the decoder runs out of stack. The reading is :func:`contest.json_input.read_json_object`,
which the command line uses for rules files too: a body that is not UTF-8 JSON, holds a
number too long to read, is nested too deep or is not an object is refused, naming the
problem, with the field ``body``.
"""

from collections.abc import Callable
from typing import Any

from flask import request

from contest.errors import FieldError, InvalidInput
from contest.json_input import read_json_object


def json_object(refuse: Callable[[list[FieldError]], InvalidInput], *,
                send: str) -> dict[str, Any]:
    """The request's body as a JSON object; otherwise raises ``refuse([error])``, whose
    field is ``body`` (``not_json_object`` with the message ``send``, what the object should
    hold, when the body is not JSON at all or not an object)."""
    if not request.is_json:
        raise refuse([FieldError("body", "not_json_object", send)])
    return read_json_object(request.get_data(cache=True), field="body", expected=send,
                            refuse=refuse)
