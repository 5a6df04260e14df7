"""A VK repost giveaway read into a contest, through the VK reader and a local VK API: the
entries, their checks, the public record of each read, the freeze waiting for a whole read,
and the winners checked again after the draw. On both databases."""

import json
from collections.abc import Iterator
from datetime import timedelta

import pytest
from sqlalchemy import func
from sqlmodel import Session, col, select

from contest.config import NetworkSettings
from contest.draw.readiness import missing_for_freeze
from contest.draw.recheck import recheck_conditions
from contest.draw.service import current_winners, find_draw
from contest.errors import AlreadyDone, InvalidInput, NetworkUnavailable
from contest.fraud.review import flag_queue, scan_contest
from contest.ledger.monitor import replay_log
from contest.models import (
    AccountProfileRecord,
    ConditionCheck,
    Contest,
    Entry,
    LogEntry,
    SourceRead,
)
from contest.rules.document import Condition, ConditionKind, Network, SocialSource
from contest.sources import NetworkReader
from contest.sources.reading import accept_gap, read_source
from contest.sources.registry import readers
from tests.builders import SIGNER
from tests.draw.builders import CLOSES, DUE, closed_contest, draw_closed, review
from tests.sources.vk_api import VkApiServer, VkPost

COMMUNITY = 1000
POST = f"-{COMMUNITY}_7"
REPOST_AND_JOIN = SocialSource(Network.VK, post=POST, community=str(COMMUNITY), conditions=(
    Condition(ConditionKind.REPOSTED), Condition(ConditionKind.MEMBER)))
AFTER_CLOSE = CLOSES + timedelta(seconds=5)


@pytest.fixture
def server() -> Iterator[VkApiServer]:
    with VkApiServer.start() as server:
        yield server


@pytest.fixture
def waits() -> list[float]:
    return []


@pytest.fixture
def vk(server: VkApiServer, waits: list[float]) -> dict[Network, NetworkReader]:
    return readers(NetworkSettings(vk_api_url=server.url, vk_token=server.state.token),
                   sleep=waits.append)


@pytest.fixture
def post(server: VkApiServer) -> VkPost:
    """A community post reposted by 40 people during the contest, 37 of them members."""
    state = server.state
    found = state.add_post(-COMMUNITY, 7)
    found.date = int((CLOSES - timedelta(days=5)).timestamp())
    for user in range(1, 41):
        state.add_user(user, f"Anna{user}", "Petrova")
        found.add_repost(user)
    state.add_members(COMMUNITY, range(4, 41))
    return found


@pytest.fixture
def contest(session: Session) -> Contest:
    return closed_contest(session, entrants=0, reviewed=False, winners=3, alternates=3,
                          sources=(REPOST_AND_JOIN,))


def events(session: Session, kind: str) -> list[dict[str, object]]:
    leaves = session.exec(select(LogEntry).order_by(col(LogEntry.leaf_index))).all()
    found = [json.loads(leaf.leaf) for leaf in leaves]
    return [event for event in found if event["type"] == kind]


def test_everyone_who_reposted_becomes_an_entry_once_with_their_checks_on_record(
        session: Session, contest: Contest, post: VkPost,
        vk: dict[Network, NetworkReader]) -> None:
    report = read_source(session, contest=contest, source=0, readers=vk, now=AFTER_CLOSE,
                         signer=SIGNER)
    session.commit()
    assert (report.taken, report.before, report.refused, report.unmet) == (40, 0, 0, 3)
    entries = session.exec(select(Entry).where(Entry.contest_id == contest.id)
                           .order_by(col(Entry.id))).all()
    assert [(entry.account, entry.channel) for entry in entries[:2]] == [
        ("vk:1", "vk"), ("vk:2", "vk")]
    assert {entry.account for entry in entries if not entry.eligible} == {
        "vk:1", "vk:2", "vk:3"}
    assert {entry.reasons for entry in entries if not entry.eligible} == {("condition_unmet",)}
    assert all(entry.submitted_at < CLOSES for entry in entries)  # when they reposted
    checks = session.exec(select(ConditionCheck)).all()
    assert len(checks) == 80 and {check.stage for check in checks} == {"entry"}
    [logged] = events(session, "source.read")
    assert logged["lists"] == [{"name": "reposts", "reported": 40, "read": 40}]
    assert (logged["complete"], logged["entrants"], logged["taken"], logged["unmet"]) == (
        True, 40, 40, 3)
    assert "vk:1" not in json.dumps(logged) and "Anna" not in json.dumps(logged)

    again = read_source(session, contest=contest, source=0, readers=vk,
                        now=AFTER_CLOSE + timedelta(minutes=1), signer=SIGNER)
    session.commit()
    assert (again.taken, again.before) == (0, 40)
    assert session.exec(select(func.count()).select_from(Entry)).one() == 40


