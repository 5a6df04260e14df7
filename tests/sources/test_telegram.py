"""The contest's Telegram bot against a local Bot API server (tests/sources/telegram_bot_api.py):
a person opens the deep link, presses Participate, and is entered, or told why not."""

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

import pytest
from sqlmodel import Session, select

from contest.config import NetworkSettings
from contest.entries.consent import consent_for
from contest.errors import Conflict, NetworkUnavailable
from contest.i18n import translate
from contest.ledger.receipts import receipt_key
from contest.models import AccountProfileRecord, ConditionCheck, Entry
from contest.rules.document import (
    Condition,
    ConditionKind,
    Eligibility,
    Network,
    SocialSource,
)
from contest.rules.versions import PublishedContest
from contest.sources import Check, Problem, Result
from contest.sources.telegram import (
    CANNOT_CHECK,
    OUTAGE_SECONDS,
    OUTAGES,
    SUBSCRIBE,
    UNKNOWN_CONTEST,
    Deployment,
    TelegramReader,
    bot_api,
    contest_for_bot,
    handle,
    poll,
    serve,
)
from tests.builders import OPENS, SIGNER, make_published, rules_document
from tests.entries.builders import DURING
from tests.sources.telegram_bot_api import (
    TOKEN,
    BotApiState,
    bot_api_server,
    person,
    press_update,
    reply_update,
    start_update,
)

CHANNEL = "@brand_news"
SLUG = "winter-giveaway"
BASE_URL = "https://contest.example"
SECRET = b"the app's secret key for tests"
SOURCE = SocialSource(Network.TELEGRAM, community=CHANNEL,
                      conditions=(Condition(ConditionKind.MEMBER),))


def telegram_rules(**overrides: Any) -> Any:
    """Rules of a Telegram giveaway: no age or country limit (the bot asks neither), the
    channel to subscribe to."""
    return rules_document(eligibility=Eligibility(min_age=0, legal_min_age=0, countries=()),
                          sources=(SOURCE,), **overrides)


@dataclass
class Bot:
    """The Bot API server's state, the settings pointed at it, and what the bot slept."""

    state: BotApiState
    settings: NetworkSettings
    slept: list[float] = field(default_factory=list)
    next_update: int = 1
    offset: int | None = None

    def start(self, user: dict[str, Any], text: str = f"/start {SLUG}") -> None:
        self.state.queue(start_update(self.next_update, user, text))
        self.next_update += 1

    def press(self, user: dict[str, Any], data: str = f"enter:{SLUG}") -> None:
        self.state.queue(press_update(self.next_update, user, data))
        self.next_update += 1

    def reply(self, user: dict[str, Any], text: str, question: str) -> None:
        self.state.queue(reply_update(self.next_update, user, text, question))
        self.next_update += 1

    def serve(self, session: Session, *, now: datetime = DURING) -> list[str]:
        """One round of long polling, every update answered; the texts sent."""
        before = len(self.state.sent)
        deployment = Deployment(BASE_URL, SECRET, SIGNER, SLUG)
        with bot_api(self.settings, sleep=self.slept.append) as api:
            updates, self.offset = poll(api, self.offset, timeout=0)
            for update in updates:
                handle(session, api, update, deployment=deployment, now=now)
        return [message["text"] for message in self.state.sent[before:]]


@pytest.fixture
def bot() -> Iterator[Bot]:
    state = BotApiState()
    state.members[CHANNEL] = {}
    with bot_api_server(state) as url:
        yield Bot(state, NetworkSettings(telegram_api_url=url, telegram_bot_token=TOKEN))


@pytest.fixture
def contest(session: Session) -> PublishedContest:
    return make_published(session, rules=telegram_rules())


def entries(session: Session) -> list[Entry]:
    return list(session.exec(select(Entry)).all())


def test_a_member_opens_the_link_presses_participate_and_gets_a_ticket_in_russian(
        session: Session, bot: Bot, contest: PublishedContest) -> None:
    ivan = person(42, language="ru")
    bot.state.join(CHANNEL, 42)

    bot.start(ivan)
    [greeting] = bot.serve(session)
    consent = consent_for(contest.rules, "ru")
    assert f"{BASE_URL}/contests/{SLUG}/rules" in greeting
    assert contest.rules.title in greeting
    assert consent.text in greeting and consent.text != consent_for(contest.rules, "en").text
    [button] = bot.state.sent[-1]["reply_markup"]["inline_keyboard"][0]
    assert button["callback_data"] == f"enter:{SLUG}"

    bot.press(ivan, button["callback_data"])
    [answer] = bot.serve(session)
    [entry] = entries(session)
    assert entry.channel == "telegram" and entry.account == "tg:42"
    assert entry.full_name == "Иван Петров" and entry.language == "ru"
    assert entry.consent_sha256 == consent.version
    assert entry.ticket in answer
    assert f"{BASE_URL}/receipts/{entry.ticket}/{receipt_key(entry.ticket, SECRET)}" in answer
    assert bot.state.answered == [{"callback_query_id": "query-2"}]
    [check] = session.exec(select(ConditionCheck)).all()
    assert (check.entry_id, check.condition, check.result, check.stage) == (
        entry.id, "member", "met", "entry")


