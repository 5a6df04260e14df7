"""Amounts, currencies and countries as people write them in English, Russian and Ukrainian,
read without guessing."""

import pytest

from contest.errors import Malformed
from contest.rules.parse import country_codes
from contest.rules.written import (
    country_choices,
    country_name,
    currency_choices,
    find_countries,
    find_country,
    find_currency,
    find_zone,
    read_amount,
    write_amount,
)

NBSP, NNBSP = "\u00a0", "\u202f"


@pytest.mark.parametrize(("text", "language", "amount"), [
    ("3500", "en", "3500"), ("3 500", "ru", "3500"), ("3 500", "en", "3500"),
    (f"3{NBSP}500", "uk", "3500"), (f"3{NNBSP}500", "ru", "3500"),
    ("3,500.00", "en", "3500.00"), ("3,500.00", "ru", "3500.00"), ("3 500,50", "ru", "3500.50"),
    ("3 500,50", "en", "3500.50"), ("3.500,50", "uk", "3500.50"), ("3,500", "en", "3500"),
    ("1,000,000", "ru", "1000000"), ("1.000.000", "en", "1000000"), ("100.00", "ru", "100.00"),
    ("100,5", "ru", "100.5"), ("100.5", "en", "100.5"), (" 42 ", "uk", "42"), ("0", "en", "0"),
    ("0,99", "uk", "0.99"), ("007", "en", "7"), (f"12{NBSP}345{NBSP}678,9", "uk", "12345678.9"),
    ("1 234 567.89", "en", "1234567.89"), ("-5", "en", "-5"), ("3 500,123", "ru", "3500.123"),
])
def test_amounts_are_read_as_people_write_them(text: str, language: str, amount: str) -> None:
    assert read_amount(text, language) == amount


@pytest.mark.parametrize(("text", "language"), [("3.500", "en"), ("3.500", "ru"),
                                                 ("3,500", "ru"), ("3,500", "uk")])
def test_a_single_mark_before_three_digits_that_could_be_either_is_refused(
    text: str, language: str
) -> None:
    with pytest.raises(Malformed, match="could mean 3500 or 3[.,]500") as raised:
        read_amount(text, language)
    assert raised.value.text("ru").startswith(f"{text} может означать 3500 или 3")


@pytest.mark.parametrize("text", ["", "abc", "3 50", "35 000 0", "3,50,0.00", "1.2.3,4,5",
                                  "3500.", "3500,", ",5", "1,000 000", "3 500 ₽", "1e5",
                                  "½", "٣٥٠٠", "3..5", "--5", "0x10"])
def test_what_is_not_an_amount_is_refused_with_an_example_in_the_language(text: str) -> None:
    with pytest.raises(Malformed, match="is not an amount: write digits, such as 3,500.00"):
        read_amount(text, "en")
    with pytest.raises(Malformed) as raised:
        read_amount(text, "uk")
    assert "3 500,00" in raised.value.text("uk")


@pytest.mark.parametrize(("text", "code"), [
    ("UAH", "UAH"), ("uah", "UAH"), ("грн", "UAH"), ("грн.", "UAH"), ("₴", "UAH"),
    ("гривня", "UAH"), ("Гривна", "UAH"), ("українська гривня", "UAH"),
    ("украинских гривен", "UAH"), ("Ukrainian hryvnia", "UAH"), ("hryvnia", "UAH"),
    ("₽", "RUB"), ("руб.", "RUB"), ("руб", "RUB"), ("RUB", "RUB"), ("российский рубль", "RUB"),
    ("Russian rubles", "RUB"), ("$", "USD"), ("US dollar", "USD"), ("доллар США", "USD"),
    ("€", "EUR"), ("euro", "EUR"), ("євро", "EUR"), ("£", "GBP"), ("тенге", "KZT"),
    ("  Euro  ", "EUR"),
])
def test_currencies_are_found_by_name_symbol_or_code(text: str, code: str) -> None:
    assert find_currency(text) == code


