"""How the commands that read people's files take the person's word on reading them, and
say what they read.

Every such command (``contest fraud scan``, ``contest entries import``, ``contest staff
import``) takes the same options:

- ``--map COLUMN=FIELD`` (repeatable): what a column gives, whatever its header says
  (``--map "Моб. тел.=phone"``, ``--map "Примечание=-"`` to leave one out); with several
  files, ``--map staff:COLUMN=FIELD`` names the file, and a ``--map`` naming none is for
  the main one (the entries of a scan, the roster of a staff import);
- ``--timezone ZONE``: the zone of moments written without an offset;
- ``--dates dmy|mdy``: the order of dates such as 04/10/2026 when no value tells.

and prints, for each file, how it was read (format, encoding, delimiter, the mapping, the
columns not read, the date order), the summary (rows read, people kept, fields warned about,
rows refused) and the first reasons. A file that read no row, or refused more than half of
them, makes the command exit non-zero (:func:`check`).
"""

from collections.abc import Callable, Sequence
from datetime import tzinfo
from typing import Any, TypeVar
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import click

from contest.spreadsheet.table import Reading, ReadReport

F = TypeVar("F", bound=Callable[..., Any])


def reading_options(function: F) -> F:
    """The ``--map``, ``--timezone`` and ``--dates`` options (see the module)."""
    function = click.option(
        "--dates", type=click.Choice(["dmy", "mdy"]), default=None,
        help="Dates such as 04/10/2026 are day first (dmy) or month first (mdy) when no "
             "value tells (default: day first, month first for a US-only contest).")(function)
    function = click.option(
        "--timezone", "zone_name", default=None, metavar="ZONE",
        help="The time zone of moments written without one, such as Europe/Moscow "
             "(default: the contest's, or UTC for files alone).")(function)
    return click.option(
        "--map", "mapping", multiple=True, metavar="COLUMN=FIELD",
        help="What a column gives, whatever its header says (repeatable; FIELD '-' leaves "
             "the column out; 'staff:COLUMN=FIELD' names the file, else the main one).")(
                 function)


def zone(name: str | None) -> tzinfo | None:
    """The zone ``--timezone`` names, or ``None`` (the command's default)."""
    if name is None:
        return None
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise click.BadParameter(f"{name} is not a time zone such as Europe/Moscow",
                                 param_hint="--timezone") from None


def reading(mapping: Sequence[str], zone_name: str | None, dates: str | None, *,
            file: str, main: bool = True, month_first: bool | None = None) -> Reading:
    """The :class:`Reading` the options give for the file called ``file`` (``entries``,
    ``staff``, ``relatives``): the ``--map`` options naming it, and for the ``main`` file
    those naming none."""
    said: dict[str, str] = {}
    for option in mapping:
        column, equals, field = option.rpartition("=")
        if not equals or not column:
            raise click.BadParameter(f"{option!r} is not COLUMN=FIELD", param_hint="--map")
        prefix, colon, rest = column.partition(":")
        if colon and prefix in ("entries", "staff", "relatives"):
            if prefix != file:
                continue
            column = rest
        elif not main:
            continue
        said[column] = field
    return Reading(zone=zone(zone_name),
                   month_first=month_first if dates is None else dates == "mdy", said=said)


def show(name: str, report: ReadReport, language: str) -> None:
    """How the file ``name`` was read, its summary and the first reasons, on standard
    error."""
    click.echo(f"{name}: {report.summary(language)}", err=True)
    for line in report.details(language):
        click.echo(f"  {line}", err=True)


def check(reports: dict[str, ReadReport], language: str) -> None:
    """Exit non-zero, naming the files, when any read no row or refused most of them."""
    failed = [name for name, report in reports.items() if report.failed]
    if failed:
        click.secho(f"error: {', '.join(failed)}: "
                    + "; ".join(click.unstyle(reports[name].summary(language))
                                for name in failed), err=True, fg="red")
        raise click.exceptions.Exit(1)
