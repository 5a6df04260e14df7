"""The one reader of JSON a person sends (API bodies, rules files): an object, or a clear
error naming the problem, never a traceback."""

import sys

import pytest

from contest.errors import FieldError, InvalidInput
from contest.json_input import MAX_DEPTH, check_fields, read_json_object

EXPECTED = "send a JSON object"


def refused(raw: bytes) -> FieldError:
    with pytest.raises(InvalidInput) as caught:
        read_json_object(raw, field="rules.json", expected=EXPECTED,
                         refuse=lambda errors: InvalidInput("unreadable", errors))
    [error] = caught.value.errors
    assert error.field == "rules.json"
    return error


def test_an_object_is_read_as_it_is() -> None:
    raw = '{"title": "Зимний розыгрыш", "winners": 3, "prizes": [{"quantity": 3}]}'
    assert read_json_object(raw.encode(), field="body", expected=EXPECTED,
                            refuse=lambda errors: InvalidInput("x", errors)) == {
        "title": "Зимний розыгрыш", "winners": 3, "prizes": [{"quantity": 3}]}


def test_a_byte_order_mark_is_ignored() -> None:
    assert read_json_object(b'\xef\xbb\xbf{"a": 1}', field="f", expected=EXPECTED,
                            refuse=lambda errors: InvalidInput("x", errors)) == {"a": 1}


@pytest.mark.parametrize(("raw", "code", "said"), [
    (b'{"a": "\xff"}', "not_json", "the byte 0xff at position 7 is not UTF-8"),
    (b'\xef\xbb\xbf{"a": "\xff"}', "not_json", "the byte 0xff at position 10 is not UTF-8"),
    # UTF-8 never encodes a surrogate (RFC 3629, 3): these three bytes are not UTF-8.
    (b'{"a": "\xed\xa0\x80"}', "not_json", "the byte 0xed at position 7 is not UTF-8"),
    (b"{'a': 1}", "not_json", "at line 1 column 2"),
    (b'{"a": NaN}', "not_json", "NaN is not a JSON number"),
    (b'{"a": -Infinity}', "not_json", "-Infinity is not a JSON number"),
    (b'{"a": ' + b"9" * 5000 + b"}", "number_too_long", "a whole number of 5000 digits"),
    (b'{"a": -' + b"9" * 5000 + b"}", "number_too_long", "a whole number of 5000 digits"),
    (b"[" * 100_000 + b"]" * 100_000, "too_deep", f"more than {MAX_DEPTH} levels deep"),
    (b'{"a": ' + b"[" * MAX_DEPTH + b"]" * MAX_DEPTH + b"}", "too_deep", "levels deep"),
    (b'[["title", "Winter giveaway"]]', "not_json_object", EXPECTED),
    (b'"just a string"', "not_json_object", EXPECTED),
    (b"null", "not_json_object", EXPECTED),
])
def test_what_is_not_a_json_object_is_named(raw: bytes, code: str, said: str) -> None:
    error = refused(raw)
    assert error.code == code
    assert said in error.text("en")
    assert error.text("ru") != error.text("en") or code == "not_json_object"


def test_the_deepest_nesting_allowed_is_read() -> None:
    raw = b'{"a": ' + b"[" * (MAX_DEPTH - 1) + b"]" * (MAX_DEPTH - 1) + b"}"
    value = read_json_object(raw, field="f", expected=EXPECTED,
                             refuse=lambda errors: InvalidInput("x", errors))["a"]
    depth = 2  # the object, then the outermost array
    while value:
        value, depth = value[0], depth + 1
    assert depth == MAX_DEPTH


def test_the_digits_python_reads_are_read() -> None:
    limit = sys.get_int_max_str_digits()
    raw = b'{"a": ' + b"9" * limit + b"}"
    assert read_json_object(raw, field="f", expected=EXPECTED,
                            refuse=lambda errors: InvalidInput("x", errors))["a"] == (
        10 ** limit - 1)
    assert refused(b'{"a": ' + b"9" * (limit + 1) + b"}").code == "number_too_long"


def test_text_that_is_not_text_is_left_to_whoever_knows_the_field() -> None:
    """The reader cannot name a field for a lone surrogate in a JSON escape; the receiver
    (an entry's fields, a rules draft) refuses it by its name."""
    assert read_json_object(b'{"a": "\\ud800"}', field="f", expected=EXPECTED,
                            refuse=lambda errors: InvalidInput("x", errors)) == {"a": "\ud800"}


def refuse(errors: list[FieldError]) -> InvalidInput:
    return InvalidInput("the body has {count} errors", errors)


def test_known_fields_holding_strings_or_null_pass_as_they_are() -> None:
    body = {"full_name": "Анна", "phone": None}
    assert check_fields(body, known={"full_name", "phone", "email"},
                        strings={"full_name", "phone", "email"}, refuse=refuse) is body


def test_every_unknown_field_and_every_field_not_a_string_is_named_at_once() -> None:
    with pytest.raises(InvalidInput) as caught:
        check_fields({"mood": "angry", "age": 30, "email": ["a@example.com"], "phone": 7,
                      "ip": "10.0.0.1"}, known={"email", "phone", "age"},
                     strings={"email", "phone"}, refuse=refuse)
    assert [(e.field, e.code) for e in caught.value.errors] == [
        ("ip", "unknown_field"), ("mood", "unknown_field"),
        ("email", "not_a_string"), ("phone", "not_a_string")]
    assert caught.value.text() == "the body has 4 errors"


def test_a_field_not_asked_to_be_a_string_may_hold_anything() -> None:
    assert check_fields({"text": 5}, known={"text"}, refuse=refuse) == {"text": 5}


@pytest.mark.parametrize("raw", [b"", b"   \n"])
def test_nothing_sent_is_asked_for_in_words(raw: bytes) -> None:
    error = refused(raw)
    assert (error.code, error.text()) == ("not_json_object", EXPECTED)


@pytest.mark.parametrize(("raw", "english", "russian"), [
    (b'{"a": }', "is not JSON: a value is missing at line 1 column 7",
     "не JSON: не хватает значения в строке 1, столбце 7"),
    (b'{"a": 1 "b": 2}', "is not JSON: a comma is missing at line 1 column 9",
     "не JSON: не хватает запятой в строке 1, столбце 9"),
    (b'{"a": "open', "is not JSON: a string is not closed at line 1 column 7",
     "не JSON: строка не закрыта кавычкой в строке 1, столбце 7"),
    (b'{"a": 1} x', "is not JSON: more follows the end of the JSON at line 1 column 10",
     "не JSON: после конца JSON есть ещё текст в строке 1, столбце 10"),
])
def test_what_is_wrong_with_the_json_is_said_in_words(raw: bytes, english: str,
                                                      russian: str) -> None:
    error = refused(raw)
    assert error.text("en") == english
    assert error.text("ru") == russian
    assert "Expecting" not in error.text("uk")


def test_no_problem_the_decoder_names_is_left_in_its_english() -> None:
    for raw in (b'{"a": }', b'{"a": 1 "b": 2}', b'{"a" 1}', b'{a: 1}', b'{"a": "\\q"}',
                b'{"a": "\\u12"}', b'{"a": "\x01"}', b'{"a": 1} x', b'{"a": "open'):
        text = refused(raw).text("ru")
        assert not any(word in text for word in ("Expecting", "Invalid", "Extra",
                                                 "Unterminated")), (raw, text)
