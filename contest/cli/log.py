"""``contest log``: the public log."""

import click

from contest.cli.context import Context, fail, now, pass_context, signer
from contest.errors import ContestError


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
    click.echo(f"log verified: {report.size} entries, {report.checkpoints} checkpoints, "
               f"root {report.root_hash}")
    click.echo(f"rules verified: {versions} published versions match their fingerprints "
               f"and the log")


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