def test_each_accounts_state_is_kept_for_the_auditor_and_never_logged(
        session: Session, contest: Contest, post: VkPost, server: VkApiServer,
        vk: dict[Network, NetworkReader]) -> None:
    state = server.state
    state.users[5].has_photo, state.users[5].followers, state.users[5].is_closed = (
        False, 0, True)
    state.users[6].deactivated = "banned"

    read_source(session, contest=contest, source=0, readers=vk, now=AFTER_CLOSE,
                signer=SIGNER)
    session.commit()

    kept = {row.account: row for row in session.exec(select(AccountProfileRecord))}
    assert len(kept) == 40
    assert (kept["vk:1"].has_photo, kept["vk:1"].followers, kept["vk:1"].closed,
            kept["vk:1"].deactivated) == (True, 87, False, None)
    assert (kept["vk:5"].has_photo, kept["vk:5"].followers, kept["vk:5"].closed) == (
        False, 0, True)
    assert (kept["vk:6"].deactivated, kept["vk:6"].has_photo, kept["vk:6"].followers) == (
        "banned", None, None)
    assert kept["vk:1"].friends is None and kept["vk:1"].is_bot is None
    assert kept["vk:1"].contest_id == contest.id and kept["vk:1"].read_at == AFTER_CLOSE
    [logged] = events(session, "source.read")
    assert set(logged) == {"type", "contest", "source", "network", "lists", "complete",
                           "entrants", "taken", "unmet", "problems", "at"}
    assert "vk:" not in json.dumps(logged) and "followers" not in json.dumps(logged)

    # The next read's facts replace the last's.
    state.users[5].has_photo = True
    read_source(session, contest=contest, source=0, readers=vk,
                now=AFTER_CLOSE + timedelta(minutes=1), signer=SIGNER)
    session.commit()
    session.expire_all()
    again = session.get(AccountProfileRecord, (contest.id, "vk:5"))
    assert again is not None and again.has_photo is True
    assert session.exec(select(func.count()).select_from(AccountProfileRecord)).one() == 40


def test_the_auditor_scan_flags_empty_accounts_registered_together_and_no_lively_one(
        session: Session, contest: Contest, post: VkPost, server: VkApiServer,
        vk: dict[Network, NetworkReader]) -> None:
    # The 40 reposters' ids are 1…40, registered together; the first eight are empty.
    for user in range(1, 41):   # names without digits, which are a signal of their own
        server.state.users[user].first_name = "Anna" + "".join(
            "abcdefghij"[int(digit)] for digit in str(user))
    for user in range(1, 9):
        server.state.users[user].has_photo, server.state.users[user].followers = False, 0
    read_source(session, contest=contest, source=0, readers=vk, now=AFTER_CLOSE,
                signer=SIGNER)
    session.commit()

    scan_contest(session, contest=contest, now=AFTER_CLOSE + timedelta(minutes=1))
    session.commit()

    flagged = {flag.entry.account: flag.evidence for flag in flag_queue(
        session, contest=contest, kind="bot")}
    assert set(flagged) == {f"vk:{user}" for user in range(4, 9)}   # 1–3 are out: unmet
    assert {edge["label"]: edge["to"] for edge in flagged["vk:5"]} == {
        "registered_together": "registered:vk:1…vk:40", "account_state": "profile:empty"}


def test_an_incomplete_read_blocks_the_freeze_until_the_gap_is_accepted_for_a_public_reason(
        session: Session, contest: Contest, post: VkPost,
        vk: dict[Network, NetworkReader]) -> None:
    for user in range(41, 46):
        post.add_repost(user, hidden=True)  # reposts to walls VK does not show
    report = read_source(session, contest=contest, source=0, readers=vk, now=AFTER_CLOSE,
                         signer=SIGNER)
    session.commit()
    assert not report.read.complete
    assert report.read.counts == {"reposts": {"reported": 45, "read": 40}}
    missing = [m.code for m in missing_for_freeze(session, contest, AFTER_CLOSE)]
    assert "source_incomplete" in missing
    with pytest.raises(InvalidInput) as refused:
        accept_gap(session, contest=contest, source=0, reason="we are sure",
                   now=AFTER_CLOSE, signer=SIGNER)
    assert refused.value.errors[0].code == "invalid_choice"
    accept_gap(session, contest=contest, source=0, reason="private_items",
               now=AFTER_CLOSE, signer=SIGNER)
    session.commit()
    assert "source_incomplete" not in [
        m.code for m in missing_for_freeze(session, contest, AFTER_CLOSE)]
    [gap] = events(session, "source.gap_accepted")
    [read] = events(session, "source.read")
    assert (gap["reason"], gap["source"]) == ("private_items", 0)
    assert session.get(LogEntry, gap["read_leaf"]) is not None
    assert json.loads(session.get(LogEntry, gap["read_leaf"]).leaf) == read  # type: ignore[union-attr]
    review(session, contest)
    draw_closed(session, SIGNER, contest)  # the freeze after the read whose gap is accepted
    assert replay_log(session).problems == ()


