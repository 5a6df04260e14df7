"""The VK reader against a local server speaking the VK API as documented (tests/sources/vk_api.py):
paging, counts, threads, tags, membership, VK's errors, and the check again at the draw."""

from collections.abc import Iterator

import pytest

from contest.config import NetworkSettings
from contest.errors import NetworkUnavailable
from contest.rules.document import Condition, ConditionKind, Network, SocialSource
from contest.sources import AccountProfile, Check, ListRead, Problem, Result
from contest.sources.http import call
from contest.sources.vk import API_VERSION, FIRST_WAIT, TRIES, VkReader
from tests.sources.vk_api import TOKEN, VkApiServer, VkPost, VkState

COMMUNITY = 1000
POST = f"-{COMMUNITY}_7"

MEMBER = Condition(ConditionKind.MEMBER)
REPOSTED = Condition(ConditionKind.REPOSTED)
COMMENTED = Condition(ConditionKind.COMMENTED)
LIKED = Condition(ConditionKind.LIKED)


def source(*conditions: Condition) -> SocialSource:
    return SocialSource(Network.VK, POST, str(COMMUNITY), conditions)


@pytest.fixture
def server() -> Iterator[VkApiServer]:
    with VkApiServer.start() as running:
        yield running


@pytest.fixture
def state(server: VkApiServer) -> VkState:
    return server.state


@pytest.fixture
def post(state: VkState) -> VkPost:
    return state.add_post(-COMMUNITY, 7)


@pytest.fixture
def waits() -> list[float]:
    return []


@pytest.fixture
def reader(server: VkApiServer, waits: list[float]) -> VkReader:
    return VkReader(NetworkSettings(vk_api_url=server.url, vk_token=TOKEN), sleep=waits.append)


def by_kind(checks: tuple[Check, ...]) -> dict[ConditionKind, tuple[Result, str]]:
    return {check.condition: (check.result, check.reason) for check in checks}


# -- paging and counts ----------------------------------------------------------------------

def test_reposts_are_read_page_by_page_with_exact_counts(
        reader: VkReader, state: VkState, post: VkPost) -> None:
    state.add_users(range(1, 2501))
    for user in range(1, 2501):
        post.add_repost(user)

    read = reader.read(source(REPOSTED))

    assert read.lists == (ListRead("reposts", 2500, 2500),)
    assert read.complete
    assert [person.account for person in read.people] == [f"vk:{n}" for n in range(1, 2501)]
    assert read.people[0].name == "User1 Test"
    assert [(call.params["offset"], call.params["count"])
            for call in state.called("wall.getReposts")] == [
        ("0", "1000"), ("1000", "1000"), ("2000", "1000")]
    assert all(checks == (Check(ConditionKind.REPOSTED, Result.MET),)
               for checks in read.checks.values())


def test_reposts_vk_does_not_list_make_the_read_short_and_say_so(
        reader: VkReader, state: VkState, post: VkPost) -> None:
    """Reposts to walls the token cannot see are counted by VK and never listed: the first
    page may even come back empty, and the read goes on to the offsets VK counts."""
    state.add_users(range(1, 1201))
    for user in range(1, 1201):
        post.add_repost(user, hidden=user <= 1000)
    post.mail_reposts = 40  # in reposts.count, but no method lists them: not expected

    read = reader.read(source(REPOSTED))

    assert read.lists == (ListRead("reposts", 1200, 200),)
    assert not read.complete
    assert len(read.people) == 200
    assert read.people[0].account == "vk:1001"


def test_comments_are_read_with_their_threads_and_counted_as_vk_counts_them(
        reader: VkReader, state: VkState, post: VkPost) -> None:
    state.add_users(range(1, 400))
    tops = [post.add_comment(user, f"comment {user}") for user in range(1, 251)]
    for user in range(251, 254):
        post.add_comment(user, "a short thread", reply_to=tops[0])
    for n in range(150):  # a long thread: more than thread_items_count shows
        post.add_comment(300 + n % 99, "in a long thread", reply_to=tops[5])
    post.add_comment(-COMMUNITY, "Thank you all!", reply_to=tops[5])
    post.add_comment(-COMMUNITY, "Results on Friday")
    total = 250 + 3 + 150 + 2

    read = reader.read(source(COMMENTED))

    assert read.lists == (ListRead("comments", total, total),)
    assert len(read.people) == 250 + 3 + 99
    assert "vk:-1000" not in read.checks and f"vk:{COMMUNITY}" not in read.checks
    threads = [call.params for call in state.called("wall.getComments")
               if "comment_id" in call.params]
    assert [(params["comment_id"], params["offset"]) for params in threads] == [
        (str(tops[5]), "0"), (str(tops[5]), "100")]
    top_level = [call.params["offset"] for call in state.called("wall.getComments")
                 if "comment_id" not in call.params]
    assert top_level == ["0", "100", "200"]