def test_what_telegram_tells_of_the_account_is_kept_with_the_entry(
        session: Session, bot: Bot, contest: PublishedContest) -> None:
    bot.state.join(CHANNEL, 42)
    bot.press(person(42))
    bot.serve(session)
    [kept] = session.exec(select(AccountProfileRecord)).all()
    assert (kept.contest_id, kept.account, kept.is_bot, kept.read_at) == (
        contest.contest_id, "tg:42", False, DURING)
    # Telegram tells nothing else of a User without a call of its own.
    assert (kept.deactivated, kept.closed, kept.has_photo, kept.followers, kept.friends) == (
        None, None, None, None, None)


def test_one_who_is_not_subscribed_is_told_to_subscribe_and_is_not_entered(
        session: Session, bot: Bot, contest: PublishedContest) -> None:
    bot.state.join(CHANNEL, 42, "left")
    bot.press(person(42, language="en"))
    assert bot.serve(session) == [translate(SUBSCRIBE, "en", {"channel": CHANNEL})]
    assert entries(session) == []


def test_a_restricted_member_is_a_member_and_a_kicked_one_is_not(
        session: Session, bot: Bot, contest: PublishedContest) -> None:
    bot.state.join(CHANNEL, 42, "restricted", is_member=True)
    bot.state.join(CHANNEL, 43, "kicked")
    bot.press(person(42))
    bot.press(person(43))
    bot.serve(session)
    assert [entry.account for entry in entries(session)] == ["tg:42"]


def test_pressing_twice_gives_the_same_entry(session: Session, bot: Bot,
                                             contest: PublishedContest) -> None:
    bot.state.join(CHANNEL, 42)
    bot.press(person(42))
    bot.press(person(42))
    first, second = bot.serve(session)
    [entry] = entries(session)
    assert entry.ticket in first and entry.ticket in second
    assert len(session.exec(select(ConditionCheck)).all()) == 1


def test_a_closed_contest_says_so(session: Session, bot: Bot,
                                  contest: PublishedContest) -> None:
    bot.state.join(CHANNEL, 42)
    after = OPENS + timedelta(days=31)
    bot.start(person(42, language="en"))
    bot.press(person(42, language="en"))
    greeting, refusal = bot.serve(session, now=after)
    assert "not taking entries now" in greeting
    assert bot.state.sent[0]["reply_markup"] is None
    assert "closed" in refusal
    assert entries(session) == []


def test_an_unknown_contest_is_said_in_the_persons_language(
        session: Session, bot: Bot, contest: PublishedContest) -> None:
    bot.start(person(42, language="uk"), "/start no-such-contest")
    assert bot.serve(session) == [translate(UNKNOWN_CONTEST, "uk",
                                            {"slug": "no-such-contest"})]


def test_a_bot_that_is_no_admin_of_the_channel_says_so_plainly(
        session: Session, bot: Bot, contest: PublishedContest,
        caplog: pytest.LogCaptureFixture) -> None:
    bot.state.not_admin_of.add(CHANNEL)
    bot.press(person(42, language="en"))
    with caplog.at_level(logging.WARNING, logger="contest.sources.telegram"):
        assert bot.serve(session) == [translate(CANNOT_CHECK, "en", {"channel": CHANNEL})]
    assert "make the bot an administrator" in caplog.text and CHANNEL in caplog.text
    assert entries(session) == []


def test_too_many_requests_is_waited_through(session: Session, bot: Bot,
                                             contest: PublishedContest) -> None:
    bot.state.join(CHANNEL, 42)
    bot.state.too_many, bot.state.retry_after = 2, 9
    bot.press(person(42))
    bot.serve(session)
    assert bot.slept == [9.0, 9.0]
    assert [entry.account for entry in entries(session)] == ["tg:42"]


def test_too_many_requests_for_ever_is_told_and_takes_no_entry(
        session: Session, bot: Bot, contest: PublishedContest) -> None:
    bot.state.join(CHANNEL, 42)
    bot.press(person(42, language="en"))
    deployment = Deployment(BASE_URL, SECRET, SIGNER, SLUG)
    with bot_api(bot.settings, sleep=bot.slept.append) as api:
        updates, _ = poll(api, None, timeout=0)
        bot.state.too_many = 100
        [update] = updates
        with pytest.raises(NetworkUnavailable, match="too many requests"):
            handle(session, api, update, deployment=deployment, now=DURING)
        bot.state.too_many = 0
    # Four waits for getChatMember (the person is to be told to try again), four more for
    # answerCallbackQuery: then the bot stops, and the update is not confirmed.
    assert bot.slept == [7.0] * 8
    assert bot.state.sent == []
    assert entries(session) == []


