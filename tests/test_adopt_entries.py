"""Entries accepted before every entry was logged (a deployment upgraded to issue 18's log)
are put on the log once, marked adopted, so that their contest can be frozen."""

import json
from pathlib import Path

import pytest
from sqlalchemy import delete, select
from sqlmodel import Session

from contest.draw.service import freeze
from contest.errors import EntriesTampered
from contest.models import LogEntry, PendingLeaf, table_of
from tests.builders import SIGNER
from tests.draw.builders import FREEZE, closed_contest
from tests.fixtures import run_cli


def test_entries_from_before_the_log_are_adopted_and_then_frozen(cli_env: Path,
                                                                 db: Session) -> None:
    contest = closed_contest(db, entrants=12)
    # As before the upgrade: the entries are stored, their events never were.
    db.connection().execute(delete(table_of(PendingLeaf)))
    db.commit()
    with pytest.raises(EntriesTampered, match="no entry.accepted event names it"):
        freeze(db, contest=contest, now=FREEZE, signer=SIGNER)
    db.rollback()

    result = run_cli("log", "adopt-entries", contest.slug)
    assert result.exit_code == 0, result.output
    assert f"{contest.slug}: 12 entries put on the log" in result.output
    again = run_cli("log", "adopt-entries")
    assert f"{contest.slug}: 0 entries put on the log" in again.output

    leaves = [json.loads(text) for text in db.connection().execute(
        select(table_of(LogEntry).c.leaf)).scalars()]
    adopted = [leaf for leaf in leaves if leaf["type"] == "entry.accepted"]
    assert len(adopted) == 12 and all(leaf["adopted"] is True for leaf in adopted)
    record = freeze(db, contest=contest, now=FREEZE, signer=SIGNER)
    db.commit()
    assert len(record.tickets) == 10  # of 12 entrants, the first and the eleventh are under age
    assert "frozen already" in run_cli("log", "adopt-entries").output
