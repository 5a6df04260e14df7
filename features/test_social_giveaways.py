"""Steps for features/social_giveaways.feature.

The networks are the tests' local servers, written from VK's, Telegram's and Instagram's
documentation, and the app is pointed at them by its settings as production is pointed at
the networks. The marketer acts on the sources desk and the draw desk as in the browser; the
entrant writes to the bot as Telegram delivers it (the webhook); what happened is read back
from the public pages and the public log, as anyone would read it."""

import json
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from pytest_bdd import given, parsers, scenarios, then, when
from sqlmodel import Session, col, select

from contest.accounts import create_user
from contest.draw.service import find_draw
from contest.models import ConditionCheck, Contest, Entry
from contest.rules.document import (
    Condition,
    ConditionKind,
    Eligibility,
    Network,
    SocialSource,
)
from contest.sources.telegram import webhook_secret
from tests.builders import OPENS, make_contest
from tests.draw.builders import CLOSES, DUE, FREEZE, ROUND, closed_contest, review
from tests.fixtures import Browser, Clock, configured_app
from tests.sources.instagram_graph import GraphServer
from tests.sources.telegram_bot_api import (
    BOT,
    TOKEN,
    BotApiState,
    bot_api_server,
    person,
    press_update,
    reply_update,
    start_update,
)
from tests.sources.vk_api import VkApiServer

scenarios("social_giveaways.feature")

PASSWORD = "a long password"
MARKETER = "maria@brand.example"
COMMUNITY = 1000
MEDIA = "17900000000000042"
CHANNEL = "@brand_news"
SLUG = "winter-giveaway"


@pytest.fixture
def vk() -> Iterator[VkApiServer]:
    with VkApiServer.start() as server:
        yield server


@pytest.fixture
def graph() -> Iterator[GraphServer]:
    with GraphServer.start() as server:
        yield server


@pytest.fixture
def bot() -> BotApiState:
    return BotApiState()


@pytest.fixture
def app(database_url: str, clock: Clock, tmp_path: Path, vk: VkApiServer,
        graph: GraphServer, bot: BotApiState) -> Iterator[Flask]:
    with bot_api_server(bot) as bot_url, configured_app(
            database_url, clock, tmp_path, vk_api_url=vk.url, vk_token=vk.state.token,
            instagram_graph_url=graph.url, instagram_token=graph.token,
            telegram_api_url=bot_url, telegram_bot_token=TOKEN) as configured:
        yield configured


def _public_events(client: Browser, kind: str) -> list[dict[str, Any]]:
    size = int(client.get("/log/checkpoint").get_data(as_text=True).split("\n")[1])
    leaves = client.get(f"/log/entries?start=0&end={size}").get_json()["entries"]
    return [event for event in (json.loads(leaf["leaf"]) for leaf in leaves)
            if event["type"] == kind]


def _signed_in_marketer(db: Session, clock: Clock, client: Browser) -> None:
    create_user(db, email=MARKETER, name="Maria", role="marketer", password=PASSWORD,
                actor_id=None, now=clock.now)
    db.commit()
    assert client.sign_in(MARKETER, PASSWORD).status_code == 302


# -- VK ------------------------------------------------------------------------------------

@given("a VK giveaway whose rules ask to repost the post and be a member of the community",
       target_fixture="contest")
def vk_giveaway(db: Session, clock: Clock, client: Browser) -> Contest:
    clock.now = CLOSES - timedelta(days=1)
    _signed_in_marketer(db, clock, client)
    return closed_contest(db, entrants=0, reviewed=False, winners=3, alternates=3,
                          sources=(SocialSource(Network.VK, post=f"-{COMMUNITY}_7",
                                                community=str(COMMUNITY), conditions=(
                              Condition(ConditionKind.REPOSTED),
                              Condition(ConditionKind.MEMBER))),))


@given(parsers.parse("{count:d} people reposted the post, {outsiders:d} of whom are not "
                     "members of the community"))
def reposted(vk: VkApiServer, count: int, outsiders: int) -> None:
    post = vk.state.add_post(-COMMUNITY, 7)
    post.date = int((CLOSES - timedelta(days=4)).timestamp())
    for user in range(1, count + 1):
        vk.state.add_user(user, f"Анна{user}", "Петрова")
        post.add_repost(user)
    vk.state.add_members(COMMUNITY, range(outsiders + 1, count + 1))


