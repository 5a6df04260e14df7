"""``contest draw``: the draw from public randomness, step by step (freeze, commit, reveal,
randomness, run, replace, export); ``contest verify``: the offline check of a draw's bundle;
``contest draw rfc3797``: an RFC 3797 selection on its own."""

import json
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

import click

from contest.cli.context import MOMENT, Context, fail, now, pass_context, signer, terminal_language
from contest.errors import ContestError

if TYPE_CHECKING:
    from sqlmodel import Session

    from contest.models import Contest


@click.group()
def draw() -> None:
    """Draws from public randomness."""


@draw.command("rfc3797")
@click.option("--pool", "pool_file", required=True,
              type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="One name a line, in pool order.")
@click.option("--source", "sources", multiple=True, required=True,
              help='One public source of numbers, e.g. "2 5 12 8 10"; repeat for each.')
@click.option("--select", "count", required=True, type=int, help="How many to select.")
def draw_rfc3797(pool_file: Path, sources: tuple[str, ...], count: int) -> None:
    """Select names from a pool exactly as RFC 3797 specifies, one a line, in order."""
    from contest.randomness.rfc3797 import select

    try:
        text = pool_file.read_text(encoding="utf-8")
    except UnicodeDecodeError as error:
        raise click.BadParameter(f"{pool_file} is not UTF-8: {error}") from None
    pool = [line.strip() for line in text.splitlines() if line.strip()]
    try:
        chosen = select(pool, list(sources), count)
    except ContestError as error:
        raise fail(error) from None
    for name in chosen:
        click.echo(name)


@draw.command("freeze")
@click.argument("contest_slug")
@click.option("--announce", default="",
              help="For rfc3797 draws: the public numbers to come, codes separated by commas: "
                   "ru-gosloto-6x45, ru-gosloto-5x36, ru-russian-lotto, ua-megalot, "
                   "us-powerball, us-mega-millions, us-ny-lotto, eu-euromillions, uk-lotto.")
@click.option("--announced-at", "announced_at", default=None, type=MOMENT,
              help="For rfc3797 draws: when those numbers are published, ISO 8601 with an "
                   "offset (e.g. 2026-12-08T20:00:00+03:00); after the freeze.")
@pass_context
def draw_freeze(context: Context, contest_slug: str, announce: str,
                announced_at: datetime | None) -> None:
    """Fix the eligible tickets after the close and name the randomness to come."""
    from contest.draw.service import freeze
    from contest.rules.publishing import find_contest

    with context.session() as session:
        record = freeze(session, contest=find_contest(session, contest_slug), now=now(),
                        signer=signer(context), announced_sources=announce,
                        announced_at=announced_at)
        click.echo(f"frozen: {record.ticket_count} tickets, "
                   f"entries_root {record.entries_root}")
        click.echo(f"randomness: {record.randomness_plan_json}")


@draw.command("commit")
@click.argument("contest_slug")
@click.option("--party", required=True,
              help="The party's role, published: sponsor, organiser, agency, auditor, notary, "
                   "entrants or witness.")
@click.option("--name", default="", help="Who speaks for the party: private, never published.")
@click.option("--digest", required=True, help="SHA-256 of the party's secret, hex.")
@pass_context
def draw_commit(context: Context, contest_slug: str, party: str, name: str,
                digest: str) -> None:
    """Record a party's commitment (commit-reveal draws), before the freeze."""
    from contest.draw.service import commit
    from contest.rules.publishing import find_contest

    with context.session() as session:
        commit(session, contest=find_contest(session, contest_slug), party=party, name=name,
               digest=digest, now=now(), signer=signer(context))
    click.echo(f"committed: {party}")


@draw.command("reveal")
@click.argument("contest_slug")
@click.option("--party", required=True)
@click.option("--secret", required=True, help="The secret, hex.")
@pass_context
def draw_reveal(context: Context, contest_slug: str, party: str, secret: str) -> None:
    """Record a party's revealed secret (commit-reveal draws), after the freeze."""
    from contest.draw.service import reveal
    from contest.rules.publishing import find_contest

    with context.session() as session:
        reveal(session, contest=find_contest(session, contest_slug), party=party,
               secret_hex=secret, now=now())
    click.echo(f"revealed: {party}")


@draw.command("randomness")
@click.argument("contest_slug")
@click.option("--round-json", "round_file", type=click.Path(exists=True, dir_okay=False,
                                                             path_type=Path),
              help="drand: the round's JSON, pasted from any relay (verified here).")
@click.option("--relay", "relays", multiple=True,
              help="drand relay URL (repeatable; default: CONTEST_DRAND_RELAYS, else the "
                   "League of Entropy's public relays).")
@click.option("--source", "sources", multiple=True, help="rfc3797: a public source of numbers.")
@pass_context
def draw_randomness(context: Context, contest_slug: str, round_file: Path | None,
                    relays: tuple[str, ...], sources: tuple[str, ...]) -> None:
    """Take the public randomness the freeze named, verify it, and record it."""
    from contest.draw.public_randomness import take_public_randomness
    from contest.randomness.drand import DEFAULT_RELAYS
    from contest.rules.publishing import find_contest

    with context.session() as session:
        record = take_public_randomness(
            session, contest=find_contest(session, contest_slug),
            round_json=round_file.read_text(encoding="utf-8") if round_file else None,
            relays=relays or context.settings.drand_relays or DEFAULT_RELAYS, sources=sources,
            now=now(), signer=signer(context))
        click.echo(f"randomness recorded: {record.value}")


