"""Instagram entries: the comments on a business or creator account's media, through the
Instagram Graph API (Instagram API with Facebook Login, ``graph.facebook.com``, the version
pinned in ``CONTEST_INSTAGRAM_GRAPH_URL``).

A giveaway says "comment under this post and tag two friends". The reader asks the media
for the count Instagram keeps and its owner (``GET /{ig-media-id}?fields=comments_count,
username,is_comment_enabled``), then reads every comment, page by page, with the replies
expanded in the same answers (``GET /{ig-media-id}/comments?fields=id,text,username,
timestamp,replies{id,text,username,timestamp}&limit=50``) and the rest of a long thread
from its own edge (``GET /{ig-comment-id}/replies``). The entrants are the commenters,
first met first, as ``ig:username`` (lower case, as Instagram treats usernames); the media
owner's own comments and replies are nobody's entry.

What the documentation says, and this reader does with it:

- ``comments_count`` "excludes comments on album child media and the media's caption" and
  "includes replies on comments": so the read counts every comment and reply read, the
  owner's too, and the two are compared (:class:`~contest.sources.ListRead`). Comments on
  ads that show the media are not the media's, and not counted by either.
- The comments edge pages by cursors (``paging.cursors.before/after``); its reference says
  the answer may carry no ``next`` address, where the Graph API's paging guide says a
  missing ``next`` is the last page. The reader asks for the page after the last cursor
  while ``next`` is there, or while a page without ``next`` still brought comments; it
  builds each request itself from its own address, so the token is only sent where the
  settings say. A thread whose expanded replies stop without ``next`` is asked again only
  when the comments read fall short of Instagram's count.
- Comments on age-gated media are not returned, live video comments only during the
  broadcast, and a deleted comment's replies cannot be read: a read that finds fewer than
  Instagram counts says so. Comments the account hid carry ``hidden: true`` (IG Comment);
  the reader takes every comment the edge lists as its author's (hiding one is moderation
  the rules would have to name), and should Instagram count hidden ones without listing
  them, the read says it is short. What the edge lists once comments are turned off
  (``is_comment_enabled`` false) is not documented: at the draw, a winner not found then is
  "unknown", never "unmet".
- Since the 2024 permission change a commenter's ``username`` comes only with the
  ``instagram_manage_comments`` permission: an answer without usernames is refused here
  with what to grant, not read as comments by nobody.
- Errors are the Graph API's error object (``{"error": {"message", "type", "code",
  "error_subcode", "fbtrace_id"}}``). Rate limits (codes 4, 17, 32, 613 and 80002, the
  Instagram business use case; 1, 2 and an answer marked ``is_transient`` are temporary
  too) are waited through with the injected ``sleep``: the minutes of
  ``estimated_time_to_regain_access`` in the ``X-Business-Use-Case-Usage`` header when it
  says, bounded, otherwise a growing wait; after :data:`ATTEMPTS` refusals the read stops
  with :class:`~contest.errors.NetworkUnavailable`. Code 190 (the token expired, was revoked
  or is wrong) and every other error stop it at once, with Instagram's message and never
  the token (it travels in the query, so no address with its query is ever shown).

The documentation relied on, under https://developers.facebook.com/docs/ :

- ``instagram-platform/reference/instagram-media`` and ``instagram-api/reference/ig-media``
  (``comments_count``, ``username``, ``is_comment_enabled``);
- ``instagram-platform/instagram-graph-api/reference/ig-media/comments`` and
  ``…/reference/ig-comment/replies`` (the edges, their limitations);
- ``instagram-platform/instagram-api-with-instagram-login/comment-moderation`` (usernames
  and the ``instagram_manage_comments`` permission);
- ``graph-api/results`` (cursor paging), ``graph-api/guides/error-handling`` (the error
  object and codes), ``instagram-platform/instagram-graph-api/reference/error-codes``,
  ``graph-api/overview/rate-limiting`` (codes 4, 17, 32, 613, 80002 and the usage header).
"""

import json
import re
import urllib.parse
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, ClassVar

