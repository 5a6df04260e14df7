"""Telegram: the contest's bot is the entry form, and a channel's membership its condition.

A person opens the bot's deep link ``https://t.me/<bot>?start=<contest slug>``, which makes
Telegram send the bot ``/start <slug>`` (`deep linking`_). The bot answers, in the person's
language (``from.language_code``: Russian, Ukrainian, else English), with the contest's
title, a link to its official rules, the consent to the processing of personal data
(:mod:`contest.entries.consent`) and a "Participate" button (an `InlineKeyboardMarkup`_
whose ``callback_data`` names the contest). Pressing it, the bot checks that the person is a
member of the channel the rules name (`getChatMember`_: ``creator``, ``administrator``,
``member``, or ``restricted`` with ``is_member``; ``left`` and ``kicked`` are not); when the
rules limit the age or the countries, it asks for the date of birth and the country (a
`ForceReply`_ message naming the contest by its rules link, which the person's reply quotes
back: no conversation state is kept); it takes the entry through the one intake
(:func:`~contest.entries.intake.take_entry`, channel ``telegram``, account ``tg:<user
id>``), keeps the check (:func:`~contest.sources.checks.record_checks`) and answers with the
ticket and the link to the entrant's own receipt. Only private chats are answered; other
updates are ignored.

Each update is handled once in effect: long polling confirms the updates handled by asking
`getUpdates`_ with an ``offset`` one above the last ``update_id``, and a webhook's update is
answered 200 once handled. An update delivered again after a crash (not yet confirmed) is
harmless, because the entry is taken under the idempotency key ``tg:<user id>``: pressing
"Participate" twice, or the same press delivered twice, gives the same ticket. So no
``update_id`` is stored.

The bot must be an administrator of the channel, or Telegram will not tell it who is a
member: its 400 or 403 answer is told plainly to the person ("try again later") and to the
marketer (a warning in the log), and no entry is taken while membership cannot be checked.

**Why python-telegram-bot is only the transport.** PTB (`python-telegram-bot`_, 22.x) is an
asyncio library: its ``Application`` runs handlers as coroutines on its own event loop. The
domain here is synchronous (SQLAlchemy sessions, a Flask request, a Click command), so the
bot's logic is plain functions — an update in, what to answer out (:func:`answer`) — and PTB
is used for what it does well: sending the documented requests (``do_api_request``, whose
JSON result is read here: PTB's typed results require every field of the Bot API version PTB
was built for, and a server's answer with more or fewer fields must still be read), parsing
each update alone into its typed ``Update`` (one it cannot parse is skipped, not read again
and again), the reply markups, and mapping the Bot API's errors onto its exceptions
(``RetryAfter`` for a 429 with ``parameters.retry_after``, ``BadRequest``, ``Forbidden``,
``InvalidToken``). :class:`BotApi` runs each call on one private event loop, waits through
"too many requests" with the injected ``sleep`` (a bounded number of times), and never shows
the token, which is part of the URL's path.

The Bot API: https://core.telegram.org/bots/api (`getUpdates`_, `getChatMember`_,
`ChatMember <https://core.telegram.org/bots/api#chatmember>`_, `sendMessage
<https://core.telegram.org/bots/api#sendmessage>`_, `answerCallbackQuery
<https://core.telegram.org/bots/api#answercallbackquery>`_, `setWebhook`_,
`ResponseParameters <https://core.telegram.org/bots/api#responseparameters>`_).

.. _deep linking: https://core.telegram.org/bots/features#deep-linking
.. _InlineKeyboardMarkup: https://core.telegram.org/bots/api#inlinekeyboardmarkup
.. _ForceReply: https://core.telegram.org/bots/api#forcereply
.. _getChatMember: https://core.telegram.org/bots/api#getchatmember
.. _getUpdates: https://core.telegram.org/bots/api#getupdates
.. _setWebhook: https://core.telegram.org/bots/api#setwebhook
.. _python-telegram-bot: https://docs.python-telegram-bot.org/en/stable/telegram.bot.html
"""

import asyncio
import base64
import hashlib
import hmac
import logging
import os
import re
import threading
import warnings
from collections.abc import Awaitable, Callable, Iterator, Mapping, Sequence
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, ClassVar, TypeVar