def test_the_freeze_waits_for_a_read_after_the_close(
        session: Session, contest: Contest, post: VkPost,
        vk: dict[Network, NetworkReader]) -> None:
    assert "source_unread" in [m.code for m in missing_for_freeze(session, contest, AFTER_CLOSE)]
    read_source(session, contest=contest, source=0, readers=vk,
                now=CLOSES - timedelta(hours=1), signer=SIGNER)
    session.commit()
    [waiting] = [m for m in missing_for_freeze(session, contest, AFTER_CLOSE)
                 if m.code == "source_unread"]
    assert "again" in waiting.text()
    read_source(session, contest=contest, source=0, readers=vk, now=AFTER_CLOSE,
                signer=SIGNER)
    session.commit()
    assert not {"source_unread", "source_incomplete"} & {
        m.code for m in missing_for_freeze(session, contest, AFTER_CLOSE)}


def test_a_refused_token_stores_nothing(session: Session, contest: Contest, post: VkPost,
                                         server: VkApiServer) -> None:
    wrong = readers(NetworkSettings(vk_api_url=server.url, vk_token="not-the-token"),
                    sleep=lambda seconds: None)
    with pytest.raises(NetworkUnavailable, match="token"):
        read_source(session, contest=contest, source=0, readers=wrong, now=AFTER_CLOSE,
                    signer=SIGNER)
    session.rollback()
    assert session.exec(select(func.count()).select_from(SourceRead)).one() == 0
    assert session.exec(select(func.count()).select_from(Entry)).one() == 0


def test_after_the_draw_a_winner_who_left_the_community_is_replaced_by_the_next_alternate(
        session: Session, contest: Contest, post: VkPost, server: VkApiServer,
        vk: dict[Network, NetworkReader]) -> None:
    read_source(session, contest=contest, source=0, readers=vk, now=AFTER_CLOSE,
                signer=SIGNER)
    session.commit()
    review(session, contest)
    draw_closed(session, SIGNER, contest)
    record = find_draw(session, contest)
    assert record is not None
    accounts = {entry.ticket: entry.account for entry in session.exec(
        select(Entry).where(Entry.contest_id == contest.id))}
    first, second = record.winners[0], record.alternates[0]
    left = {int(str(accounts[ticket]).removeprefix("vk:")) for ticket in (first, second)}
    server.state.members[COMMUNITY] -= left  # the first winner and first alternate left

    done = recheck_conditions(session, contest=contest, readers=vk,
                              now=DUE + timedelta(minutes=1), signer=SIGNER)
    session.commit()
    # The first alternate took the place and, not a member either, passed it to the second.
    assert done.replaced == ((first, second), (second, record.alternates[1]))
    assert current_winners(session, record) == [record.alternates[1], *record.winners[1:]]
    checked = events(session, "condition.checked")
    assert len(checked) == (3 + 3) * 2
    assert [event["ticket"] for event in checked[::2]] == [*record.winners, *record.alternates]
    assert {(e["ticket"], e["condition"]) for e in checked if e["result"] == "unmet"} == {
        (first, "member"), (second, "member")}
    assert [(e["ticket"], e["reason"], e["replacement"])
            for e in events(session, "winner.replaced")] == [
        (first, "condition_unmet", second),
        (second, "condition_unmet", record.alternates[1])]
    assert session.exec(select(func.count()).select_from(ConditionCheck).where(
        ConditionCheck.stage == "draw")).one() == 12
    assert replay_log(session).problems == ()  # each replacement follows its unmet check
    with pytest.raises(AlreadyDone):
        recheck_conditions(session, contest=contest, readers=vk,
                           now=DUE + timedelta(minutes=2), signer=SIGNER)


def test_an_account_that_entered_by_the_form_too_counts_once_and_the_read_keeps_its_checks(
        session: Session, post: VkPost, vk: dict[Network, NetworkReader]) -> None:
    from contest.rules.versions import find_published
    from tests.builders import make_entry

    contest = closed_contest(session, entrants=0, reviewed=False, sources=(REPOST_AND_JOIN,))
    published = find_published(session, contest)
    assert published is not None
    form = make_entry(session, published, data={"full_name": "Anna5 Petrova",
                                                "email": "anna5@example.com",
                                                "account": "https://vk.com/id5",
                                                "birth_date": "1990-01-01", "country": "RU"},
                      now=CLOSES - timedelta(days=6))
    session.commit()
    read_source(session, contest=contest, source=0, readers=vk, now=AFTER_CLOSE, signer=SIGNER)
    session.commit()
    both = session.exec(select(Entry).where(Entry.account == "vk:5")
                        .order_by(col(Entry.id))).all()
    assert [(entry.channel, entry.reasons) for entry in both] == [
        ("form", ()), ("vk", ("person_limit",))]
    checked = {check.entry_id for check in session.exec(select(ConditionCheck))}
    assert both[1].id in checked and form.id not in checked
