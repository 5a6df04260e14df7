"""Contacts: one mailbox, phone, device or IP address written two ways is one key, and a
provider's rule never merges the mailboxes of a provider that does not follow it."""

import gc
import random
import re
import types

import phonenumbers
import pytest
from hypothesis import given
from hypothesis import strategies as st
from phonenumbers import PhoneMetadata

from contest.identity import contacts
from contest.identity.contacts import (
    BLOCK_DIGITS,
    EMAIL_KEY_LENGTH,
    device_key,
    email_key,
    is_email_address,
    phone_e164,
    phone_key,
    phone_region,
    split_values,
    valid_national_number,
    written_email_key,
    written_phone_key,
)


@pytest.mark.parametrize(("a", "b", "key"), [
    ("Ivan.Petrov+promo@GoogleMail.com", "ivanpetrov@gmail.com", "ivanpetrov@gmail.com"),
    ("i.v.a.n.petrov@gmail.com", "IVANPETROV@GMAIL.COM", "ivanpetrov@gmail.com"),
    ("ivan-petrov@ya.ru", "Ivan.Petrov@yandex.com", "ivan-petrov@yandex.ru"),
    ("ivan.petrov+shop@yandex.by", "ivan-petrov@yandex.kz", "ivan-petrov@yandex.ru"),
    ("ivan.petrov@yandex.ua", "ivan-petrov@narod.ru", "ivan-petrov@yandex.ru"),
    ("IVAN@mail.ru", "ivan@MAIL.RU", "ivan@mail.ru"),
    ("anna+news@outlook.com", "Anna@Outlook.com", "anna@outlook.com"),
    ("anna+x@hotmail.co.uk", "anna@hotmail.co.uk", "anna@hotmail.co.uk"),
    ("anna+shop@live.ru", "anna@live.ru", "anna@live.ru"),
    ("anna+shop@me.com", "anna@icloud.com", "anna@icloud.com"),
    ("anna@mac.com", "anna@me.com", "anna@icloud.com"),
    ("anna+shop@fastmail.com", "anna@fastmail.com", "anna@fastmail.com"),
    ("john.doe+x@pm.me", "John_Doe@protonmail.com", "johndoe@proton.me"),
    ("john-doe@proton.me", "johndoe@protonmail.ch", "johndoe@proton.me"),
    (" <ivan@x.ru> ", "mailto:Ivan@X.RU", "ivan@x.ru"),
    ("Ivan Petrov <Ivan@X.ru>", "ivan@x.ru", "ivan@x.ru"),
    ("ivan@example.com.", "ivan@example.com", "ivan@example.com"),
    ("иван@почта.рф", "ИВАН@ПОЧТА.РФ", "иван@xn--80a1acny.xn--p1ai"),
])
def test_aliases_of_one_mailbox_are_one_key(a: str, b: str, key: str) -> None:
    assert email_key(a) == email_key(b) == key


@pytest.mark.parametrize(("a", "b"), [
    # dots are significant everywhere but Gmail and Proton
    ("ivan.petrov@mail.ru", "ivanpetrov@mail.ru"), ("o.shevchenko@ukr.net", "oshevchenko@ukr.net"),
    ("ivan.petrov@bk.ru", "ivanpetrov@bk.ru"), ("ivan.petrov@list.ru", "ivanpetrov@list.ru"),
    ("ivan.petrov@inbox.ru", "ivanpetrov@inbox.ru"),
    ("ivan.petrov@rambler.ru", "ivanpetrov@rambler.ru"),
    ("john.smith@yahoo.com", "johnsmith@yahoo.com"),
    ("john.smith@outlook.com", "johnsmith@outlook.com"),
    ("john.smith@icloud.com", "johnsmith@icloud.com"),
    ("john.smith@fastmail.com", "johnsmith@fastmail.com"),
    ("ivan.petrov@i.ua", "ivanpetrov@i.ua"), ("ivan.petrov@company.ru", "ivanpetrov@company.ru"),
    # Yandex folds "." and "-" together, never drops them
    ("ivan.petrov@yandex.ru", "ivanpetrov@yandex.ru"),
    ("ivan_petrov@yandex.ru", "ivan-petrov@yandex.ru"),
    # +tags only where the provider delivers them
    ("ivan+x@mail.ru", "ivan@mail.ru"), ("ivan+x@ukr.net", "ivan@ukr.net"),
    ("john+x@yahoo.com", "john@yahoo.com"), ("john+x@example.com", "john@example.com"),
    # one login at two providers, or at two providers of one company
    ("ivan.petrov@gmail.com", "ivan.petrov@yandex.ru"), ("anna@outlook.com", "anna@hotmail.com"),
    ("anna@gmail.com", "anna@google.com"), ("anna@mail.ru", "anna@bk.ru"),
])
def test_mailboxes_that_differ_stay_apart(a: str, b: str) -> None:
    assert email_key(a) != email_key(b)


