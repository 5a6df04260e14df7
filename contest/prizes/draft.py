"""The prize advisor on a contest's working draft: what the marketer's prize editor shows.

:func:`draft_advice` advises on every prize of the draft rules, for the contest's eligible
entrants (or, before any entries, the people the draft admits: see
:func:`contest.prizes.audience.contest_audience`). :func:`try_prize` advises on a free-text
prize for the same audience without changing anything, so a marketer can choose before
editing. :func:`replace_prize` puts one of a prize's suggestions in its place in the draft,
through :func:`contest.rules.publishing.save_draft`: published rules change only when the
draft is published, with the amendment rules that publishing applies.
"""

from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session

from contest.errors import FieldError, InvalidInput, RulesInvalid
from contest.i18n import N_, N_plural
from contest.models import Contest
from contest.prizes.advice import Advice, advise, advise_rules
from contest.prizes.audience import Audience, audience_of_rules, contest_audience
from contest.prizes.catalogue import Catalogue, PrizeType, default_catalogue
from contest.rules.document import RulesDocument
from contest.rules.parse import parse_rules, read_eligibility
from contest.rules.publishing import draft_data, save_draft

PRIZE_TEXT_MAX = 200
"""The longest free-text prize :func:`try_prize` accepts, in characters."""


@dataclass(frozen=True)
class DraftAdvice:
    """The advice on each prize of a contest's draft rules, and the audience it is for."""

    contest: str
    rules: RulesDocument
    audience: Audience
    advice: tuple[Advice, ...]


def draft_advice(session: Session, *, contest: Contest,
                 catalogue: Catalogue | None = None) -> DraftAdvice:
    """The advice on the prizes of ``contest``'s working draft. Raises
    :class:`~contest.errors.RulesInvalid` when the draft is not valid rules yet."""
    rules = parse_rules(draft_data(contest))
    audience = contest_audience(session, contest=contest, rules=rules)
    return DraftAdvice(contest=contest.slug, rules=rules, audience=audience,
                       advice=advise_rules(rules, audience, catalogue=catalogue))


def draft_audience(session: Session, *, contest: Contest) -> Audience | None:
    """Whom the prizes of ``contest``'s draft are measured on: as :func:`draft_advice` has
    it when the draft is valid rules; else the people its eligibility admits, when that part
    is valid; else None."""
    data = draft_data(contest)
    try:
        rules = parse_rules(data)
    except RulesInvalid:
        eligibility = read_eligibility(data)
        if eligibility is None:
            return None
        return audience_of_rules(eligibility.min_age, eligibility.max_age,
                                 eligibility.countries)
    return contest_audience(session, contest=contest, rules=rules)


def draft_prize_advice(session: Session, *, contest: Contest,
                       catalogue: Catalogue | None = None) -> dict[int, Advice]:
    """The advice on each prize of ``contest``'s draft that has a name, by its place in the
    list (from 0), while the marketer is still writing the rules: the whole prize when the
    draft is valid, its name alone otherwise."""
    audience = draft_audience(session, contest=contest)
    if audience is None:
        return {}
    try:
        rules = parse_rules(draft_data(contest))
    except RulesInvalid:
        prizes = draft_data(contest).get("prizes")
        names = {index: prize.get("name") for index, prize in enumerate(prizes)
                 if isinstance(prize, dict)} if isinstance(prizes, list) else {}
        return {index: advise(name.strip()[:PRIZE_TEXT_MAX], audience, catalogue=catalogue)
                for index, name in names.items() if isinstance(name, str) and name.strip()}
    return dict(enumerate(advise_rules(rules, audience, catalogue=catalogue)))


def prize_hint(session: Session, *, contest: Contest, text: str) -> Advice | None:
    """The advice on a prize the marketer is typing, for the draft's audience (None when the
    draft does not say yet who may enter). Raises :class:`InvalidInput` as
    :func:`try_prize`."""
    audience = draft_audience(session, contest=contest)
    return None if audience is None else try_prize(text, audience)


def prize_text(text: str) -> str:
    """``text`` stripped, or :class:`~contest.errors.InvalidInput` on the ``prize`` field
    when it is empty or longer than :data:`PRIZE_TEXT_MAX`."""
    stripped = text.strip()
    if not stripped:
        raise InvalidInput(N_plural("the prize has {count} error",
                                    "the prize has {count} errors"), [
            FieldError("prize", "required", N_("must not be empty"))])
    if len(stripped) > PRIZE_TEXT_MAX:
        raise InvalidInput(N_plural("the prize has {count} error",
                                    "the prize has {count} errors"), [FieldError(
            "prize", "too_long", N_("must be at most {maximum} characters, got {length}"),
            {"maximum": PRIZE_TEXT_MAX, "length": len(stripped)})])
    return stripped


def try_prize(text: str, audience: Audience, *, catalogue: Catalogue | None = None) -> Advice:
    """The advice on a free-text prize for ``audience``; nothing is stored."""
    return advise(prize_text(text), audience, catalogue=catalogue)


def replace_prize(session: Session, *, contest: Contest, number: int, current: str,
                  type_id: str, actor_id: int | None, now: datetime,
                  catalogue: Catalogue | None = None) -> tuple[str, str]:
    """Put the suggested type ``type_id`` in place of prize ``number`` (from 1) of the
    draft, named in the rules' language; quantity, value and cash alternative stay.

    ``current`` is the prize's name as the marketer saw it: if the draft has changed since,
    nothing is replaced. Only a type the advisor suggests for that prize now is accepted.
    Returns the old and the new name. Raises :class:`~contest.errors.RulesInvalid` for a
    draft that is not valid rules, :class:`~contest.errors.InvalidInput` otherwise."""
    catalogue = catalogue or default_catalogue()
    report = draft_advice(session, contest=contest, catalogue=catalogue)
    if not 1 <= number <= len(report.advice):
        raise InvalidInput(N_plural("the prize has {count} error",
                                    "the prize has {count} errors"), [FieldError(
            "prize", "no_such_prize",
            N_("the draft has no prize {number}; its prizes are numbered 1 to {total}"),
            {"total": len(report.advice), "number": number})])
    advice = report.advice[number - 1]
    if advice.prize != current:
        raise InvalidInput(N_plural("the prize has {count} error",
                                    "the prize has {count} errors"), [FieldError(
            "prize", "draft_changed",
            N_("the draft changed: prize {number} is now {prize}, not {expected}"),
            {"number": number, "prize": advice.prize, "expected": current})])
    chosen = _suggested(advice, type_id)
    if chosen is None:
        raise InvalidInput(N_plural("the prize has {count} error",
                                    "the prize has {count} errors"), [FieldError(
            "type", "not_suggested",
            N_("{type} is not one of the alternatives suggested for {prize}"),
            {"type": type_id, "prize": advice.prize})])
    name = chosen.name(report.rules.language)
    name = name[:1].upper() + name[1:]
    draft = draft_data(contest)
    draft["prizes"][number - 1]["name"] = name
    problems = save_draft(session, contest=contest, draft=draft, actor_id=actor_id, now=now)
    # Only a name changed, and the draft was valid rules a moment ago.
    assert not problems, problems
    return advice.prize, name


def _suggested(advice: Advice, type_id: str) -> PrizeType | None:
    for suggestion in advice.suggestions:
        if suggestion.prize_type.id == type_id:
            return suggestion.prize_type
    return None
