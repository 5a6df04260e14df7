"""A VK API server on this machine for tests and benchmarks: it speaks the methods a VK
entry source calls, as VK documents them, over a state the test sets.

Written from VK's documentation, not from our client: the method schemas of VK API 5.199
(https://github.com/VKCOM/vk-api-schema: ``wall/methods.json``, ``wall/responses.json``,
``likes/…``, ``groups/…``, ``users/…``, ``errors.json``) and the method pages
(https://dev.vk.com/en/method/wall.getComments, …/wall.getReposts, …/wall.getById,
…/likes.getList, …/likes.isLiked, …/groups.isMember, …/users.get;
https://github.com/VKCOM/vk-api-schema/blob/master/errors.json).

What it speaks:

- ``POST /method/<name>`` with a form, or ``GET /method/<name>?…``; ``v`` is required (error
  8 without it), ``access_token`` must be the server's token (error 5 otherwise), of a kind
  the method may be called with (``access_token_type`` in the schema: ``likes.isLiked`` only
  with a user's token; ``wall.*`` and ``likes.getList`` not with a community's; error 28 for
  a service token, 27 for a community token, as VK answers them); answers are
  ``{"response": …}`` or ``{"error": {"error_code", "error_msg", "request_params"}}`` with HTTP
  200, as VK answers;
- ``wall.getById`` (``posts``: ``-1_2,…``): ``{"items": [post]}``, each post with
  ``comments.count`` (every comment, replies included), ``likes.count``, ``reposts.count``
  (wall and mail reposts) with ``wall_count`` and ``mail_count``;
- ``wall.getReposts`` (``owner_id``, ``post_id``, ``offset``, ``count`` ≤ 1000, default 20):
  ``{"items", "profiles", "groups"}``; a repost to a wall the token cannot see is counted in
  the post's ``reposts`` but never listed (its place in the offsets stays);
- ``wall.getComments`` (``offset``, ``count`` ≤ 100, default 10, ``sort``, ``extended``
  with ``fields`` for the ``profiles``, ``thread_items_count`` ≤ 10, ``comment_id`` for one
  comment's replies, ``preview_length`` default 90): ``count`` is every comment (replies
  included), ``current_level_count`` those of the level asked; each top-level comment has
  ``thread`` {``count``, ``items``}; error 212 when the post's comments are closed;
- ``likes.getList`` (``type``, ``owner_id``, ``item_id``, ``filter`` likes|copies,
  ``extended`` with ``fields``, ``offset``, ``count`` ≤ 1000, default 100): ``{"count",
  "items"}``, items the ids, or with ``extended=1`` objects with ``type`` ``profile`` or
  ``group``;
- ``likes.isLiked`` (``user_id``, ``type``, ``owner_id``, ``item_id``): ``{"liked", "copied"}``;
- ``groups.isMember`` (``group_id``; ``user_id`` or ``user_ids`` ≤ 500; ``extended``): 1/0,
  an object, or a list of ``{"user_id", "member"}`` (``request``, ``invitation`` extended);
- ``users.get`` (``user_ids`` ≤ 1000, ``fields``): the users, with ``deactivated``
  (``deleted``, ``banned``; then no optional field, as the User object's page says) or
  ``is_closed`` and ``can_access_closed``, and of the optional fields (users/objects.json,
  https://dev.vk.com/en/reference/objects/user) ``has_photo`` (1/0), ``followers_count``
  and ``photo_50`` (VK's camera picture when no photo is set) when asked.

Use::

    server = VkApiServer.start(token="service-token")
    post = server.state.add_post(-1000, 7)
    server.state.add_user(1, "Anna", "Petrova")
    post.add_comment(1, "Me! [id2|Boris]")
    ... VkReader(NetworkSettings(vk_api_url=server.url, vk_token="service-token"), ...)
    server.state.calls        # every call: method, params, HTTP method
    server.stop()

or ``with VkApiServer.start() as server: …``. Failures are injected through the state:
:meth:`VkState.fail_every` (every Nth call answers an error, e.g. 6), :meth:`VkState.fail_next`,
:meth:`VkState.refuse_user` (calls naming a user answer e.g. 30).
"""