@pytest.mark.parametrize("text", [
    "ivan at mail.ru", "ivan@", "@mail.ru", "ivan@mail", "ivan@@mail.ru", "ivan petrov@mail.ru",
    "+promo@gmail.com", "", "   ", "ivan@-mail.ru", "ivan@mail.ru, anna@mail.ru",
    ".@gmail.com", "...@mail.ru", "+@ya.ru", "ivan:petrov@mail.ru", "ivan<petrov@mail.ru",
])
def test_what_is_not_an_address_has_no_key(text: str) -> None:
    assert email_key(text) is None
    assert not is_email_address(text)


@pytest.mark.parametrize(("text", "key"), [
    # no dot-atom (RFC 5322 3.2.3), but lenient servers deliver them and the form takes them
    ("ivan..petrov@mail.ru", "ivan..petrov@mail.ru"), (".ivan@mail.ru", ".ivan@mail.ru"),
    ("A.@gmail.com", "a@gmail.com"), (".a..b.@googlemail.com", "ab@gmail.com"),
    ("ivan.@ya.ru", "ivan-@yandex.ru"),
])
def test_dots_a_dot_atom_refuses_still_name_a_mailbox(text: str, key: str) -> None:
    assert email_key(text) == key
    assert is_email_address(text)


@pytest.mark.parametrize("text", ["Ivan <ivan@x.ru>", "<ivan@x.ru>", " ivan@x.ru "])
def test_the_form_takes_an_address_alone(text: str) -> None:
    assert email_key(text) == "ivan@x.ru"
    assert not is_email_address(text)


def test_a_key_longer_than_its_column_is_its_hash() -> None:
    address = "ivan@" + ".".join(["пример"] * 35) + ".рф"
    assert len(address) <= EMAIL_KEY_LENGTH < len(address.encode("idna"))
    key = email_key(address)
    assert key is not None and key.startswith("sha256:") and len(key) == 71
    assert email_key(address.upper()) == key != email_key("anna" + address[4:])


@pytest.mark.parametrize(("phone", "region", "expected"), [
    ("8 (916) 123-45-67", "RU", "+79161234567"), ("+7 916 123 4567", None, "+79161234567"),
    ("79161234567", "RU", "+79161234567"), ("79161234567", None, "+79161234567"),
    ("9161234567", "RU", "+79161234567"), ("8-916-123-45-67", "ru", "+79161234567"),
    ("+7 (916) 123-45-67 доб. 12", "RU", "+79161234567"), ("8 10 7 916 123 45 67", "RU",
                                                            "+79161234567"),
    ("+7 8 916 123 45 67", "RU", "+79161234567"), ("8 (495) 123-45-67", "RU", "+74951234567"),
    ("067 123 4567", "UA", "+380671234567"), ("+380 67 123 45 67", "RU", "+380671234567"),
    ("380671234567", "UA", "+380671234567"), ("380671234567", "RU", "+380671234567"),
    ("(067) 123-45-67", "UA", "+380671234567"), ("8 067 123 45 67", "UA", "+380671234567"),
    ("+380 (0) 67 123 4567", None, "+380671234567"), ("+380671234567", "US", "+380671234567"),
    ("(212) 555-0100", "US", "+12125550100"), ("1-212-555-0100", "US", "+12125550100"),
    ("212.555.0100", "US", "+12125550100"), ("+1 212 555 0100", "RU", "+12125550100"),
    ("12125550100", None, "+12125550100"), ("020 7946 0958", "GB", "+442079460958"),
    ("+39 06 6982 1234", None, "+390669821234"),
])
def test_phones_become_e164_in_the_persons_country(phone: str, region: str | None,
                                                   expected: str) -> None:
    assert phone_key(phone, region) == expected


@pytest.mark.parametrize(("phone", "region"), [
    ("not a phone", "RU"), ("12", "US"), ("", "RU"), ("   ", None), ("-----------", "RU"),
    ("+7 000 000 00 00", "RU"), ("8 (999) 999-99-99", "RU"), ("1234567890", "RU"),
    ("(212) 000-0000", "US"), ("9161234567", None), ("9161234567", "XX"),
    ("+7 916 123 45 67 89 01", "RU"), ("8 916 123", "RU"), ("+999 123 456 789", None),
])
def test_what_is_no_valid_number_has_no_key(phone: str, region: str | None) -> None:
    assert phone_key(phone, region) is None