def test_likes_are_read_page_by_page_and_communities_are_not_entrants(
        reader: VkReader, state: VkState, post: VkPost) -> None:
    state.add_users(range(1, 2101))
    for user in range(1, 2101):
        post.add_like(user)
    post.add_like(-555_555)  # a community liked it

    read = reader.read(source(LIKED))

    assert read.lists == (ListRead("likes", 2101, 2101),)
    assert len(read.people) == 2100
    assert "vk:555555" not in read.checks
    calls = state.called("likes.getList")
    assert [call.params["offset"] for call in calls] == ["0", "1000", "2000"]
    assert all(call.params["type"] == "post" and call.params["extended"] == "1"
               and call.params["count"] == "1000" for call in calls)


def test_entrants_are_everyone_who_did_an_activity_in_the_order_first_met(
        reader: VkReader, state: VkState, post: VkPost) -> None:
    state.add_user(1, "Anna", "Petrova")
    state.add_user(2, "Boris", "Ivanov")
    state.add_user(3, "Vera", "Orlova")
    post.add_repost(2)
    post.add_comment(3, "me!")
    post.add_comment(2, "me too")
    post.add_like(1)

    read = reader.read(source(REPOSTED, COMMENTED, LIKED))

    assert [(p.account, p.name) for p in read.people] == [
        ("vk:2", "Boris Ivanov"), ("vk:3", "Vera Orlova"), ("vk:1", "Anna Petrova")]
    assert [item.name for item in read.lists] == ["reposts", "comments", "likes"]
    assert by_kind(read.checks["vk:3"]) == {
        ConditionKind.REPOSTED: (Result.UNMET, ""), ConditionKind.COMMENTED: (Result.MET, ""),
        ConditionKind.LIKED: (Result.UNMET, "")}
    assert [c.condition for c in read.checks["vk:2"]] == [
        ConditionKind.REPOSTED, ConditionKind.COMMENTED, ConditionKind.LIKED]


# -- tags ------------------------------------------------------------------------------------

def test_tagged_counts_the_most_distinct_others_one_comment_tags(
        reader: VkReader, state: VkState, post: VkPost) -> None:
    for user in range(1, 10):
        state.add_user(user)
    padding = "I want to win this prize so much, it would make my whole year better! " * 2
    post.add_comment(1, f"{padding}[id2|Boris] [id3|Vera] [id2|Boris] [id1|me]")
    post.add_comment(2, "[id4|Gleb]")
    post.add_comment(2, "[id5|Dina]")  # two comments of one tag each: one, not two
    post.add_comment(3, "@id6 and *id7, come!")
    post.add_comment(4, "[club1000|The brand] [id5|Dina] [id4|myself]")

    read = reader.read(source(Condition(ConditionKind.TAGGED, at_least=2)))

    results = {account: checks[0].result for account, checks in read.checks.items()}
    assert results == {"vk:1": Result.MET, "vk:2": Result.UNMET, "vk:3": Result.MET,
                       "vk:4": Result.UNMET}
    assert all(call.params["preview_length"] == "0" for call in state.called("wall.getComments"))


# -- membership ------------------------------------------------------------------------------

def test_membership_is_asked_500_at_a_time(
        reader: VkReader, state: VkState, post: VkPost) -> None:
    users = range(1, 1235)
    state.add_users(users)
    for user in users:
        post.add_comment(user, "+")
    state.add_members(COMMUNITY, [user for user in users if user % 2 == 0])
    state.add_request(COMMUNITY, 1)  # asked to join: not a member yet

    read = reader.read(source(COMMENTED, MEMBER))

    calls = state.called("groups.isMember")
    assert [len(call.params["user_ids"].split(",")) for call in calls] == [500, 500, 234]
    assert all(call.params["group_id"] == str(COMMUNITY) for call in calls)
    assert by_kind(read.checks["vk:2"])[ConditionKind.MEMBER] == (Result.MET, "")
    assert by_kind(read.checks["vk:1"])[ConditionKind.MEMBER] == (Result.UNMET, "")
    assert by_kind(read.checks["vk:1233"])[ConditionKind.MEMBER] == (Result.UNMET, "")
    assert read.problems == {}


