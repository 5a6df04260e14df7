"""``contest demo``: the demo deployment."""

from pathlib import Path

import click

from contest.cli.context import Context, now, pass_context, signer


@click.group()
def demo() -> None:
    """The demo deployment (SQLite and Faker data)."""


@demo.command("build")
@click.option("--rebuild", is_flag=True, help="Throw away an existing demo and build anew.")
@click.option("--entrants", default=5000, show_default=True)
@click.option("--seed", default=2026, show_default=True)
@pass_context
def demo_build(context: Context, rebuild: bool, entrants: int, seed: int) -> None:
    """Build the demo database: contests in every state, entrants, staff, relatives, logins."""
    from contest.demo import build_demo, demo_exists

    settings = context.settings
    if rebuild and settings.database_url.startswith("sqlite:///"):
        path = Path(settings.database_url.removeprefix("sqlite:///"))
        for suffix in ("", "-wal", "-shm"):
            Path(str(path) + suffix).unlink(missing_ok=True)
    with context.session() as session:
        if demo_exists(session):
            click.echo("the demo is already built; reusing it (use --rebuild to start over)")
        else:
            click.echo(f"building the demo with {entrants} entrants…")
            build_demo(session, entrants=entrants, seed=seed, now=now(),
                       signer=signer(context))
    from contest.demo import describe_demo

    click.echo(describe_demo(context.settings.base_url))
