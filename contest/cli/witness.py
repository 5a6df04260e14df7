"""``contest witness``: run an independent witness of contest logs (C2SP tlog-witness).

An auditor runs it on their own machine, with their own key and store; it needs no contest
database or settings. ``init`` makes the key and prints the verifier key to give the log's
operator and to pin in ``contest verify --witness``; ``serve`` answers ``add-checkpoint``.
"""

import sys
from pathlib import Path
from typing import TYPE_CHECKING

import click

from contest.cli.context import fail
from contest.errors import ContestError, KeyMalformed
from contest.i18n import N_

if TYPE_CHECKING:
    from contest.ledger.note import Verifier


@click.group()
def witness() -> None:
    """An independent witness that cosigns the log's checkpoints."""


@witness.command("init")
@click.option("--name", required=True,
              help="The witness's name, e.g. auditor.example/witness (no spaces, no '+').")
@click.option("--key-file", required=True, type=click.Path(dir_okay=False, path_type=Path),
              help="Where to write the new private key (readable by you only).")
def witness_init(name: str, key_file: Path) -> None:
    """Make the witness's key; print its public verifier key."""
    from contest.private_files import create_private_file
    from contest.witness.cosignature import Cosigner

    try:
        cosigner = Cosigner.generate(name)
    except ContestError as error:
        raise fail(error) from None
    if not create_private_file(key_file, cosigner.private_key_text() + "\n"):
        raise fail(KeyMalformed(N_("{path} exists already; a witness keeps its key (choose "
                                   "another file to make a new witness)"),
                                {"path": str(key_file)}))
    click.echo(cosigner.verifier_key())


@witness.command("serve")
@click.option("--bind", default="127.0.0.1:8390", show_default=True, metavar="HOST:PORT",
              help="Where to listen (port 0: any free port, printed on start).")
@click.option("--key-file", required=True,
              type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="The witness's private key (from 'contest witness init').")
@click.option("--state", "state_path", required=True,
              type=click.Path(dir_okay=False, path_type=Path),
              help="The witness's SQLite store of the latest cosigned checkpoint per log.")
@click.option("--log", "logs", multiple=True, required=True, metavar="ORIGIN=VERIFIERKEY",
              help="A log to witness: its origin and its verifier key (repeat for more).")
def witness_serve(bind: str, key_file: Path, state_path: Path, logs: tuple[str, ...]) -> None:
    """Answer add-checkpoint requests until interrupted."""
    from contest.witness.cosignature import Cosigner
    from contest.witness.server import WitnessServer
    from contest.witness.state import WitnessState
    from contest.witness.witness import Witness

    host, _, port_text = bind.rpartition(":")
    if not host or not port_text.isdigit():
        raise click.BadParameter(f"expected HOST:PORT, got {bind!r}", param_hint="--bind")
    try:
        cosigner = Cosigner.from_private_key_text(key_file.read_text(encoding="utf-8"))
        witness = Witness(cosigner, parse_logs(logs), WitnessState(state_path))
    except ContestError as error:
        raise fail(error) from None
    server = WitnessServer(witness, host.strip("[]"), int(port_text))
    click.echo(f"witness {cosigner.verifier_key()} listening on {server.url}")
    sys.stdout.flush()
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()


def parse_logs(values: tuple[str, ...]) -> dict[str, list["Verifier"]]:
    """``ORIGIN=VERIFIERKEY`` options as origin → verifier keys (one origin may have
    several)."""
    from contest.ledger.note import Verifier

    logs: dict[str, list[Verifier]] = {}
    for value in values:
        origin, equals, key = value.partition("=")
        if not equals or not origin:
            raise click.BadParameter(f"expected ORIGIN=VERIFIERKEY, got {value!r}",
                                     param_hint="--log")
        logs.setdefault(origin, []).append(Verifier.from_key(key))
    return logs
