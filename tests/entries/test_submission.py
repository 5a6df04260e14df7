from datetime import UTC, date, datetime

import pytest

from contest.entries.submission import COLUMNS, MAX_LENGTHS, parse_submission
from contest.errors import EntryRejected
from tests.entries.builders import entrant


def rejected_fields(data: dict[str, str | None], **options: object) -> dict[str, str]:
    with pytest.raises(EntryRejected) as caught:
        parse_submission(data, **options)  # type: ignore[arg-type]
    return {error.field: error.code for error in caught.value.errors}


def test_the_columns_are_the_import_and_export_format() -> None:
    assert COLUMNS == (
        "entry_id", "submitted_at", "full_name", "email", "phone", "birth_date", "address",
        "city", "postal_code", "country", "ip", "device_id", "social_handle", "account",
        "user_agent",
    )


def test_a_social_account_is_read_in_its_one_form_and_reaches_the_entrant() -> None:
    read = parse_submission({"full_name": "Анна", "account": "https://vk.com/id123456"})
    assert (read.account, read.contact_unknown) == ("vk:123456", False)
    assert parse_submission({"full_name": "Ann", "account": "ig:@Brand.Fan"}).account == (
        "ig:brand.fan")
    assert rejected_fields({"full_name": "Ann", "account": "vk:club1"}) == {
        "account": "invalid_account", "email": "contact_required"}


def test_every_bad_field_is_reported_at_once() -> None:
    data = {
        "full_name": "  ", "email": "not-an-email", "phone": "+7 000 000",
        "birth_date": "17.05.1990", "country": "XX", "ip": "300.1.1.1", "submitted_at": "yesterday",
    }
    with pytest.raises(EntryRejected, match="the entry has 7 errors") as caught:
        parse_submission(data)
    assert {(e.field, e.code) for e in caught.value.errors} == {
        ("full_name", "required"), ("email", "invalid_email"), ("phone", "invalid_phone"),
        ("birth_date", "invalid_date"), ("country", "unknown_country"), ("ip", "invalid_ip"),
        ("submitted_at", "invalid_datetime"),
    }
    assert "not-an-email" in str(caught.value)


def test_an_email_or_a_phone_is_required() -> None:
    assert rejected_fields({"full_name": "Anna"}) == {"email": "contact_required"}
    assert parse_submission({"full_name": "Anna", "phone": "+79161234567"}).email is None
    assert parse_submission({"full_name": "Anna", "email": "a@b.ru"}).phone is None


@pytest.mark.parametrize(("raw", "country", "expected"), [
    ("8 (916) 123-45-67", "RU", "+79161234567"),
    ("+7 916 123 4567", None, "+79161234567"),
    ("+7 916 123 4567", "US", "+79161234567"),
    ("79161234567", "RU", "+79161234567"),
    ("79161234567", None, "+79161234567"),
    ("067 123 4567", "UA", "+380671234567"),
    ("(415) 555-2671", "US", "+14155552671"),
])
def test_phones_normalise_to_e164(raw: str, country: str | None, expected: str) -> None:
    data = {"full_name": "Anna", "phone": raw} | ({"country": country} if country else {})
    assert parse_submission(data).phone == expected


def test_a_national_phone_uses_the_default_country_when_the_entry_names_none() -> None:
    assert parse_submission({"full_name": "A", "phone": "067 123 4567"},
                            default_country="UA").phone == "+380671234567"
    assert rejected_fields({"full_name": "A", "phone": "067 123 4567"}) == {
        "phone": "unreadable_phone"}


def test_unreadable_and_invalid_phones_are_told_apart() -> None:
    assert rejected_fields(entrant(phone="call me")) == {"phone": "unreadable_phone"}
    assert rejected_fields(entrant(phone="+7 000 000")) == {"phone": "invalid_phone"}


def test_values_are_normalised() -> None:
    submission = parse_submission({
        "full_name": "  Anna \t  Petrova ", "email": " Anna.P@Example.RU ", "country": "ru",
        "address": "Ul. Lenina, 5 - kv. 3", "city": "Moscow", "postal_code": "101 000",
        "ip": "2001:DB8::0:1",
        "birth_date": "1990-05-17", "submitted_at": "2026-12-02T10:00:00+03:00",
        "social_handle": " @anna ", "unknown": "ignored",
    })
    assert submission.full_name == "Anna Petrova"
    assert submission.email == "Anna.P@Example.RU"
    assert submission.email_key == "anna.p@example.ru"
    assert submission.country == "RU"
    assert submission.ip == "2001:db8::1"
    assert submission.birth_date == date(1990, 5, 17)
    assert submission.submitted_at == datetime(2026, 12, 2, 7, 0, tzinfo=UTC)
    assert submission.social_handle == "@anna"
    same_home = parse_submission(entrant(address="ул. Ленина, д. 5, кв. 3", city="Москва"))
    assert submission.household_key == same_home.household_key == "RU|moskva|lenina 5|3"
    assert parse_submission(entrant(address=None)).household_key is None