import telegram
from sqlmodel import Session
from telegram import constants
from telegram.error import (
    BadRequest,
    Forbidden,
    InvalidToken,
    RetryAfter,
    TelegramError,
)
from telegram.error import Conflict as TelegramConflict
from telegram.warnings import PTBUserWarning

from contest.config import NetworkSettings
from contest.entries.consent import consent_for
from contest.entries.intake import Arrival, stored_under_keys, take_entry
from contest.entries.requirements import EntryRequirements, entry_requirements
from contest.errors import (
    Conflict,
    ContestError,
    EntryRejected,
    NetworkUnavailable,
    NotFound,
)
from contest.i18n import N_, translate
from contest.ledger.note import Signer
from contest.ledger.receipts import receipt_key
from contest.lifecycle import Action, allowed
from contest.models import Channel
from contest.rules.document import ConditionKind, Network, SocialSource
from contest.rules.status import contest_stage
from contest.rules.versions import PublishedContest, find_published
from contest.sources import (
    ACCOUNT_PREFIX,
    AccountProfile,
    Check,
    NetworkRead,
    Problem,
    Result,
    Sleep,
)
from contest.sources.checks import Stage, record_checks
from contest.sources.reading import keep_profiles

_log = logging.getLogger(__name__)
# httpx logs every request's URL at INFO, and a Bot API URL holds the bot's token.
logging.getLogger("httpx").setLevel(logging.WARNING)

NETWORK = "Telegram"
ATTEMPTS = 5
"""Calls of one method, at most, while Telegram answers "too many requests"."""
UPDATES = ("message", "callback_query")
"""The kinds of update the bot asks for (``allowed_updates``)."""
READ_SECONDS = 10.0
"""Seconds to wait for an answer beyond the long poll's own wait."""
ENTER = "enter:"
"""The Participate button's ``callback_data``: ``enter:<slug>``."""
OUTAGES = 5
"""Rounds of long polling Telegram may fail in a row before the bot stops."""
OUTAGE_SECONDS = 10.0
"""Seconds the bot waits after a round Telegram did not answer."""
CALLBACK_BYTES = 64
"""The most a button's ``callback_data`` (and a deep link's start parameter) holds."""
MEMBERS = ("creator", "administrator", "member")
"""The statuses of a ChatMember that is a member (a ``restricted`` one is when
``is_member``; ``left`` and ``kicked`` are not)."""
BOT_LANGUAGES = ("ru", "uk")
"""The languages the bot answers in besides English."""

T = TypeVar("T")


class TelegramUnreachable(NetworkUnavailable):
    """Telegram did not answer, answered with a server error, or still said "too many
    requests": worth trying again later (a refused token or request is not)."""