@pytest.mark.parametrize(("phone", "region", "e164"), [
    ("8 (999) 999-99-99", "RU", "+79999999999"), ("+7 916 000-00-00", None, "+79160000000"),
    ("+1 212 777 7777", None, "+12127777777"), ("067 000 00 00", "UA", "+380670000000"),
])
def test_a_placeholder_is_a_number_but_no_ones_key(phone: str, region: str | None,
                                                   e164: str) -> None:
    assert phone_e164(phone, region) == e164
    assert phone_key(phone, region) is None
    assert phone_key(e164, None) is None


@pytest.mark.parametrize(("phone", "region", "read_in"), [
    ("call me", "RU", None), ("067 123 4567", None, None), ("", "RU", None),
    ("+7 000 000", "RU", "RU"), ("+7 000 000", None, "RU"), ("(212) 000-0000", "US", "US"),
    ("+999 123 456 789", None, None), ("123", "US", "US"),
])
def test_why_a_phone_is_no_number(phone: str, region: str | None, read_in: str | None) -> None:
    assert phone_e164(phone, region) is None
    assert phone_region(phone, region) == read_in


@pytest.mark.parametrize(("phone", "region"), [
    ("+999 12", None), ("8 (999) 123", "RU"), ("0000", "US"),
])
def test_a_phone_that_is_no_number_leaves_no_frames_behind(phone: str,
                                                           region: str | None) -> None:
    """phonenumbers keeps a failed attempt's exception in a local of the frame that raises
    the next one; kept, that cycle would hold every caller's frame (an import's every row)
    until the garbage collector's full pass."""
    gc.collect()
    gc.disable()
    gc.set_debug(gc.DEBUG_SAVEALL)
    try:
        assert phone_e164.__wrapped__(phone, region) is None  # not the cached answer
        assert phone_region(phone, region) is not None or region is None
        gc.collect()
        frames = [thing for thing in gc.garbage if isinstance(thing, types.FrameType)]
    finally:
        gc.set_debug(0)
        gc.garbage.clear()
        gc.enable()
    assert frames == []


@pytest.mark.parametrize(("phone", "region", "e164"), [
    ("8 (916) 123-45-67", "RU", "+79161234567"), ("380671234567", "RU", "+380671234567"),
    ("79161234567", "US", "+79161234567"), ("8 067 123-45-67", "UA", "+380671234567"),
])
def test_an_entrants_phone_is_read_as_the_graph_reads_it(phone: str, region: str | None,
                                                         e164: str) -> None:
    assert phone_e164(phone, region) == phone_key(phone, region) == e164


@pytest.mark.parametrize(("phone", "region", "expected"), [
    ("8 (916) 123-45-67", "RU", "+79161234567"), ("9161234567", "RU", "+79161234567"),
    ("067 123 4567", "UA", "+380671234567"), ("(212) 555-0100", "US", "+12125550100"),
    ("1-212-555-0100", "US", "+12125550100"), ("+7 916 123 4567", None, "+79161234567"),
    ("8 (701) 123-45-67", "KZ", "+77011234567"),
])
def test_common_shapes_are_read_without_the_full_parser(phone: str, region: str | None,
                                                        expected: str) -> None:
    assert contacts._fast_phone(phone, region) == expected


_SEPARATORS = st.sampled_from(["", " ", "-", ".", "(", ")", " - "])


@st.composite
def written_numbers(draw: st.DrawFn) -> tuple[str, str | None]:
    region = draw(st.sampled_from(["RU", "UA", "US", "KZ", "CA", "GB", None]))
    head = draw(st.sampled_from(["", "+", "8", "0", "1", "7", "+7", "+380", "+1", "8 10 ",
                                 "380", "+1 876", "1 246", "+7 7"]))
    digits = draw(st.text(alphabet="0123456789", min_size=6, max_size=12))
    parts = [digits[i: i + 3] for i in range(0, len(digits), 3)]
    text = head + "".join(part + draw(_SEPARATORS) for part in parts)
    return text, region


@given(written_numbers())
def test_the_fast_reading_agrees_with_the_full_parser(number: tuple[str, str | None]) -> None:
    text, region = number
    fast = contacts._fast_phone(text.strip(), region)
    if fast is not None:
        assert fast == contacts._parsed_phone(text.strip(), region)


