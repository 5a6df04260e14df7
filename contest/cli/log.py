"""``contest log``: the public log."""

import click

from contest.cli.context import Context, pass_context, signer


@click.group()
def log() -> None:
    """The public log."""


@log.command("verify")
@pass_context
def log_verify(context: Context) -> None:
    """Recompute the log from storage and check it against every checkpoint issued."""
    from contest.ledger.note import Verifier
    from contest.ledger.store import verify_log

    key = signer(context).verifier_key()
    with context.session() as session:
        report = verify_log(session, [Verifier.from_key(key)])
    click.echo(f"log verified: {report.size} entries, {report.checkpoints} checkpoints, "
               f"root {report.root_hash}")
