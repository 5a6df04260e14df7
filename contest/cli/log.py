"""``contest log``: the public log."""

import click

from contest.cli.context import Context, pass_context, signer


@click.group()
def log() -> None:
    """The public log."""


@log.command("verify")
@pass_context
def log_verify(context: Context) -> None:
    """Recompute the log from storage and check it against every checkpoint issued; check
    every published rules version against its fingerprint and the log's event for it."""
    from contest.ledger.note import Verifier
    from contest.ledger.store import verify_log
    from contest.rules.versions import verify_published_rules

    key = signer(context).verifier_key()
    with context.session() as session:
        report = verify_log(session, [Verifier.from_key(key)])
        versions = verify_published_rules(session)
    click.echo(f"log verified: {report.size} entries, {report.checkpoints} checkpoints, "
               f"root {report.root_hash}")
    click.echo(f"rules verified: {versions} published versions match their fingerprints "
               f"and the log")