from contest.config import NetworkSettings
from contest.errors import NetworkUnavailable
from contest.i18n import N_
from contest.identity.accounts import account_key
from contest.rules.document import Condition, ConditionKind, Network, SocialSource
from contest.sources import (
    Check,
    ListRead,
    NetworkRead,
    Person,
    Problem,
    Result,
    Sleep,
)
from contest.sources.http import Answer, call

NETWORK = "Instagram"
PAGE_LIMIT = 50
"""Comments asked for a page (the Graph API's default page is 25)."""
COMMENT_FIELDS = "id,text,username,timestamp"
THREAD_FIELDS = f"{COMMENT_FIELDS},replies{{{COMMENT_FIELDS}}}"
MEDIA_FIELDS = "comments_count,username,is_comment_enabled"

RATE_LIMIT_CODES = frozenset({4, 17, 32, 613, 80002})
"""Too many calls: of the app, the user, the page, a custom limit, the Instagram account."""
TEMPORARY_CODES = frozenset({1, 2})
"""An unknown or service error "due to downtime": wait and retry, says the guide."""
TOKEN_REFUSED = 190
NO_OBJECT = 100
PERMISSION_CODES = frozenset({3, 10, *range(200, 300)})
ATTEMPTS = 6
"""Calls made of one request before too many refusals stop the read."""
FIRST_WAIT = 5.0
"""Seconds waited after the first refusal that says no time (doubled after each)."""
LONGEST_WAIT = 15 * 60.0
"""The longest single wait, whatever the usage header says."""

_MENTION = re.compile(r"(?<![A-Za-z0-9._@])@([A-Za-z0-9._]+)")
_USERNAME_LENGTH = 30


@dataclass(frozen=True)
class Comment:
    """One comment or reply read: who wrote it (as Instagram writes the username) and what."""

    id: str
    username: str
    text: str
    at: datetime | None = None
    """When it was written (``timestamp``), where Instagram says."""


@dataclass(frozen=True)
class MediaComments:
    """What one read of a media's comments found: its owner, the count Instagram reports,
    whether comments are on, and every comment and reply read (each once, in reading
    order)."""

    owner: str
    reported: int | None
    comments_enabled: bool
    comments: tuple[Comment, ...]

    @property
    def listed(self) -> ListRead:
        return ListRead("comments", self.reported, len(self.comments))


@dataclass(frozen=True)
class _Thread:
    """Replies of a comment still to read after the ``after`` cursor; ``certain``: the
    answer said there are more (``next``), not only that the page had a cursor."""

    comment_id: str
    after: str
    certain: bool


@dataclass
class _Commenter:
    """One entrant as the read finds them: their name and the most other accounts one of
    their comments tags."""

    name: str
    tagged: int
    at: datetime | None = None
    """When they first commented, where Instagram says."""


