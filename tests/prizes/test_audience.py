"""The audience by age — entrants, or the rules' range over population profiles — and the
share of it a prize suits."""

import tomllib
from datetime import date
from pathlib import Path

import pytest
from sqlmodel import Session

from contest.models import Channel
from contest.prizes.audience import (
    OLDEST,
    POPULATION_PATH,
    AudienceSource,
    audience_of_entrants,
    audience_of_rules,
    contest_audience,
    default_population,
    entrant_ages,
    load_population,
    parse_population,
    universality,
)
from contest.prizes.catalogue import CatalogueInvalid, default_catalogue
from tests.prizes.builders import enter, prize, prize_contest, prize_rules

CATALOGUE = default_catalogue()


def two_countries() -> dict[str, object]:
    """AA: a million people aged 0-49; BB: three million aged 50-99."""
    return {
        "source": "test", "year": 2024, "groups": ["0-49", "50-99", "100+"],
        "countries": {
            "AA": {"name": "Young", "population_thousands": 1000, "percent": [100, 0, 0]},
            "BB": {"name": "Old", "population_thousands": 3000, "percent": [0, 100, 0]},
        },
    }


def test_entrants_count_once_each_against_the_prize_range() -> None:
    skateboard = CATALOGUE["skateboard"]
    ages = [3, 10, 20, 30, 40, 50, 60, 70]
    fit = universality(skateboard, audience_of_entrants(ages))
    assert fit.score == sum(skateboard.age_min <= a <= skateboard.age_max for a in ages) / 8
    assert fit.younger == sum(a < skateboard.age_min for a in ages) / 8
    assert fit.older == sum(a > skateboard.age_max for a in ages) / 8
    assert fit.score + fit.younger + fit.older == pytest.approx(1.0)


def test_a_legal_age_counts_in_the_entrants_country() -> None:
    alcohol = CATALOGUE["alcohol"]
    audience = audience_of_entrants([19, 19, 25], countries=["US", "RU", "US"])
    fit = universality(alcohol, audience)
    assert (fit.score, fit.younger) == (pytest.approx(2 / 3), pytest.approx(1 / 3))
    assert audience.countries == ("RU", "US")


def test_entrant_ages_and_countries_must_pair_up() -> None:
    with pytest.raises(ValueError, match="1 countries for 2 ages"):
        audience_of_entrants([20, 30], countries=["RU"])


def test_the_rules_range_is_weighted_by_population_and_age_profile() -> None:
    table = parse_population(two_countries())
    young = CATALOGUE["toys"]  # ages 0-13
    both = audience_of_rules(0, None, ["AA", "BB"], population=table)
    assert both.source is AudienceSource.RULES
    assert universality(young, both).score == pytest.approx(0.25 * 14 / 50)
    only_young = audience_of_rules(0, None, ["AA"], population=table)
    assert universality(young, only_young).score == pytest.approx(14 / 50)
    adults = audience_of_rules(25, 60, ["AA", "BB"], population=table)
    # AA contributes ages 25-49 (half its million), BB ages 50-60 (11 of its 50 years).
    weights = adults.weights
    assert sum(weights[25:50]) == pytest.approx(0.5 / (0.5 + 3 * 11 / 50))
    assert (adults.min_age, adults.max_age) == (25, 60)


def test_the_shipped_profile_weighs_a_rules_range() -> None:
    russia = default_population().profiles["RU"].shares
    skateboard = CATALOGUE["skateboard"]
    audience = audience_of_rules(18, None, ["RU"])
    expected = sum(russia[18:skateboard.age_max + 1]) / sum(russia[18:])
    assert universality(skateboard, audience).score == pytest.approx(expected)


def test_countries_without_a_profile_are_named_and_all_profiles_stand_in() -> None:
    audience = audience_of_rules(18, None, ["FR"])
    assert audience.missing_countries == ("FR",)
    assert set(audience.countries) == set(default_population().profiles)
    mixed = audience_of_rules(18, None, ["RU", "FR"])
    assert (mixed.countries, mixed.missing_countries) == (("RU",), ("FR",))