class BotApi:
    """The Bot API at ``settings.telegram_api_url`` with the bot's token, called one method at
    a time from synchronous code (see the module's docstring). Close it after use."""

    def __init__(self, settings: NetworkSettings, *, sleep: Sleep,
                 attempts: int = ATTEMPTS) -> None:
        if not settings.telegram_bot_token:
            raise NetworkUnavailable(N_("{network}: no bot token is set "
                                        "(CONTEST_TELEGRAM_BOT_TOKEN)"), {"network": NETWORK})
        # PTB 22 warns on reading RetryAfter.retry_after as seconds; its documented opt-in
        # gives the coming timedelta instead (and no warning).
        os.environ.setdefault("PTB_TIMEDELTA", "true")
        self.bot = telegram.Bot(settings.telegram_bot_token,
                                base_url=settings.telegram_api_url.rstrip("/") + "/bot")
        self._token = settings.telegram_bot_token
        self._sleep = sleep
        self._attempts = attempts
        # PTB's calls are coroutines; they run on an event loop of their own in a thread of
        # their own, so a caller already inside a running loop (a test's browser, an async
        # server) calls the bot the same way.
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._loop.run_forever, daemon=True,
                                        name="telegram-bot-api")
        self._thread.start()

    def call(self, method: str, request: Callable[[], Awaitable[T]]) -> T:
        """What ``request()`` (one call of ``method``) returns, waiting as Telegram asks when
        it answers "too many requests". ``BadRequest`` and ``Forbidden`` are the caller's to
        judge; any other failure raises :class:`NetworkUnavailable` naming ``method``."""
        for attempt in range(1, self._attempts + 1):
            try:
                return self._run(request)
            except RetryAfter as error:
                if attempt == self._attempts:
                    raise TelegramUnreachable(
                        N_("{network} still answered {method} with \"too many requests\" "
                           "after {attempts} attempts"),
                        {"network": NETWORK, "method": method,
                         "attempts": self._attempts}) from None
                self._sleep(_seconds(error.retry_after))
            except (BadRequest, Forbidden):
                raise
            except InvalidToken:
                raise NetworkUnavailable(N_("{network} refused the bot's token ({method}): "
                                            "check CONTEST_TELEGRAM_BOT_TOKEN"),
                                         {"network": NETWORK, "method": method}) from None
            except TelegramConflict as error:
                raise NetworkUnavailable(N_("{network} refused {method}: {reason}"),
                                         {"network": NETWORK, "method": method,
                                          "reason": self._redacted(error.message)}) from None
            except TelegramError as error:
                raise TelegramUnreachable(N_("{network} could not be reached for {method}: "
                                            "{reason}"),
                                         {"network": NETWORK, "method": method,
                                          "reason": self._redacted(error.message)}) from None
        raise AssertionError("unreachable: the last attempt returns or raises")

    def _redacted(self, text: str) -> str:
        """``text`` without the token (an HTTP library's message may quote the URL)."""
        return text.replace(self._token, "***")

    def close(self) -> None:
        try:
            self._run(self.bot.shutdown)
        finally:
            self._loop.call_soon_threadsafe(self._loop.stop)
            self._thread.join()
            self._loop.close()

    def _run(self, request: Callable[[], Awaitable[T]]) -> T:
        """What the coroutine ``request()`` returns, run on the bot's own loop."""
        return asyncio.run_coroutine_threadsafe(_awaited(request), self._loop).result()


async def _awaited(request: Callable[[], Awaitable[T]]) -> T:
    return await request()


def _seconds(retry_after: int | timedelta) -> float:
    return (retry_after.total_seconds() if isinstance(retry_after, timedelta)
            else float(retry_after))


@contextmanager
def bot_api(settings: NetworkSettings, *, sleep: Sleep) -> Iterator[BotApi]:
    """A :class:`BotApi`, closed after use."""
    api = BotApi(settings, sleep=sleep)
    try:
        yield api
    finally:
        api.close()


# The reader ----------------------------------------------------------------------------------


def telegram_source(rules_sources: Sequence[SocialSource]) -> SocialSource | None:
    """The Telegram source among a contest's sources (``None``: it takes no Telegram
    entries)."""
    return next((source for source in rules_sources if source.network == Network.TELEGRAM),
                None)


def membership(api: BotApi, channel: str, user_id: int) -> Check:
    """Whether user ``user_id`` is a member of ``channel`` (``@name`` or ``-100…``), as
    getChatMember says; unknown, with the reason, when Telegram will not say."""
    chat: int | str = int(channel) if channel.lstrip("-").isdigit() else channel
    try:
        member = _raw(api, "getChatMember", {"chat_id": chat, "user_id": user_id})
    except (BadRequest, Forbidden) as error:
        if "user not found" in error.message.lower() or "PARTICIPANT_ID_INVALID" in error.message:
            return Check(ConditionKind.MEMBER, Result.UNKNOWN, Problem.NOT_FOUND.value)
        _log.warning("Telegram will not tell the bot who is a member of %s (%s); make the bot "
                     "an administrator of the channel", channel, error.message)
        return Check(ConditionKind.MEMBER, Result.UNKNOWN, Problem.ACCESS_DENIED.value)
    status = member.get("status") if isinstance(member, dict) else None
    if status in MEMBERS or (status == "restricted" and member.get("is_member") is True):
        return Check(ConditionKind.MEMBER, Result.MET)
    if status in ("restricted", "left", "kicked"):
        return Check(ConditionKind.MEMBER, Result.UNMET, status)
    raise NetworkUnavailable(N_("{network} answered {method} with {answer}, which is not a "
                                "ChatMember"), {"network": NETWORK, "method": "getChatMember",
                                                "answer": repr(member)[:200]})


def user_of(account: str) -> int | None:
    """The Telegram user id of account ``tg:<id>`` (``None``: not a Telegram account)."""
    prefix, _, number = account.partition(":")
    if prefix != ACCOUNT_PREFIX[Network.TELEGRAM] or not number.isdigit():
        return None
    return int(number)


