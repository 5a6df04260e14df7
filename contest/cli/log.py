"""``contest log``: the public log."""

from typing import TYPE_CHECKING

import click

from contest.cli.context import Context, now, pass_context, signer

if TYPE_CHECKING:
    from sqlmodel import Session

    from contest.ledger.note import Signer


SHOWN = 20
"""Problems ``contest log verify`` lists at most, per contest."""


@click.group()
def log() -> None:
    """The public log."""


@log.command("verify")
@pass_context
def log_verify(context: Context) -> None:
    """Recompute the log from storage and check it against every checkpoint issued, and
    that every leaf, past the last checkpoint too, was appended by this app; check every
    published rules version against its fingerprint and the log's event for it."""
    from contest.ledger.store import verify_log
    from contest.rules.versions import verify_published_rules

    log_signer = signer(context)
    with context.session() as session:
        report = verify_log(session, [log_signer.verifier()], log_signer)
        versions = verify_published_rules(session)
        entries = verify_entries(session, log_signer)
    click.echo(f"log verified: {report.size} entries, {report.checkpoints} checkpoints, "
               f"root {report.root_hash}")
    click.echo(f"rules verified: {versions} published versions match their fingerprints "
               f"and the log")
    click.echo(f"entries verified: the entries of {entries} contests are those on the log")


def verify_entries(session: "Session", log_signer: "Signer") -> int:
    """Check that no pending leaf was written behind the app's back and that each contest's
    stored entries are those on the log; raise :class:`LogTampered` naming the first
    problem. How many contests were checked."""
    from sqlmodel import col, select

    from contest.entries.reconcile import disagreements, tampered
    from contest.errors import LogTampered
    from contest.i18n import N_
    from contest.ledger.store import foreign_pending
    from contest.models import Contest

    foreign = foreign_pending(session, log_signer)
    if foreign:
        raise LogTampered(N_("the log's pending leaves hold rows this app did not append: "
                             "{leaves}"), {"leaves": ", ".join(f"p{n}" for n in foreign)})
    contests = session.exec(select(Contest).order_by(col(Contest.id))).all()
    for contest in contests:
        problems = disagreements(session, contest)
        if problems:
            for problem in problems[:SHOWN]:
                click.echo(f"{contest.slug}: {problem}", err=True)
            raise tampered(contest, problems)
    return len(contests)


@log.command("integrate")
@pass_context
def log_integrate(context: Context) -> None:
    """Integrate the log's pending leaves into its tree and sign a checkpoint over them (what
    the app's background integration does every fraction of a second)."""
    from contest.ledger.store import issue_checkpoint, pending_count

    with context.session() as session:
        pending = pending_count(session)
        if not pending:
            click.echo("nothing pending: the log's tree holds every leaf appended")
            return
        row = issue_checkpoint(session, signer=signer(context), now=now())
        session.commit()
    click.echo(f"integrated {pending} leaves; checkpoint of {row.size} signed")
