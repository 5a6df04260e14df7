"""The prize catalogue: the kinds of prizes contests give, whom each suits, what each is worth.

The catalogue is data, shipped as ``contest/prizes/data/catalogue.toml`` (TOML 1.0, read with
:mod:`tomllib`) so that a marketer or auditor can correct an age range without touching code.
Every prize type carries its names in English, Russian and Ukrainian, the words marketers use
for it, the age range it suits with the reason for that range, an optional physical or legal
precondition, and a typical value range in US dollars. The file is checked completely on
load: a broken catalogue raises :class:`CatalogueInvalid` listing every problem.
"""

import math
import re
import tomllib
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import Any

from contest.errors import FieldError, InvalidInput
from contest.i18n import N_, N_plural

CATALOGUE_PATH = Path(__file__).parent / "data" / "catalogue.toml"
SCHEMA = "contest-prize-catalogue/1"
LANGUAGES = ("en", "ru", "uk")
OPEN_AGE = 120
"""An ``age_max`` of 120 means the range has no upper bound."""
CATEGORIES = frozenset({
    "universal", "experience", "tickets", "travel", "subscription", "education", "electronics",
    "home", "kitchen", "food", "sport", "outdoor", "kids", "beauty", "fashion", "hobby",
    "health", "pets", "garden", "auto", "adult", "property",
})
PRECONDITION_KINDS = frozenset({"physical", "legal"})

_ID = re.compile(r"[a-z][a-z0-9]*(?:_[a-z0-9]+)*")
_COUNTRY = re.compile(r"[A-Z]{2}")
_CURRENCY = re.compile(r"[A-Z]{3}")


class CatalogueInvalid(InvalidInput):
    """The catalogue file is not what :mod:`contest.prizes.catalogue` expects."""

    code = "catalogue_invalid"


@dataclass(frozen=True)
class Precondition:
    """What a winner must be able or allowed to do to use a prize (riding, a licence, 18+)."""

    key: str
    kind: str
    texts: Mapping[str, str] = field(compare=False)

    def text(self, language: str = "en") -> str:
        return self.texts.get(language) or self.texts["en"]


@dataclass(frozen=True)
class ValueRange:
    """A typical retail value range, in ``currency``."""

    low: Decimal
    high: Decimal
    currency: str

    @property
    def typical(self) -> Decimal:
        """The geometric middle of the range, to two significant digits (prices spread
        multiplicatively: between 10 and 1,000 the typical price is 100, not 505)."""
        middle = math.sqrt(float(max(self.low, Decimal("0.01"))) * float(self.high))
        return _two_significant(middle)

    @property
    def any_amount(self) -> bool:
        """Whether the range is so wide (the top a thousand times the bottom, or more) that
        it says nothing of a typical value: cash, a gift card."""
        return self.high >= 1000 * max(self.low, Decimal(1))

    def overlaps(self, low: Decimal, high: Decimal) -> bool:
        return self.low <= high and low <= self.high


@dataclass(frozen=True)
class PrizeType:
    """One kind of prize in the catalogue."""

    id: str
    category: str
    names: Mapping[str, str] = field(compare=False)
    synonyms: tuple[str, ...]
    age_min: int
    age_max: int
    reason: str
    value: ValueRange
    precondition: Precondition | None = None
    age_min_by_country: Mapping[str, int] = field(default_factory=dict, compare=False)
    wraps: bool = False
    brands: tuple[str, ...] = ()

    def name(self, language: str = "en") -> str:
        return self.names.get(language) or self.names["en"]

    @property
    def open_ended(self) -> bool:
        return self.age_max >= OPEN_AGE

    def min_age_in(self, country: str | None) -> int:
        """The youngest age the prize suits in ``country`` (a legal age may differ)."""
        if country is None:
            return self.age_min
        return self.age_min_by_country.get(country, self.age_min)

    def suits(self, age: int, country: str | None = None) -> bool:
        return self.min_age_in(country) <= age <= self.age_max

    def age_range_text(self) -> str:
        return f"{self.age_min}+" if self.open_ended else f"{self.age_min}–{self.age_max}"


@dataclass(frozen=True)
class Catalogue:
    """Every prize type, the currency rates to compare values, and the noise words."""

    types: tuple[PrizeType, ...]
    currency: str
    rates: Mapping[str, Decimal] = field(compare=False)
    noise: frozenset[str] = frozenset()
    preconditions: Mapping[str, Precondition] = field(default_factory=dict, compare=False)
    _by_id: Mapping[str, PrizeType] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_by_id", {t.id: t for t in self.types})

    def __iter__(self) -> Iterator[PrizeType]:
        return iter(self.types)

    def __len__(self) -> int:
        return len(self.types)

    def __getitem__(self, type_id: str) -> PrizeType:
        found = self.get(type_id)
        if found is None:
            raise KeyError(type_id)
        return found

    def get(self, type_id: str) -> PrizeType | None:
        return self._by_id.get(type_id)

    def convert(self, amount: Decimal, currency: str) -> Decimal | None:
        """``amount`` of ``currency`` in the catalogue's currency; ``None`` for a currency
        without a rate."""
        rate = self.rates.get(currency.upper())
        return None if rate is None else amount * rate