# -- people VK will not tell about -----------------------------------------------------------

def test_deleted_banned_and_private_people_are_unknown_with_the_reason(
        reader: VkReader, state: VkState, post: VkPost) -> None:
    state.add_user(1, "Anna", "Petrova")
    state.add_user(2, "DELETED", "", deactivated="deleted")
    state.add_user(3, "Boris", "Ivanov", deactivated="banned")
    state.add_user(4, "Vera", "Orlova", is_closed=True)
    state.add_members(COMMUNITY, [1, 4])
    for user in (1, 2, 3, 4):
        post.add_comment(user, "+")
    post.add_like(3)
    state.refuse_user(4, 30, methods=["groups.isMember"])

    read = reader.read(source(COMMENTED, LIKED, MEMBER))

    assert by_kind(read.checks["vk:1"]) == {
        ConditionKind.COMMENTED: (Result.MET, ""), ConditionKind.LIKED: (Result.UNMET, ""),
        ConditionKind.MEMBER: (Result.MET, "")}
    assert by_kind(read.checks["vk:2"]) == {
        ConditionKind.COMMENTED: (Result.MET, ""),
        ConditionKind.LIKED: (Result.UNKNOWN, Problem.DELETED_OR_BANNED),
        ConditionKind.MEMBER: (Result.UNKNOWN, Problem.DELETED_OR_BANNED)}
    assert by_kind(read.checks["vk:3"])[ConditionKind.LIKED] == (Result.MET, "")
    assert by_kind(read.checks["vk:3"])[ConditionKind.MEMBER] == (
        Result.UNKNOWN, Problem.DELETED_OR_BANNED)
    assert by_kind(read.checks["vk:4"])[ConditionKind.MEMBER] == (
        Result.UNKNOWN, Problem.PRIVATE_PROFILE)
    assert read.problems == {Problem.DELETED_OR_BANNED: 2, Problem.PRIVATE_PROFILE: 1}
    # The refused batch was asked again one person at a time; the deactivated never.
    asked = [call.params.get("user_ids") or call.params["user_id"]
             for call in state.called("groups.isMember")]
    assert asked == ["1,4", "1", "4"]


def test_access_denied_to_the_community_members_is_unknown_for_the_batch(
        reader: VkReader, state: VkState, post: VkPost) -> None:
    for user in (1, 2):
        state.add_user(user)
        post.add_comment(user, "+")
    state.refuse_user(1, 15, methods=["groups.isMember"])

    read = reader.read(source(COMMENTED, MEMBER))

    assert {account: by_kind(checks)[ConditionKind.MEMBER]
            for account, checks in read.checks.items()} == {
        "vk:1": (Result.UNKNOWN, Problem.ACCESS_DENIED),
        "vk:2": (Result.UNKNOWN, Problem.ACCESS_DENIED)}
    assert read.problems == {Problem.ACCESS_DENIED: 2}


# -- VK's errors -----------------------------------------------------------------------------

def test_too_many_requests_is_waited_through_and_tried_again(
        reader: VkReader, state: VkState, post: VkPost, waits: list[float]) -> None:
    state.add_users(range(1, 3001))
    for user in range(1, 3001):
        post.add_repost(user)
        post.add_comment(user, "+")
    state.fail_every(3, 6)

    read = reader.read(source(REPOSTED, COMMENTED))

    assert read.lists == (ListRead("reposts", 3000, 3000), ListRead("comments", 3000, 3000))
    assert len(read.people) == 3000
    refused = sum(1 for call in state.calls) // 3
    assert len(waits) == refused > 10
    assert set(waits) == {FIRST_WAIT}


def test_flood_control_and_internal_errors_wait_longer_each_time(
        reader: VkReader, state: VkState, post: VkPost, waits: list[float]) -> None:
    state.add_user(1)
    post.add_like(1)
    state.fail_next(1, 9)
    state.fail_next(1, 10)
    state.fail_next(1, 6)

    read = reader.read(source(LIKED))

    assert read.lists == (ListRead("likes", 1, 1),)
    assert waits == pytest.approx([FIRST_WAIT, FIRST_WAIT * 2, FIRST_WAIT * 4])
    assert len(state.called("wall.getById")) == 4


