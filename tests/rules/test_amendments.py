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


def test_how_to_enter_in_a_network_stays_once_entries_open_but_a_source_may_be_added() -> None:
    from dataclasses import replace

    from contest.rules.amendments import AmendmentReason
    from contest.rules.document import Condition, ConditionKind, Network, SocialSource

    vk = SocialSource(Network.VK, post="-1000_7", community="1000", conditions=(
        Condition(ConditionKind.REPOSTED),))
    published = rules_document(sources=(vk,))
    stricter = replace(vk, conditions=(*vk.conditions, Condition(ConditionKind.MEMBER)))
    telegram = SocialSource(Network.TELEGRAM, community="@brand_news")
    amendment = Amendment(AmendmentReason.OTHER)

    def codes(sources: tuple[SocialSource, ...], stage: Stage) -> list[tuple[str, str]]:
        return [(error.field, error.code) for error in amendment_problems(
            published, rules_document(sources=sources), stage, amendment)]

    assert codes((stricter,), Stage.OPEN) == [("sources.0", "source_frozen")]
    assert codes((), Stage.OPEN) == [("sources.0", "source_frozen")]
    assert codes((vk, telegram), Stage.OPEN) == []
    assert codes((vk, telegram), Stage.CLOSED) == [("sources", "closed_unchangeable")]
    assert codes((stricter,), Stage.SCHEDULED) == []
