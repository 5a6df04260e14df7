"""Who can win, by age, and the share of them a prize suits (its *universality*).

An :class:`Audience` is an age distribution over single years 0 to :data:`OLDEST` ("100 and
over"), kept per country because a prize's legal minimum age can differ by country (alcohol
is 21+ in the US). It comes from one of two places:

* the contest's actual entrants (:func:`audience_of_entrants`): each eligible entrant counts
  once, at their age on the day of their entry;
* before any entries, the rules' age range (:func:`audience_of_rules`): the population of the
  contest's countries between ``min_age`` and ``max_age``, weighted by each country's age
  profile and size from ``data/population.toml`` (UN World Population Prospects 2024,
  rounded; see the file's header for how exact it is).

:func:`universality` is the share of the audience whose age the prize suits, with the shares
too young and too old for it.
"""

import tomllib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from enum import StrEnum
from functools import cache
from pathlib import Path
from typing import Any

from sqlmodel import Session, col, select

from contest.entries.eligibility import age_on, local_day
from contest.errors import FieldError
from contest.i18n import N_, N_plural
from contest.models import Contest, Entry
from contest.prizes.catalogue import CatalogueInvalid, PrizeType
from contest.rules.document import RulesDocument

OLDEST = 100
"""The last single year of age kept; older people count as this age."""
POPULATION_PATH = Path(__file__).parent / "data" / "population.toml"
_AGES = OLDEST + 1


class AudienceSource(StrEnum):
    ENTRANTS = "entrants"
    RULES = "rules"


@dataclass(frozen=True)
class PopulationProfile:
    """One country's population by single year of age (shares summing to 1)."""

    country: str
    name: str
    population: int
    shares: tuple[float, ...]


@dataclass(frozen=True)
class PopulationTable:
    """Every country profile shipped, with the source it was taken from."""

    source: str
    year: int
    profiles: Mapping[str, PopulationProfile] = field(compare=False)


@cache
def default_population() -> PopulationTable:
    return load_population(POPULATION_PATH)


def load_population(path: Path = POPULATION_PATH) -> PopulationTable:
    """Read a population file: 5-year groups spread evenly over their single years."""
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    return parse_population(data)


def parse_population(data: Mapping[str, Any]) -> PopulationTable:
    groups = data.get("groups")
    errors: list[FieldError] = []
    spans = _group_spans(groups) if isinstance(groups, list) else None
    if spans is None:
        errors.append(FieldError("groups", "invalid",
                                 N_("must list age groups such as 0-4 … 95-99, 100+")))
        spans = []
    profiles: dict[str, PopulationProfile] = {}
    countries = data.get("countries")
    for code, row in (countries.items() if isinstance(countries, dict) else ()):
        where = f"countries.{code}"
        percent = row.get("percent") if isinstance(row, dict) else None
        people = row.get("population_thousands") if isinstance(row, dict) else None
        if (not isinstance(percent, list) or len(percent) != len(spans)
                or not all(isinstance(v, int | float) and v >= 0 for v in percent)
                or sum(percent) <= 0):
            errors.append(FieldError(f"{where}.percent", "invalid",
                                     N_("must hold {expected} non-negative shares, one per "
                                        "group"), {"expected": len(spans)}))
            continue
        if not isinstance(people, int) or people <= 0:
            errors.append(FieldError(f"{where}.population_thousands", "invalid",
                                     N_("must be a positive whole number")))
            continue
        total = float(sum(percent))
        shares = [0.0] * _AGES
        for (low, high), value in zip(spans, percent, strict=True):
            for age in range(low, high + 1):
                shares[age] += value / total / (high - low + 1)
        profiles[code] = PopulationProfile(country=code, name=str(row.get("name", code)),
                                           population=people * 1000, shares=tuple(shares))
    if not profiles and not errors:
        errors.append(FieldError("countries", "required", N_("must hold at least one country")))
    if errors:
        raise CatalogueInvalid(N_plural("the population table has {count} error",
                                        "the population table has {count} errors"), errors)
    return PopulationTable(source=str(data.get("source", "")), year=int(data.get("year", 0)),
                           profiles=profiles)


def _group_spans(groups: Sequence[object]) -> list[tuple[int, int]] | None:
    spans: list[tuple[int, int]] = []
    for group in groups:
        if not isinstance(group, str):
            return None
        if group.endswith("+"):
            low = high = int(group[:-1])
        else:
            low_text, _, high_text = group.partition("-")
            low, high = int(low_text), int(high_text)
        if not 0 <= low <= high <= OLDEST:
            return None
        spans.append((low, high))
    return spans


@dataclass(frozen=True)
class AudiencePart:
    """The audience from one country (``None``: country not known), as weights by age."""

    country: str | None
    weights: tuple[float, ...]


