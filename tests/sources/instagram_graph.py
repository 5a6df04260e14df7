"""A local Instagram Graph API (Instagram API with Facebook Login) for tests and benches.

Written from Meta's documentation, not from our client, it answers on 127.0.0.1 (port 0)
what ``graph.facebook.com/{version}`` answers for the calls a giveaway reader makes:

- ``GET /{ig-media-id}?fields=…`` (IG Media: ``id``, ``username``, ``comments_count`` —
  every comment and reply on the media —, ``is_comment_enabled``, ``caption``,
  ``media_type``, ``timestamp``);
  https://developers.facebook.com/docs/instagram-platform/reference/instagram-media
- ``GET /{ig-media-id}/comments?fields=…&limit=…&after=…`` (top-level comments, newest
  first, each with its ``replies`` when the fields expand them);
  https://developers.facebook.com/docs/instagram-platform/instagram-graph-api/reference/ig-media/comments
- ``GET /{ig-comment-id}/replies`` and ``GET /{ig-comment-id}``; a deleted comment has no
  replies to get (an error, as documented);
  https://developers.facebook.com/docs/instagram-platform/instagram-graph-api/reference/ig-comment/replies
- cursor paging: ``{"data": […], "paging": {"cursors": {"before", "after"}, "previous",
  "next"}}``, ``next`` and ``previous`` built on this server's own address (``next_links =
  False`` leaves them out, as the comments edge's reference says Instagram does);
  https://developers.facebook.com/docs/graph-api/results
- errors as ``{"error": {"message", "type", "code", "error_subcode", "fbtrace_id"}}`` with
  HTTP 400: 190 for a wrong token, 104 for none, 100 (subcode 33) for an unknown id, 100 for
  a field the node does not have; rate limiting (code 4 by default, or 17, 32, 613, 80002)
  with the ``X-Business-Use-Case-Usage`` header and its ``estimated_time_to_regain_access``
  (minutes).
  https://developers.facebook.com/docs/graph-api/guides/error-handling
  https://developers.facebook.com/docs/graph-api/overview/rate-limiting

Use::

    with GraphServer.start(token="secret") as graph:
        media = graph.add_media("17895695668004550", owner="brand.shop")
        first = media.comment("anna.k", "Me! @bob @carl")
        first.reply("bob", "thanks")
        media.add_comments(("fan%d" % n, "hi") for n in range(100_000))
        graph.rate_limit_every = 3        # every third call is refused as "too many calls"
        graph.delete(first.id)            # gone, with its replies
        graph.fail(media.id, 10, "(#10) Application does not have permission for this action")
        media.reported_count = 100_010    # Instagram counts more than it lists
        InstagramReader(NetworkSettings(instagram_graph_url=graph.url,
                                        instagram_token="secret"), sleep=…)
        graph.calls                       # every request: path and query, in order
"""

import base64
import itertools
import json
import threading
import urllib.parse
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Self, overload

VERSION = "v23.0"
DEFAULT_LIMIT = 25
"""Objects a page holds when the request names no ``limit`` (the Graph API's usual page)."""
MAX_LIMIT = 100
NESTED_LIMIT = 25
"""Replies a comment carries when the comments edge expands them; the rest are paged."""
ERROR_STATUS = 400
MEDIA_FIELDS = frozenset({"id", "username", "comments_count", "is_comment_enabled", "caption",
                          "media_type", "timestamp", "like_count"})
COMMENT_FIELDS = frozenset({"id", "text", "username", "timestamp", "like_count", "hidden",
                            "parent_id", "from", "replies", "media"})
RATE_LIMIT_MESSAGES = {
    4: "(#4) Application request limit reached",
    17: "(#17) User request limit reached",
    32: "(#32) Page request limit reached",
    613: "(#613) Calls to this api have exceeded the rate limit.",
    80002: "(#80002) There have been too many calls to this Instagram account. Wait a bit "
           "and try again. For more info, please refer to "
           "https://developers.facebook.com/docs/graph-api/overview/rate-limiting.",
}
_START = datetime(2026, 12, 1, 12, 0, tzinfo=UTC)
FIRST_ID = 17858893269000001
"""The id of the server's first comment; each later one is the next number."""