def test_a_rate_limit_that_does_not_end_stops_the_read_after_bounded_tries(
        reader: VkReader, state: VkState, post: VkPost, waits: list[float]) -> None:
    state.fail_next(1000, 6)

    with pytest.raises(NetworkUnavailable, match=f"error 6 .* after {TRIES} tries"):
        reader.read(source(REPOSTED))

    assert len(state.calls) == TRIES
    assert len(waits) == TRIES - 1


def test_a_refused_token_is_said_without_showing_it(
        server: VkApiServer, post: VkPost, waits: list[float]) -> None:
    secret = "vk1.a.secret-token-never-shown"
    reader = VkReader(NetworkSettings(vk_api_url=server.url, vk_token=secret),
                      sleep=waits.append)

    with pytest.raises(NetworkUnavailable, match="refused the token") as raised:
        reader.read(source(REPOSTED))

    assert secret not in str(raised.value)
    assert secret not in repr(raised.value.params)
    assert waits == []
    assert len(server.state.calls) == 1


def test_closed_comments_stop_the_read_with_vks_message(
        reader: VkReader, post: VkPost) -> None:
    post.comments_closed = True

    with pytest.raises(NetworkUnavailable, match="error 212 .Access to post comments denied"):
        reader.read(source(COMMENTED))


def test_a_post_vk_does_not_show_stops_the_read(reader: VkReader, state: VkState) -> None:
    with pytest.raises(NetworkUnavailable, match="no post -1000_7"):
        reader.read(source(REPOSTED))


# -- what each account shows ----------------------------------------------------------------

def test_each_accounts_state_is_read_1000_at_a_time_as_vk_tells_it(
        reader: VkReader, state: VkState, post: VkPost) -> None:
    state.add_user(1, "Anna", "Petrova", followers=240)
    state.add_user(2, "Boris", "Ivanov", has_photo=False, followers=0, is_closed=True)
    state.add_user(3, "DELETED", "", deactivated="deleted")
    state.add_user(4, "Vera", "Orlova", deactivated="banned")
    state.add_users(range(10, 2010))
    for user in (1, 2, 3, 4, *range(10, 2010)):
        post.add_repost(user)

    read = reader.read(source(REPOSTED))

    assert read.profiles["vk:1"] == AccountProfile(closed=False, has_photo=True, followers=240)
    assert read.profiles["vk:2"] == AccountProfile(closed=True, has_photo=False, followers=0)
    # VK tells nothing more of a deactivated account: it is not asked about again.
    assert read.profiles["vk:3"] == AccountProfile(deactivated="deleted")
    assert read.profiles["vk:4"] == AccountProfile(deactivated="banned")
    assert len(read.profiles) == 2004
    asked = [call.params["user_ids"].split(",") for call in state.called("users.get")]
    assert [len(batch) for batch in asked] == [1000, 1000, 2]
    assert "3" not in asked[0] and "4" not in asked[0]
    assert all(call.params["fields"] == "has_photo,followers_count"
               for call in state.called("users.get"))


def test_commenters_and_likers_states_come_with_their_pages_and_cost_no_call(
        reader: VkReader, state: VkState, post: VkPost) -> None:
    state.add_user(1, "Anna", "Petrova", has_photo=False, followers=1)
    state.add_user(2, "Boris", "Ivanov", followers=3000)
    state.add_user(3, "Vera", "Orlova", has_photo=False, followers=0, is_closed=True)
    post.add_comment(1, "+")
    post.add_like(2)
    post.add_repost(3)

    read = reader.read(source(COMMENTED, LIKED, REPOSTED))

    assert read.profiles == {
        "vk:1": AccountProfile(closed=False, has_photo=False, followers=1),
        "vk:2": AccountProfile(closed=False, has_photo=True, followers=3000),
        "vk:3": AccountProfile(closed=True, has_photo=False, followers=0)}
    [asked] = state.called("users.get")       # only the reposter's
    assert asked.params["user_ids"] == "3"


# -- the requests ----------------------------------------------------------------------------

