"""Advice on a contest's prizes: whom each suits, and what would suit more of the entrants.

For every prize of the rules, :func:`advise` recognises the prize type
(:mod:`contest.prizes.matching`), measures its universality for the contest's audience
(:mod:`contest.prizes.audience`) and, when it suits less than :data:`WARN_BELOW` of the
audience, warns in plain words ("suits 41% of your entrants: most are over 45") and suggests
alternatives of similar value that suit at least :data:`SUGGEST_AT_LEAST` of the same
audience, best first, and a cash alternative for the rules.

The result is a structured :class:`Advice`: numbers, an audience summary, and a message id
with parameters (marked with :func:`contest.i18n.N_`), so the web layer and the command line
render and translate it the same way.
"""

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum

from sqlmodel import Session

from contest.errors import NotFound
from contest.i18n import N_, Amount, translate
from contest.models import Contest
from contest.prizes.audience import (
    Audience,
    AudienceSource,
    Universality,
    contest_audience,
    universality,
)
from contest.prizes.catalogue import Catalogue, Precondition, PrizeType, default_catalogue
from contest.prizes.matching import Matcher, PrizeMatch, default_matcher
from contest.rules.document import Money, Prize, RulesDocument

WARN_BELOW = 0.9
"""A prize suiting less than this share of the audience gets a warning and suggestions."""
SUGGEST_AT_LEAST = 0.95
"""An alternative must suit at least this share of the same audience."""
VALUE_FACTOR = 2.0
"""Similar value: the alternative's value range meets [value / 2, value × 2]."""
MAX_SUGGESTIONS = 5
NEGLIGIBLE = 0.02
"""A share of the audience this small on one side of the range is not worth naming."""


class AdviceLevel(StrEnum):
    OK = "ok"
    WARNING = "warning"
    UNKNOWN = "unknown"


MESSAGES: Mapping[tuple[AudienceSource, str], str] = {
    (AudienceSource.ENTRANTS, "ok"): N_("{prize} suits {share} of your entrants"),
    (AudienceSource.ENTRANTS, "most_over"): N_(
        "{prize} suits {share} of your entrants: most are over {age}"),
    (AudienceSource.ENTRANTS, "most_under"): N_(
        "{prize} suits {share} of your entrants: most are under {age}"),
    (AudienceSource.ENTRANTS, "over"): N_(
        "{prize} suits {share} of your entrants: {older} are over {age}"),
    (AudienceSource.ENTRANTS, "under"): N_(
        "{prize} suits {share} of your entrants: {younger} are under {age}"),
    (AudienceSource.ENTRANTS, "both"): N_(
        "{prize} suits {share} of your entrants: {younger} are under {age_min} and "
        "{older} over {age_max}"),
    (AudienceSource.RULES, "ok"): N_("{prize} suits {share} of the people your rules admit"),
    (AudienceSource.RULES, "most_over"): N_(
        "{prize} suits {share} of the people your rules admit: most are over {age}"),
    (AudienceSource.RULES, "most_under"): N_(
        "{prize} suits {share} of the people your rules admit: most are under {age}"),
    (AudienceSource.RULES, "over"): N_(
        "{prize} suits {share} of the people your rules admit: {older} are over {age}"),
    (AudienceSource.RULES, "under"): N_(
        "{prize} suits {share} of the people your rules admit: {younger} are under {age}"),
    (AudienceSource.RULES, "both"): N_(
        "{prize} suits {share} of the people your rules admit: {younger} are under "
        "{age_min} and {older} over {age_max}"),
}
"""The warning's message ids, by audience source and by where the people the prize misses
are: ``ok``, ``most_over``/``most_under`` (more than half outside on one side),
``over``/``under`` (outside on one side only), ``both``."""
UNKNOWN_MESSAGE = N_("{prize}: not a prize type the catalogue knows, so whom it suits was "
                     "not checked")
EMPTY_MESSAGE = N_("{prize}: the audience is empty, so whom it suits was not checked")
CASH_MESSAGE = N_("offer a cash alternative of {money} in the rules")
CASH_OFFERED_MESSAGE = N_("the rules already offer a cash alternative of {money}")