@dataclass(eq=False)
class Comment:
    """An IG Comment: on a media (``parent`` ``None``) or a reply to a top-level comment."""

    id: str
    username: str
    text: str
    made: int
    """Seconds after the first comment of the server (ISO 8601 only when asked: fast)."""
    media: "Media"
    parent: "Comment | None" = None
    user_id: str = ""
    like_count: int = 0
    hidden: bool = False
    deleted: bool = False
    replies: list["Comment"] = field(default_factory=list)

    @property
    def timestamp(self) -> str:
        return _timestamp(self.media.graph.start + timedelta(seconds=self.made))

    def reply(self, username: str, text: str) -> "Comment":
        """A reply to this comment (replies to a reply go to the top-level comment, as
        Instagram does)."""
        top = self.parent or self
        reply = self.media.graph.new_comment(self.media, username, text, parent=top)
        top.replies.append(reply)
        return reply


@dataclass(eq=False)
class Media:
    """An IG Media of the business account ``owner``, its comments in the order made."""

    id: str
    owner: str
    graph: "GraphServer"
    owner_id: str = "17841405822304914"
    comments: list[Comment] = field(default_factory=list)
    reported_count: int | None = None
    """``comments_count`` as set by the test (``None``: every comment and reply not deleted)."""
    is_comment_enabled: bool = True
    caption: str = "Giveaway! Comment and tag two friends"
    _positions: dict[str, int] = field(default_factory=dict)

    def comment(self, username: str, text: str) -> Comment:
        made = self.graph.new_comment(self, username, text)
        self._positions[made.id] = len(self.comments)
        self.comments.append(made)
        return made

    def add_comments(self, written: Iterable[tuple[str, str]]) -> list[Comment]:
        """Many top-level comments at once (username, text), in the order made."""
        return [self.comment(username, text) for username, text in written]

    def comments_count(self) -> int:
        if self.reported_count is not None:
            return self.reported_count
        return sum(1 + sum(not reply.deleted for reply in comment.replies)
                   for comment in self.comments if not comment.deleted)

    def position(self, comment_id: str) -> int | None:
        return self._positions.get(comment_id)


@dataclass(frozen=True)
class Call:
    """One request the server answered: its path (``/v23.0/…/comments``) and query."""

    path: str
    query: Mapping[str, str]


class GraphError(Exception):
    def __init__(self, code: int, message: str, *, kind: str = "OAuthException",
                 subcode: int | None = None, status: int = ERROR_STATUS,
                 headers: Mapping[str, str] | None = None, times: int | None = None) -> None:
        super().__init__(message)
        self.times = times
        self.code, self.message, self.kind, self.subcode = code, message, kind, subcode
        self.status = status
        self.headers = headers or {}

    def body(self) -> dict[str, Any]:
        error: dict[str, Any] = {"message": self.message, "type": self.kind, "code": self.code}
        if self.subcode is not None:
            error["error_subcode"] = self.subcode
        error["fbtrace_id"] = "AbCdEfGh123"
        return {"error": error}


