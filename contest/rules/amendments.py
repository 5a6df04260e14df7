"""What an amendment may change, once people have relied on the published rules.

Entrants enter under the rules they read, so once a contest opens an amendment may only be
kinder to them, and after the close it may change nothing that decides who can win:

- **scheduled** (published, not open): anything; a reason code is optional.
- **open**: a reason code from :class:`AmendmentReason` is required; the opening moment and
  time zone stay; the closing and draw moments never move earlier; eligibility (ages,
  countries, regions, residency, exclusions) and the entry limits never narrow; winners and
  alternates never become fewer; no prize is removed, made fewer or cheaper, and a prize
  replaced by another of equal or greater value is declared with ``prize_substitute``; the
  draw method and the randomness source never change; the social network sources published,
  with their posts, communities and conditions, stay as they are (a source may be added).
- **closed**: as when open, and also the entry period, eligibility, entry limits, prizes,
  sources and the numbers of winners and alternates stay exactly as they are (the draw
  moment may still move later).
- **frozen** and after: no amendment at all (see :mod:`contest.lifecycle`).

The reason is a code from a closed list, published on the rules page and the public log; the
marketer's own words (a note) stay in the private audit trail.
"""

from dataclasses import dataclass
from enum import StrEnum
from typing import Final

from contest.errors import FieldError
from contest.i18n import N_
from contest.lifecycle import Stage
from contest.rules.document import Eligibility, EntryLimits, Exclusions, Prize, RulesDocument


class AmendmentReason(StrEnum):
    """Why published rules change: the code the public sees."""

    CORRECTION = "correction"
    EXTENSION = "extension"
    PRIZE_SUBSTITUTE = "prize_substitute"
    MORE_PRIZES = "more_prizes"
    WIDER_ELIGIBILITY = "wider_eligibility"
    SCHEDULE = "schedule"
    LEGAL = "legal"
    OTHER = "other"


REASON_LABELS: Final[dict[AmendmentReason, str]] = {
    AmendmentReason.CORRECTION: N_("a correction of wording or a mistake"),
    AmendmentReason.EXTENSION: N_("the entry period is extended"),
    AmendmentReason.PRIZE_SUBSTITUTE: N_("a prize is replaced by one of equal or greater value"),
    AmendmentReason.MORE_PRIZES: N_("more prizes, winners or alternates"),
    AmendmentReason.WIDER_ELIGIBILITY: N_("more people may enter"),
    AmendmentReason.SCHEDULE: N_("the draw or the announcement moves later"),
    AmendmentReason.LEGAL: N_("required by law or a regulator"),
    AmendmentReason.OTHER: N_("another reason"),
}

NOTE_LIMIT = 2000


@dataclass(frozen=True)
class Amendment:
    """What the marketer states with a new version: a reason code and a private note."""

    reason: AmendmentReason | None = None
    note: str = ""


def parse_reason(value: str) -> AmendmentReason | None | FieldError:
    """The reason code ``value`` names (``None`` when blank), or the error to report."""
    value = value.strip()
    if not value:
        return None
    try:
        return AmendmentReason(value)
    except ValueError:
        return FieldError("reason", "invalid_choice", N_("must be one of {choices}, got {value}"),
                          {"choices": ", ".join(AmendmentReason), "value": value[:40]})


class ReasonAsked(StrEnum):
    """What a new version of the rules asks of its reason code."""

    NONE = "none"
    """The first version: it amends nothing."""
    OPTIONAL = "optional"
    """An amendment before the opening: nobody could rely on the rules yet."""
    REQUIRED = "required"
    """An amendment once entrants may rely on the rules."""


def reason_asked(stage: Stage) -> ReasonAsked:
    """What a new version published in ``stage`` asks of its reason; the preview asks it
    before offering the field, and :func:`amendment_problems` holds the amendment to it."""
    if stage is Stage.DRAFT:
        return ReasonAsked.NONE
    if stage is Stage.SCHEDULED:
        return ReasonAsked.OPTIONAL
    return ReasonAsked.REQUIRED


def reason_required(stage: Stage) -> bool:
    """Whether a new version in ``stage`` must say why: once entrants may rely on the rules."""
    return reason_asked(stage) is ReasonAsked.REQUIRED