@draw.command("run")
@click.argument("contest_slug")
@pass_context
def draw_run(context: Context, contest_slug: str) -> None:
    """Draw winners and alternates (contest-draw/1); prints the tickets in order."""
    from contest.draw.service import make_draw
    from contest.rules.publishing import find_contest

    with context.session() as session:
        contest = find_contest(session, contest_slug)
        record = make_draw(session, contest=contest, now=now(), signer=signer(context))
        session.commit()  # the draw stands whatever a network answers next
        click.echo(f"seed {record.seed}")
        for ticket in record.winners:
            click.echo(f"winner {ticket}")
        for ticket in record.alternates:
            click.echo(f"alternate {ticket}")
        from contest.draw.readiness import frozen_rules
        from contest.draw.recheck import needs_recheck

        if needs_recheck(frozen_rules(session, record)):
            _recheck(context, session, contest)


@draw.command("recheck")
@click.argument("contest_slug")
@pass_context
def draw_recheck(context: Context, contest_slug: str) -> None:
    """Check the winners' and alternates' social network conditions again, in order, and
    replace each winner who no longer meets one (done by ``draw run``; again here if a
    network could not be reached then)."""
    from contest.rules.publishing import find_contest

    with context.session() as session:
        _recheck(context, session, find_contest(session, contest_slug))


def _recheck(context: Context, session: "Session", contest: "Contest") -> None:
    from contest.draw.recheck import recheck_conditions
    from contest.sources.registry import readers

    done = recheck_conditions(session, contest=contest,
                              readers=readers(context.settings.networks), now=now(),
                              signer=signer(context))
    for ticket, checks in done.checks.items():
        click.echo(f"checked {ticket}: " + ", ".join(
            f"{check.condition.value} {check.result.value}"
            + (f" ({check.reason})" if check.reason else "") for check in checks))
    for ticket, replacement in done.replaced:
        click.echo(f"replaced {ticket} by {replacement or 'nobody (no alternate left)'}: "
                   "condition_unmet")


@draw.command("replace")
@click.argument("contest_slug")
@click.argument("ticket")
@click.option("--reason", required=True,
              help="A reason code, published: employee, relative, household, proxy, duplicate, "
                   "bot, ineligible, no_claim, declined or unreachable.")
@click.option("--note", default="", help="Your own words: private, never published.")
@pass_context
def draw_replace(context: Context, contest_slug: str, ticket: str, reason: str,
                 note: str) -> None:
    """Disqualify a winner; the next unused alternate takes the place."""
    from contest.draw.service import replace_winner
    from contest.rules.publishing import find_contest

    with context.session() as session:
        row = replace_winner(session, contest=find_contest(session, contest_slug),
                             ticket=ticket, reason=reason, note=note, now=now(),
                             signer=signer(context))
        click.echo(f"replaced {row.ticket} by {row.replacement or 'nobody (no alternate left)'}")


@draw.command("export")
@click.argument("contest_slug")
@pass_context
def draw_export(context: Context, contest_slug: str) -> None:
    """Print the draw's verification bundle (JSON) on standard output."""
    from contest.draw.bundle import build_bundle
    from contest.rules.publishing import find_contest

    with context.session() as session:
        bundle = build_bundle(session, contest=find_contest(session, contest_slug),
                              verifier_key=signer(context).verifier_key())
    click.echo(json.dumps(bundle, ensure_ascii=False, indent=1))


@click.command("verify")
@click.argument("bundle_file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--key", "verifier_key", help="Pin the log's verifier key (recommended).")
@click.option("--witness", "witnesses", multiple=True, metavar="VERIFIERKEY",
              help="Require a valid cosignature of this witness (its key name+keyid+base64) "
                   "on the bundle's checkpoint; repeat for each witness.")
@click.option("--log", "log_url", metavar="URL",
              help="The public log's address (its C2SP tlog-tiles prefix, e.g. "
                   "https://contests.example/log): read it and check the freeze against the "
                   "contest's logged entries.")
def verify(bundle_file: Path, verifier_key: str | None, witnesses: tuple[str, ...],
           log_url: str | None) -> None:
    """Check a draw bundle offline; prints VERIFIED or exactly what failed. With --witness,
    also require each witness's cosignature; with --log, also check that the frozen tickets
    are the logged accepted ones less the logged exclusions."""
    from contest.draw.verify import verify_bundle, verify_freeze

    try:
        bundle = json.loads(bundle_file.read_text(encoding="utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        click.echo(f"NOT VERIFIED: {bundle_file} is not UTF-8 JSON: {error}", err=True)
        raise click.exceptions.Exit(1) from None
    if not isinstance(bundle, dict):
        click.echo("NOT VERIFIED: the bundle must be a JSON object", err=True)
        raise click.exceptions.Exit(1)
    try:
        result = verify_bundle(bundle, verifier_key=verifier_key, witnesses=witnesses)
        freeze = (verify_freeze(bundle, log_url=log_url, verifier_key=verifier_key)
                  if log_url else None)
    except ContestError as error:
        click.echo(f"NOT VERIFIED: {error.text(terminal_language())}", err=True)
        raise click.exceptions.Exit(1) from None
    click.echo(f"VERIFIED {result.contest}: winners {', '.join(result.winners)}; "
               f"alternates {', '.join(result.alternates) or '-'}; log size {result.tree_size}")
    for cosignature in result.cosignatures:
        click.echo(f"cosigned by {cosignature.witness} at {cosignature.moment.isoformat()}")
    if freeze is None:
        click.echo("the freeze was not checked against the log (give --log URL)")
    else:
        click.echo(f"freeze checked against the log at {freeze.log}: the {freeze.tickets} "
                   f"frozen tickets and the {freeze.excluded} excluded are the logged entries "
                   f"({freeze.events} events of {result.contest} replayed, no problem)")
