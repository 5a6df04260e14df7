"""``contest sources read`` and ``accept-gap`` as a marketer runs them, against a local VK
API named by the settings, as production names VK's."""

import json
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlmodel import Session

from contest.rules.document import Condition, ConditionKind, Network, SocialSource
from tests.draw.builders import CLOSES, closed_contest
from tests.fixtures import run_cli as run
from tests.sources.vk_api import VkApiServer

SOURCE = SocialSource(Network.VK, post="-1000_7", community="1000", conditions=(
    Condition(ConditionKind.REPOSTED), Condition(ConditionKind.MEMBER)))


@pytest.fixture
def server(cli_env: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[VkApiServer]:
    with VkApiServer.start() as server:
        monkeypatch.setenv("CONTEST_VK_API_URL", server.url)
        token = cli_env / "vk-token"
        token.write_text(server.state.token + "\n", encoding="utf-8")
        monkeypatch.setenv("CONTEST_VK_TOKEN_FILE", str(token))
        post = server.state.add_post(-1000, 7)
        post.date = int((CLOSES - timedelta(days=3)).timestamp())
        for user in range(1, 13):
            server.state.add_user(user, f"Олег{user}", "Иванов")
            post.add_repost(user)
        server.state.add_members(1000, range(3, 13))
        yield server


@pytest.fixture
def contest(session: Session, server: VkApiServer) -> str:
    return closed_contest(session, entrants=0, reviewed=False, sources=(SOURCE,)).slug


def test_a_read_says_what_it_read_against_what_vk_reports(contest: str, database_url: str,
                                                         server: VkApiServer) -> None:
    result = run("sources", "read", contest)
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[:2] == [
        "source 1 (vk): reposts 12 of 12",
        "  12 people found: 12 new entries, 0 taken before, 0 refused; 2 did not meet a "
        "condition"]
    engine = create_engine(database_url)
    with engine.connect() as connection:
        leaves = [json.loads(row[0]) for row in connection.execute(
            text("SELECT leaf FROM log_entries ORDER BY leaf_index"))]
    engine.dispose()
    assert [leaf["type"] for leaf in leaves].count("source.read") == 1
    assert all(call.params.get("v") == "5.199" for call in server.state.calls)


def test_an_incomplete_read_exits_1_and_the_gap_can_be_accepted(contest: str,
                                                               server: VkApiServer) -> None:
    server.state.posts[(-1000, 7)].add_repost(99, hidden=True)
    result = run("sources", "read", contest)
    assert result.exit_code == 1
    assert "reposts 12 of 13" in result.stdout
    assert "INCOMPLETE" in result.stderr and "accept-gap" in result.stderr
    wrong = run("sources", "accept-gap", contest, "--source", "1", "--reason", "because")
    assert wrong.exit_code == 2 and "private_items" in wrong.stderr
    accepted = run("sources", "accept-gap", contest, "--source", "1", "--reason",
                   "private_items")
    assert accepted.exit_code == 0, accepted.output
    assert "private_items" in accepted.stdout


def test_a_source_the_rules_do_not_name_is_said_plainly(contest: str) -> None:
    result = run("sources", "read", contest, "--source", "3")
    assert result.exit_code == 1
    assert "name no source 3" in result.stderr