class TelegramReader:
    """The Telegram source: there is no list to read (the bot takes the entries one by one);
    the channel's membership is checked again for the draw's winners and alternates."""

    network: ClassVar[Network] = Network.TELEGRAM

    def __init__(self, settings: NetworkSettings, *, sleep: Sleep) -> None:
        self._settings = settings
        self._sleep = sleep

    def read(self, source: SocialSource) -> NetworkRead:
        return NetworkRead(lists=(), people=(), checks={})

    def check(self, source: SocialSource,
              accounts: Sequence[str]) -> Mapping[str, tuple[Check, ...]]:
        if source.needs(ConditionKind.MEMBER) is None:
            return {account: () for account in accounts}
        found: dict[str, tuple[Check, ...]] = {}
        with bot_api(self._settings, sleep=self._sleep) as api:
            for account in accounts:
                user_id = user_of(account)
                found[account] = ((Check(ConditionKind.MEMBER, Result.UNKNOWN,
                                         Problem.NOT_FOUND.value),) if user_id is None
                                  else (membership(api, source.community, user_id),))
        return found


# The conversation ----------------------------------------------------------------------------

GREETING = N_("{title}\n\nThe official rules: {rules_url}\n\nBy pressing “Participate” you "
              "enter this contest and give this consent to the processing of your personal "
              "data:\n\n{consent}")
PARTICIPATE = N_("Participate")
NOT_OPEN = N_("{title}\n\nThe official rules: {rules_url}\n\nThis contest is not taking "
              "entries now.")
UNKNOWN_CONTEST = N_("This bot runs no contest “{slug}”. Open the link from the contest's "
                     "announcement.")
SUBSCRIBE = N_("To take part, subscribe to {channel}, then press “Participate” again.")
CANNOT_CHECK = N_("The bot cannot see who is subscribed to {channel} yet: the organiser has "
                  "to make it an administrator of the channel. They have been told; please "
                  "press “Participate” again later.")
NO_ANSWER = N_("Telegram did not answer the bot just now; please press “Participate” again "
               "in a minute.")
TAKEN = N_("You are in the contest “{title}”.\nYour ticket: {ticket}\nYour receipt: "
           "{receipt_url}")
TAKEN_BEFORE = N_("You have already entered the contest “{title}”.\nYour ticket: {ticket}\n"
                  "Your receipt: {receipt_url}")
REFUSED = N_("Your entry was not taken: {reasons}")
ASK_BIRTH_DATE = N_("To check that you may enter “{title}” ({rules_url}), reply to this "
                    "message with your date of birth, such as 31.12.1990.")
ASK_COUNTRY = N_("To check that you may enter “{title}” ({rules_url}), reply to this message "
                 "with the code of the country you live in, such as RU.")
ASK_BOTH = N_("To check that you may enter “{title}” ({rules_url}), reply to this message "
              "with your date of birth and the code of the country you live in, such as "
              "31.12.1990 RU.")
UNREAD = N_("The bot could not read “{text}”.\n\n")


@dataclass(frozen=True)
class Button:
    """An inline button under a message, and the data it sends back when pressed."""

    label: str
    data: str


@dataclass(frozen=True)
class Reply:
    """A message the bot sends to a chat, with a button or none; one that ``asks`` opens
    the person's reply to it (a ForceReply): its answer comes back as a reply."""

    chat_id: int
    text: str
    button: Button | None = None
    asks: bool = False


@dataclass(frozen=True)
class Answer:
    """What the bot answers an update: its messages, and the pressed button's query to
    acknowledge (``None``: none was pressed)."""

    replies: tuple[Reply, ...] = ()
    pressed: str | None = None


@dataclass(frozen=True)
class Deployment:
    """What the bot needs of the deployment: its public address (the links), the app's
    secret key (the private receipt links), the log's signer, and the contest a bare
    ``/start`` means."""

    base_url: str
    secret_key: bytes
    signer: Signer
    slug: str

    def rules_url(self, slug: str) -> str:
        return f"{self.base_url}/contests/{slug}/rules"

    def receipt_url(self, ticket: str) -> str:
        return f"{self.base_url}/receipts/{ticket}/{receipt_key(ticket, self.secret_key)}"


Membership = Callable[[SocialSource, int], Check]
"""Checks that a Telegram user meets a source's membership condition (:func:`membership`)."""


