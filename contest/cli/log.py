"""``contest log``: the public log."""

import click

from contest.cli.context import Context, pass_context, signer


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