def amendment_problems(published: RulesDocument, amended: RulesDocument, stage: Stage,
                       amendment: Amendment) -> list[FieldError]:
    """Everything wrong with amending ``published`` into ``amended`` in ``stage``; the
    lifecycle has already allowed an amendment in that stage."""
    errors: list[FieldError] = []
    if len(amendment.note) > NOTE_LIMIT:
        errors.append(FieldError("note", "too_long",
                                 N_("must be at most {maximum} characters, got {length}"),
                                 {"maximum": NOTE_LIMIT, "length": len(amendment.note)}))
    if not reason_required(stage):
        return errors
    if amendment.reason is None:
        errors.append(FieldError(
            "reason", "reason_required",
            N_("the contest opened at {opens_at}; choose why the rules change"),
            {"opens_at": published.period.opens_at.isoformat()}))
    if stage == Stage.CLOSED:
        errors.extend(_nothing_that_decides_winners(published, amended))
        errors.extend(_draw_not_earlier(published, amended))
    else:
        errors.extend(_kinder_only(published, amended, amendment))
    return errors


def _draw_not_earlier(old: RulesDocument, new: RulesDocument) -> list[FieldError]:
    if new.period.draw_at >= old.period.draw_at:
        return []
    return [FieldError("period.draw_at", "draw_earlier",
                       N_("the draw was published for {old}; it cannot move earlier, to {new}"),
                       {"old": old.period.draw_at.isoformat(),
                        "new": new.period.draw_at.isoformat()})]


def _kinder_only(old: RulesDocument, new: RulesDocument,
                 amendment: Amendment) -> list[FieldError]:
    errors: list[FieldError] = []

    def refuse(field: str, code: str, message: str, **params: object) -> None:
        errors.append(FieldError(field, code, message, params))

    if new.period.opens_at != old.period.opens_at:
        refuse("period.opens_at", "opens_at_frozen",
               N_("the contest already opened at {opens_at}; the opening time cannot move to "
                  "{new_opens_at}"), opens_at=old.period.opens_at.isoformat(),
               new_opens_at=new.period.opens_at.isoformat())
    if new.period.timezone != old.period.timezone:
        refuse("period.timezone", "timezone_frozen",
               N_("the contest already opened in time zone {old}; it cannot change to {new}"),
               old=old.period.timezone, new=new.period.timezone)
    if new.period.closes_at < old.period.closes_at:
        refuse("period.closes_at", "closes_earlier",
               N_("entrants were promised entries until {old}; the close cannot move earlier, "
                  "to {new}"), old=old.period.closes_at.isoformat(),
               new=new.period.closes_at.isoformat())
    errors.extend(_draw_not_earlier(old, new))
    for field, narrower in _narrowed_eligibility(old.eligibility, new.eligibility):
        refuse(f"eligibility.{field}", "eligibility_narrowed",
               N_("entries are open: who may enter can only widen ({what})"), what=narrower)
    for field, narrower in _narrowed_exclusions(old.exclusions, new.exclusions):
        refuse(f"exclusions.{field}", "eligibility_narrowed",
               N_("entries are open: who may enter can only widen ({what})"), what=narrower)
    for field in _narrowed_limits(old.limits, new.limits):
        refuse(f"limits.{field}", "limits_narrowed",
               N_("entries are open: the entry limits can only become more generous"))
    for field in ("winners", "alternates"):
        before, after = getattr(old, field), getattr(new, field)
        if after < before:
            refuse(field, "fewer_winners",
                   N_("the rules promised {before}; the number cannot fall to {after}"),
                   before=before, after=after)
    errors.extend(_prize_problems(old.prizes, new.prizes, amendment))
    for index, source in enumerate(old.sources):
        if index >= len(new.sources) or new.sources[index] != source:
            refuse(f"sources.{index}", "source_frozen",
                   N_("entries are open: how to enter through source {number} was published "
                      "and cannot change or go; a new source may be added"), number=index + 1)
    if new.selection.method != old.selection.method:
        refuse("selection.method", "method_frozen",
               N_("the draw method {old} was published; it cannot change once entries open"),
               old=old.selection.method)
    if new.selection.randomness != old.selection.randomness:
        refuse("selection.randomness", "randomness_frozen",
               N_("the randomness source {old} was published; it cannot change once entries "
                  "open"), old=old.selection.randomness.value)
    return errors


