"""contest_status: draft, scheduled, open and closed around the entry period's edges."""

from datetime import timedelta

import pytest

from contest.lifecycle import Stage
from contest.rules.status import STATUS_WORDS, ContestStatus, contest_status, public_status
from tests.builders import OPENS, rules_document

CLOSES = OPENS + timedelta(days=30)


def test_never_published_is_a_draft() -> None:
    assert contest_status(None, OPENS) is ContestStatus.DRAFT


@pytest.mark.parametrize(
    ("now", "status"),
    [
        (OPENS - timedelta(microseconds=1), ContestStatus.SCHEDULED),
        (OPENS, ContestStatus.OPEN),
        (CLOSES - timedelta(microseconds=1), ContestStatus.OPEN),
        (CLOSES, ContestStatus.CLOSED),
        (CLOSES + timedelta(days=365), ContestStatus.CLOSED),
    ],
)
def test_published_rules_are_open_from_opening_until_just_before_closing(
    now: object, status: ContestStatus
) -> None:
    rules = rules_document(opens_at=OPENS, closes_at=CLOSES)
    assert contest_status(rules, now) is status  # type: ignore[arg-type]


def test_status_values_are_stable_strings() -> None:
    assert [status.value for status in ContestStatus] == [
        "draft", "scheduled", "open", "closed", "frozen", "drawn"]


@pytest.mark.parametrize(("stage", "status"), [
    (Stage.DRAFT, ContestStatus.DRAFT), (Stage.SCHEDULED, ContestStatus.SCHEDULED),
    (Stage.OPEN, ContestStatus.OPEN), (Stage.CLOSED, ContestStatus.CLOSED),
    (Stage.FROZEN, ContestStatus.FROZEN), (Stage.RANDOMNESS_TAKEN, ContestStatus.FROZEN),
    (Stage.DRAWN, ContestStatus.DRAWN)])
def test_each_stage_has_one_public_status_and_frozen_is_said(stage: Stage,
                                                            status: ContestStatus) -> None:
    """Issue 17: a frozen contest was "closed" on the public pages and "frozen for the draw"
    at the desk. The frozen stages are "frozen" for everyone; every status has one word."""
    assert public_status(stage) is status
    assert set(STATUS_WORDS) == set(ContestStatus)


@pytest.mark.parametrize(
    ("status", "enter", "results"),
    [
        (ContestStatus.DRAFT, False, False),
        (ContestStatus.SCHEDULED, False, False),
        (ContestStatus.OPEN, True, False),
        (ContestStatus.CLOSED, False, True),
        (ContestStatus.FROZEN, False, True),
        (ContestStatus.DRAWN, False, True),
    ],
)
def test_the_public_may_enter_while_open_and_read_results_from_the_close(
    status: ContestStatus, enter: bool, results: bool
) -> None:
    assert status.takes_entries is enter
    assert status.has_results is results
