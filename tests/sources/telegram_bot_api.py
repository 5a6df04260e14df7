"""A Telegram Bot API server on this machine for tests, written from the Bot API's
documentation (https://core.telegram.org/bots/api), not from our client.

It speaks ``/bot<token>/<method>`` over HTTP: parameters in the query string, an
``application/x-www-form-urlencoded`` body (objects such as ``reply_markup`` JSON-serialised
in their field) or a JSON body ("Making requests"); every answer is JSON, ``{"ok": true,
"result": …}`` or ``{"ok": false, "error_code": …, "description": …}`` with the error code as
the HTTP status, and ``parameters.retry_after`` for 429 ("ResponseParameters"). Methods:
getMe, getUpdates (``offset`` confirms the updates below it; ``timeout`` long-polls; refused
with 409 while a webhook is set), sendMessage, answerCallbackQuery, getChatMember,
setWebhook, deleteWebhook.

The test sets the state (:class:`BotApiState`): updates queued, the channels' members, the
channels where the bot is not an administrator, "too many requests" to answer next; and reads
what the bot did: the messages sent, the callback queries answered, every method called.
"""

import json
import threading
import urllib.parse
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

TOKEN = "123456:ABC-test-token-that-must-never-be-shown"
BOT = {"id": 123456, "is_bot": True, "first_name": "Winter giveaway",
       "username": "winter_giveaway_bot"}
JSON_PARAMETERS = {"reply_markup", "allowed_updates", "entities", "link_preview_options",
                   "reply_parameters"}
"""Parameters whose value is an object or array: JSON-serialised in a form's field."""


class ApiError(Exception):
    def __init__(self, code: int, description: str,
                 parameters: Mapping[str, Any] | None = None) -> None:
        super().__init__(description)
        self.code, self.description, self.parameters = code, description, parameters


@dataclass
class BotApiState:
    """What the server knows and what it was asked."""

    token: str = TOKEN
    updates: list[dict[str, Any]] = field(default_factory=list)
    members: dict[str, dict[int, dict[str, Any]]] = field(default_factory=dict)
    """Each channel's (``@name``) members by user id: the ChatMember object without ``user``."""
    not_admin_of: set[str] = field(default_factory=set)
    """Channels where the bot is no administrator: getChatMember is refused there (400)."""
    not_member_of: set[str] = field(default_factory=set)
    """Channels the bot is not even in: getChatMember is forbidden there (403)."""
    too_many: int = 0
    """How many of the next requests are answered 429."""
    retry_after: int = 7
    failing: int = 0
    """How many of the next requests are answered 502 Bad Gateway (a server away)."""
    webhook: dict[str, Any] = field(default_factory=dict)
    blocked_by: set[int] = field(default_factory=set)
    """People who blocked the bot: a message to them is refused (403)."""
    sent: list[dict[str, Any]] = field(default_factory=list)
    answered: list[dict[str, Any]] = field(default_factory=list)
    calls: list[str] = field(default_factory=list)
    next_message_id: int = 1
    changed: threading.Condition = field(default_factory=threading.Condition)

    def queue(self, update: Mapping[str, Any]) -> None:
        """Queue ``update`` (its ``update_id`` given, one above the last, by the test)."""
        with self.changed:
            self.updates.append(dict(update))
            self.changed.notify_all()

    def join(self, channel: str, user_id: int, status: str = "member",
             **fields: Any) -> None:
        self.members.setdefault(channel, {})[user_id] = {
            "status": status, **MEMBER_FIELDS[status], **fields}


MEMBER_FIELDS: dict[str, dict[str, Any]] = {
    "creator": {"is_anonymous": False},
    "administrator": {name: False for name in (
        "can_be_edited", "is_anonymous", "can_manage_chat", "can_delete_messages",
        "can_manage_video_chats", "can_restrict_members", "can_promote_members",
        "can_change_info", "can_invite_users", "can_post_stories", "can_edit_stories",
        "can_delete_stories")},
    "member": {},
    "restricted": {"until_date": 0, **{name: False for name in (
        "is_member", "can_send_messages", "can_send_audios", "can_send_documents",
        "can_send_photos", "can_send_videos", "can_send_video_notes", "can_send_voice_notes",
        "can_send_polls", "can_send_other_messages", "can_add_web_page_previews",
        "can_change_info", "can_invite_users", "can_pin_messages", "can_manage_topics",
        "can_edit_tag")}},
    "left": {},
    "kicked": {"until_date": 0},
}
"""The fields each kind of ChatMember always has (https://core.telegram.org/bots/api#chatmember),
with the values a member is given unless the test says otherwise."""