def _top_level_alternatives(pattern: str) -> list[str]:
    alternatives, depth, in_class, current, i = [], 0, False, "", 0
    while i < len(pattern):
        char = pattern[i]
        if char == "\\":
            current += pattern[i: i + 2]
            i += 2
            continue
        if in_class:
            in_class = char != "]"
        elif char == "[":
            in_class = True
        elif char in "()":
            depth += 1 if char == "(" else -1
        elif char == "|" and depth == 0:
            alternatives.append(current)
            current, i = "", i + 1
            continue
        current += char
        i += 1
    return [*alternatives, current]


_TRAILING_DIGITS = re.compile(r"\\d(?:\{(\d+)(?:,\d*)?\})?$")


def _free_digits(pattern: str) -> int:
    """How many last digits every string matching ``pattern`` may have freely: the least,
    over its alternatives, of the trailing ``\\d{n}``s (into a closing group too)."""
    least = None
    for alternative in _top_level_alternatives(pattern):
        free = 0
        while alternative:
            found = _TRAILING_DIGITS.search(alternative)
            if found is not None:
                free += int(found.group(1) or 1)
                alternative = alternative[: found.start()]
            elif alternative.endswith(")"):
                depth, start = 0, len(alternative) - 1
                for start in range(len(alternative) - 1, -1, -1):
                    if alternative[start] in "()" and alternative[start - 1: start] != "\\":
                        depth += 1 if alternative[start] == ")" else -1
                    if depth == 0:
                        break
                inner = alternative[start + 1: -1].removeprefix("?:")
                free += _free_digits(inner)
                break
            else:
                break
        least = free if least is None else min(least, free)
    return least or 0


_NUMBER_TYPES = ("general_desc", "fixed_line", "mobile", "toll_free", "premium_rate",
                 "shared_cost", "personal_number", "voip", "pager", "uan", "voicemail")


@pytest.mark.parametrize(("country_code", "free"), sorted(BLOCK_DIGITS.items()))
def test_validity_never_depends_on_the_digits_a_block_leaves_free(country_code: int,
                                                                  free: int) -> None:
    for region in phonenumbers.COUNTRY_CODE_TO_REGION_CODE[country_code]:
        metadata = PhoneMetadata.metadata_for_region(region)
        assert metadata is not None
        # a region is told from the first digits only, never from the block's free ones
        assert re.fullmatch(r"[\d|\[\]-]*", metadata.leading_digits or ""), region
        for number_type in _NUMBER_TYPES:
            description = getattr(metadata, number_type, None)
            if description is not None and description.national_number_pattern:
                assert _free_digits(description.national_number_pattern) >= free, (
                    region, number_type)


def test_the_pattern_reader_counts_trailing_free_digits() -> None:
    assert _free_digits(r"9\d{9}") == 9
    assert _free_digits(r"800[1-8]\d{5,6}|9\d{8}") == 5
    assert _free_digits(r"(?:3[1-8]|4[13-8])\d{7}") == 7
    assert _free_digits(r"246521[0369]\d{3}|246\d{7}") == 3
    assert _free_digits(r"(?:\d{2}|5)?7\d\d") == 2
    assert _free_digits(r"12[34]") == 0


@given(st.text(max_size=40), st.sampled_from(["RU", "UA", "US", "ru", "", "ZZ", None]))
def test_reading_a_phone_never_raises(text: str, region: str | None) -> None:
    key = phone_key(text, region)
    assert key is None or (key.startswith("+") and key[1:].isdigit())
    number = phone_e164(text, region)
    assert key in (None, number)
    if number is None:
        read_in = phone_region(text, region)
        assert read_in is None or len(read_in) == 2


@given(st.text(max_size=60))
def test_reading_an_email_never_raises(text: str) -> None:
    key = email_key(text)
    assert key is None or (key.count("@") == 1 and key == key.lower())


@pytest.mark.parametrize(("field", "values"), [
    (" a@x.ru; b@y.ru ;;", ["a@x.ru", "b@y.ru"]),
    ("+7 916 123-45-67, 8 916 765 43 21\n", ["+7 916 123-45-67", "8 916 765 43 21"]),
    ("a@x.ru\nb@y.ru\r\nc@z.ru", ["a@x.ru", "b@y.ru", "c@z.ru"]),
    ("single@x.ru", ["single@x.ru"]), (" ; ", []), ("", []),
    ("a@x.ru, b@y.ru", ["a@x.ru", "b@y.ru"]),
    ("+7 916 123-45-67, доб. 12", ["+7 916 123-45-67, доб. 12"]),
    ("Ivan Petrov <ivan@x.ru>", ["Ivan Petrov <ivan@x.ru>"]),
])
def test_a_field_of_several_values_is_split_and_trimmed(field: str, values: list[str]) -> None:
    assert split_values(field) == values


