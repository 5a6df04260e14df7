"""The Instagram reader against a local Graph API (tests.sources.instagram_graph) that
speaks the documented requests and answers: paging, counts, replies, errors, rate limits."""

from collections.abc import Iterator

import pytest

from contest.config import NetworkSettings
from contest.errors import NetworkUnavailable
from contest.rules.document import Condition, ConditionKind, Network, SocialSource
from contest.sources import Check, ListRead, Problem, Result
from contest.sources.instagram import (
    ATTEMPTS,
    LONGEST_WAIT,
    PAGE_LIMIT,
    InstagramReader,
)
from tests.sources.instagram_graph import GraphServer, Media

TOKEN = "EAAGm0PX4ZCpsBAsecret-token-42"
MEDIA = "17895695668004550"
OWNER = "brand.shop"
COMMENTED = Condition(ConditionKind.COMMENTED)
TAGGED_TWO = Condition(ConditionKind.TAGGED, at_least=2)
SOURCE = SocialSource(Network.INSTAGRAM, post=MEDIA, conditions=(COMMENTED,))
TAGGING = SocialSource(Network.INSTAGRAM, post=MEDIA, conditions=(COMMENTED, TAGGED_TWO))


@pytest.fixture
def graph() -> Iterator[GraphServer]:
    with GraphServer.start(token=TOKEN) as server:
        yield server


@pytest.fixture
def media(graph: GraphServer) -> Media:
    return graph.add_media(MEDIA, owner=OWNER)


class Waits(list[float]):
    """The injected sleep: records each wait, waits for none."""

    def __call__(self, seconds: float) -> None:
        self.append(seconds)


def reader(graph: GraphServer, waits: Waits | None = None, *,
           token: str = TOKEN) -> InstagramReader:
    return InstagramReader(NetworkSettings(instagram_graph_url=graph.url + "/",
                                           instagram_token=token),
                           sleep=waits if waits is not None else Waits())


def met(*kinds: ConditionKind) -> tuple[Check, ...]:
    return tuple(Check(kind, Result.MET) for kind in kinds)


