"""VK entries: a community post's reposts, comments (with their threads) and likes, and
membership of the community, read through the VK API (version pinned: :data:`API_VERSION`).

Every call is a POST of a form to ``CONTEST_VK_API_URL`` + the method's name, with
``access_token`` (``CONTEST_VK_TOKEN``) and ``v``. The token must be a VK app's service token
(or a user's): VK lets ``wall.getById``, ``wall.getReposts``, ``wall.getComments`` and
``likes.getList`` be called with those only, not with a community's token (error 27), and
``likes.isLiked`` with a user's token only (the schema's ``access_token_type``; with a service
token, error 28, the draw reads the post's likes and reposts again instead). It goes
through :func:`contest.sources.http.call`, not the ``vk-api`` library: that library builds
its addresses on ``https://api.vk.com/method/`` and cannot be pointed at the address the
settings give (the tests' local server, or a proxy), and the few methods used here are one
form each.

Methods and answers as VK documents them (the schemas of API 5.199,
https://github.com/VKCOM/vk-api-schema, and the method pages):

- ``wall.getById`` (https://dev.vk.com/en/method/wall.getById): what VK counts for the post —
  ``comments.count`` (every comment, thread replies included), ``likes.count``,
  ``reposts.wall_count`` (``reposts.count`` adds the reposts sent in private messages, which
  no method lists; when VK gives no ``wall_count``, ``count`` is taken);
- ``wall.getReposts`` (https://dev.vk.com/en/method/wall.getReposts): pages of up to 1,000 by
  ``offset``; a repost to a wall the token cannot see keeps its place and is not listed, so a
  page may hold fewer and the read may end short of VK's count: said as "read N of M";
- ``wall.getComments`` (https://dev.vk.com/en/method/wall.getComments): pages of up to 100
  top-level comments by ``offset`` (``current_level_count`` is how many there are), with
  ``extended=1`` for the authors' ``profiles`` (with ``fields``: :data:`PROFILE_FIELDS`),
  ``thread_items_count=10`` for the first replies of each thread and ``comment_id`` to page
  through a longer thread; ``preview_length=0`` so no text is cut (its default cuts at 90
  characters, and a tag could be cut off);
- ``likes.getList`` (https://dev.vk.com/en/likes.getList): ``type=post``,
  ``extended=1`` with ``fields``, pages of up to 1,000; an item of ``type`` ``group`` is a
  community;
- ``groups.isMember`` (https://dev.vk.com/en/method/groups.isMember): ``user_ids`` 500 at a
  time, ``extended=1``: ``member`` for each (a request to join is not membership);
- ``likes.isLiked`` (https://dev.vk.com/en/method/likes.isLiked): ``liked`` and ``copied``
  (reposted) for one user, at the draw;
- ``users.get`` (https://dev.vk.com/en/method/users.get): ``user_ids`` 1,000 at a time; at
  a read, with ``fields=has_photo,followers_count``, what the auditor's participant graph
  weighs (:class:`~contest.sources.AccountProfile`, https://dev.vk.com/en/reference/objects/user):
  ``deactivated`` (``deleted`` or ``banned``: "the optional fields are not returned"),
  ``is_closed`` (hidden by privacy settings), ``has_photo`` (1: a profile photo is set) and
  ``followers_count``; asked with the comments' and likes' pages, and for the rest (the
  reposters: ``wall.getReposts`` takes no ``fields``) one call per 1,000. The friends
  count (``counters``) is "returned only … when requesting information about one user"
  with a user's token, so it is not read. At the draw, who is deleted or banned.

Errors (https://github.com/VKCOM/vk-api-schema/blob/master/errors.json; answered as
``{"error": {"error_code", "error_msg", "request_params"}}``): 6 (too many requests per
second), 9 (flood control) and 10 (internal error) are waited through and tried again
(:data:`FIRST_WAIT`, doubling, :data:`TRIES` tries at most); 5 (authorization failed) means
the token was refused; 15 (access denied), 18 (deleted or banned) and 30 (private profile)
on a call about one person make that person's check unknown with the reason
(:class:`~contest.sources.Problem`); any error on the post's own lists (comments closed:
212) stops the read (:class:`~contest.errors.NetworkUnavailable` with VK's message). The
token is never written anywhere.

Who enters: every person (a user: a positive id) who did an activity the conditions name,
in the order first met (the lists read in the rules' order); the community's own posts and
comments, and other communities, are not entrants. A tag is VK's mention markup
``[id123|Name]`` (or ``@id123`` / ``*id123`` as written before VK turns it into markup); a
comment's tags are the distinct other users it names.
"""