def language_of(user: telegram.User) -> str:
    """The language the bot answers ``user`` in: theirs when it speaks it, else English."""
    code = (user.language_code or "").split("-")[0].lower()
    return code if code in BOT_LANGUAGES else "en"


def answer(session: Session, update: telegram.Update, *, deployment: Deployment,
           member: Membership, now: datetime) -> Answer:
    """What the bot answers ``update``: a greeting for ``/start <slug>``, the entry taken (or
    why not) for a press of "Participate"; nothing for anything else or a chat that is not
    private. An entry taken is in the session's transaction: the caller commits before
    sending the answer."""
    message, query = update.message, update.callback_query
    if (message is not None and message.chat.type == constants.ChatType.PRIVATE
            and message.from_user is not None):
        text = message.text or ""
        if text == "/start" or text.startswith("/start "):
            slug = text.removeprefix("/start").strip() or deployment.slug
            return Answer((Reply(message.chat.id, *_greeting(
                session, slug, language_of(message.from_user), deployment, now)),))
        asked = _asked_for(message.reply_to_message, deployment)
        if asked is None:
            return Answer()
        return Answer((_press(session, asked, message.from_user, message.chat.id, deployment,
                              member, now, stated=text),))
    # ``from`` is required of a callback query, yet PTB reads one without it as pressed by
    # nobody: such an update is ignored, not failed on at each delivery.
    if (query is not None and query.message is not None and query.from_user is not None
            and query.message.chat.type == constants.ChatType.PRIVATE
            and (query.data or "").startswith(ENTER)):
        slug = (query.data or "").removeprefix(ENTER)
        return Answer((_press(session, slug, query.from_user, query.message.chat.id,
                              deployment, member, now),), pressed=query.id)
    return Answer()


def _asked_for(question: telegram.Message | None, deployment: Deployment) -> str | None:
    """The slug of the contest whose question ``question`` (the bot's message a person
    replied to) is: its rules link names it. ``None``: it is no question of the bot's."""
    if question is None or question.from_user is None or not question.from_user.is_bot:
        return None
    found = re.search(re.escape(deployment.base_url) + r"/contests/([a-z0-9-]+)/rules",
                      question.text or "")
    return None if found is None else found.group(1)


def _contest(session: Session, slug: str) -> tuple[PublishedContest, SocialSource] | None:
    found = find_published(session, slug)
    source = None if found is None else telegram_source(found.rules.sources)
    return None if found is None or source is None else (found, source)


def _greeting(session: Session, slug: str, language: str, deployment: Deployment,
              now: datetime) -> tuple[str, Button | None]:
    found = _contest(session, slug)
    if found is None:
        return translate(UNKNOWN_CONTEST, language, {"slug": slug}), None
    contest = found[0]
    rules_url = deployment.rules_url(contest.contest.slug)
    if not allowed(Action.ENTER, contest_stage(session, contest.contest, now), None):
        return translate(NOT_OPEN, language, {"title": contest.rules.title,
                                              "rules_url": rules_url}), None
    consent = consent_for(contest.rules, language)
    return (translate(GREETING, language, {"title": contest.rules.title,
                                           "rules_url": rules_url, "consent": consent.text}),
            Button(translate(PARTICIPATE, language), ENTER + contest.contest.slug))