import itertools
import json
import threading
import urllib.parse
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Self

TOKEN = "service-token-for-tests"
"""The token the server accepts unless told another."""

ERROR_MESSAGES = {
    3: "Unknown method passed",
    5: "User authorization failed: invalid access_token (4).",
    6: "Too many requests per second",
    8: "Invalid request: v (version) is required",
    9: "Flood control",
    10: "Internal server error",
    15: "Access denied",
    18: "User was deleted or banned",
    27: "Group authorization failed: method is unavailable with group auth.",
    28: "Application authorization failed: method is unavailable with service token.",
    29: "Rate limit reached",
    30: "This profile is private",
    100: "One of the parameters specified was missing or invalid",
    212: "Access to post comments denied",
}


class VkError(Exception):
    """An error answer: VK's code and message."""

    def __init__(self, code: int, detail: str = "") -> None:
        message = ERROR_MESSAGES.get(code, "Error")
        super().__init__(f"{message}: {detail}" if detail else message)
        self.code = code


@dataclass
class VkUser:
    id: int
    first_name: str
    last_name: str
    deactivated: str | None = None
    """``deleted`` or ``banned``."""
    is_closed: bool = False
    has_photo: bool = True
    followers: int = 87

    def as_profile(self, fields: Iterable[str] = ()) -> dict[str, Any]:
        profile: dict[str, Any] = {"id": self.id, "first_name": self.first_name,
                                   "last_name": self.last_name}
        if self.deactivated:
            profile["deactivated"] = self.deactivated
            return profile
        profile["is_closed"] = self.is_closed
        profile["can_access_closed"] = not self.is_closed
        for name in fields:
            if name == "has_photo":
                profile["has_photo"] = int(self.has_photo)
            elif name == "followers_count":
                profile["followers_count"] = self.followers
            elif name == "photo_50":
                profile["photo_50"] = (f"https://sun1.userapi.com/{self.id}/50.jpg"
                                       if self.has_photo else
                                       "https://vk.com/images/camera_50.png")
        return profile


@dataclass
class VkComment:
    id: int
    from_id: int
    text: str
    date: int
    reply_to: "VkComment | None" = None
    replies: list["VkComment"] = field(default_factory=list)


@dataclass
class VkRepost:
    id: int
    owner_id: int
    """The wall it went to."""
    from_id: int
    hidden: bool = False
    """On a wall the token cannot see: counted, never listed."""


@dataclass
class VkPost:
    owner_id: int
    id: int
    comments: list[VkComment] = field(default_factory=list)
    """Top level, in the order written; replies are in each comment's ``replies``."""
    reposts: list[VkRepost] = field(default_factory=list)
    likes: list[int] = field(default_factory=list)
    """Who liked it: user ids, and negative ids for communities."""
    mail_reposts: int = 0
    """Reposts sent in private messages: in ``reposts.count``, never listed."""
    comments_closed: bool = False
    date: int = 1_700_000_000
    """The Unix moment of the first comment and repost; each later one a second after."""
    _next_comment: "itertools.count[int]" = field(default_factory=lambda: itertools.count(1))
    _next_repost: "itertools.count[int]" = field(default_factory=lambda: itertools.count(1))
    _by_id: dict[int, VkComment] = field(default_factory=dict)
    _total: int = 0

    def add_comment(self, from_id: int, text: str = "", *, reply_to: int | None = None) -> int:
        """Write a comment (a reply to comment ``reply_to``): its id."""
        comment = VkComment(next(self._next_comment), from_id, text, self.date + self._total)
        if reply_to is None:
            self.comments.append(comment)
        else:
            parent = self._by_id[reply_to]
            top = parent.reply_to or parent
            comment.reply_to = top
            top.replies.append(comment)
        self._by_id[comment.id] = comment
        self._total += 1
        return comment.id

    def add_repost(self, from_id: int, *, hidden: bool = False) -> int:
        """``from_id`` reposts the post to their own wall; ``hidden``: a wall we cannot see."""
        repost = VkRepost(next(self._next_repost), from_id, from_id, hidden)
        self.reposts.append(repost)
        return repost.id

    def add_like(self, owner_id: int) -> None:
        self.likes.append(owner_id)

    @property
    def comment_count(self) -> int:
        return self._total