def _integer(params: Mapping[str, Any], name: str, *, default: int | None = None) -> int:
    value = params.get(name, default)
    if value is None:
        raise ApiError(400, f"Bad Request: parameter \"{name}\" is required")
    try:
        return int(value)
    except (TypeError, ValueError):
        raise ApiError(400, f"Bad Request: invalid {name} specified") from None


def _chat(params: Mapping[str, Any]) -> str:
    chat = params.get("chat_id")
    if chat is None or chat == "":
        raise ApiError(400, "Bad Request: chat_id is empty")
    return str(chat)


class Methods:
    """The methods, each taking the request's parameters and returning its result."""

    def __init__(self, state: BotApiState) -> None:
        self.state = state

    def getMe(self, params: Mapping[str, Any]) -> Any:  # noqa: N802 (the Bot API's names)
        return BOT

    def getUpdates(self, params: Mapping[str, Any]) -> Any:  # noqa: N802
        if self.state.webhook.get("url"):
            raise ApiError(409, "Conflict: can't use getUpdates method while webhook is "
                                "active; use deleteWebhook to delete the webhook first")
        offset = _integer(params, "offset", default=0)
        timeout = _integer(params, "timeout", default=0)
        limit = _integer(params, "limit", default=100)
        with self.state.changed:
            if offset:  # confirms every update below it
                self.state.updates = [u for u in self.state.updates if u["update_id"] >= offset]
            if not self.state.updates and timeout > 0:
                self.state.changed.wait(timeout)
            return self.state.updates[:limit]

    def sendMessage(self, params: Mapping[str, Any]) -> Any:  # noqa: N802
        chat = _integer(params, "chat_id")
        if chat in self.state.blocked_by:
            raise ApiError(403, "Forbidden: bot was blocked by the user")
        text = params.get("text")
        if not text:
            raise ApiError(400, "Bad Request: message text is empty")
        markup = params.get("reply_markup")
        if markup is not None and not isinstance(markup, dict):
            raise ApiError(400, "Bad Request: can't parse reply keyboard markup JSON object")
        self.state.sent.append({"chat_id": chat, "text": text, "reply_markup": markup})
        message_id = self.state.next_message_id
        self.state.next_message_id += 1
        message = {"message_id": message_id, "date": 1_765_000_000, "text": text,
                   "from": BOT, "chat": {"id": chat, "type": "private"}}
        if markup is not None and "inline_keyboard" in markup:  # only those stay on it
            message["reply_markup"] = markup
        return message

    def answerCallbackQuery(self, params: Mapping[str, Any]) -> Any:  # noqa: N802
        query = params.get("callback_query_id")
        if not query:
            raise ApiError(400, "Bad Request: query is too old and response timeout expired "
                                "or query ID is invalid")
        self.state.answered.append(dict(params))
        return True

    def getChatMember(self, params: Mapping[str, Any]) -> Any:  # noqa: N802
        chat = _chat(params)
        user_id = _integer(params, "user_id")
        if chat in self.state.not_member_of:
            raise ApiError(403, "Forbidden: bot is not a member of the channel chat")
        if chat in self.state.not_admin_of:
            raise ApiError(400, "Bad Request: member list is inaccessible")
        if chat not in self.state.members:
            raise ApiError(400, "Bad Request: chat not found")
        member = self.state.members[chat].get(user_id, {"status": "left"})
        return {**member, "user": {"id": user_id, "is_bot": False, "first_name": "User"}}

    def setWebhook(self, params: Mapping[str, Any]) -> Any:  # noqa: N802
        url = params.get("url")
        if url is None:
            raise ApiError(400, "Bad Request: parameter \"url\" is required")
        self.state.webhook = dict(params)
        return True

    def deleteWebhook(self, params: Mapping[str, Any]) -> Any:  # noqa: N802
        self.state.webhook = {}
        return True