@pytest.mark.parametrize(("device", "key"), [
    ("  ABC-def-1234 ", "abc-def-1234"), ("6A88E339-0C1B-4F5E-9D3A-2B1C0D9E8F7A",
                                          "6a88e339-0c1b-4f5e-9d3a-2b1c0d9e8f7a"),
    ("00000000-0000-0000-0000-000000000000", None), ("9774D56D682E549C", None),
    ("unknown", None), ("NULL", None), ("", None), ("   ", None), ("02:00:00:00:00:00", None),
    ("ffffffff-ffff-ffff-ffff-ffffffffffff", None), ("0", None),
])
def test_device_ids_are_compared_as_given_but_placeholders_tie_no_one(
        device: str, key: str | None) -> None:
    assert device_key(device) == key


_CODES = (7, 380, 1, 44, 49, 33, 375, 48, 90, 86, 91, 61, 800, 39, 54)


@given(st.sampled_from(_CODES), st.integers(min_value=6, max_value=12),
       st.integers(min_value=0, max_value=10**12))
def test_compiled_validity_says_what_phonenumbers_says(code: int, length: int,
                                                        seed: int) -> None:
    national = str(seed).zfill(length)[-length:].lstrip("0") or "1"
    expected = phonenumbers.is_valid_number(
        phonenumbers.PhoneNumber(country_code=code, national_number=int(national)))
    assert valid_national_number(code, national) == expected


def test_compiled_validity_on_real_shapes() -> None:
    assert valid_national_number(7, "9161234567")       # a Moscow mobile
    assert valid_national_number(7, "7012345678")       # Kazakhstan, told by leading digits
    assert valid_national_number(380, "671234567")
    assert valid_national_number(1, "2125550100") is phonenumbers.is_valid_number(
        phonenumbers.parse("+12125550100"))
    assert not valid_national_number(7, "1234567890")
    assert not valid_national_number(999, "1234567")     # no such country code


def test_compiled_validity_agrees_around_every_regions_example_numbers() -> None:
    rng = random.Random(1)
    checked = valid = 0
    for region in sorted(phonenumbers.SUPPORTED_REGIONS):
        for kind in (phonenumbers.PhoneNumberType.MOBILE,
                     phonenumbers.PhoneNumberType.FIXED_LINE):
            example = phonenumbers.example_number_for_type(region, kind)
            if example is None:
                continue
            for _ in range(8):  # the example with a few digits changed, dropped or added
                digits = list(str(example.national_number))
                for _ in range(rng.randint(0, 2)):
                    digits[rng.randrange(len(digits))] = str(rng.randint(0, 9))
                if rng.random() < 0.2:
                    digits.pop()
                national = "".join(digits).lstrip("0") or "1"
                expected = phonenumbers.is_valid_number(phonenumbers.PhoneNumber(
                    country_code=example.country_code, national_number=int(national)))
                assert valid_national_number(example.country_code, national) == expected, (
                    region, national)
                checked, valid = checked + 1, valid + expected
    assert checked > 3000 and valid > checked // 3


@pytest.mark.parametrize(("phone", "key"), [
    ("+1 466 555 0123", "?4665550123"), ("+1 (466) 555-0123", "?4665550123"),
    ("466.555.0123", "?4665550123"), ("8 (870) 123-45-67", "?8701234567"),
    ("+7 870 123 45 67", "?8701234567"), ("+380 60 123 4567", "?0601234567"),
    ("060 123 4567", "?0601234567"), ("8 916 12-34-567", "?9161234567"),
    ("1234567", None), ("+7 000 000 00 00", None), ("76543210", None), ("12-34", None),
    ("", None),
])
def test_a_phone_no_plan_knows_keeps_its_digits_as_a_key_unless_strangers_type_it_alike(
        phone: str, key: str | None) -> None:
    assert written_phone_key(phone) == key
    if key is not None:
        assert phone_key(phone, "US") is None  # else the number's own key is used


def test_an_address_no_rule_reads_keeps_itself_as_a_key_that_no_address_meets() -> None:
    assert written_email_key(" Ivan@@Mail ") is None
    assert written_email_key("ivan@mail") == written_email_key("IVAN@MAIL ") == "?ivan@mail"
    assert written_email_key("no-at-sign") is None
    assert written_email_key("two words@mail.ru") is None
    long_one = "x" * 200 + "@" + "y" * 52 + "_"
    assert len(long_one) == 254 and email_key(long_one) is None
    key = written_email_key(long_one)
    assert key is not None and key.startswith("sha256:") and len(key) <= EMAIL_KEY_LENGTH
