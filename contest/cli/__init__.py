"""``contest``: everything a person can do without the browser.

Each command opens its own database session from the deployment's settings. Messages follow
the terminal's language (``LANG``/``LC_ALL``: Russian or English). Web commands such as
``serve`` are added by the ``contest.commands`` entry point group, so this package stays
free of Flask.

One module per subject: :mod:`~contest.cli.db`, :mod:`~contest.cli.users`,
:mod:`~contest.cli.contests` (contests and their rules), :mod:`~contest.cli.entries`,
:mod:`~contest.cli.fraud` (the participant graph and the staff roster),
:mod:`~contest.cli.draw` (the draw and the offline check of its bundle),
:mod:`~contest.cli.log`, :mod:`~contest.cli.complaints`, :mod:`~contest.cli.prizes`,
:mod:`~contest.cli.demo`, :mod:`~contest.cli.witness` (an independent witness of the log),
:mod:`~contest.cli.sources` (the social networks entries are read from).
What they share lives in :mod:`contest.cli.context`.
"""

from importlib.metadata import entry_points

import click

from contest.cli import (
    complaints,
    contests,
    db,
    demo,
    draw,
    entries,
    fraud,
    log,
    prizes,
    sources,
    telegram,
    users,
    witness,
)
from contest.cli.context import Context


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="contest")
@click.pass_context
def main(click_context: click.Context) -> None:
    """Fairness auditor for promotional contests: rules, entries, draws, complaints."""
    click_context.call_on_close(click_context.ensure_object(Context).close)


def _add_commands() -> None:
    for command in (db.db, users.users, contests.contests, contests.rules, entries.entries,
                    draw.draw, draw.verify, log.log, demo.demo, fraud.fraud, fraud.staff,
                    prizes.prizes, complaints.complaints, witness.witness, sources.sources,
                    telegram.telegram):
        main.add_command(command)


def _load_plugins() -> None:
    for plugin in entry_points(group="contest.commands"):
        main.add_command(plugin.load(), plugin.name)


_add_commands()
_load_plugins()