@cache
def default_catalogue() -> Catalogue:
    """The catalogue shipped with the project, read once."""
    return load_catalogue(CATALOGUE_PATH)


def load_catalogue(path: Path = CATALOGUE_PATH) -> Catalogue:
    """Read and check a catalogue file; raises :class:`CatalogueInvalid` with every problem."""
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (UnicodeDecodeError, tomllib.TOMLDecodeError) as error:
        raise CatalogueInvalid(N_plural("the prize catalogue has {count} error",
                                        "the prize catalogue has {count} errors"), [FieldError(
            "catalogue", "not_toml", N_("is not UTF-8 TOML: {problem}"), {"problem": str(error)},
        )]) from None
    return parse_catalogue(data)


def parse_catalogue(data: Mapping[str, Any]) -> Catalogue:
    """The catalogue in ``data`` (a parsed TOML document), checked completely."""
    reader = _Reader()
    if data.get("schema") != SCHEMA:
        reader.fail("schema", "wrong_schema", N_("must be {expected}, got {value}"),
                    expected=SCHEMA, value=str(data.get("schema")))
    currency = data.get("currency")
    if not isinstance(currency, str) or not _CURRENCY.fullmatch(currency):
        reader.fail("currency", "invalid_currency",
                    N_("must be an ISO 4217 code such as USD, got {value}"), value=str(currency))
        currency = "USD"
    rates = reader.rates(data.get("rates"))
    preconditions = reader.preconditions(data.get("preconditions"))
    noise = reader.noise(data.get("noise"))
    raw_types = data.get("types")
    types: list[PrizeType] = []
    if not isinstance(raw_types, list) or not raw_types:
        reader.fail("types", "required", N_("must be a non-empty list of prize types"))
    else:
        seen: set[str] = set()
        for position, raw in enumerate(raw_types):
            prize_type = reader.prize_type(raw, f"types.{position}", currency, preconditions)
            if prize_type is None:
                continue
            if prize_type.id in seen:
                reader.fail(f"types.{position}.id", "duplicate_id",
                            N_("{value} is used by an earlier type"), value=prize_type.id)
            seen.add(prize_type.id)
            types.append(prize_type)
    if reader.errors:
        raise CatalogueInvalid(N_plural("the prize catalogue has {count} error",
                                        "the prize catalogue has {count} errors"), reader.errors)
    return Catalogue(types=tuple(types), currency=currency, rates=rates, noise=noise,
                     preconditions=preconditions)


