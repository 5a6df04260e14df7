"""Hostile review of the social network sources: what a real network, a hostile entrant or a
dishonest insider would expose, each against the local servers that speak the documented APIs."""

import json
import socket
import threading
from collections.abc import Iterator
from datetime import timedelta

import pytest
import telegram
from sqlmodel import Session, select

from contest.config import NetworkSettings
from contest.draw.recheck import recheck_conditions
from contest.draw.service import current_winners, find_draw, replace_winner
from contest.errors import InvalidInput, NetworkUnavailable
from contest.ledger import events
from contest.ledger.monitor import replay_log
from contest.ledger.store import append_event
from contest.masking import mask_name
from contest.models import Entry, LogEntry
from contest.rules.document import Condition, ConditionKind, Network, SocialSource
from contest.sources import Check, Result
from contest.sources.http import call
from contest.sources.instagram import InstagramReader
from contest.sources.reading import read_source
from contest.sources.telegram import Answer as TelegramAnswer
from contest.sources.telegram import Deployment, answer
from contest.sources.vk import VkReader
from tests.builders import SIGNER
from tests.draw.builders import CLOSES, DUE, closed_contest, draw_closed, logged_draw, review
from tests.sources.instagram_graph import GraphServer
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


IG_TOKEN = "EAAGm0PX4ZCpsBA-hostile-review"
MEDIA = "17895695668004550"
COMMENTED = Condition(ConditionKind.COMMENTED)


@pytest.fixture
def graph() -> Iterator[GraphServer]:
    with GraphServer.start(token=IG_TOKEN) as server:
        yield server


def instagram(graph: GraphServer) -> InstagramReader:
    return InstagramReader(NetworkSettings(instagram_graph_url=graph.url + "/",
                                           instagram_token=IG_TOKEN), sleep=lambda _: None)


def test_an_instagram_handle_never_becomes_the_entrants_public_name(
        session: Session, graph: GraphServer) -> None:
    """Instagram tells a commenter's username, not their name: kept as the entry's name, a
    handle such as "kate" shows on the results page as the winner's "masked" name "Kate"."""
    media = graph.add_media(MEDIA, owner="brand.shop")
    media.comment("kate", "me!")
    contest = closed_contest(session, entrants=0, reviewed=False, winners=1, alternates=0,
                             sources=(SocialSource(Network.INSTAGRAM, post=MEDIA,
                                                   conditions=(COMMENTED,)),))

    read_source(session, contest=contest, source=0,
                readers={Network.INSTAGRAM: instagram(graph)},
                now=CLOSES + timedelta(seconds=5), signer=SIGNER)

    [entry] = session.exec(select(Entry).where(Entry.contest_id == contest.id)).all()
    assert entry.account == "ig:kate"
    assert "kate" not in mask_name(entry.full_name).lower()


def test_one_comment_instagram_gives_without_its_author_does_not_stop_the_read(
        graph: GraphServer) -> None:
    """With the permission granted, a comment whose author Instagram no longer names (an
    account deleted since) is counted as read and enters nobody; the others still enter."""
    media = graph.add_media(MEDIA, owner="brand.shop")
    media.comment("anna", "me")
    media.comment("", "me too")  # its author's account is gone
    media.comment("boris", "and me")

    read = instagram(graph).read(SocialSource(Network.INSTAGRAM, post=MEDIA,
                                              conditions=(COMMENTED,)))

    assert sorted(person.account for person in read.people) == ["ig:anna", "ig:boris"]
    assert read.complete
    assert read.problems == {"deleted_or_banned": 1}