def test_a_word_of_several_currencies_is_refused_naming_them() -> None:
    with pytest.raises(Malformed, match=r"dollar names several currencies \(.*AUD.*USD.*\)"):
        find_currency("dollar")


@pytest.mark.parametrize("text", ["", "shekels of gold", "XYZ", "рупь"])
def test_what_is_no_currency_is_refused(text: str) -> None:
    with pytest.raises(Malformed):
        find_currency(text)


@pytest.mark.parametrize(("text", "code"), [
    ("Ukraine", "UA"), ("Україна", "UA"), ("Украина", "UA"), ("ukraine", "UA"), ("ua", "UA"),
    ("Россия", "RU"), ("Russia", "RU"), ("Росія", "RU"), ("США", "US"), ("USA", "US"),
    ("United States", "US"), ("Казахстан", "KZ"), ("Германия", "DE"),
])
def test_countries_are_found_by_name_in_three_languages_or_code(text: str, code: str) -> None:
    assert find_country(text) == code


@pytest.mark.parametrize("language", ["en", "ru", "uk"])
def test_every_country_is_found_by_its_name_in_every_language(language: str) -> None:
    for code in country_codes():
        assert find_country(country_name(code, language)) == code


def test_a_list_of_countries_keeps_its_order_and_names_with_commas() -> None:
    assert find_countries("Україна, Russia; us\nUkraine") == ["UA", "RU", "US"]
    assert find_countries(f"{country_name('SH', 'en')}, Ukraine") == ["SH", "UA"]
    assert find_countries("") == []
    with pytest.raises(Malformed, match="Narnia is not a country we know"):
        find_countries("Ukraine, Narnia")


def test_pickers_name_countries_and_currencies_in_the_persons_language() -> None:
    assert any(c.code == "UA" and c.name == "Україна" for c in country_choices("uk"))
    assert any(c.code == "UAH" and c.name == "украинская гривна (UAH)"
               for c in currency_choices("ru"))
    assert all(c.code != "RUR" for c in currency_choices("en"))  # no longer in use


@pytest.mark.parametrize(("text", "language", "zone"), [
    ("Kyiv", "en", "Europe/Kyiv"), ("Київ", "uk", "Europe/Kyiv"), ("Киев", "ru", "Europe/Kyiv"),
    ("Europe/Kyiv", "en", "Europe/Kyiv"), ("київ", "en", "Europe/Kyiv"),
    ("Київ (UTC+03:00)", "uk", "Europe/Kyiv"), ("Москва (UTC+03:00)", "ru", "Europe/Moscow"),
    ("New York", "en", "America/New_York"), ("utc", "en", "UTC"), ("UTC", "uk", "UTC"),
    ("ROC", "en", "ROC"), ("  Moscow  ", "en", "Europe/Moscow"),
])
def test_time_zones_are_found_by_city_label_or_iana_name(text: str, language: str,
                                                         zone: str) -> None:
    assert find_zone(text, language) == zone


def test_a_zone_that_fits_several_is_refused_naming_them() -> None:
    with pytest.raises(Malformed, match=r"Ukraine fits several time zones \(.*Kyiv.*\)"):
        find_zone("Ukraine", "en")
    with pytest.raises(Malformed, match="Narnia is not a time zone we know"):
        find_zone("Narnia", "en")
    with pytest.raises(Malformed, match="choose a time zone"):
        find_zone(" ", "en")


@pytest.mark.parametrize(("amount", "language", "written"), [
    ("3500.50", "en", "3,500.50"), ("3500.50", "ru", f"3{NBSP}500,50"),
    ("1000000", "uk", f"1{NBSP}000{NBSP}000"), ("100.00", "ru", "100,00"), ("999", "en", "999"),
    ("1.500", "en", "1.500"),  # would read as ambiguous: shown as stored
    ("tomorrow", "en", "tomorrow"),
])
def test_an_amount_is_shown_as_the_person_writes_it_when_it_reads_back(
    amount: str, language: str, written: str
) -> None:
    assert write_amount(amount, language) == written