class _Reader:
    """Collects every problem of a catalogue document instead of stopping at the first."""

    def __init__(self) -> None:
        self.errors: list[FieldError] = []

    def fail(self, where: str, code: str, message: str, **params: object) -> None:
        self.errors.append(FieldError(where, code, message, params))

    def rates(self, raw: object) -> dict[str, Decimal]:
        rates: dict[str, Decimal] = {}
        if not isinstance(raw, dict):
            self.fail("rates", "required", N_("must be a table of currency rates"))
            return rates
        for code, value in raw.items():
            if not _CURRENCY.fullmatch(code) or not isinstance(value, int | float) or value <= 0:
                self.fail(f"rates.{code}", "invalid_rate",
                          N_("must be a positive number for an ISO 4217 code, got {value}"),
                          value=str(value))
                continue
            rates[code] = Decimal(str(value))
        return rates

    def preconditions(self, raw: object) -> dict[str, Precondition]:
        found: dict[str, Precondition] = {}
        if raw is None:
            return found
        if not isinstance(raw, dict):
            self.fail("preconditions", "invalid", N_("must be a table of preconditions"))
            return found
        for key, value in raw.items():
            where = f"preconditions.{key}"
            if not isinstance(value, dict):
                self.fail(where, "invalid", N_("must be a table"))
                continue
            kind = value.get("kind")
            if kind not in PRECONDITION_KINDS:
                self.fail(f"{where}.kind", "invalid_choice",
                          N_("must be one of {choices}, got {value}"),
                          choices=", ".join(sorted(PRECONDITION_KINDS)), value=str(kind))
                continue
            texts = self.texts(value, where)
            if texts is not None:
                found[key] = Precondition(key=key, kind=str(kind), texts=texts)
        return found

    def noise(self, raw: object) -> frozenset[str]:
        words = raw.get("words") if isinstance(raw, dict) else None
        if raw is None:
            return frozenset()
        if not isinstance(words, list) or not all(isinstance(w, str) for w in words):
            self.fail("noise.words", "invalid", N_("must be a list of words"))
            return frozenset()
        return frozenset(words)

    def texts(self, table: Mapping[str, Any], where: str) -> dict[str, str] | None:
        texts: dict[str, str] = {}
        for language in LANGUAGES:
            text = table.get(language)
            if not isinstance(text, str) or not text.strip():
                self.fail(f"{where}.{language}", "required",
                          N_("must be a non-empty text in {language}"), language=language)
            else:
                texts[language] = text.strip()
        return texts if len(texts) == len(LANGUAGES) else None

    def integer(self, raw: Mapping[str, Any], key: str, where: str, low: int, high: int,
                default: int | None = None) -> int | None:
        value = raw.get(key, default)
        if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
            self.fail(f"{where}.{key}", "out_of_range",
                      N_("must be a whole number from {low} to {high}, got {value}"),
                      low=low, high=high, value=str(value))
            return None
        return value

    def prize_type(self, raw: object, where: str, currency: str,
                   preconditions: Mapping[str, Precondition]) -> PrizeType | None:
        if not isinstance(raw, dict):
            self.fail(where, "invalid", N_("must be a table"))
            return None
        before = len(self.errors)
        type_id = raw.get("id")
        if not isinstance(type_id, str) or not _ID.fullmatch(type_id):
            self.fail(f"{where}.id", "invalid_id",
                      N_("must be snake_case (lowercase letters, digits, underscores), got "
                         "{value}"), value=str(type_id))
        category = raw.get("category")
        if category not in CATEGORIES:
            self.fail(f"{where}.category", "invalid_choice",
                      N_("must be one of {choices}, got {value}"),
                      choices=", ".join(sorted(CATEGORIES)), value=str(category))
        names = raw.get("names")
        texts = None
        if isinstance(names, dict):
            texts = self.texts(names, f"{where}.names")
        else:
            self.fail(f"{where}.names", "required",
                      N_("must be a table of names in en, ru and uk"))
        synonyms = self.words(raw, "synonyms", where)
        brands = self.words(raw, "brands", where)
        age_min = self.integer(raw, "age_min", where, 0, OPEN_AGE)
        age_max = self.integer(raw, "age_max", where, 0, OPEN_AGE, default=OPEN_AGE)
        if age_min is not None and age_max is not None and age_min > age_max:
            self.fail(f"{where}.age_max", "age_range_reversed",
                      N_("must be at least age_min {age_min}, got {value}"),
                      age_min=age_min, value=age_max)
        by_country = raw.get("age_min_by_country", {})
        if not isinstance(by_country, dict) or not all(
                _COUNTRY.fullmatch(c) and isinstance(a, int) and 0 <= a <= OPEN_AGE
                for c, a in by_country.items()):
            self.fail(f"{where}.age_min_by_country", "invalid",
                      N_("must map ISO 3166 country codes to ages from 0 to 120"))
            by_country = {}
        reason = raw.get("reason")
        if not isinstance(reason, str) or not reason.strip():
            self.fail(f"{where}.reason", "required",
                      N_("must say where the age range comes from"))
        precondition = None
        if "precondition" in raw:
            precondition = preconditions.get(str(raw["precondition"]))
            if precondition is None:
                self.fail(f"{where}.precondition", "unknown_precondition",
                          N_("must be one of {choices}, got {value}"),
                          choices=", ".join(sorted(preconditions)),
                          value=str(raw["precondition"]))
        value = self.value_range(raw, where, currency)
        wraps = raw.get("wraps", False)
        if not isinstance(wraps, bool):
            self.fail(f"{where}.wraps", "invalid", N_("must be true or false"))
        if len(self.errors) > before:
            return None
        assert texts is not None and age_min is not None and age_max is not None
        assert value is not None and isinstance(type_id, str) and isinstance(reason, str)
        return PrizeType(
            id=type_id, category=str(category), names=texts,
            synonyms=synonyms, age_min=age_min, age_max=age_max, reason=reason.strip(),
            value=value, precondition=precondition, age_min_by_country=dict(by_country),
            wraps=wraps, brands=brands,
        )

    def words(self, raw: Mapping[str, Any], key: str, where: str) -> tuple[str, ...]:
        words = raw.get(key, [])
        if not isinstance(words, list) or not all(isinstance(w, str) and w.strip()
                                                  for w in words):
            self.fail(f"{where}.{key}", "invalid", N_("must be a list of non-empty texts"))
            return ()
        return tuple(w.strip() for w in words)

    def value_range(self, raw: Mapping[str, Any], where: str,
                    currency: str) -> ValueRange | None:
        low, high = raw.get("value_min"), raw.get("value_max")
        numbers = all(isinstance(v, int | float) and not isinstance(v, bool) and v >= 0
                      for v in (low, high))
        if not numbers:
            self.fail(f"{where}.value_min", "invalid_value",
                      N_("value_min and value_max must be numbers of at least 0, got {low} "
                         "and {high}"), low=str(low), high=str(high))
            return None
        assert isinstance(low, int | float) and isinstance(high, int | float)
        if low > high:
            self.fail(f"{where}.value_max", "value_range_reversed",
                      N_("must be at least value_min {low}, got {high}"), low=low, high=high)
            return None
        return ValueRange(Decimal(str(low)), Decimal(str(high)), currency)


def _two_significant(value: float) -> Decimal:
    if value <= 0:
        return Decimal(0)
    exponent = math.floor(math.log10(value)) - 1
    if exponent < 0:
        return Decimal(str(round(value, -exponent)))
    scale = Decimal(10) ** exponent
    return (Decimal(round(value / float(scale))) * scale).quantize(Decimal(1))