@given(parsers.parse("{count:d} more reposted to pages VK does not show"))
def hidden_reposts(vk: VkApiServer, count: int) -> None:
    for user in range(500, 500 + count):
        vk.state.posts[(-COMMUNITY, 7)].add_repost(user, hidden=True)


@when(parsers.parse("the entries close and the marketer reads the {network} source on the "
                    "sources desk"))
def marketer_reads(client: Browser, clock: Clock, contest: Contest, page: dict[str, str],
                   network: str) -> None:
    clock.now = CLOSES + timedelta(seconds=10)
    page["html"] = client.submit(f"/manage/contests/{contest.slug}/sources/1/read",
                                 follow_redirects=True).get_data(as_text=True)


@then(parsers.parse('the sources desk says "{counts}" and "{verdict}"'))
def desk_says(page: dict[str, str], counts: str, verdict: str) -> None:
    assert counts in page["html"], page["html"]
    assert verdict in page["html"]


@then(parsers.parse('{count:d} entries are stored from {network}, {out:d} of them left out '
                    'for "{reason}"'))
def stored_from(db: Session, contest: Contest, count: int, network: str, out: int,
                reason: str) -> None:
    entries = db.exec(select(Entry).where(Entry.contest_id == contest.id)).all()
    assert len(entries) == count
    assert {entry.channel for entry in entries} == {network.lower()}
    assert [entry.reasons for entry in entries if not entry.eligible] == [(reason,)] * out


@then("the public log records the read with its counts and no account or name")
def read_on_the_log(client: Browser, db: Session) -> None:
    [read] = _public_events(client, "source.read")
    assert read["lists"] == [{"name": "reposts", "reported": 30, "read": 30}]
    assert read["complete"] is True
    written = json.dumps(read, ensure_ascii=False)
    for entry in db.exec(select(Entry)):
        assert str(entry.account) not in written and entry.full_name not in written


@when("the auditor has reviewed the entries and the marketer freezes them")
def freeze(client: Browser, db: Session, clock: Clock, contest: Contest) -> None:
    review(db, contest)
    desk = f"/manage/contests/{contest.slug}/draw"
    clock.now = FREEZE
    client.submit(f"{desk}/freeze")
    clock.now = DUE + timedelta(seconds=5)
    client.submit(f"{desk}/randomness", {"round_json": json.dumps(
        {"round": ROUND["round"], "signature": ROUND["signature"]})})
    db.expire_all()


@when("the entrant the draw will name first leaves the community")
def first_winner_leaves(db: Session, vk: VkApiServer, contest: Contest) -> None:
    # The randomness is public now, so anyone can work out whom the draw names first.
    from contest.draw.protocol import draw, draw_seed

    record = find_draw(db, contest)
    assert record is not None and record.value is not None
    seed = draw_seed(bytes.fromhex(record.rules_sha256), bytes.fromhex(record.entries_root),
                     bytes.fromhex(record.value))
    first = draw(record.tickets, seed, 3, 3).winners[0]
    [entry] = db.exec(select(Entry).where(Entry.ticket == first)).all()
    vk.state.members[COMMUNITY].discard(int(str(entry.account).removeprefix("vk:")))


@when("the drand round arrives and the marketer draws")
def marketer_draws(client: Browser, contest: Contest, page: dict[str, str]) -> None:
    page["html"] = client.submit(f"/manage/contests/{contest.slug}/draw/run",
                                 follow_redirects=True).get_data(as_text=True)
    assert "Done: the step is recorded on the public log." in page["html"]


@then(parsers.parse('the first winner is replaced by the first alternate for "{reason}"'))
def replaced(client: Browser, db: Session, contest: Contest, reason: str) -> None:
    [drawn] = _public_events(client, "draw.made")
    [event] = _public_events(client, "winner.replaced")
    assert (event["ticket"], event["reason"], event["replacement"]) == (
        drawn["winners"][0], reason, drawn["alternates"][0])
    checked = _public_events(client, "condition.checked")
    assert [e["ticket"] for e in checked[::2]] == drawn["winners"] + drawn["alternates"]
    assert db.exec(select(ConditionCheck).where(ConditionCheck.stage == "draw")).all()


@then(parsers.parse('the results page says the winner "{words}"'))
def results_say_replaced(client: Browser, contest: Contest, words: str) -> None:
    results = client.get(f"/contests/{contest.slug}/results").get_data(as_text=True)
    assert words in results