import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from typing import Any, ClassVar

from contest.config import NetworkSettings
from contest.errors import NetworkUnavailable
from contest.i18n import N_
from contest.rules.document import Condition, ConditionKind, Network, SocialSource
from contest.sources import (
    ACCOUNT_PREFIX,
    AccountProfile,
    Check,
    ListRead,
    NetworkRead,
    Person,
    Problem,
    Result,
    Sleep,
)
from contest.sources.http import call

API_VERSION = "5.199"
"""The VK API version every call names (``v``): answers are read as this version gives them."""

REPOSTS_PAGE = 1000
COMMENTS_PAGE = 100
THREAD_ITEMS = 10
LIKES_PAGE = 1000
MEMBERS_BATCH = 500
USERS_BATCH = 1000
"""The most each method gives or takes in one call, as documented."""
PROFILE_FIELDS = "has_photo,followers_count"
"""The optional fields of a user asked at a read (``users.get``'s ``fields``)."""

TRIES = 6
FIRST_WAIT = 0.34
"""Seconds waited after the first "too many requests"; doubled after each one that follows
(VK allows 3 calls a second with a user's token, 20 with a community's)."""

RETRIED = {6: "too many requests per second", 9: "flood control", 10: "internal error"}
AUTHORIZATION_FAILED = 5
TOKEN_KIND_REFUSED = {27, 28}
"""VK's answers to a method the token's kind may not call (27: a community's token, 28: a
service token)."""
REFUSALS = {15: Problem.ACCESS_DENIED, 18: Problem.DELETED_OR_BANNED,
            30: Problem.PRIVATE_PROFILE}
"""VK's errors about one person, and the reason each is recorded under."""

NETWORK = "VK"
_POST = re.compile(r"(-?[1-9][0-9]{0,18})_([1-9][0-9]{0,18})")
_TAG = re.compile(r"\[id([1-9][0-9]{0,18})\|[^\]]*\]|(?<![\w/])[@*]id([1-9][0-9]{0,18})\b")
_ON_POST = {ConditionKind.REPOSTED: "reposts", ConditionKind.COMMENTED: "comments",
            ConditionKind.TAGGED: "comments", ConditionKind.LIKED: "likes"}