def test_every_page_is_read_and_counted_against_instagrams_count(
        graph: GraphServer, media: Media) -> None:
    media.add_comments((f"fan.{n}", "me!") for n in range(1234))

    found = reader(graph).read(SOURCE)

    assert found.lists == (ListRead("comments", 1234, 1234),)
    assert found.complete
    # Instagram lists comments newest first: the people in the order first met.
    assert [person.account for person in found.people] == [
        f"ig:fan.{n}" for n in reversed(range(1234))]
    assert found.people[0].name == ""  # a username is a handle, not a name
    assert found.checks["ig:fan.0"] == met(ConditionKind.COMMENTED)
    pages = -(-1234 // PAGE_LIMIT)
    assert graph.paths() == [f"/v23.0/{MEDIA}"] + [f"/v23.0/{MEDIA}/comments"] * pages
    first, second = graph.calls[1].query, graph.calls[2].query
    assert first["limit"] == str(PAGE_LIMIT) and "after" not in first
    assert first["fields"] == "id,text,username,timestamp,replies{id,text,username,timestamp}"
    assert first["access_token"] == TOKEN
    assert second["after"]
    assert graph.calls[0].query["fields"].split(",")[:2] == ["comments_count", "username"]


def test_an_edge_that_gives_no_next_address_is_read_by_its_cursors(
        graph: GraphServer, media: Media) -> None:
    graph.next_links = False
    media.add_comments((f"fan{n}", "me!") for n in range(120))

    found = reader(graph).read(SOURCE)

    assert found.lists == (ListRead("comments", 120, 120),)
    # Three pages of comments, then one more that comes back empty: the end.
    assert graph.paths().count(f"/v23.0/{MEDIA}/comments") == 4


def test_replies_are_entrants_and_counted_with_long_threads_paged(
        graph: GraphServer, media: Media) -> None:
    quiet = media.comment("anna", "me")
    quiet.reply("bob", "me too")
    busy = media.comment("carl", "pick me")
    for n in range(60):
        busy.reply(f"reply{n}", "and me")

    found = reader(graph).read(SOURCE)

    assert found.lists == (ListRead("comments", 63, 63),)
    accounts = [person.account for person in found.people]
    assert accounts[:2] == ["ig:carl", "ig:reply0"]
    assert {"ig:anna", "ig:bob", "ig:reply59"} <= set(accounts)
    assert len(accounts) == 63
    assert graph.paths().count(f"/v23.0/{busy.id}/replies") == 1
    assert f"/v23.0/{quiet.id}/replies" not in graph.paths()


def test_the_owners_comments_are_counted_but_enter_nobody(
        graph: GraphServer, media: Media) -> None:
    media.comment("Brand.Shop", "Comment and tag two friends!")
    entrant = media.comment("anna", "me @bob @carl")
    entrant.reply(OWNER, "good luck @anna")

    found = reader(graph).read(TAGGING)

    assert found.lists == (ListRead("comments", 3, 3),)
    assert [person.account for person in found.people] == ["ig:anna"]
    assert found.checks["ig:anna"] == met(ConditionKind.COMMENTED, ConditionKind.TAGGED)


def test_a_read_short_of_instagrams_count_is_incomplete(
        graph: GraphServer, media: Media) -> None:
    media.add_comments((f"fan{n}", "me") for n in range(75))
    media.reported_count = 80  # five comments Instagram counts but does not list

    found = reader(graph).read(TAGGING)

    assert found.lists == (ListRead("comments", 80, 75),)
    assert not found.complete
    # Whether fan1 tagged two in a comment the read did not get cannot be told.
    assert found.checks["ig:fan1"] == (Check(ConditionKind.COMMENTED, Result.MET),
                                       Check(ConditionKind.TAGGED, Result.UNKNOWN,
                                             Problem.ACCESS_DENIED))


def test_threads_without_next_are_read_again_only_when_comments_are_missing(
        graph: GraphServer, media: Media) -> None:
    graph.next_links = False
    long = media.comment("anna", "me")
    for n in range(30):
        long.reply(f"reply{n}", "me too")

    found = reader(graph).read(SOURCE)

    assert found.lists == (ListRead("comments", 31, 31),)
    assert f"/v23.0/{long.id}/replies" in graph.paths()

    graph.calls.clear()
    short = graph.add_media("17895695668009999", owner=OWNER)
    short.comment("anna", "me").reply("bob", "me too")
    reader(graph).read(SocialSource(Network.INSTAGRAM, post="17895695668009999",
                                    conditions=(COMMENTED,)))
    assert not any(path.endswith("/replies") for path in graph.paths())


def test_rate_limits_are_waited_through_as_the_usage_header_says(
        graph: GraphServer, media: Media) -> None:
    media.add_comments((f"fan{n}", "me") for n in range(500))
    graph.rate_limit_every = 3
    graph.regain_minutes = 2
    waits = Waits()

    found = reader(graph, waits).read(SOURCE)

    assert found.lists == (ListRead("comments", 500, 500),)
    assert len(found.people) == 500
    refused = len(graph.calls) // 3
    assert refused >= 4
    assert waits == [120.0] * refused


def test_without_the_header_each_wait_grows(graph: GraphServer, media: Media) -> None:
    media.comment("anna", "me")
    graph.rate_limit_code = 80002
    graph.regain_minutes = None
    graph.rate_limit_every = 1  # refuses every call ...
    waits = Waits()

    def allow_after_three(seconds: float) -> None:
        waits.append(seconds)
        if len(waits) == 3:
            graph.rate_limit_every = None  # ... until Instagram lets us in again

    found = InstagramReader(NetworkSettings(instagram_graph_url=graph.url,
                                            instagram_token=TOKEN),
                            sleep=allow_after_three).read(SOURCE)

    assert found.complete
    assert waits == [5.0, 10.0, 20.0]


def test_too_many_requests_even_after_waiting_is_network_unavailable(
        graph: GraphServer, media: Media) -> None:
    media.comment("anna", "me")
    graph.rate_limited = True
    graph.regain_minutes = 24 * 60  # a day: each wait is bounded
    waits = Waits()

    with pytest.raises(NetworkUnavailable, match=(
            r"still refused GET /17895695668004550 after 6 attempts and 4500 seconds of "
            r"waiting \(error 4: \(#4\) Application request limit reached\)")):
        reader(graph, waits).read(SOURCE)

    assert len(graph.calls) == ATTEMPTS
    assert waits == [LONGEST_WAIT] * (ATTEMPTS - 1)


def test_a_refused_token_is_said_without_showing_it(graph: GraphServer, media: Media) -> None:
    media.comment("anna", "me")
    wrong = "EAAGm0PX4ZCpsBAwrong-token-43"

    with pytest.raises(NetworkUnavailable) as raised:
        reader(graph, token=wrong).read(SOURCE)

    text = str(raised.value)
    assert "refused the access token (CONTEST_INSTAGRAM_TOKEN)" in text
    assert "Invalid OAuth access token" in text
    assert wrong not in text and wrong not in str(raised.value.params)
    assert len(graph.calls) == 1  # a refused token is not tried again


def test_an_unreachable_graph_api_is_said_without_the_token(graph: GraphServer) -> None:
    address = graph.url
    graph.stop()

    with pytest.raises(NetworkUnavailable, match="could not be reached") as raised:
        InstagramReader(NetworkSettings(instagram_graph_url=address, instagram_token=TOKEN),
                        sleep=Waits()).read(SOURCE)

    assert TOKEN not in str(raised.value)


def test_no_token_set_is_said_before_any_call(graph: GraphServer) -> None:
    with pytest.raises(NetworkUnavailable, match="no Instagram access token is set"):
        reader(graph, token="").read(SOURCE)
    assert graph.calls == []


def test_a_media_instagram_does_not_have_is_said_with_its_message(graph: GraphServer) -> None:
    with pytest.raises(NetworkUnavailable, match=r"error 100 33: Unsupported get request\. "
                                                 r"Object with ID '17895695668004550' does "
                                                 r"not exist"):
        reader(graph).read(SOURCE)


def test_a_permission_refused_is_said_with_what_the_token_needs(
        graph: GraphServer, media: Media) -> None:
    graph.fail(MEDIA, 10, "(#10) Application does not have permission for this action")

    with pytest.raises(NetworkUnavailable, match=(
            r"denied GET /17895695668004550 \(error 10\): \(#10\) Application does not have "
            r"permission for this action\. The token needs instagram_basic, "
            r"instagram_manage_comments")):
        reader(graph).read(SOURCE)


def test_a_temporary_error_is_tried_again(graph: GraphServer, media: Media) -> None:
    media.comment("anna", "me")
    graph.fail(MEDIA, 2, "An unexpected error has occurred. Please retry your request later.",
               times=2)
    graph.regain_minutes = None
    waits = Waits()

    found = reader(graph, waits).read(SOURCE)

    assert found.lists == (ListRead("comments", 1, 1),)
    assert waits == [5.0, 10.0]


def test_comments_without_usernames_ask_for_the_permission(
        graph: GraphServer, media: Media) -> None:
    media.comment("anna", "me")
    graph.usernames_visible = False

    with pytest.raises(NetworkUnavailable, match="needs the instagram_manage_comments"):
        reader(graph).read(SOURCE)


def test_tagged_counts_the_most_distinct_others_one_comment_tags(
        graph: GraphServer, media: Media) -> None:
    media.comment("two", "Me! @Bob @carl.k")
    media.comment("same.twice", "@bob @BOB")
    media.comment("self.and.owner", "@self.and.owner @brand.shop @bob")
    media.comment("split", "@bob")
    media.comment("split", "@carl")
    media.comment("mail", "write to me@example.com or @dan. and @eve_")
    media.comment("too.long", "@" + "a" * 31 + " @bob")

    found = reader(graph).read(TAGGING)

    def tagged(account: str) -> Result:
        return found.checks[account][1].result

    assert tagged("ig:two") == Result.MET
    assert tagged("ig:same.twice") == Result.UNMET
    assert tagged("ig:self.and.owner") == Result.UNMET
    assert tagged("ig:split") == Result.UNMET  # one comment must tag both
    assert tagged("ig:mail") == Result.MET  # @dan and @eve_, not the e-mail address
    assert tagged("ig:too.long") == Result.UNMET  # 31 letters is no username
    assert [person.account for person in found.people].count("ig:split") == 1


def test_check_finds_a_deleted_comment_unmet(graph: GraphServer, media: Media) -> None:
    winner = media.comment("anna", "me @bob @carl")
    media.comment("dan", "me @eve @fay")
    alternate = media.comment("gil", "me @hal @ivy")
    reader_ = reader(graph)
    assert reader_.read(TAGGING).complete

    graph.delete(winner.id)
    graph.delete(alternate.id)
    media.comment("gil", "me again @hal")

    checks = reader_.check(TAGGING, ["ig:anna", "ig:dan", "ig:gil", "ig:nobody"])

    unmet = (Check(ConditionKind.COMMENTED, Result.UNMET),
             Check(ConditionKind.TAGGED, Result.UNMET))
    assert checks == {
        "ig:anna": unmet,
        "ig:dan": met(ConditionKind.COMMENTED, ConditionKind.TAGGED),
        "ig:gil": (Check(ConditionKind.COMMENTED, Result.MET),
                   Check(ConditionKind.TAGGED, Result.UNMET)),
        "ig:nobody": unmet,
    }


def test_check_of_nobody_calls_nothing(graph: GraphServer, media: Media) -> None:
    assert reader(graph).check(SOURCE, []) == {}
    assert graph.calls == []


def test_check_says_unknown_when_instagram_may_be_hiding_comments(
        graph: GraphServer, media: Media) -> None:
    winner = media.comment("anna", "me @bob @carl")
    media.comment("dan", "me")
    graph.delete(winner.id)
    media.is_comment_enabled = False  # comments turned off after the contest

    checks = reader(graph).check(SOURCE, ["ig:anna", "ig:dan"])

    assert checks == {
        "ig:anna": (Check(ConditionKind.COMMENTED, Result.UNKNOWN, Problem.ACCESS_DENIED),),
        "ig:dan": met(ConditionKind.COMMENTED),
    }

    media.is_comment_enabled = True
    media.reported_count = 2  # comments on again, but one Instagram counts is not listed
    assert reader(graph).check(SOURCE, ["ig:anna"]) == {
        "ig:anna": (Check(ConditionKind.COMMENTED, Result.UNKNOWN, Problem.ACCESS_DENIED),)}
    media.reported_count = None
    assert reader(graph).check(SOURCE, ["ig:anna"]) == {
        "ig:anna": (Check(ConditionKind.COMMENTED, Result.UNMET),)}


def test_replies_of_a_comment_deleted_during_the_read_are_gone_not_an_error(
        graph: GraphServer, media: Media) -> None:
    busy = media.comment("anna", "me")
    for n in range(40):
        busy.reply(f"reply{n}", "me too")
    # Calls: the media, the comments, the empty page after them, then the thread's replies:
    # refused, and while the reader waits the comment is deleted.
    graph.rate_limit_every = 4

    def delete_while_waiting(seconds: float) -> None:
        graph.delete(busy.id)
        graph.rate_limit_every = None

    found = InstagramReader(NetworkSettings(instagram_graph_url=graph.url,
                                            instagram_token=TOKEN),
                            sleep=delete_while_waiting).comments(MEDIA)

    assert graph.paths()[3:] == [f"/v23.0/{busy.id}/replies"] * 2
    assert len(found.comments) == 1 + 25  # the comment and the replies its page carried