@then(parsers.parse('the results page says where the entries came from: "{counts}"'))
def results_say_sources(client: Browser, contest: Contest, counts: str) -> None:
    results = client.get(f"/contests/{contest.slug}/results").get_data(as_text=True)
    assert "Where the entries came from" in results and counts in results


@then("the draw desk says the freeze waits for the read of source 1")
def desk_waits(client: Browser, contest: Contest) -> None:
    desk = client.get(f"/manage/contests/{contest.slug}/draw").get_data(as_text=True)
    assert "the read of source 1 (vk) is incomplete (reposts 30/34)" in desk


@when(parsers.parse('the marketer accepts the gap because "{words}"'))
def accepts_gap(client: Browser, contest: Contest, page: dict[str, str], words: str) -> None:
    desk = client.get(f"/manage/contests/{contest.slug}/sources").get_data(as_text=True)
    assert words in desk
    page["html"] = client.submit(f"/manage/contests/{contest.slug}/sources/1/accept-gap",
                                 {"reason": "private_items"},
                                 follow_redirects=True).get_data(as_text=True)


@then(parsers.parse('the public log records the gap accepted for "{reason}"'))
def gap_on_the_log(client: Browser, reason: str) -> None:
    [gap] = _public_events(client, "source.gap_accepted")
    assert gap["reason"] == reason


@then("the draw desk no longer waits for source 1")
def desk_no_longer_waits(client: Browser, contest: Contest) -> None:
    desk = client.get(f"/manage/contests/{contest.slug}/draw").get_data(as_text=True)
    assert "source 1" not in desk


# -- Telegram ------------------------------------------------------------------------------

@given("a Telegram giveaway for adults in Russia whose rules ask to be subscribed to "
       "@brand_news", target_fixture="contest")
def telegram_giveaway(db: Session, clock: Clock) -> Contest:
    from tests.builders import rules_document

    rules = rules_document(
        eligibility=Eligibility(min_age=18, legal_min_age=18, countries=("RU",)),
        sources=(SocialSource(Network.TELEGRAM, community=CHANNEL, conditions=(
            Condition(ConditionKind.MEMBER),)),))
    contest, _ = make_contest(db, slug=SLUG, rules=rules)
    clock.now = OPENS + timedelta(days=1)
    return contest


@given(parsers.parse("{name}, who writes to Telegram in Russian, is subscribed to "
                     "@brand_news"), target_fixture="entrant")
def subscribed(bot: BotApiState, name: str) -> dict[str, Any]:
    bot.join(CHANNEL, 7001)
    return person(7001, language="ru", first_name=name, last_name="Смирнова")


@given(parsers.parse("{name}, who writes to Telegram in Russian, is not subscribed to "
                     "@brand_news"), target_fixture="entrant")
def not_subscribed(bot: BotApiState, name: str) -> dict[str, Any]:
    bot.members.setdefault(CHANNEL, {})  # the channel, with the bot its admin, and others
    return person(7002, language="ru", first_name=name, last_name="Козлов")


@then("the contest's page links to the bot with the contest in its link")
def page_links_the_bot(client: Browser) -> None:
    page = client.get(f"/contests/{SLUG}").get_data(as_text=True)
    assert f'href="https://t.me/{BOT["username"]}?start={SLUG}"' in page


def _send(app: Flask, client: Browser, update: dict[str, Any]) -> None:
    assert isinstance(app.secret_key, str)
    answer = client.post(f"/telegram/{SLUG}/webhook", json=update, headers={
        "X-Telegram-Bot-Api-Secret-Token": webhook_secret(app.secret_key.encode(), SLUG)})
    assert answer.status_code == 200


@when(parsers.parse("{name} opens the bot's link to the contest"))
def opens_link(app: Flask, client: Browser, entrant: dict[str, Any], name: str) -> None:
    _send(app, client, start_update(1, entrant, f"/start {SLUG}"))


@when(parsers.parse("{name} opens the bot's link to the contest and presses "
                    "\"Участвовать\""))
def opens_and_presses(app: Flask, client: Browser, entrant: dict[str, Any],
                      name: str) -> None:
    _send(app, client, start_update(1, entrant, f"/start {SLUG}"))
    _send(app, client, press_update(2, entrant, f"enter:{SLUG}"))


@then("the bot answers her in Russian with the link to the official rules and a "
      "\"Участвовать\" button")
