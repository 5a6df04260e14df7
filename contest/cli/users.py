"""``contest users``: staff accounts."""

import click

from contest.cli.context import Context, now, pass_context


@click.group()
def users() -> None:
    """Staff accounts: marketers, auditors, admins."""


@users.command("create")
@click.option("--email", required=True)
@click.option("--name", required=True)
@click.option("--role", required=True, type=click.Choice(["marketer", "auditor", "admin"]))
@click.password_option("--password", help="At least 10 characters (asked when left out).")
@pass_context
def users_create(context: Context, email: str, name: str, role: str, password: str) -> None:
    """Create a staff account."""
    from contest.accounts import create_user

    with context.session() as session:
        user = create_user(session, email=email, name=name, role=role, password=password,
                           actor_id=None, now=now())
        click.echo(f"created {user.role} {user.email}")


@users.command("list")
@pass_context
def users_list(context: Context) -> None:
    """One line per account: e-mail, role, active."""
    from contest.accounts import list_users

    with context.session() as session:
        for user in list_users(session):
            click.echo(f"{user.email}\t{user.role}\t{'active' if user.active else 'inactive'}")