@dataclass(frozen=True)
class AudienceSummary:
    """What the audience is, for the reader of the advice."""

    source: AudienceSource
    entrants: int
    median_age: float | None
    youngest: int | None
    oldest: int | None
    countries: tuple[str, ...]
    missing_countries: tuple[str, ...]

    @classmethod
    def of(cls, audience: Audience) -> "AudienceSummary":
        return cls(source=audience.source, entrants=audience.entrants,
                   median_age=audience.median_age(), youngest=audience.min_age,
                   oldest=audience.max_age, countries=audience.countries,
                   missing_countries=audience.missing_countries)


@dataclass(frozen=True)
class Suggestion:
    """An alternative prize type of similar value that suits more of the audience."""

    prize_type: PrizeType
    universality: float

    def name(self, language: str = "en") -> str:
        return self.prize_type.name(language)


@dataclass(frozen=True)
class CashAlternative:
    """A cash alternative for the rules: suggested, or ``offered`` already."""

    amount: Money
    offered: bool

    @property
    def message(self) -> str:
        return CASH_OFFERED_MESSAGE if self.offered else CASH_MESSAGE

    @property
    def params(self) -> dict[str, object]:
        return {"amount": format(self.amount.amount, "f"), "currency": self.amount.currency,
                "money": Amount(self.amount.amount, self.amount.currency)}

    def text(self, language: str = "en") -> str:
        return translate(self.message, language, self.params)


@dataclass(frozen=True)
class Advice:
    """Everything said about one prize. ``message``/``params`` render with
    :func:`contest.i18n.translate`; :meth:`text` does it."""

    prize: str
    match: PrizeMatch
    level: AdviceLevel
    audience: AudienceSummary
    message: str
    params: Mapping[str, object] = field(compare=False)
    universality: Universality | None = None
    suggestions: tuple[Suggestion, ...] = ()
    cash_alternative: CashAlternative | None = None

    @property
    def prize_type(self) -> PrizeType | None:
        return self.match.prize_type

    @property
    def score(self) -> float | None:
        return None if self.universality is None else self.universality.score

    @property
    def precondition(self) -> Precondition | None:
        found = self.prize_type
        return None if found is None else found.precondition

    def text(self, language: str = "en") -> str:
        return translate(self.message, language, self.params)


@dataclass(frozen=True)
class ContestAdvice:
    """The advice for every prize of a contest's current rules, and the audience used."""

    contest: str
    rules_version: int
    audience: Audience
    advice: tuple[Advice, ...]


def advise(prize: Prize | str, audience: Audience, *, catalogue: Catalogue | None = None,
           matcher: Matcher | None = None) -> Advice:
    """The advice on one prize (a rules :class:`Prize`, or just its name) for ``audience``.

    A rules prize's retail value sets the value the alternatives are compared with, and its
    cash alternative, if any, is reported as offered."""
    catalogue = catalogue or default_catalogue()
    matcher = matcher or (default_matcher() if catalogue is default_catalogue()
                          else Matcher(catalogue))
    name = prize if isinstance(prize, str) else prize.name
    retail = None if isinstance(prize, str) else prize.retail_value
    offered = None if isinstance(prize, str) else prize.cash_alternative
    found = matcher.match(name)
    summary = AudienceSummary.of(audience)
    prize_type = found.prize_type
    if prize_type is None:
        return Advice(prize=name, match=found, level=AdviceLevel.UNKNOWN, audience=summary,
                      message=UNKNOWN_MESSAGE, params={"prize": name})
    if audience.empty:
        return Advice(prize=name, match=found, level=AdviceLevel.UNKNOWN, audience=summary,
                      message=EMPTY_MESSAGE, params={"prize": name})
    fit = universality(prize_type, audience)
    case = _case(fit)
    params: dict[str, object] = {
        # Percentages travel with their sign: "{share}% of" reads as a printf
        # placeholder ("% o") to gettext tools, and the two languages would disagree.
        "prize": name, "share": share_text(fit.score),
        "younger": share_text(fit.younger), "older": share_text(fit.older),
        "age_min": prize_type.age_min,
        "age_max": prize_type.age_max,
        "age": prize_type.age_max if case in ("most_over", "over") else prize_type.age_min,
    }
    message = MESSAGES[(audience.source, case)]
    if fit.score >= WARN_BELOW:
        cash = None if offered is None else CashAlternative(offered, offered=True)
        return Advice(prize=name, match=found, level=AdviceLevel.OK, audience=summary,
                      message=message, params=params, universality=fit,
                      cash_alternative=cash)
    value = _reference_value(prize_type, retail, catalogue)
    return Advice(
        prize=name, match=found, level=AdviceLevel.WARNING, audience=summary, message=message,
        params=params, universality=fit,
        suggestions=suggest(prize_type, audience, value=value, catalogue=catalogue),
        cash_alternative=(CashAlternative(offered, offered=True) if offered is not None
                          else CashAlternative(retail or Money(prize_type.value.typical,
                                                               catalogue.currency),
                                               offered=False)),
    )