class InstagramReader:
    """Reads a media's commenters as entrants and checks ``commented`` and ``tagged``."""

    network: ClassVar[Network] = Network.INSTAGRAM

    def __init__(self, settings: NetworkSettings, *, sleep: Sleep) -> None:
        self.base = settings.instagram_graph_url.rstrip("/")
        self.token = settings.instagram_token
        self.sleep = sleep

    def read(self, source: SocialSource) -> NetworkRead:
        found = self.comments(source.post)
        commenters = _commenters(found)
        verdicts = _Verdicts(source.conditions, certain=found.listed.complete)
        # Instagram tells a username, not a name: a handle is never kept as one (the public
        # pages show an entrant's masked name, and "kate" masked is still "Kate").
        nameless = sum(1 for comment in found.comments if not comment.username)
        return NetworkRead(
            lists=(found.listed,),
            people=tuple(Person(account, "", at=commenter.at)
                         for account, commenter in commenters.items()),
            checks={account: verdicts.of(commenter)
                    for account, commenter in commenters.items()},
            problems={Problem.DELETED_OR_BANNED.value: nameless} if nameless else {})

    def check(self, source: SocialSource,
              accounts: Sequence[str]) -> Mapping[str, tuple[Check, ...]]:
        if not accounts:
            return {}
        found = self.comments(source.post)
        commenters = _commenters(found)
        verdicts = _Verdicts(source.conditions,
                             certain=found.listed.complete and found.comments_enabled)
        return {account: verdicts.of(commenters.get(account)) for account in accounts}

    def comments(self, media_id: str) -> MediaComments:
        """Every comment and reply on the media ``media_id``, with its owner and count."""
        if not self.token:
            raise NetworkUnavailable(N_("no Instagram access token is set "
                                        "(CONTEST_INSTAGRAM_TOKEN or its _FILE twin)"))
        media = self._get(f"/{_quoted(media_id)}", {"fields": MEDIA_FIELDS})
        owner = _text(media, "username", f"GET /{media_id}")
        reported = media.get("comments_count")
        read: dict[str, Comment] = {}
        threads: list[_Thread] = []
        for item in self._pages(f"/{_quoted(media_id)}/comments", THREAD_FIELDS):
            top = self._comment(item, f"GET /{media_id}/comments")
            read.setdefault(top.id, top)
            replies = item.get("replies")
            if isinstance(replies, dict):
                for reply in _data(replies, f"GET /{media_id}/comments"):
                    found = self._comment(reply, f"GET /{media_id}/comments")
                    read.setdefault(found.id, found)
                if more := _more_replies(top.id, replies):
                    threads.append(more)
        # Threads Instagram says go on first; the others only while comments are missing.
        for thread in sorted(threads, key=lambda thread: not thread.certain):
            if thread.certain or (isinstance(reported, int) and len(read) < reported):
                for reply in self._replies(thread):
                    read.setdefault(reply.id, reply)
        if read and not any(comment.username for comment in read.values()):
            raise NetworkUnavailable(N_(
                "Instagram answered {method} with comments without the commenter's username: "
                "the token needs the instagram_manage_comments permission to see who "
                "commented"), {"method": f"GET /{media_id}/comments"})
        return MediaComments(owner, reported if isinstance(reported, int) else None,
                             media.get("is_comment_enabled") is not False,
                             tuple(read.values()))

    def _replies(self, thread: _Thread) -> Iterable[Comment]:
        path = f"/{_quoted(thread.comment_id)}/replies"
        try:
            for item in self._pages(path, COMMENT_FIELDS, after=thread.after,
                                    gives_next=thread.certain, may_vanish=True):
                yield self._comment(item, f"GET /{thread.comment_id}/replies")
        except _Gone:
            # Deleted while it was read: its replies went with it, as Instagram documents.
            return

    def _pages(self, path: str, fields: str, *, after: str | None = None,
               gives_next: bool = False, may_vanish: bool = False,
               ) -> Iterable[dict[str, Any]]:
        """Every item of a cursor-paged edge, from the page after ``after``.

        The next page is asked while the answer has ``next``; from an edge that never gives
        ``next`` (as the comments edge's reference warns), while a page still brings items.
        ``gives_next``: the edge is known to give ``next``; ``may_vanish``: the edge's object
        may be deleted meanwhile (:class:`_Gone`)."""
        asked: set[str] = set()
        while True:
            params: dict[str, str | int] = {"fields": fields, "limit": PAGE_LIMIT}
            if after is not None:
                params["after"] = after
            page = self._get(path, params, may_vanish=may_vanish)
            items = _data(page, f"GET {path}")
            yield from items
            paging = page.get("paging")
            paging = paging if isinstance(paging, dict) else {}
            gives_next = gives_next or "next" in paging
            cursors = paging.get("cursors")
            after = cursors.get("after") if isinstance(cursors, dict) else None
            more = "next" in paging or (not gives_next and bool(items))
            if not more or not isinstance(after, str) or not after or after in asked:
                return
            asked.add(after)

    def _get(self, path: str, params: Mapping[str, str | int], *,
             may_vanish: bool = False) -> dict[str, Any]:
        """The answer to ``GET path``, waiting through rate limits."""
        method = f"GET {path}"
        waited = 0.0
        for attempt in range(ATTEMPTS):
            answer = call(self.base + path, {**params, "access_token": self.token},
                          network=NETWORK)
            error = _error(answer)
            if error is None:
                if answer.status != 200 or not isinstance(answer.body, dict):
                    raise NetworkUnavailable(
                        N_("Instagram answered {method} with HTTP {status} and no Graph API "
                           "error object"), {"method": method, "status": answer.status})
                return answer.body
            code = error.get("code")
            if code in RATE_LIMIT_CODES or code in TEMPORARY_CODES or error.get("is_transient"):
                if attempt + 1 == ATTEMPTS:
                    raise NetworkUnavailable(
                        N_("Instagram still refused {method} after {attempts} attempts and "
                           "{seconds} seconds of waiting (error {code}: {message}); read "
                           "again later"),
                        {"method": method, "attempts": ATTEMPTS, "seconds": round(waited),
                         "code": code, "message": self._without_token(error.get("message"))})
                wait = _wait(answer.headers, attempt)
                waited += wait
                self.sleep(wait)
                continue
            if may_vanish and code == NO_OBJECT:
                raise _Gone()
            raise self._refused(method, error)
        raise AssertionError("unreachable: the last attempt returns or raises")

    def _refused(self, method: str, error: Mapping[str, Any]) -> NetworkUnavailable:
        code = error.get("code")
        params = {"method": method, "code": code, "subcode": error.get("error_subcode", ""),
                  "message": self._without_token(error.get("message"))}
        if code == TOKEN_REFUSED:
            return NetworkUnavailable(N_(
                "Instagram refused the access token (CONTEST_INSTAGRAM_TOKEN) for {method}: "
                "{message}. It has expired, was revoked or is not the token of a user who "
                "manages the account; set a new one"), params)
        if code in PERMISSION_CODES:
            return NetworkUnavailable(N_(
                "Instagram denied {method} (error {code}): {message}. The token needs "
                "instagram_basic, instagram_manage_comments, pages_read_engagement and "
                "pages_show_list on the account that owns the media"), params)
        if code == NO_OBJECT:
            return NetworkUnavailable(N_(
                "Instagram answered {method} with error {code} {subcode}: {message}. Check "
                "the media id in the rules: it must be a media of the account the token "
                "manages"), params)
        return NetworkUnavailable(N_("Instagram answered {method} with error {code}: "
                                     "{message}"), params)

    def _comment(self, item: Any, method: str) -> Comment:
        if not isinstance(item, dict) or not isinstance(item.get("id"), str):
            raise _unexpected(method, N_("a comment without its id"))
        # One comment without its author's username, among others with theirs, is by an
        # account Instagram no longer names (deleted since): read, and nobody's entry. Every
        # comment without one is a token without the permission (:meth:`comments`).
        username = item.get("username")
        text = item.get("text")
        return Comment(item["id"], username if isinstance(username, str) else "",
                       text if isinstance(text, str) else "",
                       _moment(item.get("timestamp")))

    def _without_token(self, message: object) -> str:
        """Instagram's message, with the token taken out should it be quoted in it."""
        text = message if isinstance(message, str) else ""
        return text.replace(self.token, "…") if self.token else text


