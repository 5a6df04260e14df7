"""Time zones found and written as people name them (contest.zones)."""
from datetime import UTC, datetime

import pytest

from contest.zones import find_zones, known_zone, utc_offset, zone_choices, zone_label

WINTER = datetime(2026, 12, 7, 12, 0, tzinfo=UTC)
SUMMER = datetime(2026, 7, 1, 12, 0, tzinfo=UTC)


@pytest.mark.parametrize("query", ["Kyiv", "Київ", "Киев", "киев", "Europe/Kyiv", "kyiv"])
@pytest.mark.parametrize("language", ["en", "ru", "uk"])
def test_kyiv_is_found_by_its_name_in_every_language_and_by_its_iana_name(
        query: str, language: str) -> None:
    assert [choice.zone for choice in find_zones(query, language)] == ["Europe/Kyiv"]


def test_a_zone_is_found_by_its_country_name() -> None:
    assert "Europe/Kyiv" in [choice.zone for choice in find_zones("Украина", "ru")]
    assert "Europe/Moscow" in [choice.zone for choice in find_zones("russia", "en")]


def test_a_query_of_two_words_finds_the_zones_with_both() -> None:
    assert [choice.zone for choice in find_zones("new york", "en")] == ["America/New_York"]


def test_the_label_is_the_city_in_the_page_language_with_the_offset_of_the_moment() -> None:
    assert zone_label("Europe/Kyiv", "uk", WINTER) == "Київ (UTC+02:00)"
    assert zone_label("Europe/Kyiv", "uk", SUMMER) == "Київ (UTC+03:00)"
    assert zone_label("Europe/Moscow", "ru", WINTER) == "Москва (UTC+03:00)"
    assert zone_label("America/New_York", "en", WINTER) == "New York (UTC−05:00)"
    assert zone_label("Asia/Kolkata", "en", WINTER) == "Kolkata (UTC+05:30)"
    assert zone_label("UTC", "ru", WINTER) == "UTC"


def test_the_offset_of_utc_is_said_as_utc() -> None:
    assert utc_offset("Europe/London", WINTER) == "UTC"
    assert utc_offset("Europe/London", SUMMER) == "UTC+01:00"


def test_the_picker_lists_utc_first_then_every_zone_of_the_zone_table_once() -> None:
    choices = zone_choices("en")
    zones = [choice.zone for choice in choices]
    assert zones[0] == "UTC"
    assert len(zones) == len(set(zones)) > 300
    assert "Europe/Kyiv" in zones and "Europe/Kiev" not in zones


def test_known_zones_are_iana_names_and_utc() -> None:
    assert known_zone("Europe/Kyiv") and known_zone("Europe/Kiev") and known_zone("UTC")
    assert not known_zone("Kyiv") and not known_zone("")
