"""The marketer's prize editor: whom each prize of the draft rules suits, what would suit more
of the audience, a chart of the audience's ages with the prize's range over it, and a prize
to try before editing the rules (issue 5).

The advice comes from :mod:`contest.prizes.draft`; this module parses the request, renders,
and draws each chart with :func:`contest.prizes.chart.render_age_chart`, which builds the SVG
from numbers and escaped text only, so it is inserted into the page as markup.
"""

from dataclasses import dataclass

from flask import Blueprint, Flask, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from markupsafe import Markup
from werkzeug.wrappers.response import Response

from contest.errors import InvalidInput, RulesInvalid
from contest.models import Role
from contest.prizes.advice import Advice, share_text
from contest.prizes.audience import OLDEST, Audience
from contest.prizes.catalogue import ValueRange
from contest.prizes.chart import AgeBin, age_histogram, render_age_chart
from contest.prizes.draft import PRIZE_TEXT_MAX, draft_advice, replace_prize, try_prize
from contest.rules.document import Money
from contest.rules.publishing import find_contest
from contest.rules.versions import find_published
from web import database
from web.auth import actor_id, role_required
from web.clock import now
from web.errors import flash_error
from web.i18n import current_language, money

blueprint = Blueprint("prizes", __name__, url_prefix="/manage")


def init_app(app: Flask) -> None:
    app.register_blueprint(blueprint)


@dataclass(frozen=True)
class PrizeCard:
    """One prize as the editor shows it: ``number`` in the draft (``None`` for a prize being
    tried), its advice, and its chart."""

    number: int | None
    advice: Advice
    chart: Markup


@blueprint.get("/contests/<slug>/prizes")
@role_required(Role.MARKETER)
def editor(slug: str) -> Response | tuple[str, int]:
    session = database.session()
    contest = find_contest(session, slug)
    try:
        report = draft_advice(session, contest=contest)
    except RulesInvalid:
        flash_error(_("Fix the errors in the rules before checking the prizes."))
        return redirect(url_for("marketer.edit_rules", slug=slug))
    language = current_language()
    histogram = age_histogram(report.audience)
    cards = [_card(number, advice, histogram, language)
             for number, advice in enumerate(report.advice, start=1)]
    tried = None
    errors: dict[str, str] = {}
    text = request.args.get("prize")
    if text is not None:
        try:
            tried = _card(None, try_prize(text, report.audience), histogram, language)
        except InvalidInput as invalid:
            errors = {e.field: e.text(language) for e in invalid.errors}
    found = find_published(session, contest)
    page = render_template(
        "marketer/prizes.html", contest=contest, audience=report.audience,
        ages=_ages(report.audience), cards=cards, tried=tried, errors=errors,
        values={"prize": text or ""}, published=found.version if found else None,
        share_text=share_text, worth=_worth, prize_text_max=PRIZE_TEXT_MAX)
    return page, 422 if errors else 200


@blueprint.post("/contests/<slug>/prizes/<int:number>/replace")
@role_required(Role.MARKETER)
def replace(slug: str, number: int) -> Response:
    session = database.session()
    contest = find_contest(session, slug)
    try:
        old, new = replace_prize(session, contest=contest, number=number,
                                 current=request.form.get("current", ""),
                                 type_id=request.form.get("type", ""),
                                 actor_id=actor_id(), now=now())
        session.commit()
    except RulesInvalid:
        session.rollback()
        flash_error(_("Fix the errors in the rules before checking the prizes."))
        return redirect(url_for("marketer.edit_rules", slug=slug), code=303)
    except InvalidInput as invalid:
        session.rollback()
        flash_error(invalid)
        return redirect(url_for("prizes.editor", slug=slug), code=303)
    flash(_("The draft now gives %(new)s instead of %(old)s. Preview and publish the rules "
            "for the change to count.", new=new, old=old))
    return redirect(url_for("prizes.editor", slug=slug), code=303)


def _card(number: int | None, advice: Advice, histogram: list[AgeBin],
          language: str) -> PrizeCard:
    prize_type = advice.prize_type
    prize_range = None if prize_type is None else (prize_type.age_min, prize_type.age_max)
    title = (_("Ages of the audience") if prize_type is None
             else _("Ages of the audience, and the ages %(prize)s suits", prize=advice.prize))
    element_id = "tried-chart" if number is None else f"prize-{number}-chart"
    # render_age_chart escapes the title and description and writes nothing else but
    # numbers and fixed attributes, so its output is safe markup.
    chart = render_age_chart(histogram, prize_range, title=title,
                             description=advice.text(language), element_id=element_id)
    return PrizeCard(number=number, advice=advice, chart=Markup(chart))


def _ages(audience: Audience) -> str:
    """The audience's age span: "0–90", or "18+" when it reaches the oldest age kept."""
    if audience.min_age is None:
        return "—"
    if audience.max_age == OLDEST:
        return f"{audience.min_age}+"
    return f"{audience.min_age}–{audience.max_age}"


def _worth(value: ValueRange) -> str:
    """A catalogue type's typical value, as the editor lists it with a suggestion."""
    if value.any_amount:
        return _("any amount")
    return _("typically %(low)s–%(high)s", low=money(Money(value.low, value.currency)),
             high=money(Money(value.high, value.currency)))
