"""Any bytes as a JSON object (Hypothesis): the one reader of API bodies and rules files
returns the object JSON reads, or refuses with one error naming the problem in every
language, never an exception of another kind."""

import json
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from contest.errors import InvalidInput
from contest.json_input import MAX_DEPTH, read_json_object

# Text with lone surrogates too, which Hypothesis never draws by itself.
TEXT = st.lists(st.characters() | st.integers(0xD800, 0xDFFF).map(chr), max_size=8).map(
    "".join)
SCALARS = (st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False,
                                                                 allow_infinity=False)
           | TEXT)
OBJECTS = st.dictionaries(TEXT, st.recursive(
    SCALARS, lambda inner: st.lists(inner, max_size=3) | st.dictionaries(
        TEXT, inner, max_size=3), max_leaves=10), max_size=5)
CODES = {"not_json", "number_too_long", "too_deep", "not_json_object"}


def refuse(errors: list[Any]) -> InvalidInput:
    return InvalidInput("unreadable", errors)


def nesting(value: object) -> int:
    if isinstance(value, dict):
        return 1 + max(map(nesting, value.values()), default=0)
    if isinstance(value, list):
        return 1 + max(map(nesting, value), default=0)
    return 0


@settings(max_examples=500, deadline=None)
@given(OBJECTS, st.booleans())
def test_any_json_object_is_read_as_json_reads_it(value: dict[str, Any],
                                                  ascii_only: bool) -> None:
    raw = json.dumps(value, ensure_ascii=ascii_only).encode("utf-8", "surrogatepass")
    try:
        read = read_json_object(raw, field="body", expected="an object", refuse=refuse)
    except InvalidInput as refused:
        [error] = refused.errors
        if error.code == "too_deep":
            assert nesting(value) > MAX_DEPTH
            return
        # Only a lone surrogate written as itself is not UTF-8; escaped, it is JSON.
        assert error.code == "not_json" and not ascii_only, error.text()
        assert "is not UTF-8" in error.text()
        return
    assert read == json.loads(raw.decode("utf-8", "surrogatepass"))


@settings(max_examples=500, deadline=None)
@given(st.binary(max_size=200) | OBJECTS.map(lambda value: json.dumps(value).encode())
       .flatmap(lambda raw: st.integers(0, len(raw)).map(lambda cut: raw[:cut]))
       | st.sampled_from([b"NaN", b'{"a": Infinity}', b"[" * 50_000, b'{"a": 1' + b"0" * 5000
                          + b"}", b"\xef\xbb\xbf{}", b"\xef\xbb\xbf\xef\xbb\xbf{}"]))
def test_any_bytes_are_an_object_or_one_error_named_in_every_language(raw: bytes) -> None:
    try:
        read = read_json_object(raw, field="body", expected="an object", refuse=refuse)
    except InvalidInput as refused:
        [error] = refused.errors
        assert error.field == "body" and error.code in CODES
        for language in ("en", "ru", "uk"):
            assert error.text(language)
        return
    assert isinstance(read, dict)
