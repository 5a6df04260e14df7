"""Amounts and currencies as people write them (contest.rules.written), property-based: an
amount Babel writes in any of the three languages reads back as the same number, and no text
at all makes a reader fail but with a clear Malformed error."""

from decimal import Decimal

from babel.numbers import format_decimal
from hypothesis import given, settings
from hypothesis import strategies as st

from contest.errors import Malformed
from contest.rules.parse import country_codes, currency_codes, time_zones
from contest.rules.regions import region_choices
from contest.rules.written import (
    SPACES,
    find_countries,
    find_currency,
    read_amount,
    write_amount,
)
from tests.builders import rules_document
from web.rules_form import draft_to_form, family_of, read_form

LANGUAGES = st.sampled_from(["en", "ru", "uk"])
AMOUNTS = st.decimals(min_value=0, max_value=Decimal("999999999999.99"), places=2,
                      allow_nan=False, allow_infinity=False)


@settings(max_examples=400, deadline=None)
@given(amount=AMOUNTS, language=LANGUAGES, space=st.sampled_from(SPACES))
def test_an_amount_written_in_the_persons_language_reads_back_as_itself(
    amount: Decimal, language: str, space: str
) -> None:
    written = format_decimal(amount, locale=language, decimal_quantization=False)
    written = written.replace("\u00a0", space)
    assert Decimal(read_amount(written, language)) == amount


@settings(max_examples=400, deadline=None)
@given(amount=AMOUNTS, language=LANGUAGES)
def test_an_amount_is_written_as_the_person_writes_it_and_read_back_digit_for_digit(
    amount: Decimal, language: str
) -> None:
    stored = f"{amount:.2f}"
    written = write_amount(stored, language)
    assert read_amount(written, language) == stored
    decimal_mark = "." if language == "en" else ","
    assert written.endswith(decimal_mark + stored[-2:])
    if amount >= 1000:
        assert ("," if language == "en" else "\u00a0") in written


@settings(max_examples=400, deadline=None)
@given(amount=AMOUNTS, language=LANGUAGES)
def test_an_amount_in_the_rules_own_form_reads_in_every_language(
    amount: Decimal, language: str
) -> None:
    written = f"{amount:.2f}"
    assert Decimal(read_amount(written, language)) == amount


@settings(max_examples=500, deadline=None)
@given(text=st.text(alphabet=st.sampled_from("0123456789 ,.-−\u00a0\u202fe₽$abc"),
                    max_size=20) | st.text(max_size=20),
       language=LANGUAGES)
def test_any_text_is_an_amount_or_a_clear_error(text: str, language: str) -> None:
    try:
        amount = read_amount(text, language)
    except Malformed as error:
        assert text.strip() in error.text(language) or not text.strip()
    else:
        Decimal(amount)  # the rules' decimal text


@settings(max_examples=300, deadline=None)
@given(text=st.text(max_size=30))
def test_any_text_is_a_currency_a_list_of_countries_or_a_clear_error(text: str) -> None:
    for reader in (find_currency, find_countries):
        try:
            reader(text)
        except Malformed as error:
            assert error.text("uk")


@settings(max_examples=150, deadline=None)
@given(language=LANGUAGES,
       countries=st.lists(st.sampled_from(sorted(country_codes())), max_size=6, unique=True),
       currency=st.sampled_from(sorted(currency_codes())),
       zone=st.sampled_from(sorted(time_zones())),
       amount=AMOUNTS,
       regions=st.lists(st.sampled_from([c.code for c in region_choices("en")]), max_size=4,
                        unique=True))
def test_an_unchanged_wizard_form_saves_the_same_rules_in_every_language(
    language: str, countries: list[str], currency: str, zone: str, amount: Decimal,
    regions: list[str]
) -> None:
    """Countries, regions, currencies and zones are shown by name, and read back as the same
    codes."""
    draft = rules_document().to_data()
    draft["eligibility"]["countries"] = countries
    draft["eligibility"]["regions"] = regions
    draft["period"]["timezone"] = zone
    draft["prizes"][0]["retail_value"] = {"amount": f"{amount:.2f}", "currency": currency}
    form = draft_to_form(draft, language)
    reading = read_form(form, family_of(draft), draft=draft, language=language)
    assert reading.errors == ()
    saved = reading.draft
    assert saved["eligibility"]["countries"] == countries
    assert saved["eligibility"]["regions"] == regions
    assert saved["period"]["timezone"] == zone
    assert saved["prizes"][0]["retail_value"] == draft["prizes"][0]["retail_value"]