class _Gone(Exception):
    """A comment whose replies were being read no longer exists."""


def _commenters(found: MediaComments) -> dict[str, _Commenter]:
    """The entrants by account, first met first: everyone who commented but the owner."""
    owner = found.owner.lower()
    commenters: dict[str, _Commenter] = {}
    for comment in found.comments:
        name = comment.username.lower()
        if not name or name == owner:
            continue
        account = account_key(name, "ig")
        if account is None:
            raise NetworkUnavailable(N_(
                "Instagram answered a comment by {username}, which is not an Instagram "
                "username (letters, digits, dots and underscores, up to 30)"),
                {"username": comment.username})
        tagged = len(_mentions(comment.text) - {name, owner})
        known = commenters.get(account)
        if known is None:
            commenters[account] = known = _Commenter(comment.username, tagged, comment.at)
        elif tagged > known.tagged:
            known.tagged = tagged
        if comment.at is not None and (known.at is None or comment.at < known.at):
            known.at = comment.at
    return commenters


def _moment(value: object) -> datetime | None:
    """An ISO 8601 moment as the Graph API writes it (``2017-05-26T20:41:10+0000``)."""
    if not isinstance(value, str):
        return None
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        return None
    return moment if moment.tzinfo is not None else None


def _mentions(text: str) -> set[str]:
    """The usernames ``text`` @mentions, in lower case (a trailing dot ends a sentence, not
    a username)."""
    found = set()
    for written in _MENTION.findall(text):
        name = written.rstrip(".").lower()
        if 0 < len(name) <= _USERNAME_LENGTH:
            found.add(name)
    return found


