"""Regions as people name them, in English, Russian and Ukrainian, read back into ISO 3166-2
codes without guessing."""

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from contest.errors import Malformed
from contest.i18n import translate
from contest.rules.parse import is_region_code
from contest.rules.regions import (
    find_region,
    find_regions,
    region_choices,
    region_name,
    region_written,
)


@pytest.mark.parametrize(("code", "language", "name"), [
    ("RU-MOW", "en", "Moscow"), ("RU-MOW", "ru", "Москва"), ("RU-MOW", "uk", "Москва"),
    ("UA-46", "ru", "Львовская область"), ("UA-46", "uk", "Львівська область"),
    ("RU-MOS", "ru", "Московская область"), ("RU-MOS", "uk", "Московська область"),
    ("BY-HM", "ru", "Минск"), ("DE-BY", "en", "Bavaria"),
])
def test_a_region_is_named_in_each_language(code: str, language: str, name: str) -> None:
    assert region_name(code, language) == name


@pytest.mark.parametrize(("text", "code"), [
    ("Москва", "RU-MOW"), ("moscow", "RU-MOW"), ("Moskva", "RU-MOW"), ("МОСКВА", "RU-MOW"),
    ("Львовская область", "UA-46"), ("львівська область", "UA-46"),
    ("Могилевская область", "BY-MA"), ("Могилёвская область", "BY-MA"),
    ("Москва — Россия", "RU-MOW"), ("Moscow - Russia", "RU-MOW"), ("Москва (Росія)", "RU-MOW"),
    ("Limburg — Netherlands", "NL-LI"), ("Лімбург — Бельгія", "BE-VLI"),
    ("RU-MOW", "RU-MOW"), ("ru-spe", "RU-SPE"),
])
def test_a_region_is_read_by_its_name_or_code(text: str, code: str) -> None:
    assert find_region(text, "en") == code


def test_a_code_is_accepted_as_today_even_one_without_a_name() -> None:
    assert find_regions("RU-MOW RU-SPE", "en") == ["RU-MOW", "RU-SPE"]
    assert find_regions("ru-mow,ua-46", "en") == ["RU-MOW", "UA-46"]
    assert find_regions("RU-ZZZ", "en") == ["RU-ZZZ"]  # parse_rules judges it, as before


def test_a_list_of_names_is_read_in_order_and_each_once() -> None:
    assert find_regions("Москва, Львівська область; Moscow", "ru") == ["RU-MOW", "UA-46"]
    assert find_regions("Tatarstan, Respublika, Москва", "en") == ["RU-TA", "RU-MOW"]


def test_a_name_of_several_regions_is_refused_naming_them_in_the_persons_language() -> None:
    with pytest.raises(Malformed) as raised:
        find_region("Лимбург", "ru")
    text = translate(raised.value.message, "ru", raised.value.params)
    assert "«Лимбург»" in text
    assert "Лимбург — Бельгия" in text and "Лимбург — Нидерланды" in text
    with pytest.raises(Malformed, match=r"Limburg fits several regions \(.*Netherlands.*\)"):
        find_region("Limburg", "en")


def test_the_rules_countries_tell_which_region_a_shared_name_means() -> None:
    assert find_region("Limburg", "en", countries=("NL",)) == "NL-LI"


def test_an_unknown_name_is_refused() -> None:
    with pytest.raises(Malformed, match="Narnia is not a region we know"):
        find_region("Narnia", "en")
    with pytest.raises(Malformed) as raised:
        find_regions("Москва, Нарнія", "uk")
    assert translate(raised.value.message, "uk", raised.value.params).startswith("«Нарнія»")


def test_the_picker_names_each_region_with_its_country() -> None:
    choices = region_choices("ru", ("RU", "UA"))
    names = [choice.name for choice in choices]
    assert "Москва — Россия" in names and "Львовская область — Украина" in names
    assert {choice.code[:2] for choice in choices} == {"RU", "UA"}
    assert len(names) == len(set(names))
    assert all(find_region(choice.name, "ru") == choice.code for choice in choices)
    assert len(region_choices("en")) > 3000


def test_a_region_is_written_so_that_it_reads_back() -> None:
    assert region_written("RU-MOW", "uk") == "Москва"
    assert region_written("NL-LI", "ru") == "Лимбург — Нидерланды"
    assert region_written("RU-ZZZ", "ru") == "RU-ZZZ"


def test_two_regions_of_a_country_with_one_name_are_told_apart_by_the_label() -> None:
    """Cantabria is an autonomous community of Spain and, inside it, a province."""
    community, province = region_written("ES-CB", "en"), region_written("ES-S", "en")
    assert community == "Cantabria — Spain"
    assert province == "Cantabria (Cantabria) — Spain"
    assert find_region(community, "en") == "ES-CB" and find_region(province, "en") == "ES-S"


@settings(max_examples=300, deadline=None)
@given(text=st.text(alphabet=st.sampled_from("Москва LimburgРоссия()—-,; \nRU-MOWё"),
                    max_size=40), language=st.sampled_from(["en", "ru", "uk"]))
def test_any_text_is_read_into_codes_or_refused_with_a_malformed_error(text: str,
                                                                        language: str) -> None:
    try:
        codes = find_regions(text, language)
    except Malformed:
        return
    assert all(is_region_code(code) for code in codes)


@pytest.mark.parametrize("language", ["en", "ru", "uk"])
def test_every_listed_region_is_written_so_that_it_reads_back(language: str) -> None:
    for code in (choice.code for choice in region_choices(language)):
        written = region_written(code, language)
        assert written == code or find_regions(written, language) == [code], (code, written)


@pytest.mark.parametrize("language", ["ru", "uk"])
def test_the_regions_of_russia_ukraine_belarus_and_kazakhstan_have_cyrillic_names(
        language: str) -> None:
    """pycountry's Russian catalog lacks most of them; contest/data/region-names.tsv fills in."""
    latin = [choice.name for choice in region_choices(language, ("RU", "UA", "BY", "KZ"))
             if re.search("[A-Za-z]", choice.name)]
    assert latin == []


@pytest.mark.parametrize("language", ["en", "ru", "uk"])
def test_two_provinces_whose_second_is_named_as_the_country_stay_two(language: str) -> None:
    """"Panamá Oeste, Panamá" read as the one province Panamá Oeste in the country Panama
    (a hypothesis example of tests/fuzz/test_written_values.py)."""
    written = ", ".join(region_written(code, language) for code in ("PA-10", "PA-8"))
    assert find_regions(written, language) == ["PA-10", "PA-8"]