def test_median_age() -> None:
    assert audience_of_entrants([20, 30, 40]).median_age() == 30
    assert audience_of_entrants([20, 30, 40, 50]).median_age() == 30
    kazakhstan = audience_of_rules(0, None, ["KZ"]).median_age()
    germany = audience_of_rules(0, None, ["DE"]).median_age()
    assert kazakhstan is not None and germany is not None and kazakhstan < germany
    assert audience_of_entrants([]).median_age() is None


def test_very_old_entrants_count_at_the_oldest_age() -> None:
    audience = audience_of_entrants([104, 30])
    assert audience.max_age == OLDEST
    assert universality(CATALOGUE["cash"], audience).score == 1.0


def test_an_empty_audience_suits_nobody() -> None:
    fit = universality(CATALOGUE["cash"], audience_of_entrants([]))
    assert (fit.score, fit.younger, fit.older) == (0.0, 0.0, 0.0)


def test_the_population_table_covers_the_contest_countries() -> None:
    table = default_population()
    assert {"RU", "UA", "US", "BY", "KZ", "GB", "DE", "PL"} <= set(table.profiles)
    assert "World Population Prospects 2024" in table.source
    header = POPULATION_PATH.read_text(encoding="utf-8").split("source =")[0]
    assert "rounded" in header and "without internet" in header
    for profile in table.profiles.values():
        assert sum(profile.shares) == pytest.approx(1.0)
        assert profile.population > 1_000_000


def test_population_profiles_keep_known_differences() -> None:
    """Kazakhstan is far younger than Germany; Russia and Ukraine lie between."""
    profiles = default_population().profiles

    def under_18(country: str) -> float:
        return sum(profiles[country].shares[:18])

    assert under_18("KZ") > under_18("RU") > under_18("DE")
    assert under_18("KZ") > under_18("UA")


def test_a_population_row_of_the_wrong_length_is_refused(tmp_path: Path) -> None:
    data = tomllib.loads(POPULATION_PATH.read_text(encoding="utf-8"))
    data["countries"]["RU"]["percent"] = [10, 20]
    with pytest.raises(CatalogueInvalid, match="the population table has 1 error:"):
        parse_population(data)
    path = tmp_path / "population.toml"
    path.write_text(POPULATION_PATH.read_text(encoding="utf-8"), encoding="utf-8")
    assert load_population(path).profiles.keys() == default_population().profiles.keys()


def test_contest_audience_is_its_eligible_entrants_at_their_entry_day(
        session: Session) -> None:
    rules = prize_rules(prize("Скейтборд"), min_age=18, countries=("RU", "US"))
    contest, version = prize_contest(session, rules)
    assert version is not None
    # Entries on 2 December 2026 (UTC): a birthday that day counts, the next day does not.
    enter(session, contest, version, rules, born=date(2000, 12, 2), number=1)
    enter(session, contest, version, rules, born=date(2000, 12, 3), number=2, country="US")
    under_age = enter(session, contest, version, rules, born=date(2012, 1, 1), number=3,
                      channel=Channel.CSV)  # the form keeps nothing of them
    session.commit()
    assert under_age.eligible is False
    assert entrant_ages(session, contest=contest, rules=rules) == ([26, 25], ["RU", "US"])
    audience = contest_audience(session, contest=contest, rules=rules)
    assert audience.source is AudienceSource.ENTRANTS
    assert (audience.entrants, audience.min_age, audience.max_age) == (2, 25, 26)


def test_without_entries_the_rules_range_stands_in(session: Session) -> None:
    rules = prize_rules(prize("Скейтборд"), min_age=21, max_age=60, countries=("UA",))
    contest, _ = prize_contest(session, rules)
    audience = contest_audience(session, contest=contest, rules=rules)
    assert audience.source is AudienceSource.RULES
    assert (audience.min_age, audience.max_age, audience.countries) == (21, 60, ("UA",))
    assert audience.weights == audience_of_rules(21, 60, ["UA"]).weights
