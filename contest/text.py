"""What counts as text a person may send: the one check every way in uses.

Entries (form, API, CSV import), complaints, answers and staff rosters all go through
:func:`refused_character` before anything is stored, so no database, file or page ever
meets text that cannot be encoded or shown:

- *lone surrogates* (U+D800–U+DFFF): half of a UTF-16 pair, which a JSON ``"\\ud800"``
  escape produces; no UTF-8 encoder writes them (The Unicode Standard, 3.9, D76);
- *control characters* U+0000–U+001F (C0, ISO/IEC 6429), NUL among them, which PostgreSQL
  refuses in text; tab, line feed and carriage return are white space and allowed, except
  in a one-line value such as an idempotency key or an e-mail contact;
- *non-characters* (The Unicode Standard, 23.7): U+FDD0–U+FDEF and the last two code
  points of every plane (U+FFFE, U+FFFF, U+1FFFE, … U+10FFFF), reserved for a program's own
  use and never to be interchanged.

A refused value is named with the code point and where it is (``U+0000 at position 8``),
never echoed: the character itself may be what cannot be shown. A rules draft is JSON data
whose every string, names of fields included, must be text: :func:`draft_text_error` finds
the first one that is not, by its dotted path (``sections.0.text``), for the one place that
stores drafts (:mod:`contest.rules.publishing`); a lone surrogate can be neither stored nor
hashed.
"""

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass

from contest.errors import FieldError
from contest.i18n import N_

_NON_CHARACTERS = "\\ufdd0-\\ufdef" + "".join(
    f"\\U{(plane << 16) | 0xFFFE:08x}\\U{(plane << 16) | 0xFFFF:08x}" for plane in range(17))
_SURROGATES = "\\ud800-\\udfff"
_NOT_TEXT = re.compile(f"[\\x00-\\x08\\x0b\\x0c\\x0e-\\x1f{_SURROGATES}{_NON_CHARACTERS}]")
_NOT_ONE_LINE = re.compile(f"[\\x00-\\x1f{_SURROGATES}{_NON_CHARACTERS}]")

CODE = "not_text"
MESSAGE = N_("has the character {character} at position {position}, which is not text "
             "(a control character, half of a surrogate pair or a non-character); remove it")
LEFT_OUT_MESSAGE = N_("has the character {character} at position {position}, which is not "
                     "text (a control character, half of a surrogate pair or a "
                     "non-character): it was left out, the rest kept")
"""What a file's reader says of a value it keeps without its characters that are not text
(:func:`without_refused`): a field of a file is kept, not refused with its row."""
NAME_MESSAGE = N_("the name of this field has the character {character} at position "
                  "{position}, which is not text (a control character, half of a surrogate "
                  "pair or a non-character); remove it")


@dataclass(frozen=True)
class RefusedCharacter:
    """The first character of a value that is not text: its code point and 1-based
    position."""

    code_point: int
    position: int

    @property
    def params(self) -> dict[str, object]:
        """The placeholders of :data:`MESSAGE`."""
        return {"character": f"U+{self.code_point:04X}", "position": self.position}

    def field_error(self, field: str) -> FieldError:
        return FieldError(field, CODE, MESSAGE, self.params)

    def left_out(self, field: str) -> FieldError:
        """The warning of a file's field kept :func:`without_refused` characters."""
        return FieldError(field, CODE, LEFT_OUT_MESSAGE, self.params)


def without_refused(value: str) -> str:
    """``value`` without its characters that are not text (a file's field is kept so: a
    stray control character never loses a person)."""
    return _NOT_TEXT.sub("", value)


def refused_character(value: str, *, one_line: bool = False) -> RefusedCharacter | None:
    """The first character of ``value`` that is not text, or ``None`` when all of it is.

    With ``one_line``, tab, line feed and carriage return are refused too.
    """
    found = (_NOT_ONE_LINE if one_line else _NOT_TEXT).search(value)
    if found is None:
        return None
    return RefusedCharacter(ord(found.group()), found.start() + 1)


def text_error(field: str, value: str, *, one_line: bool = False) -> FieldError | None:
    """A :class:`FieldError` for ``field`` when ``value`` is not text, else ``None``."""
    found = refused_character(value, one_line=one_line)
    return found.field_error(field) if found is not None else None


def draft_text_error(data: object) -> FieldError | None:
    """The first string in the JSON data ``data`` (lists, objects, strings; a value or the
    name of a field, however deep) that is not text, as a :class:`FieldError` at its dotted
    path; ``None`` when every string is text. A refused name is written in the path with
    its character escaped (``prizes.0.na\\ud800me``), so the path itself is text."""
    for path, value, is_name in _strings(data):
        found = refused_character(value)
        if found is not None:
            return FieldError(path, CODE, NAME_MESSAGE if is_name else MESSAGE, found.params)
    return None


def _strings(data: object) -> Iterator[tuple[str, str, bool]]:
    """Every string in ``data`` in document order, as (dotted path, string, whether it is the
    name of a field); a stack rather than recursion, so no depth runs out of it."""
    stack: list[tuple[str, object, bool]] = [("", data, False)]
    while stack:
        path, value, is_name = stack.pop()
        if isinstance(value, str):
            yield path, value, is_name
            continue
        items: list[tuple[str, object, bool]]
        if isinstance(value, Mapping):
            named = [(_at(path, _shown(str(key))), key, child) for key, child in value.items()]
            items = [item for where, key, child in named
                     for item in ((where, str(key), True), (where, child, False))]
        elif isinstance(value, list | tuple):
            items = [(_at(path, str(index)), child, False) for index, child in enumerate(value)]
        else:
            continue
        stack.extend(reversed(items))


def _at(path: str, name: str) -> str:
    return f"{path}.{name}" if path else name


def _shown(name: str) -> str:
    """A field's name as a path shows it: every character that is not text escaped."""
    return _NOT_TEXT.sub(lambda found: found.group().encode("unicode_escape").decode("ascii"),
                         name)
