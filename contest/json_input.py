"""JSON a person sends (RFC 8259), read safely: one object, or a clear error naming the problem.

The entry and complaint APIs read their request bodies here (:mod:`web.json_body`), and
``contest rules edit`` and ``contest contests create --rules`` their files, so all of them
refuse the same things in the same words:

- bytes that are not UTF-8 (RFC 8259, 8.1), naming the first such byte and where it is; a
  leading byte order mark is ignored, as 8.1 allows;
- text that is not JSON, saying where it goes wrong; ``NaN``, ``Infinity`` and
  ``-Infinity``, which Python's decoder reads but JSON does not have (RFC 8259, 6);
- a whole number longer than Python converts (``sys.get_int_max_str_digits()``, 4300
  digits unless configured: CVE-2020-10735);
- arrays and objects nested more than :data:`MAX_DEPTH` levels. A body of 200,000 ``[``
  ran the decoder out of stack (``RecursionError``, a 500); a flat object of fields or a
  rules document nests four levels at most;
- JSON that is not an object.

Whether the strings are text (:mod:`contest.text`) is left to whoever reads the fields: it
can name the field. :func:`check_fields` is the one check of the object's field names and
of which fields must hold strings, for the entry and complaint APIs alike.
"""

import json
import sys
from collections.abc import Callable, Collection
from typing import Any

from contest.errors import FieldError, InvalidInput
from contest.i18n import N_, Message

MAX_DEPTH = 20
"""The deepest nesting of arrays and objects accepted, the object itself counting as 1."""

_BOM = b"\xef\xbb\xbf"


class _NotJson(Exception):
    """Raised by the decoder's hooks: a value JSON cannot hold."""

    def __init__(self, error: FieldError) -> None:
        super().__init__(error.code)
        self.error = error


def read_json_object(raw: bytes, *, field: str, expected: str,
                     refuse: Callable[[list[FieldError]], InvalidInput]) -> dict[str, Any]:
    """``raw`` read as one JSON object; otherwise raises ``refuse([error])``, the error's
    field being ``field``, its code ``not_json``, ``number_too_long``, ``too_deep`` or
    ``not_json_object`` (whose message is ``expected``: what the object should hold)."""

    def problem(code: str, message: str, **params: object) -> InvalidInput:
        return refuse([FieldError(field, code, message, params)])

    def constant(name: str) -> Any:
        raise _NotJson(FieldError(field, "not_json", N_(
            "is not JSON: {value} is not a JSON number"), {"value": name}))

    def whole_number(digits: str) -> int:
        try:
            return int(digits)
        except ValueError:  # longer than Python converts
            raise _NotJson(FieldError(field, "number_too_long", N_(
                "holds a whole number of {digits} digits, which cannot be read; at most "
                "{max} digits are"), {"digits": len(digits.lstrip("-")),
                                      "max": sys.get_int_max_str_digits()})) from None

    skipped = len(_BOM) if raw.startswith(_BOM) else 0
    try:
        text = raw[skipped:].decode("utf-8")
    except UnicodeDecodeError as undecodable:
        position = skipped + undecodable.start
        raise problem("not_json", N_(
            "is not JSON: the byte 0x{byte:02x} at position {position} is not UTF-8"),
            byte=raw[position], position=position) from None
    if not text.strip():
        raise problem("not_json_object", expected)
    try:
        value = json.loads(text, parse_constant=constant, parse_int=whole_number)
        too_deep = _deeper_than(value, MAX_DEPTH)
    except RecursionError:
        too_deep = True  # deeper than the decoder's stack, so far deeper than MAX_DEPTH
    except _NotJson as not_json:
        raise refuse([not_json.error]) from None
    except json.JSONDecodeError as undecodable:
        raise problem("not_json", N_("is not JSON: {problem}"),
                      problem=json_mistake(undecodable)) from None
    if too_deep:
        raise problem("too_deep", N_(
            "is nested more than {max} levels deep; at most {max} are allowed"), max=MAX_DEPTH)
    if not isinstance(value, dict):
        raise problem("not_json_object", expected)
    return value


_MISTAKES = (
    ("Expecting value", N_("a value is missing at line {line} column {column}")),
    ("Expecting ',' delimiter", N_("a comma is missing at line {line} column {column}")),
    ("Expecting ':' delimiter", N_("a colon is missing at line {line} column {column}")),
    ("Expecting property name", N_("a field name in double quotes is missing at line {line} "
                                   "column {column}")),
    ("Unterminated string", N_("a string is not closed at line {line} column {column}")),
    ("Extra data", N_("more follows the end of the JSON at line {line} column {column}")),
    ("Invalid control character", N_("a string holds a control character at line {line} "
                                      "column {column}")),
    ("Invalid \\u", N_("a string holds a broken \\u escape at line {line} column {column}")),
    ("Invalid \\", N_("a string holds an unknown escape at line {line} column {column}")),
)


def json_mistake(error: json.JSONDecodeError) -> Message:
    """What Python's decoder found wrong, in words a catalog translates (its own message is
    English only: "Expecting value: line 1 column 1 (char 0)")."""
    found = next((words for start, words in _MISTAKES if error.msg.startswith(start)),
                 N_("it cannot be read from line {line} column {column}"))
    return Message(found, {"line": error.lineno, "column": error.colno})


def check_fields(body: dict[str, Any], *, known: Collection[str],
                 strings: Collection[str] = (),
                 refuse: Callable[[list[FieldError]], InvalidInput]) -> dict[str, Any]:
    """``body`` as it is when every field is one of ``known`` and each of ``strings`` it has
    holds a string or null; otherwise raises ``refuse(errors)`` naming every field at once:
    ``unknown_field`` for each unknown name, then ``not_a_string`` for the others."""
    errors = [FieldError(name, "unknown_field", N_("unknown field"))
              for name in sorted(set(body) - set(known))]
    errors += [FieldError(name, "not_a_string", N_("must be a string"))
               for name in sorted(set(strings) & set(body))
               if body[name] is not None and not isinstance(body[name], str)]
    if errors:
        raise refuse(errors)
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
