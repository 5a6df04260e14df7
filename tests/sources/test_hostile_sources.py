"""Hostile review of the social network sources: what a real network, a hostile entrant or a
dishonest insider would expose, each against the local servers that speak the documented APIs."""

from collections.abc import Iterator

import pytest

from contest.config import NetworkSettings
from contest.rules.document import Condition, ConditionKind, Network, SocialSource
from contest.sources import Result
from contest.sources.vk import VkReader
from tests.sources.vk_api import TOKEN, VkApiServer

COMMUNITY = 1000
POST = f"-{COMMUNITY}_7"
REPOSTED = Condition(ConditionKind.REPOSTED)


@pytest.fixture
def waits() -> list[float]:
    return []


@pytest.fixture
def service_server() -> Iterator[VkApiServer]:
    with VkApiServer.start(token_kind="service") as running:
        yield running


def test_the_draw_reads_every_repost_page_even_when_a_hidden_repost_shortens_the_first(
        service_server: VkApiServer, waits: list[float]) -> None:
    """With a service token the draw reads the reposts again; a repost to a wall the token
    cannot see leaves the first page one short, and a winner whose repost is on the second
    page must still be found, not judged "unmet" and replaced."""
    state = service_server.state
    post = state.add_post(-COMMUNITY, 7)
    state.add_users(range(1, 1502))
    post.add_repost(1, hidden=True)
    for user in range(2, 1502):
        post.add_repost(user)
    reader = VkReader(NetworkSettings(vk_api_url=service_server.url, vk_token=TOKEN),
                      sleep=waits.append)

    checks = reader.check(SocialSource(Network.VK, POST, str(COMMUNITY), (REPOSTED,)),
                          ["vk:1500"])

    assert [check.result for check in checks["vk:1500"]] == [Result.MET]