def test_a_winner_who_entered_through_one_vk_post_is_not_held_to_another_posts_conditions(
        session: Session) -> None:
    """Two VK posts are two ways to enter: each read takes the people of its own post, judged
    by its own conditions. The check after the draw must judge a winner the same way, not
    replace everyone who did not also repost the other post."""
    first, second = (SocialSource(Network.VK, post=f"-{COMMUNITY}_{number}",
                                  conditions=(REPOSTED,)) for number in (7, 8))
    contest = closed_contest(session, entrants=0, reviewed=False, winners=3, alternates=3,
                             sources=(first, second))
    with VkApiServer.start() as server:
        state = server.state
        state.add_users(range(1, 13))
        for number, users in ((7, range(1, 7)), (8, range(7, 13))):
            post = state.add_post(-COMMUNITY, number)
            post.date = int((CLOSES - timedelta(days=5)).timestamp())
            for user in users:
                post.add_repost(user)
        vk = {Network.VK: VkReader(NetworkSettings(vk_api_url=server.url, vk_token=TOKEN),
                                   sleep=lambda _: None)}
        for source in (0, 1):
            read_source(session, contest=contest, source=source, readers=vk,
                        now=CLOSES + timedelta(seconds=5), signer=SIGNER)
        session.commit()
        assert all(entry.eligible for entry in session.exec(select(Entry)))
        review(session, contest)
        draw_closed(session, SIGNER, contest)

        done = recheck_conditions(session, contest=contest, readers=vk,
                                  now=DUE + timedelta(minutes=1), signer=SIGNER)

    assert done.replaced == ()


def test_an_entrant_who_joined_after_the_first_read_counts_after_the_read_after_the_close(
        session: Session) -> None:
    """Repost first, join the community later: a first read takes the entrant as
    "condition_unmet"; the latest read, the one the freeze waits for, finds every condition
    met, and the entry must count (it stays excluded, and is not even checked at the draw)."""
    join = SocialSource(Network.VK, post=POST, community=str(COMMUNITY),
                        conditions=(REPOSTED, Condition(ConditionKind.MEMBER)))
    contest = closed_contest(session, entrants=0, reviewed=False, winners=1, alternates=0,
                             sources=(join,))
    with VkApiServer.start() as server:
        state = server.state
        state.add_user(1, "Anna", "Petrova")
        post = state.add_post(-COMMUNITY, 7)
        post.date = int((CLOSES - timedelta(days=5)).timestamp())
        post.add_repost(1)
        vk = {Network.VK: VkReader(NetworkSettings(vk_api_url=server.url, vk_token=TOKEN),
                                   sleep=lambda _: None)}
        read_source(session, contest=contest, source=0, readers=vk,
                    now=CLOSES + timedelta(seconds=5), signer=SIGNER)
        state.add_members(COMMUNITY, [1])
        read_source(session, contest=contest, source=0, readers=vk,
                    now=CLOSES + timedelta(minutes=5), signer=SIGNER)
    session.commit()

    [entry] = session.exec(select(Entry).where(Entry.contest_id == contest.id)).all()
    assert entry.eligible
    recounted = [json.loads(leaf.leaf) for leaf in session.exec(select(LogEntry))
                 if json.loads(leaf.leaf)["type"] == "entry.recounted"]
    assert [(event["ticket"], event["reasons"]) for event in recounted] == [(entry.ticket, [])]
    assert replay_log(session).problems == ()


def test_an_answer_cut_off_midway_is_the_network_unavailable_not_a_crash() -> None:
    """A real network (or a proxy) drops the connection in the middle of an answer: the read
    says the network could not be read, as for any outage (the desk shows it, the command
    line says it), never a raw http.client exception (a 500 on the sources desk)."""
    listener = socket.create_server(("127.0.0.1", 0))

    def cut_off() -> None:
        connection, _ = listener.accept()
        with connection:
            connection.recv(65536)
            connection.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
                               b"Content-Length: 100\r\n\r\n{\"resp")

    thread = threading.Thread(target=cut_off, daemon=True)
    thread.start()
    try:
        with pytest.raises(NetworkUnavailable, match="VK could not be reached") as raised:
            call(f"http://127.0.0.1:{listener.getsockname()[1]}/method/wall.getById",
                 {"access_token": "the-secret-token"}, network="VK", method="POST")
    finally:
        thread.join(5)
        listener.close()
    assert "the-secret-token" not in str(raised.value)