def _press(session: Session, slug: str, user: telegram.User, chat_id: int,
           deployment: Deployment, member: Membership, now: datetime, *,
           stated: str | None = None) -> Reply:
    """The answer to ``user`` pressing Participate in contest ``slug`` (or answering the
    bot's question with ``stated``): the entry taken, or why not, or the question."""
    language = language_of(user)
    found = _contest(session, slug)
    if found is None:
        return Reply(chat_id, translate(UNKNOWN_CONTEST, language, {"slug": slug}))
    contest, source = found
    account = f"{ACCOUNT_PREFIX[Network.TELEGRAM]}:{user.id}"
    before = stored_under_keys(session, contest_id=contest.contest_id, keys={account})
    if account in before:  # pressed again: the entry stands, whatever was said since
        return Reply(chat_id, _entered(TAKEN_BEFORE, contest, before[account].ticket,
                                       language, deployment))
    checks: tuple[Check, ...] = ()
    # A closed contest is refused by the intake; membership is asked only while open.
    if (source.needs(ConditionKind.MEMBER) is not None
            and allowed(Action.ENTER, contest_stage(session, contest.contest, now), None)):
        try:
            check = member(source, user.id)
        except NetworkUnavailable as error:
            _log.warning("the bot could not check membership of %s: %s", source.community,
                         error)
            return Reply(chat_id, translate(NO_ANSWER, language))
        if check.result == Result.UNMET:
            return Reply(chat_id, translate(SUBSCRIBE, language,
                                            {"channel": source.community}))
        if check.result == Result.UNKNOWN:
            return Reply(chat_id, translate(CANNOT_CHECK, language,
                                            {"channel": source.community}))
        checks = (check,)
    data = {"full_name": " ".join(part for part in (user.first_name, user.last_name or "")
                                  if part).strip(), "account": account}
    question = _question(contest, deployment, language)
    if question is not None:
        facts = None if stated is None else _read_facts(stated, entry_requirements(
            contest.rules))
        if facts is None:
            unread = "" if stated is None else translate(UNREAD, language, {"text": stated})
            return Reply(chat_id, unread + question, asks=True)
        data |= facts
    try:
        taken = take_entry(session, contest=contest, signer=deployment.signer, arrival=Arrival(
            data, Channel.TELEGRAM, now, idempotency_key=account, language=language,
            consent=consent_for(contest.rules, language).version))
    except EntryRejected as rejected:
        return Reply(chat_id, translate(REFUSED, language, {"reasons": "; ".join(
            error.text(language) for error in rejected.errors) or rejected.text(language)}))
    except ContestError as error:
        return Reply(chat_id, translate(REFUSED, language, {"reasons": error.text(language)}))
    if taken.new and checks:
        record_checks(session, [(taken.id, checks)], stage=Stage.ENTRY, now=now)
    if taken.new:
        # What Telegram tells of the account with every update (User.is_bot), for the
        # auditor's participant graph; its photos would cost a call at each press.
        keep_profiles(session, contest_id=contest.contest_id, now=now,
                      profiles={account: AccountProfile(is_bot=user.is_bot)})
    return Reply(chat_id, _entered(TAKEN if taken.new else TAKEN_BEFORE, contest,
                                   taken.ticket, language, deployment))


def _question(contest: PublishedContest, deployment: Deployment, language: str) -> str | None:
    """What the bot asks before taking an entry whose rules need the date of birth (an age
    limit) or the country (a limit of countries); ``None``: nothing. It names the contest
    by its rules link, which the person's reply quotes back (:func:`_asked_for`)."""
    needed = entry_requirements(contest.rules)
    if not (needed.birth_date or needed.country):
        return None
    asked = (ASK_BOTH if needed.birth_date and needed.country
             else ASK_BIRTH_DATE if needed.birth_date else ASK_COUNTRY)
    return translate(asked, language, {
        "title": contest.rules.title,
        "rules_url": deployment.rules_url(contest.contest.slug)})


_DAY_FIRST = re.compile(r"([0-9]{1,2})[./-]([0-9]{1,2})[./-]([0-9]{4})")
_ISO_DAY = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


def _read_facts(stated: str, needed: EntryRequirements) -> dict[str, str] | None:
    """The date of birth (``31.12.1990`` or ``1990-12-31``, as ISO 8601) and the country
    (the rest, such as ``RU``) a reply states, as the entry's fields; ``None`` when one the
    rules need is missing. Their values are checked by the intake, which says what is
    wrong."""
    facts: dict[str, str] = {}
    rest = []
    for word in re.split(r"[,;\s]+", stated.strip()):
        day_first = _DAY_FIRST.fullmatch(word)
        if "birth_date" not in facts and day_first is not None:
            day, month, year = day_first.groups()
            facts["birth_date"] = f"{year}-{int(month):02d}-{int(day):02d}"
        elif "birth_date" not in facts and _ISO_DAY.fullmatch(word):
            facts["birth_date"] = word
        elif word:
            rest.append(word)
    if rest:
        facts["country"] = " ".join(rest)
    if (needed.birth_date and "birth_date" not in facts) or (
            needed.country and "country" not in facts):
        return None
    return facts


def _entered(message: str, contest: PublishedContest, ticket: str, language: str,
             deployment: Deployment) -> str:
    return translate(message, language, {"title": contest.rules.title, "ticket": ticket,
                                         "receipt_url": deployment.receipt_url(ticket)})