@dataclass(frozen=True)
class Call:
    """One call the server answered: the method, its parameters, GET or POST."""

    method: str
    params: Mapping[str, str]
    http_method: str


class VkState:
    """What the server knows: users, communities, posts, members, and injected failures."""

    def __init__(self, token: str = TOKEN, token_kind: str = "user") -> None:
        self.token = token
        self.token_kind = token_kind
        """What the token is: ``user``, ``service`` (an app's service key) or ``group`` (a
        community's); each method may be called only with the kinds VK names."""
        self.users: dict[int, VkUser] = {}
        self.groups: dict[int, str] = {}
        self.posts: dict[tuple[int, int], VkPost] = {}
        self.members: dict[int, set[int]] = {}
        self.requests: dict[int, set[int]] = {}
        self.calls: list[Call] = []
        self._fail_every: tuple[int, int] | None = None
        self._fail_next: list[int] = []
        self._refused: dict[int, tuple[int, frozenset[str]]] = {}
        self._lock = threading.Lock()
        self._count = 0

    # -- setting the state ------------------------------------------------------------------
    def add_user(self, user_id: int, first_name: str = "", last_name: str = "", *,
                 deactivated: str | None = None, is_closed: bool = False,
                 has_photo: bool = True, followers: int = 87) -> VkUser:
        user = VkUser(user_id, first_name or f"User{user_id}", last_name or "Test",
                      deactivated, is_closed, has_photo, followers)
        self.users[user_id] = user
        return user

    def add_users(self, ids: Iterable[int]) -> None:
        """Many users with made-up names (``User12 Test``), quickly."""
        for user_id in ids:
            self.users[user_id] = VkUser(user_id, f"User{user_id}", "Test")

    def add_group(self, group_id: int, name: str) -> None:
        """A community (positive id; its wall and comments use ``-group_id``)."""
        self.groups[group_id] = name

    def add_post(self, owner_id: int, post_id: int) -> VkPost:
        post = VkPost(owner_id, post_id)
        self.posts[owner_id, post_id] = post
        if owner_id < 0:
            self.groups.setdefault(-owner_id, f"Community {-owner_id}")
        return post

    def add_members(self, group_id: int, user_ids: Iterable[int]) -> None:
        self.members.setdefault(group_id, set()).update(user_ids)

    def add_request(self, group_id: int, user_id: int) -> None:
        """``user_id`` asked to join ``group_id`` and is not a member yet."""
        self.requests.setdefault(group_id, set()).add(user_id)

    # -- failures ---------------------------------------------------------------------------
    def fail_every(self, nth: int, code: int = 6) -> None:
        """Every ``nth`` call (counted from now) answers error ``code``; ``0`` stops it."""
        with self._lock:
            self._count = 0
            self._fail_every = (nth, code) if nth else None

    def fail_next(self, times: int, code: int = 6) -> None:
        """The next ``times`` calls answer error ``code``."""
        with self._lock:
            self._fail_next.extend([code] * times)

    def refuse_user(self, user_id: int, code: int = 30,
                    methods: Iterable[str] = ("likes.isLiked", "groups.isMember")) -> None:
        """A call of ``methods`` naming ``user_id`` (``user_id`` or in ``user_ids``) answers
        error ``code`` (30: private profile, 18: deleted or banned, 15: access denied)."""
        self._refused[user_id] = (code, frozenset(methods))

    def called(self, method: str) -> list[Call]:
        """The calls of one method, in order."""
        return [call for call in self.calls if call.method == method]

    # -- answering --------------------------------------------------------------------------
    def answer(self, method: str, params: Mapping[str, str], http_method: str) -> Any:
        """The body answering one call (a JSON value)."""
        self.calls.append(Call(method, dict(params), http_method))
        try:
            return {"response": self._respond(method, params)}
        except VkError as error:
            request_params = [{"key": "method", "value": method}, {"key": "oauth", "value": "1"}]
            request_params += [{"key": key, "value": value} for key, value in params.items()
                               if key != "access_token"]
            return {"error": {"error_code": error.code, "error_msg": str(error),
                              "request_params": request_params}}

    def _respond(self, method: str, params: Mapping[str, str]) -> Any:
        handler = _METHODS.get(method)
        if handler is None:
            raise VkError(3)
        if not params.get("v"):
            raise VkError(8)
        if params.get("access_token") != self.token:
            raise VkError(5)
        if self.token_kind not in _TOKEN_KINDS[method]:
            raise VkError(28 if self.token_kind == "service" else 27)
        with self._lock:
            injected = self._fail_next.pop(0) if self._fail_next else None
            if injected is None and self._fail_every:
                self._count += 1
                nth, code = self._fail_every
                if self._count % nth == 0:
                    injected = code
        if injected is not None:
            raise VkError(injected)
        named = [params["user_id"]] if params.get("user_id") else []
        named += [part for part in params.get("user_ids", "").split(",") if part]
        for user in named:
            refused = self._refused.get(_number(user, "user_id"))
            if refused and method in refused[1]:
                raise VkError(refused[0])
        return handler(self, params)

    def _post(self, params: Mapping[str, str], owner: str = "owner_id",
              item: str = "post_id") -> VkPost:
        key = (_number(params.get(owner, ""), owner), _number(params.get(item, ""), item))
        post = self.posts.get(key)
        if post is None:
            raise VkError(100, f"{item} is invalid")
        return post

    def _people(self, ids: Iterable[int],
                fields: Iterable[str] = ()) -> dict[str, list[dict[str, Any]]]:
        profiles: dict[int, dict[str, Any]] = {}
        groups: dict[int, dict[str, Any]] = {}
        for owner in ids:
            if owner > 0 and owner in self.users and owner not in profiles:
                profiles[owner] = self.users[owner].as_profile(fields)
            elif owner < 0 and -owner not in groups:
                groups[-owner] = self._group(-owner)
        return {"profiles": list(profiles.values()), "groups": list(groups.values())}

    def _group(self, group_id: int) -> dict[str, Any]:
        name = self.groups.get(group_id, f"Community {group_id}")
        return {"id": group_id, "name": name, "screen_name": f"club{group_id}",
                "is_closed": 0, "type": "page"}

    # wall.getById
    def wall_get_by_id(self, params: Mapping[str, str]) -> Any:
        posts = params.get("posts", "")
        if not posts:
            raise VkError(100, "posts is undefined")
        items: list[dict[str, Any]] = []
        for written in posts.split(","):
            owner, _, number = written.partition("_")
            post = self.posts.get((_number(owner, "posts"), _number(number, "posts")))
            if post is None:
                continue
            wall = len(post.reposts)
            items.append({
                "id": post.id, "owner_id": post.owner_id, "from_id": post.owner_id,
                "date": 1_700_000_000, "post_type": "post", "text": "Giveaway!",
                "comments": {"count": post.comment_count, "can_post": 0 if
                             post.comments_closed else 1, "groups_can_post": True},
                "likes": {"count": len(post.likes), "user_likes": 0, "can_like": 1,
                          "can_publish": 1},
                "reposts": {"count": wall + post.mail_reposts, "wall_count": wall,
                            "mail_count": post.mail_reposts, "user_reposted": 0},
                "views": {"count": 100_000}})
        answer: dict[str, Any] = {"items": items}
        if _flag(params, "extended"):
            answer.update(self._people(item["owner_id"] for item in items))
        return answer

    # wall.getReposts
    def wall_get_reposts(self, params: Mapping[str, str]) -> Any:
        post = self._post(params)
        offset = _bounded(params, "offset", 0, 0, None)
        count = _bounded(params, "count", 20, 0, 1000)
        page = [repost for repost in post.reposts[offset:offset + count] if not repost.hidden]
        items = [{"id": repost.id, "owner_id": repost.owner_id, "from_id": repost.from_id,
                  "date": post.date + repost.id, "post_type": "post", "text": "",
                  "copy_history": [{"id": post.id, "owner_id": post.owner_id,
                                    "from_id": post.owner_id, "post_type": "post"}]}
                 for repost in page]
        return {"items": items, **self._people(repost.from_id for repost in page)}

    # wall.getComments
    def wall_get_comments(self, params: Mapping[str, str]) -> Any:
        post = self._post(params)
        if post.comments_closed:
            raise VkError(212)
        offset = _bounded(params, "offset", 0, 0, None)
        count = _bounded(params, "count", 10, 0, 100)
        thread_items = _bounded(params, "thread_items_count", 0, 0, 10)
        preview = _bounded(params, "preview_length", 90, 0, None)
        if params.get("sort", "asc") not in ("asc", "desc", "smart"):
            raise VkError(100, "sort is invalid")
        if params.get("comment_id"):
            parent = post._by_id.get(_number(params["comment_id"], "comment_id"))
            if parent is None:
                raise VkError(100, "comment_id is invalid")
            level = parent.replies
            total = len(level)
        else:
            level = post.comments
            total = post.comment_count
        if params.get("sort") == "desc":
            level = level[::-1]
        page = level[offset:offset + count]
        items = []
        authors = []
        for comment in page:
            item = self._comment(post, comment, preview)
            authors.append(comment.from_id)
            if not params.get("comment_id") and comment.reply_to is None:
                shown = comment.replies[:thread_items]
                item["thread"] = {"count": len(comment.replies), "can_post": True,
                                  "show_reply_button": True, "groups_can_post": True,
                                  "items": [self._comment(post, reply, preview)
                                            for reply in shown]}
                authors += [reply.from_id for reply in shown]
            items.append(item)
        answer: dict[str, Any] = {"count": total, "current_level_count": len(level),
                                  "can_post": not post.comments_closed,
                                  "show_reply_button": True, "groups_can_post": True,
                                  "items": items}
        if _flag(params, "extended"):
            answer.update(self._people(authors, _fields(params)))
        return answer

    @staticmethod
    def _comment(post: VkPost, comment: VkComment, preview: int) -> dict[str, Any]:
        text = comment.text if not preview or len(comment.text) <= preview \
            else comment.text[:preview]
        item: dict[str, Any] = {"id": comment.id, "from_id": comment.from_id,
                                "post_id": post.id, "owner_id": post.owner_id,
                                "date": comment.date, "text": text,
                                "parents_stack": [comment.reply_to.id] if comment.reply_to
                                else []}
        if comment.reply_to:
            item["reply_to_comment"] = comment.reply_to.id
            item["reply_to_user"] = comment.reply_to.from_id
        return item

    # likes.getList
    def likes_get_list(self, params: Mapping[str, str]) -> Any:
        if params.get("type") != "post":
            raise VkError(100, "type is invalid")
        post = self._post(params, item="item_id")
        offset = _bounded(params, "offset", 0, 0, None)
        count = _bounded(params, "count", 100, 0, 1000)
        if params.get("filter", "likes") == "copies":
            everyone = [repost.from_id for repost in post.reposts if not repost.hidden]
        else:
            everyone = post.likes
        page = everyone[offset:offset + count]
        if not _flag(params, "extended"):
            return {"count": len(everyone), "items": [abs(owner) for owner in page]}
        items = []
        for owner in page:
            if owner > 0:
                user = self.users.get(owner) or VkUser(owner, "", "")
                items.append({"type": "profile", **user.as_profile(_fields(params))})
            else:
                items.append(self._group(-owner) | {"type": "group"})
        return {"count": len(everyone), "items": items}

    # likes.isLiked
    def likes_is_liked(self, params: Mapping[str, str]) -> Any:
        if params.get("type") != "post":
            raise VkError(100, "type is invalid")
        if not params.get("user_id"):
            raise VkError(100, "user_id is undefined")
        post = self._post(params, item="item_id")
        user = _number(params["user_id"], "user_id")
        copied = any(repost.from_id == user for repost in post.reposts)
        return {"liked": int(user in post.likes), "copied": int(copied)}

    # groups.isMember
    def groups_is_member(self, params: Mapping[str, str]) -> Any:
        group = _number(params.get("group_id", ""), "group_id")
        members = self.members.get(group, set())
        asked = self.requests.get(group, set())
        extended = _flag(params, "extended")
        if params.get("user_ids"):
            ids = [_number(part, "user_ids") for part in params["user_ids"].split(",") if part]
            if len(ids) > 500:
                raise VkError(100, "user_ids is too long")
            answer = []
            for user in ids:
                status: dict[str, Any] = {"member": int(user in members), "user_id": user}
                if extended:
                    status |= {"request": int(user in asked), "invitation": 0}
                answer.append(status)
            return answer
        user = _number(params.get("user_id", ""), "user_id")
        if extended:
            return {"member": int(user in members), "request": int(user in asked),
                    "invitation": 0}
        return int(user in members)

    # users.get
    def users_get(self, params: Mapping[str, str]) -> Any:
        ids = [_number(part, "user_ids") for part in params.get("user_ids", "").split(",")
               if part]
        if len(ids) > 1000:
            raise VkError(100, "user_ids is too long")
        return [self.users[user].as_profile(_fields(params)) for user in ids
                if user in self.users]


