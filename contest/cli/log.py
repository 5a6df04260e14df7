"""``contest log``: the public log."""

from typing import TYPE_CHECKING

import click

from contest.cli.context import Context, fail, now, pass_context, signer
from contest.errors import ContestError

if TYPE_CHECKING:
    from sqlmodel import Session

    from contest.ledger.note import Signer


SHOWN = 20
"""The disagreements of a contest's entries with the log that ``contest log verify`` lists
one a line, at most."""
_SHOWN = 50
"""The monitor's problems listed one a line; the first is also the error."""


@click.group()
def log() -> None:
    """The public log."""


@log.command("verify")
@pass_context
def log_verify(context: Context) -> None:
    """Recompute the log from storage and check it against every checkpoint issued, and
    that every leaf, past the last checkpoint too, was appended by this app; check every
    published rules version against its fingerprint and the log's event for it; then replay
    every event as a monitor would: each must be valid given the ones before it."""
    from contest.errors import VerificationFailed
    from contest.i18n import N_
    from contest.ledger.monitor import replay_log
    from contest.ledger.store import verify_log
    from contest.rules.versions import verify_published_rules

    log_signer = signer(context)
    with context.session() as session:
        report = verify_log(session, [log_signer.verifier()], log_signer)
        versions = verify_published_rules(session)
        entries = verify_entries(session, log_signer)
        replayed = replay_log(session)
    click.echo(f"log verified: {report.size} entries, {report.checkpoints} checkpoints, "
               f"root {report.root_hash}")
    click.echo(f"rules verified: {versions} published versions match their fingerprints "
               f"and the log")
    click.echo(f"entries verified: the entries of {entries} contests are those on the log")
    for note in replayed.unchecked:
        click.echo(f"monitor: not checked: {note}")
    if not replayed.problems:
        click.echo(f"monitor: {replayed.events} events replayed, no problem")
        return
    for problem in replayed.problems[:_SHOWN]:
        click.echo(f"monitor: {problem}", err=True)
    if len(replayed.problems) > _SHOWN:
        click.echo(f"monitor: … and {len(replayed.problems) - _SHOWN} more", err=True)
    raise fail(VerificationFailed(
        N_("the log's events do not add up: {problem} (problems in all: {count}; events "
           "replayed: {events})"),
        {"problem": str(replayed.problems[0]), "count": len(replayed.problems),
         "events": replayed.events}))


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


@log.command("cosign")
@pass_context
def log_cosign(context: Context) -> None:
    """Ask each witness of CONTEST_WITNESSES to cosign the newest checkpoint, keep the
    cosignatures that verify, and say what each witness did; exit status 1 if any did not
    cosign it."""
    from contest.ledger.cosignatures import StoredLog
    from contest.witness.collect import Outcome, collect_cosignatures, log_witnesses

    try:
        witnesses = log_witnesses(context.settings.witnesses)
    except ContestError as error:
        raise fail(error) from None
    if not witnesses:
        click.echo("no witnesses: set CONTEST_WITNESSES to have checkpoints cosigned")
        return
    with context.session() as session:
        reports = collect_cosignatures(StoredLog(session), witnesses=witnesses, now=now())
    if not reports:
        click.echo("the log has no checkpoint yet")
        return
    for report in reports:
        size = report.checkpoint_size
        if report.outcome == Outcome.COSIGNED and report.cosignature is not None:
            click.echo(f"{report.witness.label}: cosigned the checkpoint of size {size} at "
                       f"{report.cosignature.moment.isoformat()}")
        elif report.outcome == Outcome.ALREADY_COSIGNED:
            click.echo(f"{report.witness.label}: already cosigned the checkpoint of size {size}")
        else:
            click.echo(f"{report.witness.label}: did not cosign the checkpoint of size {size} "
                       f"({report.outcome}): {report.problem}", err=True)
    if not all(report.ok for report in reports):
        raise click.exceptions.Exit(1)


@log.command("adopt-entries")
@click.argument("slugs", nargs=-1)
@pass_context
def log_adopt_entries(context: Context, slugs: tuple[str, ...]) -> None:
    """Put on the log the entries accepted before every entry was logged (after upgrading
    to a version that logs them), in the contests SLUGS (default: every contest that is not
    frozen yet): an entry.accepted event marked adopted for each, so the freeze finds them."""
    from sqlmodel import col, select

    from contest.draw.service import find_draw
    from contest.entries.reconcile import adopt_unlogged
    from contest.ledger.store import issue_checkpoint
    from contest.models import Contest

    log_signer = signer(context)
    moment = now()
    with context.session() as session:
        query = select(Contest).order_by(col(Contest.id))
        if slugs:
            query = query.where(col(Contest.slug).in_(slugs))
        contests = session.exec(query).all()
        missing = sorted(set(slugs) - {contest.slug for contest in contests})
        if missing:
            raise click.ClickException(f"no contest {', '.join(missing)}")
        total = 0
        for contest in contests:
            if find_draw(session, contest) is not None:
                click.echo(f"{contest.slug}: frozen already, left as it is")
                continue
            try:
                adopted = adopt_unlogged(session, contest=contest, signer=log_signer,
                                         now=moment)
            except ContestError as error:
                raise fail(error) from None
            total += adopted
            click.echo(f"{contest.slug}: {adopted} entries put on the log")
        if total:
            issue_checkpoint(session, signer=log_signer, now=moment)
        session.commit()
