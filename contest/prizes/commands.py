"""``contest prizes``: the prize advisor from the command line.

    contest prizes match TEXT… [--json]
    contest prizes check CONTEST_SLUG [--chart-dir DIR]

``match`` recognises free-text prizes as catalogue types; with ``--json`` it prints a JSON
array of ``{"text", "type", "age_min", "age_max", "confidence"}`` (``type`` null when
unknown). ``check`` reads a contest's current rules and eligible entrants and prints, for each
prize, the matched type, whom it suits, the warning, the alternatives and the audience's ages.
"""

import json
from decimal import Decimal
from pathlib import Path

import click

from contest.prizes.advice import Advice, AdviceLevel, ContestAdvice
from contest.prizes.audience import OLDEST, AudienceSource
from contest.prizes.chart import age_histogram, render_age_bars, render_age_chart
from contest.prizes.matching import MATCH_THRESHOLD, default_matcher


@click.group()
def prizes() -> None:
    """The prize advisor: which prize types suit the contest's entrants."""


@prizes.command("match")
@click.argument("texts", nargs=-1, required=True)
@click.option("--json", "as_json", is_flag=True, help="Print a JSON array, one object a text.")
def match(texts: tuple[str, ...], as_json: bool) -> None:
    """Recognise each TEXT as a catalogue prize type (or say it is unknown)."""
    from contest.cli import terminal_language

    found = default_matcher().match_all(texts)
    if as_json:
        click.echo(json.dumps([m.to_data() for m in found], ensure_ascii=False, indent=1))
        return
    language = terminal_language()
    width = min(max(len(text) for text in texts), 50)
    click.echo(f"{'prize':<{width}}  {'type':<22} {'ages':<8} confidence")
    for result in found:
        prize_type = result.prize_type
        shown = result.text if len(result.text) <= width else result.text[:width - 1] + "…"
        if prize_type is None:
            guess = f" (closest: {result.guess.name(language)})" if result.guess else ""
            click.echo(f"{shown:<{width}}  {'unknown':<22} {'-':<8} "
                       f"{result.confidence:.2f}{guess}")
        else:
            click.echo(f"{shown:<{width}}  {prize_type.id:<22} "
                       f"{prize_type.age_range_text():<8} {result.confidence:.2f}")
    click.echo(f"(below {MATCH_THRESHOLD:.2f} a prize is reported unknown)", err=True)


@prizes.command("check")
@click.argument("contest_slug")
@click.option("--chart-dir", type=click.Path(file_okay=False, path_type=Path),
              help="Also write each prize's age chart there as SVG.")
@click.pass_context
def check(click_context: click.Context, contest_slug: str, chart_dir: Path | None) -> None:
    """Check whom each prize of CONTEST_SLUG's current rules suits, and suggest others."""
    from contest.cli import Context, terminal_language
    from contest.prizes.advice import contest_advice
    from contest.rules.publishing import find_contest

    context = click_context.ensure_object(Context)
    language = terminal_language()
    with context.session() as session:
        report = contest_advice(session, contest=find_contest(session, contest_slug))
    _print_audience(report)
    histogram = age_histogram(report.audience)
    for number, advice in enumerate(report.advice, start=1):
        click.echo("")
        _print_advice(number, advice, language)
        prize_type = advice.prize_type
        prize_range = None if prize_type is None else (prize_type.age_min, prize_type.age_max)
        click.echo("  ages (* the prize suits the group, ~ part of it):")
        for line in render_age_bars(histogram, prize_range):
            click.echo(f"    {line}")
        if chart_dir is not None:
            chart_dir.mkdir(parents=True, exist_ok=True)
            path = chart_dir / f"{report.contest}-prize-{number}.svg"
            path.write_text(render_age_chart(
                histogram, prize_range, title=f"{advice.prize}: {advice.text(language)}",
                element_id=f"{report.contest}-prize-{number}") + "\n", encoding="utf-8")
            click.echo(f"  chart written to {path}")


def _print_audience(report: ContestAdvice) -> None:
    audience = report.audience
    median = audience.median_age()
    median_text = "-" if median is None else f"{median:g}"
    if audience.source is AudienceSource.ENTRANTS:
        click.echo(f"{report.contest} (rules version {report.rules_version}): "
                   f"{audience.entrants} eligible entrants with a birth date, "
                   f"ages {audience.min_age}–{audience.max_age}, median {median_text}")
    else:
        countries = ", ".join(audience.countries)
        ages = (f"{audience.min_age}+" if audience.max_age == OLDEST
                else f"{audience.min_age}–{audience.max_age}")
        click.echo(f"{report.contest} (rules version {report.rules_version}): no eligible "
                   f"entrants with a birth date yet; the people the rules admit, ages {ages} "
                   f"in {countries} (UN population profiles), median {median_text}")
        if audience.missing_countries:
            click.echo(f"  no population profile for {', '.join(audience.missing_countries)}; "
                       f"left out", err=True)


def _print_advice(number: int, advice: Advice, language: str) -> None:
    prize_type = advice.prize_type
    if prize_type is None:
        click.echo(f"prize {number}: {advice.prize} — unknown type "
                   f"(confidence {advice.match.confidence:.2f})")
        click.echo(f"  {advice.text(language)}")
        return
    click.echo(f"prize {number}: {advice.prize} — {prize_type.name(language)} "
               f"[{prize_type.id}], ages {prize_type.age_range_text()} "
               f"(confidence {advice.match.confidence:.2f})")
    click.echo(f"  why this range: {prize_type.reason}")
    if advice.precondition is not None:
        click.echo(f"  precondition: {advice.precondition.text(language)}")
    if advice.score is not None:
        marker = "WARNING" if advice.level is AdviceLevel.WARNING else "ok"
        click.echo(f"  universality {advice.score:.0%} — {marker}: {advice.text(language)}")
    if advice.suggestions:
        click.echo("  alternatives of similar value that suit more of the audience:")
        for suggestion in advice.suggestions:
            value = suggestion.prize_type.value
            worth = ("any amount" if value.high >= 1000 * max(value.low, Decimal(1))
                     else f"typically {value.low}–{value.high} {value.currency}")
            click.echo(f"    - {suggestion.name(language)} [{suggestion.prize_type.id}]: "
                       f"suits {suggestion.universality:.0%}, {worth}")
    if advice.cash_alternative is not None:
        click.echo(f"  {advice.cash_alternative.text(language)}")
