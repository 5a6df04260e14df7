"""Whole numbers on the command line that name a stored row (a complaint, a flag): one beyond
what the database stores is a usage error naming the range, never a traceback."""

from pathlib import Path

import pytest
from sqlmodel import Session

from tests.builders import make_contest
from tests.fixtures import run_cli

HUGE = "9" * 30


@pytest.mark.parametrize("command", [
    ("complaints", "recheck", "winter-giveaway", HUGE),
    ("fraud", "decide", "winter-giveaway", HUGE, "--dismiss", "--reason", "test"),
])
def test_a_number_no_row_can_have_is_a_usage_error(cli_env: Path, session: Session,
                                                   command: tuple[str, ...]) -> None:
    make_contest(session)
    result = run_cli(*command)
    assert result.exit_code == 2, result.output
    assert "is not in the range 1<=x<=2147483647" in result.stderr


def test_the_largest_number_stored_is_looked_up(cli_env: Path, session: Session) -> None:
    make_contest(session)
    result = run_cli("complaints", "recheck", "winter-giveaway", str(2**31 - 1))
    assert result.exit_code == 1
    assert "2147483647" in result.stderr