_METHODS = {
    "wall.getById": VkState.wall_get_by_id,
    "wall.getReposts": VkState.wall_get_reposts,
    "wall.getComments": VkState.wall_get_comments,
    "likes.getList": VkState.likes_get_list,
    "likes.isLiked": VkState.likes_is_liked,
    "groups.isMember": VkState.groups_is_member,
    "users.get": VkState.users_get,
}

_TOKEN_KINDS = {
    "wall.getById": ("user", "service"),
    "wall.getReposts": ("user", "service"),
    "wall.getComments": ("user", "service"),
    "likes.getList": ("user", "service"),
    "likes.isLiked": ("user",),
    "groups.isMember": ("user", "group", "service"),
    "users.get": ("user", "group", "service"),
}
"""The tokens each method may be called with (``access_token_type`` in VK's schema)."""


def _number(value: str, name: str) -> int:
    try:
        return int(value)
    except ValueError:
        raise VkError(100, f"{name} is invalid") from None


def _fields(params: Mapping[str, str]) -> list[str]:
    """The optional profile fields a call asks (``fields``: ``has_photo,followers_count``)."""
    return [name.strip() for name in params.get("fields", "").split(",") if name.strip()]


def _flag(params: Mapping[str, str], name: str) -> bool:
    return params.get(name, "0") in ("1", "true")