def test_every_request_is_a_documented_post_with_the_version_and_the_token(
        server: VkApiServer, state: VkState, post: VkPost, waits: list[float]) -> None:
    state.add_user(1)
    post.add_repost(1)
    post.add_comment(1, "+")
    post.add_like(1)
    state.add_members(COMMUNITY, [1])
    url = server.url.removesuffix("/")  # accepted without the slash too
    reader = VkReader(NetworkSettings(vk_api_url=url, vk_token=TOKEN), sleep=waits.append)

    reader.read(source(MEMBER, REPOSTED, COMMENTED, LIKED))

    # The reposter's profile came with the comments' page: no users.get.
    assert [call.method for call in state.calls] == [
        "wall.getById", "wall.getReposts", "wall.getComments", "likes.getList",
        "groups.isMember"]
    assert all(call.http_method == "POST" and call.params["v"] == API_VERSION == "5.199"
               and call.params["access_token"] == TOKEN for call in state.calls)
    by_method = {call.method: call.params for call in state.calls}
    assert by_method["wall.getById"]["posts"] == POST
    assert {key: by_method["wall.getReposts"][key] for key in ("owner_id", "post_id")} == {
        "owner_id": "-1000", "post_id": "7"}
    comments = by_method["wall.getComments"]
    assert (comments["extended"], comments["count"], comments["thread_items_count"]) == (
        "1", "100", "10")
    assert by_method["groups.isMember"]["extended"] == "1"
    assert by_method["wall.getComments"]["fields"] == "has_photo,followers_count"
    assert by_method["likes.getList"]["fields"] == "has_photo,followers_count"


# -- at the draw -----------------------------------------------------------------------------

def test_the_draw_checks_the_conditions_again_now(
        reader: VkReader, state: VkState, post: VkPost) -> None:
    for user in range(1, 6):
        state.add_user(user)
        post.add_comment(user, "[id9|Friend] [id8|Friend]")
        post.add_like(user)
        post.add_repost(user)
    state.add_members(COMMUNITY, range(1, 6))
    rules = source(MEMBER, REPOSTED, LIKED, Condition(ConditionKind.TAGGED, at_least=2))
    assert all(check.result == Result.MET
               for checks in reader.read(rules).checks.values() for check in checks)
    # Since the read: 1 left the community and took the like back, 2 was deleted,
    # 3 closed the profile, 4 is as they were.
    state.members[COMMUNITY].discard(1)
    post.likes.remove(1)
    state.users[2].deactivated = "deleted"
    state.refuse_user(3, 30, methods=["likes.isLiked"])
    state.calls.clear()

    checks = reader.check(rules, ["vk:1", "vk:2", "vk:3", "vk:4", "tg:77"])

    assert by_kind(checks["vk:1"]) == {
        ConditionKind.MEMBER: (Result.UNMET, ""), ConditionKind.REPOSTED: (Result.MET, ""),
        ConditionKind.LIKED: (Result.UNMET, ""), ConditionKind.TAGGED: (Result.MET, "")}
    assert by_kind(checks["vk:2"]) == {
        ConditionKind.MEMBER: (Result.UNKNOWN, Problem.DELETED_OR_BANNED),
        ConditionKind.REPOSTED: (Result.UNKNOWN, Problem.DELETED_OR_BANNED),
        ConditionKind.LIKED: (Result.UNKNOWN, Problem.DELETED_OR_BANNED),
        ConditionKind.TAGGED: (Result.MET, "")}
    assert by_kind(checks["vk:3"]) == {
        ConditionKind.MEMBER: (Result.MET, ""),
        ConditionKind.REPOSTED: (Result.UNKNOWN, Problem.PRIVATE_PROFILE),
        ConditionKind.LIKED: (Result.UNKNOWN, Problem.PRIVATE_PROFILE),
        ConditionKind.TAGGED: (Result.MET, "")}
    assert all(check.result == Result.MET for check in checks["vk:4"])
    assert all(check == Check(check.condition, Result.UNKNOWN, Problem.NOT_FOUND)
               for check in checks["tg:77"])
    assert [call.method for call in state.calls] == [
        "users.get", "groups.isMember", "likes.isLiked", "likes.isLiked", "likes.isLiked",
        "wall.getComments"]
    assert [call.params["user_id"] for call in state.called("likes.isLiked")] == [
        "1", "3", "4"]
    assert state.called("users.get")[0].params["user_ids"] == "1,2,3,4"