class GraphServer:
    """The server, its state (set by the test) and the calls it answered."""

    def __init__(self, token: str) -> None:
        self.token = token
        self.start = _START
        """When the first comment was written; each later one a second after."""
        self.media: dict[str, Media] = {}
        self.comments: dict[str, Comment] = {}
        self.calls: list[Call] = []
        self.rate_limit_every: int | None = None
        """Every Nth call is refused with a rate-limit error (``None``: none is)."""
        self.rate_limited = False
        """Every call is refused with a rate-limit error."""
        self.rate_limit_code = 4
        self.regain_minutes: int | None = 2
        """``estimated_time_to_regain_access`` sent with a refusal (``None``: no header)."""
        self.next_links = True
        self.failures: dict[str, GraphError] = {}
        """Errors answered for a node's id (and its edges) instead of the data: see
        :meth:`fail`."""
        self.usernames_visible = True
        """``False``: commenters' usernames are left out, as for a token without the
        ``instagram_manage_comments`` permission."""
        self._ids = itertools.count(FIRST_ID)
        self._lock = threading.Lock()
        self._server: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None
        self.url = ""

    # The test's side -------------------------------------------------------------------

    @classmethod
    def start(cls, token: str = "test-token") -> Self:
        """A server answering on 127.0.0.1 at a free port; ``url`` is its versioned base
        (``http://127.0.0.1:PORT/v23.0``)."""
        graph = cls(token)
        graph._server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(graph))
        graph._server.daemon_threads = True
        graph._thread = threading.Thread(target=graph._server.serve_forever, args=(0.01,),
                                         daemon=True)
        graph._thread.start()
        graph.url = f"http://127.0.0.1:{graph._server.server_address[1]}/{VERSION}"
        return graph

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
        if self._thread is not None:
            self._thread.join()
        self._server = self._thread = None

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def add_media(self, media_id: str, *, owner: str) -> Media:
        media = Media(media_id, owner, self)
        self.media[media_id] = media
        return media

    def new_comment(self, media: Media, username: str, text: str, *,
                    parent: Comment | None = None) -> Comment:
        number = next(self._ids)
        made = Comment(str(number), username, text,
                       number - FIRST_ID, media,
                       parent=parent, user_id=str(number + 1_000_000_000))
        self.comments[made.id] = made
        return made

    def delete(self, comment_id: str) -> None:
        """The comment is deleted (by its author or the account): it is no longer listed,
        counted or readable, nor are its replies."""
        self.comments[comment_id].deleted = True

    def fail(self, node_id: str, code: int, message: str, *, subcode: int | None = None,
             kind: str = "OAuthException", times: int | None = None) -> None:
        """Answer calls on ``node_id`` with the Graph API error ``code`` (``times``: that many
        calls, then answer again; ``None``: every call)."""
        self.failures[node_id] = GraphError(code, message, kind=kind, subcode=subcode,
                                            times=times)

    def paths(self) -> list[str]:
        return [call.path for call in self.calls]

    # The network's side ----------------------------------------------------------------

    def answer(self, path: str, query: Mapping[str, str],
               base: str) -> tuple[int, dict[str, str], dict[str, Any]]:
        with self._lock:
            self.calls.append(Call(path, dict(query)))
            number = len(self.calls)
        headers = {"X-Business-Use-Case-Usage": self._usage(0)}
        try:
            if self.rate_limited or (self.rate_limit_every
                                     and number % self.rate_limit_every == 0):
                raise GraphError(self.rate_limit_code,
                                 RATE_LIMIT_MESSAGES[self.rate_limit_code],
                                 headers=self._refusal_headers())
            return 200, headers, self._read(path, query, base)
        except GraphError as error:
            return error.status, {**headers, **error.headers}, error.body()

    def _refusal_headers(self) -> dict[str, str]:
        if self.regain_minutes is None:
            return {}
        return {"X-Business-Use-Case-Usage": self._usage(self.regain_minutes, 100)}

    def _usage(self, minutes: int, percent: int = 12) -> str:
        return json.dumps({"17841405822304914": [{
            "type": "instagram", "call_count": percent, "total_cputime": 4, "total_time": 5,
            "estimated_time_to_regain_access": minutes}]})

    def _read(self, path: str, query: Mapping[str, str], base: str) -> dict[str, Any]:
        parts = [part for part in path.split("/") if part]
        if parts and parts[0].startswith("v") and "." in parts[0]:
            parts = parts[1:]
        token = query.get("access_token")
        if not token:
            raise GraphError(104, "An access token is required to request this resource.")
        if token != self.token:
            raise GraphError(190, "Invalid OAuth access token - Cannot parse access token")
        failure = self.failures.get(parts[0]) if parts else None
        if failure is not None:
            if failure.times is not None:
                failure.times -= 1
                if failure.times <= 0:
                    del self.failures[parts[0]]
            raise failure
        if len(parts) == 1:
            return self._node(parts[0], query)
        if len(parts) == 2 and parts[1] == "comments":
            media = self._media(parts[0])
            newest_first = _NewestFirst(media.comments)
            last = len(media.comments) - 1

            def media_position(comment_id: str) -> int | None:
                made = media.position(comment_id)
                return None if made is None else last - made

            return self._page(newest_first, media_position, query,
                              f"{base}/{parts[0]}/comments")
        if len(parts) == 2 and parts[1] == "replies":
            comment = self._comment(parts[0])
            replies = comment.replies

            def reply_position(comment_id: str) -> int | None:
                return next((n for n, reply in enumerate(replies) if reply.id == comment_id),
                            None)

            return self._page(replies, reply_position, query, f"{base}/{parts[0]}/replies")
        raise GraphError(2500, f"Unknown path components: /{'/'.join(parts[1:])}")

    def _node(self, node_id: str, query: Mapping[str, str]) -> dict[str, Any]:
        if node_id in self.media:
            media = self.media[node_id]
            fields = _fields(query.get("fields", "id"), MEDIA_FIELDS, "IGMedia")
            values = {"id": media.id, "username": media.owner,
                      "comments_count": media.comments_count(),
                      "is_comment_enabled": media.is_comment_enabled,
                      "caption": media.caption, "media_type": "IMAGE",
                      "timestamp": _timestamp(self.start), "like_count": 0}
            return {name: values[name] for name in fields}
        comment = self._comment(node_id)
        return self._comment_json(comment, _fields(query.get("fields", "id,text,timestamp"),
                                                   COMMENT_FIELDS, "IGComment"))

    def _media(self, media_id: str) -> Media:
        if media_id not in self.media:
            raise _no_object(media_id)
        return self.media[media_id]

    def _comment(self, comment_id: str) -> Comment:
        comment = self.comments.get(comment_id)
        if comment is None or comment.deleted or (comment.parent and comment.parent.deleted):
            raise _no_object(comment_id)
        return comment

    def _page(self, listed: Sequence[Comment], position: Callable[[str], int | None],
              query: Mapping[str, str], address: str) -> dict[str, Any]:
        """One page of ``listed`` (deleted comments skipped), from the cursor in ``query``."""
        fields = _fields(query.get("fields", "id,text,timestamp"), COMMENT_FIELDS, "IGComment")
        limit = _limit(query.get("limit"))
        if "after" in query:
            chosen = _walk(listed, _at(position, query["after"]) + 1, 1, limit)
        elif "before" in query:
            chosen = _walk(listed, _at(position, query["before"]) - 1, -1, limit)[::-1]
        else:
            chosen = _walk(listed, 0, 1, limit)
        page = [listed[n] for n in chosen]
        made: dict[str, Any] = {"data": [self._comment_json(c, fields) for c in page]}
        if not chosen:
            return made
        paging: dict[str, Any] = {"cursors": {"before": _cursor(page[0]),
                                              "after": _cursor(page[-1])}}
        if self.next_links:
            kept = {key: value for key, value in query.items() if key not in ("after", "before")}
            if _walk(listed, chosen[0] - 1, -1, 1):
                paging["previous"] = address + "?" + urllib.parse.urlencode(
                    {**kept, "before": _cursor(page[0])})
            if _walk(listed, chosen[-1] + 1, 1, 1):
                paging["next"] = address + "?" + urllib.parse.urlencode(
                    {**kept, "after": _cursor(page[-1])})
        made["paging"] = paging
        return made

    def _comment_json(self, comment: Comment, fields: Mapping[str, Any]) -> dict[str, Any]:
        made: dict[str, Any] = {}
        for name, nested in fields.items():
            if name == "replies":
                if any(not reply.deleted for reply in comment.replies):
                    made["replies"] = self._nested(comment, nested or {"id": None})
            elif name == "username" and not self.usernames_visible:
                continue
            elif name == "from":
                made["from"] = {"id": comment.user_id, "username": comment.username}
            elif name == "media":
                made["media"] = {"id": comment.media.id}
            elif name == "parent_id":
                if comment.parent is not None:
                    made["parent_id"] = comment.parent.id
            else:
                made[name] = getattr(comment, name)
        return made

    def _nested(self, comment: Comment, fields: Mapping[str, Any]) -> dict[str, Any]:
        """The first replies of ``comment``, paged as its replies edge is."""
        query = {"access_token": self.token, "limit": str(NESTED_LIMIT),
                 "fields": ",".join(fields)}

        def reply_position(comment_id: str) -> int | None:
            return next((n for n, reply in enumerate(comment.replies) if reply.id == comment_id),
                        None)

        return self._page(comment.replies, reply_position, query,
                          f"{self.url}/{comment.id}/replies")


