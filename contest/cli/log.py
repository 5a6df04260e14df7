"""``contest log``: the public log."""

import click

from contest.cli.context import Context, pass_context, signer


@click.group()
def log() -> None:
    """The public log."""


_SHOWN = 50
"""The monitor's problems listed one a line; the first is also the error."""


@log.command("verify")
@pass_context
def log_verify(context: Context) -> None:
    """Recompute the log from storage and check it against every checkpoint issued, and
    that every leaf, past the last checkpoint too, was appended by this app; check every
    published rules version against its fingerprint and the log's event for it; then replay
    every event as a monitor would: each must be valid given the ones before it."""
    from contest.cli.context import fail
    from contest.errors import VerificationFailed
    from contest.i18n import N_
    from contest.ledger.monitor import replay_log
    from contest.ledger.store import verify_log
    from contest.rules.versions import verify_published_rules

    log_signer = signer(context)
    with context.session() as session:
        report = verify_log(session, [log_signer.verifier()], log_signer)
        versions = verify_published_rules(session)
        replayed = replay_log(session)
    click.echo(f"log verified: {report.size} entries, {report.checkpoints} checkpoints, "
               f"root {report.root_hash}")
    click.echo(f"rules verified: {versions} published versions match their fingerprints "
               f"and the log")
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