def test_an_account_vk_does_not_know_is_not_found_at_the_draw(
        reader: VkReader, state: VkState, post: VkPost) -> None:
    checks = reader.check(source(MEMBER, LIKED), ["vk:424242"])

    assert checks == {"vk:424242": (
        Check(ConditionKind.MEMBER, Result.UNKNOWN, Problem.NOT_FOUND),
        Check(ConditionKind.LIKED, Result.UNKNOWN, Problem.NOT_FOUND))}


def test_with_a_service_token_the_draw_reads_the_likes_and_reposts_again(
        waits: list[float]) -> None:
    """``likes.isLiked`` takes a user's token only; VK answers a service token with 28."""
    with VkApiServer.start(token_kind="service") as server:
        state = server.state
        post = state.add_post(-COMMUNITY, 7)
        for user in (1, 2, 3):
            state.add_user(user)
        post.add_like(1)
        post.add_repost(1)
        post.add_repost(2)
        reader = VkReader(NetworkSettings(vk_api_url=server.url, vk_token=TOKEN),
                          sleep=waits.append)

        checks = reader.check(source(LIKED, REPOSTED), ["vk:1", "vk:2", "vk:3"])

    assert {account: [check.result for check in found] for account, found in checks.items()} == {
        "vk:1": [Result.MET, Result.MET], "vk:2": [Result.UNMET, Result.MET],
        "vk:3": [Result.UNMET, Result.UNMET]}
    assert [call.method for call in state.calls] == [
        "users.get", "likes.isLiked", "wall.getById", "likes.getList", "wall.getReposts"]


def test_a_community_token_cannot_read_the_post(waits: list[float]) -> None:
    with VkApiServer.start(token_kind="group") as server:
        server.state.add_post(-COMMUNITY, 7)
        reader = VkReader(NetworkSettings(vk_api_url=server.url, vk_token=TOKEN),
                          sleep=waits.append)

        with pytest.raises(NetworkUnavailable, match="wall.getById .* this kind of token .error "
                                                     "27.*service token of a VK app"):
            reader.read(source(COMMENTED))


@pytest.mark.parametrize(("code", "problem"), [
    (15, Problem.ACCESS_DENIED), (18, Problem.DELETED_OR_BANNED), (30, Problem.PRIVATE_PROFILE)])
def test_vk_refusing_one_person_at_the_draw_is_that_persons_unknown(
        reader: VkReader, state: VkState, post: VkPost, code: int, problem: Problem) -> None:
    state.add_user(1)
    state.add_user(2)
    post.add_like(2)
    state.refuse_user(1, code, methods=["likes.isLiked"])

    checks = reader.check(source(LIKED), ["vk:1", "vk:2"])

    assert checks == {"vk:1": (Check(ConditionKind.LIKED, Result.UNKNOWN, problem),),
                      "vk:2": (Check(ConditionKind.LIKED, Result.MET),)}


# -- the local server itself speaks as VK documents ------------------------------------------

def test_the_local_server_answers_as_vk_documents(server: VkApiServer, post: VkPost) -> None:
    post.add_like(5)
    base = {"type": "post", "owner_id": -COMMUNITY, "item_id": 7}
    by_get = call(server.url + "likes.getList", {**base, "v": API_VERSION,
                                                 "access_token": TOKEN}, network="VK")
    no_version = call(server.url + "likes.getList", {**base, "access_token": TOKEN},
                      network="VK", method="POST")
    wrong_token = call(server.url + "likes.getList", {**base, "v": API_VERSION,
                                                      "access_token": "nope"},
                       network="VK", method="POST")
    unknown = call(server.url + "wall.getEverything", {"v": API_VERSION,
                                                       "access_token": TOKEN},
                   network="VK", method="POST")

    assert by_get.body == {"response": {"count": 1, "items": [5]}}
    assert [answer.body["error"]["error_code"] for answer in (no_version, wrong_token, unknown)
            ] == [8, 5, 3]
    assert {"key": "method", "value": "likes.getList"} in \
        wrong_token.body["error"]["request_params"]
    assert all(param["key"] != "access_token"
               for param in wrong_token.body["error"]["request_params"])


def test_reasons_and_problems_are_plain_codes(
        reader: VkReader, state: VkState, post: VkPost) -> None:
    state.add_user(1, deactivated="banned")
    post.add_comment(1, "+")

    read = reader.read(source(COMMENTED, LIKED))

    assert type(read.checks["vk:1"][1].reason) is str
    assert [type(reason) for reason in read.problems] == [str]
