"""The complaint commands, for auditors at a terminal and for cron.

    contest complaints list SLUG [--all] [--json]   the queue, nearest deadline first
    contest complaints recheck SLUG NUMBER          re-check the winners a complaint names
    contest complaints mail                         send acknowledgements and answers not
                                                    yet mailed (after an SMTP outage)
"""

import json

import click

from contest.models import LARGEST_INTEGER, ComplaintStatus


@click.group()
def complaints() -> None:
    """The public complaint desk."""


@complaints.command("list")
@click.argument("contest_slug")
@click.option("--all", "everything", is_flag=True, help="Answered complaints too.")
@click.option("--json", "as_json", is_flag=True, help="Print the queue as JSON.")
@click.pass_context
def list_command(click_context: click.Context, contest_slug: str, everything: bool,
                 as_json: bool) -> None:
    """List a contest's complaints, the nearest deadline first; overdue ones are marked."""
    from contest.cli import Context, now
    from contest.complaints.desk import queue
    from contest.rules.publishing import find_contest

    context = click_context.ensure_object(Context)
    with context.session() as session:
        contest = find_contest(session, contest_slug)
        items = queue(session, contest=contest, now=now(),
                      status=None if everything else ComplaintStatus.OPEN)
        if as_json:
            click.echo(json.dumps({"complaints": [{
                "number": item.complaint.number, "kind": item.complaint.kind,
                "status": item.complaint.status.value,
                "received_at": item.complaint.received_at.isoformat(),
                "due_at": item.complaint.due_at.isoformat(), "overdue": item.overdue,
            } for item in items]}, ensure_ascii=False, indent=2))
            return
        for item in items:
            mark = "OVERDUE" if item.overdue else ""
            click.echo(f"{item.complaint.number}\t{item.complaint.due_at.isoformat()}\t"
                       f"{item.complaint.kind}\t{item.complaint.status.value}\t{mark}".rstrip())


@complaints.command("recheck")
@click.argument("contest_slug")
@click.argument("number", type=click.IntRange(1, LARGEST_INTEGER))
@click.pass_context
def recheck_command(click_context: click.Context, contest_slug: str, number: int) -> None:
    """Re-check in the participant graph the winners a complaint names, and attach it."""
    from contest.cli import Context, now
    from contest.complaints.desk import find_complaint, recheck_winners
    from contest.rules.publishing import find_contest

    context = click_context.ensure_object(Context)
    with context.session() as session:
        contest = find_contest(session, contest_slug)
        complaint = find_complaint(session, contest=contest, number=number)
        result = recheck_winners(session, contest=contest, complaint=complaint,
                                 now=now())
    click.echo(json.dumps({"number": number, "recheck": result}, ensure_ascii=False,
                          indent=2))


@complaints.command("mail")
@click.pass_context
def mail_command(click_context: click.Context) -> None:
    """Mail the acknowledgements and answers that are not sent yet.

    A complaint whose mail fails, for whatever reason, is named on standard error and stays
    unsent for the next run; the others are sent. The exit status is 1 when any failed."""
    from contest.cli import Context, now, terminal_language
    from contest.complaints.mail import complaint_link, send_pending, unsent
    from contest.complaints.smtp import Mailer
    from contest.i18n import N_, translate
    from contest.models import Contest
    from contest.rules.publishing import find_published

    context = click_context.ensure_object(Context)
    settings = context.settings
    mailer = Mailer.from_settings(settings.smtp_url, settings.mail_from)
    if mailer is None:
        raise click.ClickException("no SMTP server: set CONTEST_SMTP_URL")
    language = terminal_language()
    sent, failed = 0, []
    with context.session() as session:
        for complaint in unsent(session):
            contest = session.get(Contest, complaint.contest_id)
            assert contest is not None
            name = f"{contest.slug}#{complaint.number}"
            try:
                found = find_published(session, contest)
                problem = send_pending(
                    session, complaint=complaint, contest=contest,
                    timezone=found.rules.period.timezone if found else "UTC",
                    link=complaint_link(settings.base_url, complaint), mailer=mailer,
                    now=now())
            except Exception as error:  # one complaint's trouble must not stop the others
                problem = f"{type(error).__name__}: {error}"
            if problem is None:
                sent += 1
                session.commit()  # what was sent stays sent, whatever happens next
            else:
                failed.append(name)
                click.echo(translate(N_("complaint {complaint}: not mailed: {problem}"),
                                     language, {"complaint": name, "problem": problem}),
                           err=True)
    click.echo(f"mailed: {sent}, still unsent: {len(failed)}")
    if failed:
        raise click.ClickException(translate(
            N_("not mailed: {complaints}; they stay unsent for the next run"), language,
            {"complaints": ", ".join(failed)}))