def advise_rules(rules: RulesDocument, audience: Audience, *,
                 catalogue: Catalogue | None = None) -> tuple[Advice, ...]:
    """The advice on every prize of ``rules``, in the rules' order."""
    return tuple(advise(prize, audience, catalogue=catalogue) for prize in rules.prizes)


def contest_advice(session: Session, *, contest: Contest,
                   catalogue: Catalogue | None = None) -> ContestAdvice:
    """The advice on the prizes of ``contest``'s current published rules, for its eligible
    entrants (or, before any entries, the people its rules admit). Raises
    :class:`~contest.errors.NotFound` when no rules are published yet."""
    from contest.rules.versions import find_published

    found = find_published(session, contest)
    if found is None:
        raise NotFound(N_("{slug} has no published rules yet"), {"slug": contest.slug})
    version, rules = found.version, found.rules
    audience = contest_audience(session, contest=contest, rules=rules)
    return ContestAdvice(contest=contest.slug, rules_version=version.version, audience=audience,
                         advice=advise_rules(rules, audience, catalogue=catalogue))


def suggest(prize_type: PrizeType, audience: Audience, *, value: Decimal,
            catalogue: Catalogue | None = None) -> tuple[Suggestion, ...]:
    """Prize types worth about ``value`` (in the catalogue's currency) that suit at least
    :data:`SUGGEST_AT_LEAST` of ``audience``, best first: the more of the audience, then the
    universal kinds (cash, gift cards), then the wider the age range (robust to a different
    audience), then the closer in value.

    Types with a precondition (a licence, riding, a pet) are left out: an alternative should
    not exclude people for another reason."""
    catalogue = catalogue or default_catalogue()
    low, high = value / Decimal(VALUE_FACTOR), value * Decimal(VALUE_FACTOR)
    ranked = []
    for candidate in catalogue:
        if candidate.id == prize_type.id or candidate.precondition is not None:
            continue
        if not candidate.value.overlaps(low, high):
            continue
        fit = universality(candidate, audience).score
        if fit < SUGGEST_AT_LEAST:
            continue
        breadth = min(candidate.age_max, 100) - candidate.age_min
        ranked.append(((-round(fit, 2), candidate.category != "universal", -(breadth // 10),
                        _distance(candidate, value), candidate.id), Suggestion(candidate, fit)))
    ranked.sort(key=lambda item: item[0])
    return tuple(suggestion for _, suggestion in ranked[:MAX_SUGGESTIONS])


def _reference_value(prize_type: PrizeType, retail: Money | None,
                     catalogue: Catalogue) -> Decimal:
    if retail is not None:
        converted = catalogue.convert(retail.amount, retail.currency)
        if converted is not None and converted > 0:
            return converted
    return prize_type.value.typical


def _distance(candidate: PrizeType, value: Decimal) -> float:
    """How far ``value`` lies outside the candidate's value range, as a log ratio."""
    low, high = candidate.value.low, candidate.value.high
    if low <= value <= high or value <= 0:
        return 0.0
    edge = low if value < low else high
    return abs(math.log(float(value) / float(max(edge, Decimal("0.01")))))


def _case(fit: Universality) -> str:
    if fit.score >= WARN_BELOW:
        return "ok"
    if fit.older > 0.5:
        return "most_over"
    if fit.younger > 0.5:
        return "most_under"
    if fit.younger < NEGLIGIBLE:
        return "over"
    if fit.older < NEGLIGIBLE:
        return "under"
    return "both"


def share_text(share: float) -> str:
    """A share of the audience as people read it: "41%", never "100%" when some are missed
    nor "0%" when some are suited."""
    return f"{_percent(share)}%"


def _percent(share: float) -> int:
    """A share as a whole percentage, never rounded up to 100 or down to 0 when it is not."""
    percent = round(share * 100)
    if percent == 100 and share < 1:
        return 99
    if percent == 0 and share > 0:
        return 1
    return percent