def test_a_group_chat_and_other_messages_are_ignored(session: Session, bot: Bot,
                                                     contest: PublishedContest) -> None:
    group = start_update(1, person(42), f"/start {SLUG}")
    group["message"]["chat"] = {"id": -1001, "type": "supergroup", "title": "Chat"}
    bot.state.queue(group)
    bot.next_update = 2
    bot.start(person(42), "hello")
    assert bot.serve(session) == []


def test_the_reader_reads_no_list_and_is_complete(bot: Bot) -> None:
    read = TelegramReader(bot.settings, sleep=bot.slept.append).read(SOURCE)
    assert (read.lists, read.people, read.complete) == ((), (), True)


def test_the_reader_checks_membership_again_for_the_draw(bot: Bot) -> None:
    bot.state.join(CHANNEL, 1)
    bot.state.join(CHANNEL, 2, "administrator")
    bot.state.join(CHANNEL, 3, "restricted", is_member=False)
    bot.state.join(CHANNEL, 4, "kicked")
    checks = TelegramReader(bot.settings, sleep=bot.slept.append).check(
        SOURCE, ["tg:1", "tg:2", "tg:3", "tg:4", "tg:5", "vk:6"])
    member = ConditionKind.MEMBER
    assert checks == {
        "tg:1": (Check(member, Result.MET),), "tg:2": (Check(member, Result.MET),),
        "tg:3": (Check(member, Result.UNMET, "restricted"),),
        "tg:4": (Check(member, Result.UNMET, "kicked"),),
        "tg:5": (Check(member, Result.UNMET, "left"),),
        "vk:6": (Check(member, Result.UNKNOWN, Problem.NOT_FOUND.value),)}


def test_the_bot_is_called_alike_from_inside_a_running_event_loop(bot: Bot) -> None:
    """A browser's test driver or an async server keeps an event loop running in the
    caller's thread; the bot's calls run on a loop of their own and work there too. (The
    loop runs in a thread of the test's own, whatever the test runner's thread runs.)"""
    import asyncio
    import threading

    bot.state.join(CHANNEL, 1)
    found: list[object] = []

    async def inside() -> object:
        return TelegramReader(bot.settings, sleep=bot.slept.append).check(SOURCE, ["tg:1"])

    caller = threading.Thread(target=lambda: found.append(asyncio.run(inside())))
    caller.start()
    caller.join()
    assert found == [{"tg:1": (Check(ConditionKind.MEMBER, Result.MET),)}]


@pytest.mark.parametrize("refusal", ["not_admin_of", "not_member_of"])
def test_the_reader_says_why_membership_is_unknown_when_the_bot_is_no_admin(
        bot: Bot, refusal: str, caplog: pytest.LogCaptureFixture) -> None:
    getattr(bot.state, refusal).add(CHANNEL)
    with caplog.at_level(logging.WARNING, logger="contest.sources.telegram"):
        checks = TelegramReader(bot.settings, sleep=bot.slept.append).check(SOURCE, ["tg:1"])
    assert checks == {"tg:1": (Check(ConditionKind.MEMBER, Result.UNKNOWN,
                                     Problem.ACCESS_DENIED.value),)}
    assert "make the bot an administrator of the channel" in caplog.text


def test_a_refused_token_is_said_without_showing_it(bot: Bot) -> None:
    wrong = NetworkSettings(telegram_api_url=bot.settings.telegram_api_url,
                            telegram_bot_token="999:wrong-secret-token")
    with pytest.raises(NetworkUnavailable, match="refused the bot's token") as raised:
        TelegramReader(wrong, sleep=bot.slept.append).check(SOURCE, ["tg:1"])
    assert "wrong-secret-token" not in str(raised.value)


def test_no_token_is_said() -> None:
    with pytest.raises(NetworkUnavailable, match="no bot token"):
        TelegramReader(NetworkSettings(), sleep=lambda seconds: None).check(SOURCE, ["tg:1"])


def test_an_update_the_bot_cannot_read_is_skipped_not_read_again(
        session: Session, bot: Bot, contest: PublishedContest,
        caplog: pytest.LogCaptureFixture) -> None:
    bot.state.join(CHANNEL, 42)
    bot.state.queue({"update_id": 1, "message": {"text": "no chat, no date"}})
    bot.next_update = 2
    bot.press(person(42))
    with caplog.at_level(logging.WARNING, logger="contest.sources.telegram"):
        [taken] = bot.serve(session)
    assert "skips update 1" in caplog.text
    assert bot.offset == 3
    assert bot.serve(session) == []  # both confirmed by the next getUpdates
    assert bot.state.updates == []
    [entry] = entries(session)
    assert entry.ticket in taken


