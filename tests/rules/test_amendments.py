"""What a new version of the rules asks of its reason, decided by the contest's stage in
``contest.rules.amendments`` alone: the preview and ``publish`` both ask it."""

import pytest

from contest.lifecycle import Stage
from contest.rules.amendments import (
    Amendment,
    ReasonAsked,
    amendment_problems,
    reason_asked,
    reason_required,
)
from tests.builders import rules_document


@pytest.mark.parametrize(("stage", "asked"), [
    (Stage.DRAFT, ReasonAsked.NONE),  # the first version amends nothing
    (Stage.SCHEDULED, ReasonAsked.OPTIONAL),  # published, but nobody could enter yet
    (Stage.OPEN, ReasonAsked.REQUIRED),
    (Stage.CLOSED, ReasonAsked.REQUIRED),
])
def test_the_reason_is_asked_once_entrants_may_rely_on_the_rules(
        stage: Stage, asked: ReasonAsked) -> None:
    assert reason_asked(stage) is asked
    assert reason_required(stage) == (asked is ReasonAsked.REQUIRED)


@pytest.mark.parametrize("stage", [Stage.SCHEDULED, Stage.OPEN, Stage.CLOSED])
def test_publishing_refuses_a_missing_reason_exactly_where_one_is_required(
        stage: Stage) -> None:
    rules = rules_document()
    codes = [error.code for error in amendment_problems(rules, rules, stage, Amendment())]
    assert ("reason_required" in codes) == (reason_asked(stage) is ReasonAsked.REQUIRED)
