"""``contest witness`` in a process of its own, as an auditor runs it: its key made with
``contest witness init``, then ``contest witness serve`` on a free loopback port."""

import subprocess
import sys
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from contest.ledger.note import Signer
from contest.witness.cosignature import CosignatureVerifier

CONTEST = Path(sys.executable).parent / "contest"


@dataclass(frozen=True)
class WitnessKey:
    path: Path
    verifier: CosignatureVerifier


@dataclass(frozen=True)
class ServedWitness:
    url: str
    verifier: CosignatureVerifier


def make_witness_key(folder: Path, name: str = "auditor.test/witness") -> WitnessKey:
    """A new witness key in ``folder`` (``contest witness init``)."""
    key_file = folder / "witness-key"
    init = subprocess.run([str(CONTEST), "witness", "init", "--name", name,
                           "--key-file", str(key_file)],
                          capture_output=True, text=True, check=True)
    return WitnessKey(key_file, CosignatureVerifier.from_key(init.stdout.strip()))


@contextmanager
def serve_witness(key: WitnessKey, state: Path, *,
                  logs: Sequence[Signer]) -> Iterator[ServedWitness]:
    """``contest witness serve`` witnessing ``logs`` in its own process on a free loopback
    port, until the end of the ``with`` block."""
    command = [str(CONTEST), "witness", "serve", "--bind", "127.0.0.1:0", "--key-file",
               str(key.path), "--state", str(state)]
    for log in logs:
        command += ["--log", f"{log.name}={log.verifier_key()}"]
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                               text=True)
    try:
        assert process.stdout is not None and process.stderr is not None
        first = process.stdout.readline()
        assert " listening on http://127.0.0.1:" in first, process.stderr.read()
        assert first.startswith(f"witness {key.verifier.key()} ")
        yield ServedWitness(first.split(" listening on ")[1].strip(), key.verifier)
    finally:
        process.terminate()
        process.wait(timeout=30)
        for stream in (process.stdout, process.stderr):
            if stream is not None:
                stream.close()