# Sending answers, polling and the webhook -----------------------------------------------------


def checker(api: BotApi) -> Membership:
    """Membership as the Bot API tells it (:func:`membership`)."""
    return lambda source, user_id: membership(api, source.community, user_id)


def send(api: BotApi, reply: Answer) -> None:
    """Send ``reply``: acknowledge the button pressed, then each message. A person who
    blocked the bot since cannot be answered: that is logged, not raised."""
    try:
        if reply.pressed is not None:
            _raw(api, "answerCallbackQuery", {"callback_query_id": reply.pressed})
        for message in reply.replies:
            _send_message(api, message)
    except (BadRequest, Forbidden) as error:
        _log.warning("the bot could not answer in Telegram: %s", error.message)


def _send_message(api: BotApi, message: Reply) -> None:
    markup: telegram.InlineKeyboardMarkup | telegram.ForceReply | None = None
    if message.button is not None:
        markup = telegram.InlineKeyboardMarkup([[telegram.InlineKeyboardButton(
            message.button.label, callback_data=message.button.data)]])
    elif message.asks:
        markup = telegram.ForceReply()
    _raw(api, "sendMessage", {"chat_id": message.chat_id, "text": message.text,
                              "reply_markup": markup})


def handle(session: Session, api: BotApi, update: telegram.Update, *,
           deployment: Deployment, now: datetime) -> Answer:
    """Answer ``update``: what :func:`answer` says, committed, then sent."""
    reply = answer(session, update, deployment=deployment, member=checker(api), now=now)
    session.commit()
    send(api, reply)
    return reply


def is_update(data: object) -> bool:
    """Whether ``data`` (a JSON value) is an Update object: one with its ``update_id``."""
    return isinstance(data, dict) and isinstance(data.get("update_id"), int)


def parse_update(api: BotApi, data: object) -> telegram.Update | None:
    """The update ``data`` (an Update object's JSON, from getUpdates or a webhook) holds
    (``None``: it is not one, or not one PTB can read: that is logged)."""
    if not isinstance(data, dict) or not is_update(data):
        return None
    try:
        return telegram.Update.de_json(data, api.bot)
    except (KeyError, TypeError, ValueError) as error:
        _log.warning("the bot skips update %s, which it cannot read: %s", data["update_id"],
                     error)
        return None


def poll(api: BotApi, offset: int | None, *,
         timeout: int) -> tuple[tuple[telegram.Update, ...], int | None]:
    """One round of long polling: the updates after those confirmed (getUpdates with
    ``offset``, waiting up to ``timeout`` seconds for one), and the offset that confirms
    them. An update that cannot be read is skipped (and logged), not read again and again."""
    found = _raw(api, "getUpdates", {"offset": offset, "timeout": timeout,
                                     "allowed_updates": list(UPDATES)},
                 read_timeout=timeout + READ_SECONDS)
    if not isinstance(found, list):
        raise NetworkUnavailable(N_("{network} answered {method} with {answer}, which is not "
                                    "a list of updates"),
                                 {"network": NETWORK, "method": "getUpdates",
                                  "answer": repr(found)[:200]})
    numbers = [item["update_id"] for item in found if is_update(item)]
    if numbers:
        offset = max(numbers) + 1
    updates = (parse_update(api, item) for item in found)
    return tuple(update for update in updates if update is not None), offset


def serve(sessions: Callable[[], AbstractContextManager[Session]], api: BotApi, *,
          deployment: Deployment, clock: Callable[[], datetime], timeout: int,
          rounds: int | None, sleep: Sleep, outages: int = OUTAGES) -> int:
    """Answer the bot's updates by long polling: ``rounds`` rounds of getUpdates (``None``:
    until interrupted), each update in a session of its own from ``sessions()`` at the
    moment ``clock()`` tells; the number of updates answered. A round Telegram does not
    answer is tried again after :data:`OUTAGE_SECONDS`, up to ``outages`` times in a row
    (then :class:`NetworkUnavailable` is raised); the updates of the last round are
    confirmed before returning."""
    answered, done, failed = 0, 0, 0
    offset: int | None = None
    while rounds is None or done < rounds:
        try:
            updates, offset = poll(api, offset, timeout=timeout)
        except TelegramUnreachable as error:
            failed += 1
            if failed > outages:
                raise
            _log.warning("%s; trying again in %s seconds", error, OUTAGE_SECONDS)
            sleep(OUTAGE_SECONDS)
            continue
        failed = 0
        for update in updates:
            with sessions() as session:
                handle(session, api, update, deployment=deployment, now=clock())
            answered += 1
        done += 1
    confirm(api, offset)
    return answered