class _Verdicts:
    """Each condition of a source judged for one account: met when a comment shows it;
    unmet only when the read was whole (``certain``), otherwise unknown (Instagram withheld
    comments). Entrants with the same outcome share one tuple of checks: a read of 100,000
    makes a handful."""

    def __init__(self, conditions: Iterable[Condition], *, certain: bool) -> None:
        self.conditions = tuple(conditions)
        self.certain = certain
        self.made: dict[tuple[bool | None, ...], tuple[Check, ...]] = {}

    def of(self, commenter: _Commenter | None) -> tuple[Check, ...]:
        outcome = tuple(_met(condition, commenter) for condition in self.conditions)
        checks = self.made.get(outcome)
        if checks is None:
            checks = self.made[outcome] = tuple(
                self._check(condition.kind, met)
                for condition, met in zip(self.conditions, outcome, strict=True))
        return checks

    def _check(self, kind: ConditionKind, met: bool | None) -> Check:
        if met:
            return Check(kind, Result.MET)
        if met is False and self.certain:
            return Check(kind, Result.UNMET)
        return Check(kind, Result.UNKNOWN, Problem.ACCESS_DENIED)


def _met(condition: Condition, commenter: _Commenter | None) -> bool | None:
    """Whether a comment of ``commenter`` meets ``condition`` (``None``: Instagram's API
    cannot tell this kind; the rules allow only ``commented`` and ``tagged``)."""
    if condition.kind == ConditionKind.COMMENTED:
        return commenter is not None
    if condition.kind == ConditionKind.TAGGED:
        return commenter is not None and commenter.tagged >= (condition.at_least or 1)
    return None


def _more_replies(comment_id: str, replies: Mapping[str, Any]) -> _Thread | None:
    paging = replies.get("paging")
    if not isinstance(paging, dict):
        return None
    cursors = paging.get("cursors")
    after = cursors.get("after") if isinstance(cursors, dict) else None
    if not isinstance(after, str) or not after:
        return None
    return _Thread(comment_id, after, certain="next" in paging)


def _error(answer: Answer) -> Mapping[str, Any] | None:
    body = answer.body
    if isinstance(body, dict) and isinstance(body.get("error"), dict):
        error: Mapping[str, Any] = body["error"]
        return error
    return None


def _wait(headers: Mapping[str, str], attempt: int) -> float:
    """Seconds to wait after a refusal: what the usage header says, or a growing wait."""
    minutes = _regain_minutes(headers.get("x-business-use-case-usage", ""))
    seconds = minutes * 60.0 if minutes else FIRST_WAIT * 2 ** attempt
    return min(seconds, LONGEST_WAIT)


def _regain_minutes(header: str) -> float:
    """The longest ``estimated_time_to_regain_access`` (minutes) the usage header names."""
    try:
        usage = json.loads(header) if header else {}
    except ValueError:
        return 0.0
    longest = 0.0
    for entries in usage.values() if isinstance(usage, dict) else ():
        for entry in entries if isinstance(entries, list) else ():
            minutes = entry.get("estimated_time_to_regain_access") if isinstance(
                entry, dict) else None
            if isinstance(minutes, int | float) and minutes > longest:
                longest = float(minutes)
    return longest


def _data(page: Mapping[str, Any], method: str) -> list[Any]:
    data = page.get("data")
    if not isinstance(data, list):
        raise _unexpected(method, N_("no list of data"))
    return data


def _text(node: Mapping[str, Any], name: str, method: str) -> str:
    value = node.get(name)
    if not isinstance(value, str) or not value:
        raise _unexpected(method, name)
    return value


def _unexpected(method: str, what: str) -> NetworkUnavailable:
    return NetworkUnavailable(N_("Instagram's answer to {method} is not the one its "
                                 "documentation describes: {what}"),
                              {"method": method, "what": what})


def _quoted(node_id: str) -> str:
    return urllib.parse.quote(node_id, safe="")