def _parameters(handler: BaseHTTPRequestHandler) -> dict[str, Any]:
    query = urllib.parse.urlsplit(handler.path).query
    params: dict[str, Any] = dict(urllib.parse.parse_qsl(query))
    length = int(handler.headers.get("Content-Length") or 0)
    body = handler.rfile.read(length) if length else b""
    kind = (handler.headers.get("Content-Type") or "").split(";")[0].strip()
    if body and kind == "application/json":
        params.update(json.loads(body))
    elif body and kind == "application/x-www-form-urlencoded":
        for name, value in urllib.parse.parse_qsl(body.decode(), keep_blank_values=True):
            params[name] = json.loads(value) if name in JSON_PARAMETERS else value
    elif body:
        raise ApiError(400, f"Bad Request: unsupported content type {kind}")
    return params


@contextmanager
def bot_api_server(state: BotApiState) -> Iterator[str]:
    """The base URL (``http://127.0.0.1:<port>``) of a Bot API server keeping ``state``,
    while it serves."""
    methods = Methods(state)

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802 (http.server's naming)
            self.answer()

        def do_POST(self) -> None:  # noqa: N802
            self.answer()

        def answer(self) -> None:
            path = urllib.parse.urlsplit(self.path).path
            token, _, method = path.removeprefix("/bot").partition("/")
            try:
                if not path.startswith("/bot") or token != state.token:
                    raise ApiError(401, "Unauthorized")
                call = getattr(methods, method, None) if method[:1].islower() else None
                if call is None:
                    raise ApiError(404, "Not Found")
                params = _parameters(self)
                state.calls.append(method)
                if state.failing > 0:
                    state.failing -= 1
                    raise ApiError(502, "Bad Gateway")
                if state.too_many > 0:
                    state.too_many -= 1
                    raise ApiError(429, f"Too Many Requests: retry after {state.retry_after}",
                                   {"retry_after": state.retry_after})
                status, body = 200, {"ok": True, "result": call(params)}
            except ApiError as error:
                status, body = error.code, {"ok": False, "error_code": error.code,
                                            "description": error.description}
                if error.parameters:
                    body["parameters"] = dict(error.parameters)
            raw = json.dumps(body).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(raw)))
            self.end_headers()
            self.wfile.write(raw)

        def log_message(self, format: str, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, args=(0.01,), daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        with state.changed:
            state.changed.notify_all()
        server.shutdown()
        server.server_close()
        thread.join()


def person(user_id: int, *, language: str | None = "ru", first_name: str = "Иван",
           last_name: str | None = "Петров") -> dict[str, Any]:
    """A Telegram user as an update's ``from`` shows them."""
    user: dict[str, Any] = {"id": user_id, "is_bot": False, "first_name": first_name}
    if last_name is not None:
        user["last_name"] = last_name
    if language is not None:
        user["language_code"] = language
    return user


def start_update(update_id: int, user: Mapping[str, Any], text: str) -> dict[str, Any]:
    """The update of a message ``text`` (``/start <slug>`` from the deep link) in the
    private chat with ``user``."""
    return {"update_id": update_id, "message": {
        "message_id": update_id, "date": 1_765_000_000, "text": text, "from": dict(user),
        "chat": {"id": user["id"], "type": "private", "first_name": user["first_name"]},
        "entities": [{"type": "bot_command", "offset": 0, "length": 6}]}}


def press_update(update_id: int, user: Mapping[str, Any], data: str) -> dict[str, Any]:
    """The update of ``user`` pressing an inline button with ``data`` under the bot's
    message in their private chat."""
    return {"update_id": update_id, "callback_query": {
        "id": f"query-{update_id}", "from": dict(user), "chat_instance": "42", "data": data,
        "message": {"message_id": 1, "date": 1_765_000_000, "text": "…", "from": BOT,
                    "chat": {"id": user["id"], "type": "private",
                             "first_name": user["first_name"]}}}}


def reply_update(update_id: int, user: Mapping[str, Any], text: str,
                 question: str) -> dict[str, Any]:
    """The update of ``user`` replying ``text`` to the bot's message ``question`` (as a
    ForceReply opens it) in their private chat."""
    update = start_update(update_id, user, text)
    del update["message"]["entities"]
    update["message"]["reply_to_message"] = {
        "message_id": 1, "date": 1_765_000_000, "text": question, "from": BOT,
        "chat": {"id": user["id"], "type": "private", "first_name": user["first_name"]}}
    return update