def test_a_contest_whose_address_a_button_cannot_hold_is_refused(session: Session) -> None:
    long_slug = "a" * 59
    make_published(session, slug=long_slug, rules=telegram_rules())
    with pytest.raises(Conflict, match="hold 58 at most"):
        contest_for_bot(session, long_slug)
    make_published(session, slug="a" * 58, rules=telegram_rules())
    assert contest_for_bot(session, "a" * 58).contest.slug == "a" * 58


def test_rules_that_need_a_date_of_birth_and_a_country_have_the_bot_ask_them(
        session: Session, bot: Bot) -> None:
    make_published(session, rules=rules_document(sources=(SOURCE,)))  # 18+, RU, UA or US
    bot.state.join(CHANNEL, 42)
    ivan = person(42, language="en")
    bot.press(ivan)
    [question] = bot.serve(session)
    assert bot.state.sent[-1]["reply_markup"] == {"force_reply": True}
    assert "date of birth" in question and entries(session) == []

    bot.reply(ivan, "my birthday", question)
    [again] = bot.serve(session)
    assert again.startswith("The bot could not read “my birthday”.") and question in again
    assert bot.state.sent[-1]["reply_markup"] == {"force_reply": True}

    bot.reply(ivan, "17.05.1990, ru", again)
    [taken] = bot.serve(session)
    [entry] = entries(session)
    assert entry.ticket in taken
    assert (str(entry.birth_date), entry.country, entry.account) == ("1990-05-17", "RU", "tg:42")

    bot.press(ivan)  # pressed again: the entry stands, nothing is asked
    [before] = bot.serve(session)
    assert entry.ticket in before and "already entered" in before


def test_a_child_is_refused_and_nothing_of_them_is_kept(session: Session, bot: Bot) -> None:
    make_published(session, rules=rules_document(sources=(SOURCE,)))
    bot.state.join(CHANNEL, 42)
    child = person(42, language="en")
    bot.press(child)
    [question] = bot.serve(session)
    bot.reply(child, "2015-01-01 RU", question)
    [refused] = bot.serve(session)
    assert refused.startswith("Your entry was not taken:") and "18" in refused
    assert entries(session) == []


def test_a_reply_to_anything_but_the_bots_question_is_ignored(
        session: Session, bot: Bot, contest: PublishedContest) -> None:
    bot.reply(person(42), "17.05.1990 RU", "a message that names no contest")
    assert bot.serve(session) == []


def polled(session: Session, bot: Bot, *, rounds: int | None) -> int:
    @contextmanager
    def sessions() -> Iterator[Session]:
        yield session
        session.commit()

    with bot_api(bot.settings, sleep=bot.slept.append) as api:
        return serve(sessions, api, deployment=Deployment(BASE_URL, SECRET, SIGNER, SLUG),
                     clock=lambda: DURING, timeout=0, rounds=rounds, sleep=bot.slept.append)


def test_polling_waits_through_telegram_being_away_then_answers(
        session: Session, bot: Bot, contest: PublishedContest) -> None:
    bot.state.join(CHANNEL, 42)
    bot.press(person(42))
    bot.state.failing = 2
    assert polled(session, bot, rounds=1) == 1
    assert bot.slept == [OUTAGE_SECONDS, OUTAGE_SECONDS]
    assert [entry.account for entry in entries(session)] == ["tg:42"]
    assert bot.state.updates == []  # the round's updates confirmed


def test_someone_who_blocked_the_bot_does_not_stop_it_nor_come_back(
        session: Session, bot: Bot, contest: PublishedContest,
        caplog: pytest.LogCaptureFixture) -> None:
    bot.state.join(CHANNEL, 41)
    bot.state.join(CHANNEL, 42)
    bot.state.blocked_by.add(41)  # the answer to them is refused
    bot.press(person(41))
    bot.press(person(42))
    assert polled(session, bot, rounds=1) == 2
    assert [sent["chat_id"] for sent in bot.state.sent] == [42]
    assert bot.state.updates == []  # both confirmed: the failing one is not delivered again
    assert "bot was blocked by the user" in caplog.text
    assert sorted(str(entry.account) for entry in entries(session)) == ["tg:41", "tg:42"]


def test_polling_stops_when_telegram_stays_away(session: Session, bot: Bot,
                                                contest: PublishedContest) -> None:
    bot.state.failing = 100
    with pytest.raises(NetworkUnavailable, match="could not be reached for getUpdates"):
        polled(session, bot, rounds=None)
    assert bot.slept == [OUTAGE_SECONDS] * OUTAGES