@dataclass(frozen=True)
class Audience:
    """The people a prize would go to, by age (and country).

    ``entrants`` is the number of entrants counted (0 for an audience from the rules);
    ``min_age``/``max_age`` are the youngest and oldest ages in it; ``countries`` those it
    covers, ``missing_countries`` the rules' countries without a population profile.
    """

    source: AudienceSource
    parts: tuple[AudiencePart, ...]
    entrants: int = 0
    countries: tuple[str, ...] = ()
    missing_countries: tuple[str, ...] = ()

    @property
    def weights(self) -> tuple[float, ...]:
        """Weight by age over every country, normalised to sum to 1 (all zeros if empty)."""
        total = [0.0] * _AGES
        for part in self.parts:
            for age, weight in enumerate(part.weights):
                total[age] += weight
        whole = sum(total)
        return tuple(w / whole for w in total) if whole else tuple(total)

    @property
    def empty(self) -> bool:
        return not any(any(part.weights) for part in self.parts)

    @property
    def min_age(self) -> int | None:
        ages = [age for age, weight in enumerate(self.weights) if weight > 0]
        return ages[0] if ages else None

    @property
    def max_age(self) -> int | None:
        ages = [age for age, weight in enumerate(self.weights) if weight > 0]
        return ages[-1] if ages else None

    def median_age(self) -> float | None:
        """The age half the audience is younger than (in whole years for entrants; for a
        population, interpolated within the year)."""
        weights = self.weights
        if not any(weights):
            return None
        running = 0.0
        for age, weight in enumerate(weights):
            if weight and running + weight >= 0.5:
                if self.source is AudienceSource.ENTRANTS:
                    return float(age)
                return round(age + (0.5 - running) / weight, 1)
            running += weight
        return float(OLDEST)


def audience_of_entrants(ages: Iterable[int],
                         countries: Sequence[str | None] | None = None) -> Audience:
    """The audience of actual entrants: one count per entrant at ``ages`` (completed years),
    optionally with each entrant's country (same order) for country-specific legal ages."""
    ages = list(ages)
    if countries is not None and len(countries) != len(ages):
        raise ValueError(f"{len(countries)} countries for {len(ages)} ages")
    by_country: dict[str | None, list[float]] = {}
    for position, age in enumerate(ages):
        country = None if countries is None else countries[position]
        weights = by_country.setdefault(country, [0.0] * _AGES)
        weights[min(max(age, 0), OLDEST)] += 1.0
    parts = tuple(AudiencePart(country, tuple(weights))
                  for country, weights in sorted(by_country.items(), key=_country_order))
    known = tuple(sorted(c for c in by_country if c is not None))
    return Audience(source=AudienceSource.ENTRANTS, parts=parts, entrants=len(ages),
                    countries=known)


def _country_order(item: tuple[str | None, object]) -> str:
    return item[0] or ""


def audience_of_rules(min_age: int, max_age: int | None, countries: Iterable[str] = (), *,
                      population: PopulationTable | None = None) -> Audience:
    """The people the rules admit: ages ``min_age``..``max_age`` (no upper bound when
    ``None``) in ``countries``, each country weighted by its population and age profile.

    With no countries, or none with a profile, every profile in the table counts together
    (``missing_countries`` then names the ones asked for)."""
    table = population or default_population()
    wanted = tuple(dict.fromkeys(countries))
    missing = tuple(c for c in wanted if c not in table.profiles)
    chosen = [table.profiles[c] for c in wanted if c in table.profiles]
    if not chosen:
        chosen = list(table.profiles.values())
    low, high = max(min_age, 0), OLDEST if max_age is None else min(max_age, OLDEST)
    parts = []
    for profile in chosen:
        weights = tuple(profile.population * share if low <= age <= high else 0.0
                        for age, share in enumerate(profile.shares))
        parts.append(AudiencePart(profile.country, weights))
    return Audience(source=AudienceSource.RULES, parts=tuple(parts),
                    countries=tuple(p.country for p in chosen), missing_countries=missing)


@dataclass(frozen=True)
class Universality:
    """The share of an audience a prize suits by age (``score``), and the shares younger
    and older than its range. The three sum to 1 (0 each for an empty audience)."""

    score: float
    younger: float
    older: float


def universality(prize_type: PrizeType, audience: Audience) -> Universality:
    """How much of ``audience`` ``prize_type`` suits, country by country (legal ages)."""
    suits = younger = older = 0.0
    for part in audience.parts:
        low = prize_type.min_age_in(part.country)
        for age, weight in enumerate(part.weights):
            if age < low:
                younger += weight
            elif age > prize_type.age_max:
                older += weight
            else:
                suits += weight
    whole = suits + younger + older
    if not whole:
        return Universality(0.0, 0.0, 0.0)
    return Universality(suits / whole, younger / whole, older / whole)


def entrant_ages(session: Session, *, contest: Contest,
                 rules: RulesDocument) -> tuple[list[int], list[str | None]]:
    """The ages (at the local day of each entry, in the rules' time zone) and countries of
    the contest's eligible entrants who gave a birth date."""
    query = (select(col(Entry.birth_date), Entry.submitted_at, col(Entry.country))
             .where(Entry.contest_id == contest.id, col(Entry.eligible).is_(True),
                    col(Entry.birth_date).is_not(None))
             .order_by(col(Entry.id)))
    ages: list[int] = []
    countries: list[str | None] = []
    for born, submitted_at, country in session.exec(query).all():
        assert isinstance(born, date) and isinstance(submitted_at, datetime)
        ages.append(age_on(born, local_day(rules, submitted_at)))
        countries.append(country)
    return ages, countries


def contest_audience(session: Session, *, contest: Contest, rules: RulesDocument,
                     population: PopulationTable | None = None) -> Audience:
    """The entrants when the contest has eligible entries with ages, otherwise the people
    its rules admit."""
    ages, countries = entrant_ages(session, contest=contest, rules=rules)
    if ages:
        return audience_of_entrants(ages, countries)
    eligibility = rules.eligibility
    return audience_of_rules(eligibility.min_age, eligibility.max_age, eligibility.countries,
                             population=population)