def _handler(graph: GraphServer) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802 (http.server's naming)
            address = urllib.parse.urlsplit(self.path)
            query = dict(urllib.parse.parse_qsl(address.query, keep_blank_values=True))
            host = graph.url.rsplit("/", 1)[0]
            version = address.path.split("/")[1] if address.path.count("/") > 1 else VERSION
            status, headers, body = graph.answer(address.path, query, f"{host}/{version}")
            raw = json.dumps(body).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json; charset=UTF-8")
            self.send_header("Content-Length", str(len(raw)))
            for name, value in headers.items():
                self.send_header(name, value)
            self.end_headers()
            self.wfile.write(raw)

        def log_message(self, format: str, *args: Any) -> None:
            pass

    return Handler


def _fields(written: str, known: frozenset[str], node: str) -> dict[str, Any]:
    """``id,text,replies{id,username}`` as ``{"id": None, "text": None, "replies": {…}}``."""
    fields: dict[str, Any] = {}
    position = 0
    while position < len(written):
        end = position
        while end < len(written) and written[end] not in ",{}":
            end += 1
        name = written[position:end].strip()
        nested = None
        if end < len(written) and written[end] == "{":
            depth, close = 1, end + 1
            while close < len(written) and depth:
                depth += {"{": 1, "}": -1}.get(written[close], 0)
                close += 1
            if depth:
                raise GraphError(100, f"Syntax error \"Expected \"}}\" instead of end of "
                                      f"string.\" at character {len(written)}: {written}")
            nested = _fields(written[end + 1:close - 1], COMMENT_FIELDS, "IGComment")
            end = close
        if name:
            if name not in known:
                raise GraphError(100, f"(#100) Tried accessing nonexisting field ({name}) on "
                                      f"node type ({node})")
            fields[name] = nested
        position = end + 1
    return fields


def _limit(written: str | None) -> int:
    if written is None:
        return DEFAULT_LIMIT
    if not written.isdigit() or int(written) < 1:
        raise GraphError(100, f"(#100) Param limit must be a positive integer, got {written}")
    return min(int(written), MAX_LIMIT)


def _cursor(comment: Comment) -> str:
    return base64.b64encode(f"comment:{comment.id}".encode()).decode()


def _at(position: Callable[[str], int | None], cursor: str) -> int:
    """Where the comment a cursor names stands (deleted or not)."""
    try:
        comment_id = base64.b64decode(cursor, validate=True).decode().removeprefix("comment:")
    except ValueError:
        comment_id = ""
    found = position(comment_id)
    if found is None:
        raise GraphError(100, "(#100) The cursor is not valid for this edge")
    return found


class _NewestFirst(Sequence[Comment]):
    """A media's comments newest first, without copying 100,000 of them for each page."""

    def __init__(self, made: list[Comment]) -> None:
        self.made = made

    def __len__(self) -> int:
        return len(self.made)

    @overload
    def __getitem__(self, index: int) -> Comment: ...

    @overload
    def __getitem__(self, index: slice) -> Sequence[Comment]: ...

    def __getitem__(self, index: int | slice) -> Comment | Sequence[Comment]:
        if isinstance(index, slice):
            raise TypeError("read one comment at a time")
        return self.made[len(self.made) - 1 - index]


def _walk(listed: Sequence[Comment], start: int, step: int, count: int) -> list[int]:
    """The positions of up to ``count`` comments not deleted from ``start`` on, by ``step``."""
    chosen: list[int] = []
    position = start
    while 0 <= position < len(listed) and len(chosen) < count:
        if not listed[position].deleted:
            chosen.append(position)
        position += step
    return chosen


def _no_object(node_id: str) -> GraphError:
    return GraphError(100, f"Unsupported get request. Object with ID '{node_id}' does not "
                           "exist, cannot be loaded due to missing permissions, or does not "
                           "support this operation. Please read the Graph API documentation at "
                           "https://developers.facebook.com/docs/graph-api",
                      kind="GraphMethodException", subcode=33)


def _timestamp(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%S+0000")


def comments_of(media: Media) -> Iterator[Comment]:
    """Every comment and reply on ``media`` not deleted, top-level ones newest first."""
    for comment in reversed(media.comments):
        if not comment.deleted:
            yield comment
            yield from (reply for reply in comment.replies if not reply.deleted)