def test_birth_dates_must_be_plausible() -> None:
    assert rejected_fields(entrant(birth_date="1899-12-31")) == {
        "birth_date": "birth_date_too_early"}
    assert rejected_fields(entrant(birth_date="2026-12-02"), today=date(2026, 12, 1)) == {
        "birth_date": "birth_date_in_future"}
    assert rejected_fields(
        entrant(birth_date="2026-12-02", submitted_at="2026-12-01T10:00:00+00:00")
    ) == {"birth_date": "birth_date_in_future"}
    assert rejected_fields(entrant(birth_date="1990-02-30")) == {"birth_date": "invalid_date"}
    assert rejected_fields(entrant(birth_date="19900517")) == {"birth_date": "invalid_date"}


def test_submitted_at_needs_an_offset() -> None:
    assert rejected_fields(entrant(submitted_at="2026-12-01T10:00:00")) == {
        "submitted_at": "offset_required"}
    moment = parse_submission(entrant(submitted_at="2026-12-01T10:00:00Z")).submitted_at
    assert moment == datetime(2026, 12, 1, 10, 0, tzinfo=UTC)


def test_over_long_fields_are_refused_with_the_limit() -> None:
    limit = MAX_LENGTHS["full_name"]
    with pytest.raises(EntryRejected, match=f"at most {limit} are allowed") as caught:
        parse_submission(entrant(full_name="A" * (limit + 1), city="C" * 201))
    assert {(e.field, e.code) for e in caught.value.errors} == {
        ("full_name", "too_long"), ("city", "too_long")}
    assert parse_submission(entrant(full_name="A" * limit)).full_name == "A" * limit


@pytest.mark.parametrize("column", [c for c in COLUMNS])
def test_a_field_whose_text_is_not_text_is_refused_by_name(column: str) -> None:
    for bad in ("\ud800", "\x00", "\x1f", "\ufdef", "\U0001fffe"):
        data = entrant(email="anna@example.ru") | {column: f"x{bad}y"}
        with pytest.raises(EntryRejected) as caught:
            parse_submission(data)
        [error] = [e for e in caught.value.errors if e.field == column]
        assert error.code == "not_text"
        assert f"U+{ord(bad):04X}" in error.text() and "position 2" in error.text()
        assert bad not in str(caught.value)


def test_white_space_is_text_and_other_fields_still_report_their_errors() -> None:
    assert parse_submission(entrant(address="ul. Lenina 5,\r\n\tkv. 3")).address == (
        "ul. Lenina 5,\r\n\tkv. 3")
    assert rejected_fields(entrant(full_name="A\x00", email="broken")) == {
        "full_name": "not_text", "email": "invalid_email"}
    assert rejected_fields({"full_name": "\x00", "email": "a@example.ru"}) == {
        "full_name": "not_text"}


@pytest.mark.parametrize("moment", [
    "9999-12-31T23:59:59-23:59",   # year 10000 in UTC: no datetime holds it
    "0001-01-01T00:30:00+01:00",   # year 0 in UTC
    "1999-12-31T23:59:59Z", "3000-01-01T00:00:00+00:00",
    "2000-01-01T00:30:00+01:00",   # 1999 in UTC
    "2999-12-31T23:00:00-02:00",   # 3000 in UTC
])
def test_a_moment_outside_the_years_2000_to_2999_is_refused(moment: str) -> None:
    with pytest.raises(EntryRejected) as caught:
        parse_submission(entrant(submitted_at=moment))
    [error] = caught.value.errors
    assert (error.field, error.code) == ("submitted_at", "moment_out_of_range")
    assert f'"{moment}" is not within the years 2000 to 2999 in UTC' in error.text()
    assert error.text("ru") != error.text()


@pytest.mark.parametrize("moment", ["2000-01-01T00:00:00Z", "2999-12-31T23:59:59.999999Z",
                                    "2000-01-01T13:00:00+13:00", "2999-12-31T10:00:00-13:59"])
def test_the_first_and_last_moments_of_the_years_are_taken(moment: str) -> None:
    assert parse_submission(entrant(submitted_at=moment)).submitted_at == (
        datetime.fromisoformat(moment))
