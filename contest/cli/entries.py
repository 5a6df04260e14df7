"""``contest entries``: entries gathered elsewhere, imported from CSV and exported as CSV."""

import sys
from pathlib import Path

import click

from contest.cli.context import Context, fail, now, pass_context, signer, terminal_language


@click.group()
def entries() -> None:
    """Entries: CSV import and export."""


@entries.command("import")
@click.argument("contest_slug")
@click.argument("csv_file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--report", "report_file", type=click.Path(dir_okay=False, path_type=Path),
              help="Where to write the rejected rows (default: FILE.rejected.csv).")
@pass_context
def entries_import(context: Context, contest_slug: str, csv_file: Path,
                   report_file: Path | None) -> None:
    """Import entries gathered elsewhere; rejected rows go to a report, valid ones are kept."""
    from contest.entries.csv_import import import_entries_csv
    from contest.errors import NotFound
    from contest.i18n import N_
    from contest.rules.publishing import find_contest
    from contest.rules.versions import find_published

    language = terminal_language()
    with context.session() as session:
        contest = find_contest(session, contest_slug)
        found = find_published(session, contest)
        if found is None:
            raise fail(NotFound(N_("{slug} has no published rules yet"), {"slug": contest_slug}))
        with csv_file.open("rb") as stream:
            report = import_entries_csv(session, contest=found, stream=stream, now=now(),
                                        signer=signer(context))
    if report.rejected:
        report_file = report_file or csv_file.with_suffix(".rejected.csv")
        with report_file.open("w", encoding="utf-8", newline="") as out:
            report.write_rejections_csv(out, language=language)
        click.echo(f"rejected rows written to {report_file}", err=True)
    click.echo(report.summary())
    if report.rejected:
        for row in report.rejected[:20]:
            click.echo(f"  line {row.line}, {row.column}: {row.text(language)}", err=True)
        if len(report.rejected) > 20:
            click.echo(f"  … and {len(report.rejected) - 20} more in the report", err=True)


@entries.command("export")
@click.argument("contest_slug")
@pass_context
def entries_export(context: Context, contest_slug: str) -> None:
    """Write the contest's entries as CSV (the import columns) to standard output."""
    from contest.entries.export import export_entries_csv
    from contest.rules.publishing import find_contest

    with context.session() as session:
        export_entries_csv(session, contest=find_contest(session, contest_slug), out=sys.stdout)