def test_nobody_replaces_a_winner_by_hand_for_a_condition_no_check_found_unmet(
        session: Session) -> None:
    """"condition_unmet" on the public record says the network found a condition unmet when
    checked after the draw; an auditor replacing a winner by hand (right after the draw,
    before the check, or after it) must not be able to give that reason."""
    contest = closed_contest(session, entrants=0, reviewed=False, winners=1, alternates=1,
                             sources=(SocialSource(Network.VK, post=POST,
                                                   conditions=(REPOSTED,)),))
    with VkApiServer.start() as server:
        state = server.state
        state.add_users(range(1, 5))
        post = state.add_post(-COMMUNITY, 7)
        post.date = int((CLOSES - timedelta(days=5)).timestamp())
        for user in range(1, 5):
            post.add_repost(user)
        vk = {Network.VK: VkReader(NetworkSettings(vk_api_url=server.url, vk_token=TOKEN),
                                   sleep=lambda _: None)}
        read_source(session, contest=contest, source=0, readers=vk,
                    now=CLOSES + timedelta(seconds=5), signer=SIGNER)
        session.commit()
        review(session, contest)
        draw_closed(session, SIGNER, contest)
    record = find_draw(session, contest)
    assert record is not None

    with pytest.raises(InvalidInput) as refused:
        replace_winner(session, contest=contest, ticket=record.winners[0],
                       reason="condition_unmet", now=DUE + timedelta(minutes=1),
                       signer=SIGNER)
    assert refused.value.errors[0].code == "reason_checked_only"
    assert current_winners(session, record) == list(record.winners)


def test_the_monitor_names_a_condition_unmet_replacement_no_check_found(
        session: Session) -> None:
    """A server made to log a ``winner.replaced`` for "condition_unmet" that no
    ``condition.checked`` before it found unmet: every leaf sealed, only the replay sees it."""
    contest = logged_draw(session, SIGNER, entrants=12).contest
    record = find_draw(session, contest)
    assert record is not None
    later = DUE + timedelta(days=1)
    forged = append_event(session, event=events.winner_replaced(
        contest=contest.slug, ticket=record.winners[0], reason="condition_unmet",
        replacement=record.alternates[0], at=later), now=later, signer=SIGNER)
    session.commit()

    problems = [(finding.leaf_index, finding.message) for finding in replay_log(session).problems]

    assert problems == [(forged.leaf_index, f"winner.replaced replaces {record.winners[0]} for "
                         "condition_unmet, which no condition.checked found unmet")]


def test_the_monitor_names_a_freeze_that_did_not_wait_for_a_whole_read_after_the_close(
        session: Session, monkeypatch: pytest.MonkeyPatch) -> None:
    """A server made to freeze without the read the freeze waits for: the source read only
    before the close, incompletely, its gap never accepted. Every leaf is sealed; only the
    replay of the log, which has the rules and the reads, can tell."""
    contest = closed_contest(session, entrants=0, reviewed=False, winners=1, alternates=1,
                             sources=(SocialSource(Network.VK, post=POST,
                                                   conditions=(REPOSTED,)),))
    with VkApiServer.start() as server:
        state = server.state
        state.add_users(range(1, 6))
        post = state.add_post(-COMMUNITY, 7)
        post.date = int((CLOSES - timedelta(days=5)).timestamp())
        for user in range(1, 6):
            post.add_repost(user)
        post.add_repost(6, hidden=True)
        vk = {Network.VK: VkReader(NetworkSettings(vk_api_url=server.url, vk_token=TOKEN),
                                   sleep=lambda _: None)}
        read_source(session, contest=contest, source=0, readers=vk,
                    now=CLOSES - timedelta(hours=1), signer=SIGNER)
    session.commit()
    review(session, contest)
    monkeypatch.setattr("contest.draw.readiness._sources_missing", lambda *_: [])
    draw_closed(session, SIGNER, contest)

    problems = [finding.message for finding in replay_log(session).problems]

    assert problems == [f"entries.frozen with source 1 of {contest.slug} not read after the "
                        "close"]


def test_a_bot_update_without_the_person_who_pressed_is_ignored_not_a_crash(
        session: Session) -> None:
    """PTB reads a callback query without ``from`` (the Bot API always sends it; a proxy or a
    broken server may not) as one pressed by nobody: the bot ignores it rather than fail on
    every delivery of it (the webhook's 500, the polling bot stopped on the same update)."""
    update = telegram.Update.de_json({"update_id": 5, "callback_query": {
        "id": "1", "chat_instance": "x", "data": "enter:winter-giveaway",
        "message": {"message_id": 1, "date": 0, "chat": {"id": 1, "type": "private"}}}},
        telegram.Bot("123:abc"))

    found = answer(session, update, member=lambda *_: Check(ConditionKind.MEMBER, Result.MET),
                   deployment=Deployment("https://contest.example", b"key", SIGNER,
                                         "winter-giveaway"), now=CLOSES)

    assert found == TelegramAnswer()
