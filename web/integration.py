"""The log's background integration: pending leaves into the tree, one checkpoint per batch.

Every accepted entry appends a pending leaf in its own transaction
(:func:`contest.ledger.store.stage_events`). A thread of each app process, every
``CONTEST_LOG_INTEGRATE_EVERY`` seconds, integrates what is pending and signs one checkpoint
over it (and asks the witnesses of ``CONTEST_WITNESSES`` to cosign the newest), as
transparency logs sequence and integrate in batches (Tessera, Sunlight): a
busy contest costs the log a checkpoint a fraction of a second, not one per entry. The
integrations of several processes take turns (:func:`contest.ledger.store.integrate_pending`
holds the log's lock), and the next event appended or checkpoint issued integrates whatever a
stopped thread left.

A row the app did not append stops the integration (``LogTampered``, logged as critical by
the store, shown on the admin page); the thread goes on trying, and signs nothing over it.
"""

import logging
import threading
from collections.abc import Callable, Sequence
from datetime import datetime

from flask import Flask
from sqlalchemy.engine import Engine
from sqlmodel import Session

from contest.errors import LogTampered
from contest.ledger.cosignatures import StoredLog
from contest.ledger.note import Signer
from contest.ledger.store import issue_checkpoint, pending_count
from contest.models import LogCheckpoint
from contest.witness.collect import LogWitness, collect_cosignatures

log = logging.getLogger(__name__)

PATIENCE = 60.0
"""Seconds between two tries at most while integration fails (a database away, say)."""
BATCH = 10_000
"""Leaves integrated by one transaction at most (a CSV import stages a hundred thousand)."""


class Integrator:
    """Integrates the log's pending leaves every ``every`` seconds in a daemon thread."""

    def __init__(self, engine: Engine, signer: Signer, clock: Callable[[], datetime], *,
                 every: float, witnesses: Sequence[LogWitness] = ()) -> None:
        self.engine = engine
        self.signer = signer
        self.clock = clock
        self.every = every
        self.witnesses = tuple(witnesses)
        self._stopped = threading.Event()
        self._thread: threading.Thread | None = None

    def run_once(self) -> LogCheckpoint | None:
        """Integrate what is pending, a batch of at most :data:`BATCH` leaves a transaction,
        and sign a checkpoint over each batch, committed; then ask the witnesses to cosign the
        newest (outside the transactions: a witness that is slow or down delays nothing
        but its own cosignature). The last checkpoint, or ``None`` when nothing was
        pending."""
        row = None
        while True:
            with Session(self.engine, expire_on_commit=False) as session:
                if not pending_count(session):
                    break
                row = issue_checkpoint(session, signer=self.signer, now=self.clock(),
                                       batch=BATCH)
                session.commit()
        if row is not None and self.witnesses:
            with Session(self.engine, expire_on_commit=False) as session:
                collect_cosignatures(StoredLog(session), witnesses=self.witnesses,
                                     now=self.clock())
                session.commit()
        return row

    def start(self) -> None:
        self._thread = threading.Thread(target=self._run, name="log-integration", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self._stopped.set()
        if self._thread is not None:
            self._thread.join()

    @property
    def running(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    def _run(self) -> None:
        wait = self.every
        while not self._stopped.wait(wait):
            try:
                self.run_once()
                wait = self.every
            except LogTampered:
                wait = min(wait * 2, PATIENCE)  # logged as critical where found; not signed
            except Exception:  # a lost database, say: the next round tries again
                log.exception("the log's background integration failed; trying again in "
                              "%.1f s", min(wait * 2, PATIENCE))
                wait = min(wait * 2, PATIENCE)


def init_app(app: Flask) -> None:
    every = float(app.config["LOG_INTEGRATE_EVERY"])
    integrator = Integrator(app.extensions["contest.engine"], app.extensions["contest.signer"],
                            app.config["CLOCK"], every=every,
                            witnesses=app.extensions["contest.witnesses"])
    app.extensions["contest.integrator"] = integrator
    if every > 0:
        integrator.start()
