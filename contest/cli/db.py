"""``contest db``: the database schema."""

import click

from contest.cli.context import Context, pass_context


@click.group()
def db() -> None:
    """The database schema."""


@db.command("upgrade")
@pass_context
def db_upgrade(context: Context) -> None:
    """Apply every Alembic migration (done automatically by the other commands too)."""
    _ = context.engine
    from contest.urls import mask_url

    click.echo(f"database is up to date: {mask_url(context.settings.database_url)}")