class _Refused(Exception):
    """VK answered a call with an error that is not waited through."""

    def __init__(self, code: int, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


@dataclass(frozen=True)
class _Post:
    owner_id: int
    post_id: int

    def __str__(self) -> str:
        return f"{self.owner_id}_{self.post_id}"


@dataclass(frozen=True)
class _Counts:
    """What VK counts for the post (``wall.getById``)."""

    reposts: int | None
    comments: int | None
    likes: int | None


@dataclass
class _Found:
    """What the lists say about people, by user id."""

    people: dict[int, Person] = field(default_factory=dict)
    names: dict[int, str] = field(default_factory=dict)
    deactivated: set[int] = field(default_factory=set)
    states: dict[int, AccountProfile] = field(default_factory=dict)
    """What VK said of each account (a deactivated one: that alone)."""
    described: set[int] = field(default_factory=set)
    """The users whose profile came in an answer that asked :data:`PROFILE_FIELDS`."""
    reposted: set[int] = field(default_factory=set)
    commented: set[int] = field(default_factory=set)
    liked: set[int] = field(default_factory=set)
    members: set[int] = field(default_factory=set)
    tags: dict[int, int] = field(default_factory=dict)
    """The most distinct other users one of the person's comments tags."""
    unknown: dict[int, dict[ConditionKind, Problem]] = field(default_factory=dict)
    """Checks VK would not answer, and why."""

    def profile(self, item: Mapping[str, Any], *, described: bool = False) -> None:
        """Keep a user's name and whether VK has deactivated them, and what the profile
        says of the account (the fields a call did not ask stay unknown; ``described``: it
        asked :data:`PROFILE_FIELDS`)."""
        user = _id(item.get("id"))
        if user <= 0:
            return
        if described:
            self.described.add(user)
        self.names[user] = " ".join(
            part for part in (str(item.get("first_name") or ""),
                              str(item.get("last_name") or "")) if part)
        deactivated = item.get("deactivated")
        if deactivated:
            self.deactivated.add(user)
            self.states[user] = AccountProfile(deactivated=str(deactivated)[:10])
            return
        closed, photo = item.get("is_closed"), item.get("has_photo")
        self.states[user] = AccountProfile(
            closed=closed if isinstance(closed, bool) else None,
            has_photo=bool(photo) if photo in (0, 1) and not isinstance(photo, bool) else None,
            followers=_count(item.get("followers_count")))

    def met(self, user: int, at: object = None) -> None:
        """``user`` did something on the post (at the Unix moment ``at``, where VK gives
        one): an entrant, if not one already, with the earliest moment met."""
        moment = (datetime.fromtimestamp(at, UTC)
                  if isinstance(at, int) and not isinstance(at, bool) and at > 0 else None)
        person = self.people.get(user)
        if person is None:
            self.people[user] = Person(_account(user), self.names.get(user, ""), at=moment)
        elif moment is not None and (person.at is None or moment < person.at):
            self.people[user] = replace(person, at=moment)

    def refuse(self, user: int, kinds: Iterable[ConditionKind], problem: Problem) -> None:
        self.unknown.setdefault(user, {}).update(dict.fromkeys(kinds, problem))


class VkReader:
    """A VK community post's entrants, and their conditions, through the VK API."""

    network: ClassVar[Network] = Network.VK

    def __init__(self, settings: NetworkSettings, *, sleep: Sleep) -> None:
        url = settings.vk_api_url
        self._base = url if url.endswith("/") else url + "/"
        self._token = settings.vk_token
        self._sleep = sleep

    # -- the protocol -----------------------------------------------------------------------
    def read(self, source: SocialSource) -> NetworkRead:
        post = _parse_post(source.post)
        counts = self._counts(post)
        found = _Found()
        lists = []
        for name in _lists(source.conditions):
            if name == "reposts":
                lists.append(self._read_reposts(post, counts.reposts, found))
            elif name == "comments":
                lists.append(self._read_comments(post, counts.comments, found))
            else:
                lists.append(self._read_likes(post, counts.likes, found))
        users = list(found.people)
        # What each account shows, for the participant graph: the comments' and likes'
        # pages told it; the rest (reposters) in one users.get per 1,000. VK tells nothing
        # more of a deactivated account.
        self._users([user for user in users if user not in found.deactivated
                     and user not in found.described], found, fields=PROFILE_FIELDS)
        if source.needs(ConditionKind.MEMBER):
            self._membership(_community(source, post), users, found)
        checks = {found.people[user].account: _checks(source.conditions, user, found)
                  for user in users}
        profiles = {found.people[user].account: found.states[user]
                    for user in users if user in found.states}
        return NetworkRead(tuple(lists), tuple(found.people.values()), checks,
                           _problems(checks.values()), profiles)

    def check(self, source: SocialSource,
              accounts: Sequence[str]) -> Mapping[str, tuple[Check, ...]]:
        post = _parse_post(source.post) if source.post else None
        found = _Found()
        users: list[int] = []
        for account in accounts:
            user = _user_of(account)
            if user is not None and user not in users:
                users.append(user)
        known = self._users(users, found)
        for user in users:
            if user not in known:
                found.refuse(user, ConditionKind, Problem.NOT_FOUND)
        live = [user for user in users if user in known and user not in found.deactivated]
        kinds = {condition.kind for condition in source.conditions}
        if ConditionKind.MEMBER in kinds:
            self._membership(_community(source, post), live, found)
        if post and kinds & {ConditionKind.LIKED, ConditionKind.REPOSTED}:
            self._liked_now(post, live, kinds, found)
        if post and kinds & {ConditionKind.COMMENTED, ConditionKind.TAGGED}:
            self._read_comments(post, None, found)
        checks: dict[str, tuple[Check, ...]] = {}
        for account in accounts:
            user = _user_of(account)
            if user is None:
                checks[account] = tuple(
                    Check(condition.kind, Result.UNKNOWN, Problem.NOT_FOUND.value)
                    for condition in source.conditions)
            else:
                checks[account] = _checks(source.conditions, user, found)
        return checks

    # -- calling VK -------------------------------------------------------------------------
    def _call(self, method: str, params: Mapping[str, str | int]) -> Any:
        """VK's ``response`` to one call, waiting through "too many requests"; raises
        :class:`_Refused` for VK's other errors."""
        form = {**params, "access_token": self._token, "v": API_VERSION}
        wait = FIRST_WAIT
        for attempt in range(1, TRIES + 1):
            answer = call(self._base + method, form, network=NETWORK, method="POST")
            body = answer.body
            if isinstance(body, dict) and "response" in body:
                return body["response"]
            error = body.get("error") if isinstance(body, dict) else None
            if not isinstance(error, dict) or not isinstance(error.get("error_code"), int):
                raise NetworkUnavailable(N_(
                    "VK answered {method} with HTTP {status} and neither a response nor an "
                    "error"), {"method": method, "status": answer.status})
            code: int = error["error_code"]
            message = self._hidden(str(error.get("error_msg") or ""))
            if code in RETRIED and attempt < TRIES:
                self._sleep(wait)
                wait *= 2
                continue
            if code in RETRIED:
                raise NetworkUnavailable(N_(
                    "VK still answered {method} with error {code} ({message}) after {tries} "
                    "tries; try again later"),
                    {"method": method, "code": code, "message": message, "tries": TRIES})
            if code == AUTHORIZATION_FAILED:
                raise NetworkUnavailable(N_(
                    "VK refused the token (error 5: {message}): set CONTEST_VK_TOKEN to a "
                    "valid community or service token"), {"message": message})
            raise _Refused(code, message)
        raise AssertionError("unreachable")  # pragma: no cover

    def _hidden(self, text: str) -> str:
        """``text`` without the token, should VK ever repeat it."""
        return text.replace(self._token, "***") if self._token else text

    def _list_call(self, method: str, params: Mapping[str, str | int], post: _Post) -> Any:
        """A call reading the post's own lists: any error VK gives stops the read."""
        try:
            return self._call(method, params)
        except _Refused as refused:
            if refused.code in TOKEN_KIND_REFUSED:
                raise NetworkUnavailable(N_(
                    "VK does not let {method} be called with this kind of token (error {code}: "
                    "{message}): set CONTEST_VK_TOKEN to the service token of a VK app"),
                    {"method": method, "code": refused.code,
                     "message": refused.message}) from None
            raise NetworkUnavailable(N_(
                "VK would not answer {method} for the post {post}: error {code} ({message})"),
                {"method": method, "post": str(post), "code": refused.code,
                 "message": refused.message}) from None

    # -- the post's lists -------------------------------------------------------------------
    def _counts(self, post: _Post) -> _Counts:
        answer = self._list_call("wall.getById", {"posts": str(post)}, post)
        items = answer.get("items") if isinstance(answer, dict) else answer
        found = next((item for item in items or () if isinstance(item, dict)
                      and item.get("owner_id") == post.owner_id
                      and item.get("id") == post.post_id), None)
        if found is None:
            raise NetworkUnavailable(N_(
                "VK has no post {post} that this token can see"), {"post": str(post)})
        reposts = found.get("reposts") or {}
        return _Counts(
            reposts=_count(reposts.get("wall_count", reposts.get("count"))),
            comments=_count((found.get("comments") or {}).get("count")),
            likes=_count((found.get("likes") or {}).get("count")))

    def _read_reposts(self, post: _Post, reported: int | None, found: _Found) -> ListRead:
        read: set[tuple[int, int]] = set()
        offset = 0
        while True:
            page = self._list_call("wall.getReposts", {
                "owner_id": post.owner_id, "post_id": post.post_id, "offset": offset,
                "count": REPOSTS_PAGE}, post)
            for profile in page.get("profiles") or ():
                found.profile(profile)
            items = page.get("items") or ()
            for item in items:
                read.add((_id(item.get("owner_id")), _id(item.get("id"))))
                user = _id(item.get("from_id"))
                if user > 0:
                    found.reposted.add(user)
                    found.met(user, item.get("date"))
            offset += REPOSTS_PAGE
            # A repost VK does not show leaves a gap in a page, so a short page is the end
            # only once the offsets VK counts are all asked.
            if offset >= (reported or 0) and len(items) < REPOSTS_PAGE:
                break
        return ListRead("reposts", reported, len(read))

    def _read_comments(self, post: _Post, reported: int | None, found: _Found) -> ListRead:
        read: set[int] = set()
        params: dict[str, str | int] = {
            "owner_id": post.owner_id, "post_id": post.post_id, "count": COMMENTS_PAGE,
            "sort": "asc", "extended": 1, "fields": PROFILE_FIELDS, "preview_length": 0,
            "thread_items_count": THREAD_ITEMS}
        for item in self._comment_pages(post, params, found):
            self._comment(item, found, read)
            thread = item.get("thread") or {}
            replies = thread.get("items") or ()
            if (_count(thread.get("count")) or 0) > len(replies):
                replies = self._comment_pages(post, {
                    "owner_id": post.owner_id, "post_id": post.post_id,
                    "comment_id": _id(item.get("id")), "count": COMMENTS_PAGE, "sort": "asc",
                    "extended": 1, "fields": PROFILE_FIELDS, "preview_length": 0}, found)
            for reply in replies:
                self._comment(reply, found, read)
        return ListRead("comments", reported, len(read))

    def _comment_pages(self, post: _Post, params: Mapping[str, str | int],
                       found: _Found) -> Iterator[Mapping[str, Any]]:
        """Every comment of one level (the post's, or one comment's thread), page by page."""
        offset = 0
        level: int | None = None
        while level is None or offset < level:
            page = self._list_call("wall.getComments", {**params, "offset": offset}, post)
            level = _count(page.get("current_level_count", page.get("count"))) or 0
            for profile in page.get("profiles") or ():
                found.profile(profile, described=True)
            yield from page.get("items") or ()
            offset += COMMENTS_PAGE

    @staticmethod
    def _comment(item: Mapping[str, Any], found: _Found, read: set[int]) -> None:
        if item.get("deleted"):
            return
        read.add(_id(item.get("id")))
        user = _id(item.get("from_id"))
        if user <= 0:
            return
        found.commented.add(user)
        found.met(user, item.get("date"))
        tagged = {int(first or second) for first, second in
                  _TAG.findall(str(item.get("text") or ""))} - {user}
        if len(tagged) > found.tags.get(user, 0):
            found.tags[user] = len(tagged)

    def _read_likes(self, post: _Post, reported: int | None, found: _Found) -> ListRead:
        read: set[tuple[str, int]] = set()
        offset = 0
        total: int | None = None
        while total is None or offset < total:
            page = self._list_call("likes.getList", {
                "type": "post", "owner_id": post.owner_id, "item_id": post.post_id,
                "filter": "likes", "extended": 1, "fields": PROFILE_FIELDS, "offset": offset,
                "count": LIKES_PAGE}, post)
            total = _count(page.get("count")) or 0
            for item in page.get("items") or ():
                kind = str(item.get("type") or "profile")
                read.add((kind, _id(item.get("id"))))
                if kind != "profile":
                    continue
                found.profile(item, described=True)
                user = _id(item.get("id"))
                found.liked.add(user)
                found.met(user)
            offset += LIKES_PAGE
        return ListRead("likes", reported, len(read))

    # -- about people -----------------------------------------------------------------------
    def _membership(self, community: str, users: Sequence[int], found: _Found) -> None:
        """Who of ``users`` is a member of ``community`` (``groups.isMember``)."""
        live = [user for user in users if user not in found.deactivated]
        for start in range(0, len(live), MEMBERS_BATCH):
            batch = live[start:start + MEMBERS_BATCH]
            try:
                answer = self._call("groups.isMember", {
                    "group_id": community, "user_ids": ",".join(map(str, batch)),
                    "extended": 1})
            except _Refused as refused:
                if refused.code == 15:
                    # Access to the community's members, not to one person, was denied.
                    for user in batch:
                        found.refuse(user, [ConditionKind.MEMBER], Problem.ACCESS_DENIED)
                    continue
                if refused.code not in REFUSALS:
                    raise _unavailable("groups.isMember", refused) from None
                for user in batch:
                    self._member(community, user, found)
                continue
            answered: dict[int, Mapping[str, Any]] = {
                _id(status.get("user_id")): status for status in answer
                if isinstance(status, dict)}
            for user in batch:
                status = answered.get(user)
                if status is None:
                    found.refuse(user, [ConditionKind.MEMBER], Problem.NOT_FOUND)
                elif status.get("member") in (1, True):
                    found.members.add(user)

    def _member(self, community: str, user: int, found: _Found) -> None:
        """One person's membership, when the batch they were in was refused."""
        try:
            answer = self._call("groups.isMember", {
                "group_id": community, "user_id": user, "extended": 1})
        except _Refused as refused:
            problem = REFUSALS.get(refused.code)
            if problem is None:
                raise _unavailable("groups.isMember", refused) from None
            found.refuse(user, [ConditionKind.MEMBER], problem)
            return
        member = answer.get("member") if isinstance(answer, dict) else answer
        if member in (1, True):
            found.members.add(user)

    def _liked_now(self, post: _Post, users: Sequence[int], kinds: set[ConditionKind],
                   found: _Found) -> None:
        """Who of ``users`` likes and has reposted the post now: ``likes.isLiked`` for each;
        with a token that may not call it (a user's token only: VK answers 27 to a
        community's, 28 to a service token) the post's likes and reposts are read again."""
        for user in users:
            try:
                answer = self._call("likes.isLiked", {
                    "user_id": user, "type": "post", "owner_id": post.owner_id,
                    "item_id": post.post_id})
            except _Refused as refused:
                if refused.code in TOKEN_KIND_REFUSED:
                    # VK's counts first: a repost VK does not list shortens a page, and
                    # without the count the read would stop at the first short one.
                    counts = self._counts(post)
                    if ConditionKind.LIKED in kinds:
                        self._read_likes(post, counts.likes, found)
                    if ConditionKind.REPOSTED in kinds:
                        self._read_reposts(post, counts.reposts, found)
                    return
                problem = REFUSALS.get(refused.code)
                if problem is None:
                    raise _unavailable("likes.isLiked", refused) from None
                found.refuse(user, [ConditionKind.LIKED, ConditionKind.REPOSTED], problem)
                continue
            if answer.get("liked") in (1, True):
                found.liked.add(user)
            if answer.get("copied") in (1, True):
                found.reposted.add(user)

    def _users(self, users: Sequence[int], found: _Found, *, fields: str = "") -> set[int]:
        """The users VK knows of ``users`` (``users.get``, with the optional ``fields``),
        their names and deactivation."""
        known: set[int] = set()
        for start in range(0, len(users), USERS_BATCH):
            batch = users[start:start + USERS_BATCH]
            params = {"user_ids": ",".join(map(str, batch))}
            if fields:
                params["fields"] = fields
            try:
                answer = self._call("users.get", params)
            except _Refused as refused:
                raise _unavailable("users.get", refused) from None
            for profile in answer:
                found.profile(profile, described=bool(fields))
                known.add(_id(profile.get("id")))
        return known


def _checks(conditions: Sequence[Condition], user: int, found: _Found) -> tuple[Check, ...]:
    """Each condition for ``user``, in the rules' order."""
    unknown = found.unknown.get(user, {})
    checks = []
    for condition in conditions:
        kind = condition.kind
        if kind in unknown:
            checks.append(Check(kind, Result.UNKNOWN, unknown[kind].value))
            continue
        if kind == ConditionKind.MEMBER:
            met = user in found.members
        elif kind == ConditionKind.REPOSTED:
            met = user in found.reposted
        elif kind == ConditionKind.COMMENTED:
            met = user in found.commented
        elif kind == ConditionKind.LIKED:
            met = user in found.liked
        else:
            met = user in found.tags and found.tags[user] >= (condition.at_least or 1)
        if met:
            checks.append(Check(kind, Result.MET))
        elif user in found.deactivated:
            # VK shows nothing of a deleted or banned account: not doing it is not known.
            checks.append(Check(kind, Result.UNKNOWN, Problem.DELETED_OR_BANNED.value))
        else:
            checks.append(Check(kind, Result.UNMET))
    return tuple(checks)


def _problems(checks: Iterable[tuple[Check, ...]]) -> dict[str, int]:
    """How many people each reason kept from a check."""
    problems: dict[str, int] = {}
    for person in checks:
        for reason in {check.reason for check in person if check.result == Result.UNKNOWN}:
            problems[reason] = problems.get(reason, 0) + 1
    return problems


def _lists(conditions: Sequence[Condition]) -> list[str]:
    """The post's lists the conditions need, in the rules' order."""
    names: list[str] = []
    for condition in conditions:
        name = _ON_POST.get(condition.kind)
        if name and name not in names:
            names.append(name)
    return names


def _parse_post(written: str) -> _Post:
    found = _POST.search(written)
    if found is None:
        raise NetworkUnavailable(N_("{post} is not a VK post (expected -123456_789)"),
                                 {"post": written})
    return _Post(int(found.group(1)), int(found.group(2)))


def _community(source: SocialSource, post: _Post | None) -> str:
    """The community to be a member of: the rules', else the one whose wall has the post."""
    if source.community:
        return source.community.removeprefix("-")
    if post and post.owner_id < 0:
        return str(-post.owner_id)
    raise NetworkUnavailable(N_("the rules name no VK community to be a member of"))


def _unavailable(method: str, refused: _Refused) -> NetworkUnavailable:
    return NetworkUnavailable(N_("VK would not answer {method}: error {code} ({message})"),
                              {"method": method, "code": refused.code,
                               "message": refused.message})


def _account(user: int) -> str:
    return f"{ACCOUNT_PREFIX[Network.VK]}:{user}"


def _user_of(account: str) -> int | None:
    prefix, _, number = account.partition(":")
    if prefix != ACCOUNT_PREFIX[Network.VK] or not number.isdigit() or int(number) <= 0:
        return None
    return int(number)


def _id(value: object) -> int:
    return value if isinstance(value, int) and not isinstance(value, bool) else 0


def _count(value: object) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None