def confirm(api: BotApi, offset: int | None) -> None:
    """Confirm the updates below ``offset`` without waiting for more (a getUpdates that
    returns at once), so that a last round's updates are not delivered again."""
    if offset is not None:
        _raw(api, "getUpdates", {"offset": offset, "timeout": 0, "limit": 1,
                                 "allowed_updates": list(UPDATES)})


def _raw(api: BotApi, method: str, params: Mapping[str, object], *,
         read_timeout: float = READ_SECONDS) -> Any:
    """The result of ``method`` as the Bot API's JSON (parameters that are ``None`` left
    out). PTB's typed objects require every field of the Bot API version PTB was built for;
    an answer of an older or newer server, with other fields, is still an answer."""
    given = {name: value for name, value in params.items() if value is not None}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", PTBUserWarning)  # "use the typed method instead"
        return api.call(method, lambda: api.bot.do_api_request(
            method, api_kwargs=given, read_timeout=read_timeout))


def deep_link(api: BotApi, slug: str) -> str:
    """The link that opens the bot on contest ``slug``: ``https://t.me/<bot>?start=<slug>``
    (https://core.telegram.org/bots/features#deep-linking), the bot's username from
    ``getMe``."""
    me = _raw(api, "getMe", {})
    username = me.get("username") if isinstance(me, Mapping) else None
    if not isinstance(username, str) or not username:
        raise NetworkUnavailable(N_("{network} answered {method} with {answer}, which is not "
                                    "a bot with its username"),
                                 {"network": NETWORK, "method": "getMe",
                                  "answer": repr(me)[:200]})
    return f"https://t.me/{username}?start={slug}"


def contest_for_bot(session: Session, slug: str) -> PublishedContest:
    """Contest ``slug``, published with a Telegram source in its rules (else
    :class:`NotFound`), whose slug the Participate button can hold (else :class:`Conflict`)."""
    found = _contest(session, slug)
    if found is None:
        raise NotFound(N_("no published contest {slug} takes entries through Telegram"),
                       {"slug": slug})
    if len((ENTER + slug).encode()) > CALLBACK_BYTES:
        raise Conflict(N_("the contest's address {slug} is {length} characters long; the "
                          "bot's deep link and button hold {most} at most"),
                       {"slug": slug, "length": len(slug),
                        "most": CALLBACK_BYTES - len(ENTER)})
    return found[0]


def webhook_secret(secret_key: bytes, slug: str) -> str:
    """The ``secret_token`` the webhook of contest ``slug`` is set with, which Telegram sends
    back in ``X-Telegram-Bot-Api-Secret-Token``: an HMAC of the slug under the app's secret
    key (A-Z, a-z, 0-9, ``_`` and ``-``, as the Bot API allows)."""
    digest = hmac.new(secret_key, b"contest telegram webhook\n" + slug.encode(),
                      hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode("ascii")


def is_webhook_secret(secret_key: bytes, slug: str, given: str) -> bool:
    """Whether ``given`` is contest ``slug``'s webhook secret (compared in constant time)."""
    return hmac.compare_digest(webhook_secret(secret_key, slug).encode(), given.encode())


def webhook_url(base_url: str, slug: str) -> str:
    return f"{base_url}/telegram/{slug}/webhook"


def set_webhook(api: BotApi, *, base_url: str, secret_key: bytes, slug: str) -> str:
    """Ask Telegram to send the bot's updates to contest ``slug``'s webhook; its URL."""
    url = webhook_url(base_url, slug)
    try:
        _raw(api, "setWebhook", {"url": url, "secret_token": webhook_secret(secret_key, slug),
                                 "allowed_updates": list(UPDATES)})
    except (BadRequest, Forbidden) as error:
        raise NetworkUnavailable(N_("{network} refused {method}: {reason}"),
                                 {"network": NETWORK, "method": "setWebhook",
                                  "reason": error.message}) from None
    return url
