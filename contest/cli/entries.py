"""``contest entries``: entries gathered elsewhere, imported from a file (CSV or ``.xlsx``),
and exported as CSV."""

import sys
from pathlib import Path

import click

from contest.cli.context import Context, fail, now, pass_context, signer, terminal_language
from contest.cli.reading import check, reading, reading_options, show

MAIL_ROUND = 500
"""Confirmation links ``contest entries mail`` sends over one connection to the server."""


@click.group()
def entries() -> None:
    """Entries: import from CSV or .xlsx, export as CSV."""


@entries.command("import")
@click.argument("contest_slug")
@click.argument("csv_file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--report", "report_file", type=click.Path(dir_okay=False, path_type=Path),
              help="Where to write the refused rows and the fields warned about "
                   "(default: FILE.rejected.csv).")
@reading_options
@pass_context
def entries_import(context: Context, contest_slug: str, csv_file: Path,
                   report_file: Path | None, mapping: tuple[str, ...], zone_name: str | None,
                   dates: str | None) -> None:
    """Import entries gathered elsewhere (CSV or .xlsx). Nobody is left out for a field
    that cannot be read: it is reported, and the entry kept; only a row naming nobody is
    refused. A file that read no row or refused most of them imports nothing (exit 1)."""
    from contest.entries.csv_import import import_entries_file
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
            report = import_entries_file(
                session, contest=found, stream=stream, now=now(), signer=signer(context),
                name=csv_file.name, reading=reading(mapping, zone_name, dates, file="entries"))
    if report.rejected or report.warnings:
        report_file = report_file or csv_file.with_suffix(".rejected.csv")
        with report_file.open("w", encoding="utf-8", newline="") as out:
            report.write_rejections_csv(out, language=language)
        click.echo(f"refused rows and fields warned about written to {report_file}", err=True)
    show(csv_file.name, report.read, language)
    check({csv_file.name: report.read}, language)
    click.echo(report.summary(language))


@entries.command("export")
@click.argument("contest_slug")
@pass_context
def entries_export(context: Context, contest_slug: str) -> None:
    """Write the contest's entries as CSV (the import columns) to standard output."""
    from contest.entries.export import export_entries_csv
    from contest.rules.publishing import find_contest

    with context.session() as session:
        export_entries_csv(session, contest=find_contest(session, contest_slug), out=sys.stdout)


@entries.command("mail")
@pass_context
def entries_mail(context: Context) -> None:
    """Mail the confirmation links never sent (a server stopped before its postman sent
    them, or the mail server was away), over one connection. An entry whose mail fails is
    named on standard error and waits for the next run; the exit status is then 1."""
    from contest.entries.confirmation import (
        MAILS_PER_WINDOW,
        confirmation_link,
        mail_links,
        unmailed,
    )
    from contest.i18n import N_, translate
    from contest.smtp import Mailer

    settings = context.settings
    mailer = Mailer.from_settings(settings.smtp_url, settings.mail_from)
    if mailer is None:
        raise click.ClickException("no SMTP server: set CONTEST_SMTP_URL")
    language = terminal_language()
    sent, held, failed = 0, 0, dict[str, str]()
    with context.session() as session:
        waiting = unmailed(session, limit=None)
        for start in range(0, len(waiting), MAIL_ROUND):
            posted = mail_links(
                session, entry_ids=waiting[start:start + MAIL_ROUND], mailer=mailer, now=now(),
                link=lambda ticket: confirmation_link(settings.base_url, ticket,
                                                      settings.secret_key.encode()))
            session.commit()  # what was sent stays sent, whatever happens next
            sent += posted.sent
            held += posted.held
            failed |= posted.failed
            for ticket, problem in posted.failed.items():
                click.echo(translate(N_("entry {ticket}: not mailed: {problem}"), language,
                                     {"ticket": ticket, "problem": problem}), err=True)
    click.echo(f"mailed: {sent}, still unsent: {len(failed)}, held back by the limit of "
               f"{MAILS_PER_WINDOW} mails an hour to one address: {held}")
    if failed:
        raise click.ClickException(translate(
            N_("confirmation links not mailed: {count}; they wait for the next run"), language,
            {"count": len(failed)}))
