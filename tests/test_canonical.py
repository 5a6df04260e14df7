"""The canonical JSON of everything hashed or signed is RFC 8785's, byte for byte, whichever
encoder writes it (contest.canonical takes the standard library's for plain data)."""

import rfc8785
from hypothesis import given, settings
from hypothesis import strategies as st

from contest.canonical import canonical_json

SCALARS = (st.none() | st.booleans() | st.integers(-(2**60), 2**60)
           | st.floats(allow_nan=False, allow_infinity=False) | st.text())
DATA = st.recursive(SCALARS, lambda inner: st.lists(inner, max_size=4)
                    | st.dictionaries(st.text(max_size=8), inner, max_size=4), max_leaves=20)


def _reference(data: object) -> bytes | str:
    try:
        return rfc8785.dumps(data)
    except Exception as error:  # noqa: BLE001 - the kind of refusal is what is compared
        return type(error).__name__


def _ours(data: object) -> bytes | str:
    try:
        return canonical_json(data)
    except Exception as error:  # noqa: BLE001
        return type(error).__name__


@settings(max_examples=600, deadline=None)
@given(DATA)
def test_any_data_is_written_as_rfc_8785_writes_it(data: object) -> None:
    assert _ours(data) == _reference(data)


def test_what_the_fast_path_must_not_take_goes_to_the_reference() -> None:
    for data in ({"k": 2**53}, {"é": 1}, {"\U0001f600": 1, "\uffff": 2}, {"k": 1.5},
                 {"k": "\ud800"}, {"k": "\x00\x1f\x7f\u2028\"\\"}, [True, None, -(2**53) + 1]):
        assert _ours(data) == _reference(data), data