def greeted(bot: BotApiState, app: Flask) -> None:
    sent = bot.sent[-1]
    assert f"{app.config['BASE_URL']}/contests/{SLUG}/rules" in sent["text"]
    assert "Официальные правила" in sent["text"]
    assert "Участвовать" in json.dumps(sent.get("reply_markup"), ensure_ascii=False)


@when(parsers.parse('{name} presses "Участвовать"'))
def presses(app: Flask, client: Browser, entrant: dict[str, Any], name: str) -> None:
    _send(app, client, press_update(3, entrant, f"enter:{SLUG}"))


@when(parsers.parse('{name} presses "Участвовать" again'))
def presses_again(app: Flask, client: Browser, entrant: dict[str, Any], name: str) -> None:
    _send(app, client, press_update(5, entrant, f"enter:{SLUG}"))


@then("the bot asks her in Russian for her date of birth and country")
def asked(bot: BotApiState) -> None:
    assert "датой рождения и кодом страны" in bot.sent[-1]["text"]


@when(parsers.parse('{name} replies "{text}"'))
def replies(app: Flask, client: Browser, bot: BotApiState, entrant: dict[str, Any],
            name: str, text: str) -> None:
    _send(app, client, reply_update(4, entrant, text, bot.sent[-1]["text"]))


@then("the bot answers in Russian with her ticket and the link to her receipt",
      target_fixture="ticket")
def answered_with_ticket(bot: BotApiState, app: Flask, db: Session) -> str:
    text = bot.sent[-1]["text"]
    [entry] = db.exec(select(Entry)).all()
    assert f"Ваш билет: {entry.ticket}" in text
    assert f"{app.config['BASE_URL']}/receipts/{entry.ticket}/" in text
    return entry.ticket


@then("her entry is stored from Telegram with her membership checked")
def stored_from_telegram(db: Session) -> None:
    [entry] = db.exec(select(Entry)).all()
    assert (entry.channel, entry.account, entry.eligible) == ("telegram", "tg:7001", True)
    [check] = db.exec(select(ConditionCheck).where(col(ConditionCheck.entry_id) == entry.id))
    assert (check.condition, check.result, check.stage) == ("member", "met", "entry")


@then("the bot answers that she has already entered, with the same ticket")
def already_entered(bot: BotApiState, db: Session, ticket: str) -> None:
    assert "Вы уже участвуете" in bot.sent[-1]["text"] and ticket in bot.sent[-1]["text"]
    assert len(db.exec(select(Entry)).all()) == 1


@then("the bot tells him in Russian to subscribe to @brand_news and press again")
def told_to_subscribe(bot: BotApiState) -> None:
    assert "подпишитесь на @brand_news" in bot.sent[-1]["text"]


# -- Instagram -----------------------------------------------------------------------------

@given("an Instagram giveaway whose rules ask to comment under the post tagging at least 2 "
       "other accounts", target_fixture="contest")
def instagram_giveaway(db: Session, clock: Clock, client: Browser) -> Contest:
    clock.now = CLOSES - timedelta(days=1)
    _signed_in_marketer(db, clock, client)
    return closed_contest(db, entrants=0, reviewed=False, sources=(SocialSource(
        Network.INSTAGRAM, post=MEDIA, conditions=(
            Condition(ConditionKind.COMMENTED), Condition(ConditionKind.TAGGED, 2))),))


@given(parsers.parse("{count:d} people commented under the post, {few:d} of them tagging "
                     "only one friend, and the brand answered twice"))
def commented(graph: GraphServer, count: int, few: int) -> None:
    graph.start = CLOSES - timedelta(days=3)
    media = graph.add_media(MEDIA, owner="snowfall.brand")
    for number in range(count):
        tags = "@friend.a" if number < few else "@friend.a @friend_b"
        made = media.comment(f"fan.{number}", f"Хочу! {tags}")
        if number < 2:
            made.reply("snowfall.brand", "Удачи!")


@then("no public page shows an Instagram username")
def no_username_in_public(client: Browser, contest: Contest, db: Session) -> None:
    pages = "".join(client.get(url).get_data(as_text=True) for url in (
        f"/contests/{contest.slug}", f"/contests/{contest.slug}/rules",
        f"/contests/{contest.slug}/results"))
    for entry in db.exec(select(Entry)):
        handle = str(entry.account).removeprefix("ig:")
        assert handle.lower() not in pages.lower() and str(entry.account) not in pages