def _bounded(params: Mapping[str, str], name: str, default: int, low: int,
             high: int | None) -> int:
    if name not in params:
        return default
    value = _number(params[name], name)
    if value < low or (high is not None and value > high):
        raise VkError(100, f"{name} is out of range")
    return value


class VkApiServer:
    """The server, serving on 127.0.0.1 in a thread until :meth:`stop`."""

    def __init__(self, state: VkState) -> None:
        self.state = state
        served = state

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"
            disable_nagle_algorithm = True  # headers and body go out as written, no 40 ms stall

            def do_GET(self) -> None:  # noqa: N802 (http.server's naming)
                path, _, query = self.path.partition("?")
                self.reply(path, query, "GET")

            def do_POST(self) -> None:  # noqa: N802
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length).decode()
                path, _, query = self.path.partition("?")
                self.reply(path, "&".join(part for part in (query, body) if part), "POST")

            def reply(self, path: str, query: str, http_method: str) -> None:
                if not path.startswith("/method/"):
                    self.send_error(404)
                    return
                params = dict(urllib.parse.parse_qsl(query, keep_blank_values=True))
                body = json.dumps(served.answer(path.removeprefix("/method/"), params,
                                                http_method), ensure_ascii=False).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json; charset=utf-8")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, format: str, *args: Any) -> None:
                pass

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, args=(0.01,),
                                        daemon=True)
        self.url = f"http://127.0.0.1:{self._server.server_address[1]}/method/"
        """The address methods are called at, as ``https://api.vk.com/method/``."""

    @classmethod
    def start(cls, state: VkState | None = None, *, token: str = TOKEN,
              token_kind: str = "user") -> Self:
        """A server answering from ``state`` (a new one accepting ``token``, of
        ``token_kind``), serving."""
        server = cls(state or VkState(token, token_kind))
        server._thread.start()
        return server

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()
