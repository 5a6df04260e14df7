"""A marketer reads a VK repost giveaway on the sources desk, accepts a gap in the read, and
draws; the results wait for the winners' conditions to be checked again, and the public sees
counts, never an account. The app calls a local VK API named by its settings."""

from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from flask import Flask
from sqlmodel import Session, select

from contest.accounts import create_user
from contest.draw.service import find_draw
from contest.models import Contest, Entry
from contest.rules.document import Condition, ConditionKind, Network, SocialSource
from tests.draw.builders import CLOSES, DUE, FREEZE, ROUND, closed_contest, review
from tests.fixtures import Browser, Clock, configured_app
from tests.sources.vk_api import VkApiServer

PASSWORD = "a long password"
SOURCE = SocialSource(Network.VK, post="-1000_7", community="1000", conditions=(
    Condition(ConditionKind.REPOSTED), Condition(ConditionKind.MEMBER)))


@pytest.fixture
def vk() -> Iterator[VkApiServer]:
    with VkApiServer.start() as server:
        post = server.state.add_post(-1000, 7)
        post.date = int((CLOSES - timedelta(days=2)).timestamp())
        for user in range(1, 21):
            server.state.add_user(user, f"Мария{user}", "Соколова")
            post.add_repost(user)
        server.state.add_members(1000, range(1, 21))
        yield server


@pytest.fixture
def app(database_url: str, clock: Clock, tmp_path: Path, vk: VkApiServer) -> Iterator[Flask]:
    with configured_app(database_url, clock, tmp_path, vk_api_url=vk.url,
                        vk_token=vk.state.token) as configured:
        yield configured


@pytest.fixture
def contest(db: Session, clock: Clock, client: Browser) -> Contest:
    found = closed_contest(db, entrants=0, reviewed=False, winners=2, alternates=2,
                           sources=(SOURCE,))
    create_user(db, email="m@brand.example", name="Maria", role="marketer", password=PASSWORD,
                actor_id=None, now=clock.now)
    db.commit()
    client.sign_in("m@brand.example", PASSWORD)
    clock.now = CLOSES + timedelta(seconds=10)
    return found


def test_a_marketer_reads_the_source_and_accepts_a_gap_for_a_public_reason(
        client: Browser, db: Session, contest: Contest, vk: VkApiServer) -> None:
    desk = f"/manage/contests/{contest.slug}/sources"
    page = client.get(desk).get_data(as_text=True)
    assert "Not read yet." in page and "Reposted the post" in page
    vk.state.posts[(-1000, 7)].add_repost(77, hidden=True)
    read = client.submit(f"{desk}/1/read", follow_redirects=True).get_data(as_text=True)
    assert "The read is incomplete" in read
    assert "reposts: 20 of 21" in read
    assert 'name="reason" value="private_items"' in read
    assert len(db.exec(select(Entry).where(Entry.contest_id == contest.id)).all()) == 20
    wrong = client.submit(f"{desk}/1/accept-gap", {"reason": "a typed excuse"},
                          follow_redirects=True).get_data(as_text=True)
    assert "must be one of private_items" in wrong
    accepted = client.submit(f"{desk}/1/accept-gap", {"reason": "private_items"},
                             follow_redirects=True).get_data(as_text=True)
    assert "the gap is accepted: the network counts reposts or comments it does not show" in (
        accepted)


def test_the_results_wait_for_the_check_after_the_draw_and_show_counts_not_accounts(
        client: Browser, db: Session, clock: Clock, contest: Contest,
        vk: VkApiServer) -> None:
    client.submit(f"/manage/contests/{contest.slug}/sources/1/read")
    review(db, contest)
    desk = f"/manage/contests/{contest.slug}/draw"
    clock.now = FREEZE
    client.submit(f"{desk}/freeze")
    clock.now = DUE + timedelta(seconds=5)
    client.submit(f"{desk}/randomness", {"round_json": (
        f'{{"round": {ROUND["round"]}, "signature": "{ROUND["signature"]}"}}')})
    vk.state.fail_every(1, code=5)  # VK refuses every call when the draw is made
    page = client.submit(f"{desk}/run", follow_redirects=True).get_data(as_text=True)
    assert "VK refused the token" in page
    assert "Check the conditions again" in page
    results = client.get(f"/contests/{contest.slug}/results").get_data(as_text=True)
    assert "being checked again" in results
    db.expire_all()
    record = find_draw(db, contest)
    assert record is not None and record.seed is not None and record.rechecked_at is None
    names = [entry.full_name for entry in db.exec(select(Entry).where(
        Entry.ticket.in_(record.winners)))]  # type: ignore[attr-defined]
    assert not any(name.split()[0] in results for name in names)

    vk.state.fail_every(0)  # VK answers again
    done = client.submit(f"{desk}/recheck", follow_redirects=True).get_data(as_text=True)
    assert "Done: the step is recorded on the public log." in done
    results = client.get(f"/contests/{contest.slug}/results").get_data(as_text=True)
    assert "being checked again" not in results
    assert "Where the entries came from" in results and "reposts: 20 of 20" in results
    accounts = [entry.account for entry in db.exec(select(Entry))]
    assert accounts and not any(f"{account}<" in results or f"{account} " in results
                                for account in accounts)