def _narrowed_eligibility(old: Eligibility, new: Eligibility) -> list[tuple[str, str]]:
    found: list[tuple[str, str]] = []
    if new.min_age > old.min_age:
        found.append(("min_age", f"min_age {old.min_age} → {new.min_age}"))
    if new.legal_min_age > old.legal_min_age:
        found.append(("legal_min_age", f"legal_min_age {old.legal_min_age} → "
                                       f"{new.legal_min_age}"))
    if new.max_age is not None and (old.max_age is None or new.max_age < old.max_age):
        found.append(("max_age", f"max_age {old.max_age} → {new.max_age}"))
    for field in ("countries", "regions"):
        before, after = set(getattr(old, field)), set(getattr(new, field))
        # An empty list allows everyone.
        if after and (not before or not before <= after):
            dropped = sorted(before - after) if before else ["*"]
            found.append((field, f"{field} − {', '.join(dropped)}"))
    if new.residency_required and not old.residency_required:
        found.append(("residency_required", "residency_required"))
    return found


def _narrowed_exclusions(old: Exclusions, new: Exclusions) -> list[tuple[str, str]]:
    found = [(field, field) for field in ("employees", "agency_employees", "household")
             if getattr(new, field) and not getattr(old, field)]
    added = sorted(set(new.family) - set(old.family))
    if added:
        found.append(("family", "family + " + ", ".join(added)))
    return found


def _narrowed_limits(old: EntryLimits, new: EntryLimits) -> list[str]:
    found = []
    for field in ("per_person", "per_household", "per_day"):
        before, after = getattr(old, field), getattr(new, field)
        if after is not None and (before is None or after < before):
            found.append(field)
    if new.counts != old.counts:
        found.append("counts")
    return found


def _prize_problems(old: tuple[Prize, ...], new: tuple[Prize, ...],
                    amendment: Amendment) -> list[FieldError]:
    errors: list[FieldError] = []
    substituted = False
    for index, before in enumerate(old):
        path = f"prizes.{index}"
        if index >= len(new):
            errors.append(FieldError(path, "prize_removed",
                                     N_("the prize {name} was promised and cannot be removed"),
                                     {"name": before.name}))
            continue
        after = new[index]
        if after.quantity < before.quantity:
            errors.append(FieldError(f"{path}.quantity", "fewer_prizes",
                                     N_("the rules promised {before}; the number cannot fall "
                                        "to {after}"),
                                     {"before": before.quantity, "after": after.quantity}))
        if not _worth_at_least(after, before):
            errors.append(FieldError(
                f"{path}.retail_value", "prize_cheaper",
                N_("a substitute prize must be worth at least the promised {amount} "
                   "{currency}"),
                {"amount": format(before.retail_value.amount, "f"),
                 "currency": before.retail_value.currency}))
        if (after.name, after.retail_value, after.cash_alternative) != (
                before.name, before.retail_value, before.cash_alternative):
            substituted = True
    if substituted and amendment.reason not in (None, AmendmentReason.PRIZE_SUBSTITUTE):
        errors.append(FieldError(
            "reason", "substitute_undeclared",
            N_("a prize changes: the amendment's reason must say it is a substitute prize "
               "of equal or greater value")))
    return errors


def _worth_at_least(after: Prize, before: Prize) -> bool:
    if after.retail_value.currency != before.retail_value.currency:
        return False
    if after.retail_value.amount < before.retail_value.amount:
        return False
    if before.cash_alternative is None:
        return True
    return (after.cash_alternative is not None
            and after.cash_alternative.currency == before.cash_alternative.currency
            and after.cash_alternative.amount >= before.cash_alternative.amount)


def _nothing_that_decides_winners(old: RulesDocument, new: RulesDocument) -> list[FieldError]:
    """After the close: the entries are in, so what decides who wins stays as it is."""
    errors: list[FieldError] = []
    fixed = {
        "period.opens_at": (old.period.opens_at, new.period.opens_at),
        "period.closes_at": (old.period.closes_at, new.period.closes_at),
        "period.timezone": (old.period.timezone, new.period.timezone),
        "eligibility": (old.eligibility, new.eligibility),
        "exclusions": (old.exclusions, new.exclusions),
        "limits": (old.limits, new.limits),
        "prizes": (old.prizes, new.prizes),
        "winners": (old.winners, new.winners),
        "alternates": (old.alternates, new.alternates),
        "selection": (old.selection, new.selection),
        "sources": (old.sources, new.sources),
    }
    for field, (before, after) in fixed.items():
        if before != after:
            errors.append(FieldError(field, "closed_unchangeable",
                                     N_("entries are closed: {field} can no longer change"),
                                     {"field": field}))
    return errors
