"""Benchmark: a giveaway's entries read from a social network into a contest, and its
winners checked again after the draw.

Starts the tests' local VK API (``tests/sources/vk_api.py``: written from VK's documentation)
with a community post that ``--people`` users reposted and most of them commented on (every
comment a page of VK's paging, threads included), most of them members of the community, and
every ``--rate-limit-every``-th call answered "too many requests" (VK's error 6). Then, on a
fresh migrated database (SQLite in a temporary folder, or ``--database-url``, which must be
empty):

1. reads the VK source into the contest (``contest.sources.reading.read_source``): people
   read, entries taken per second, the calls made and the waits asked for (counted, not
   slept: the local server has no rate to respect), and the share of the people whose every
   condition was checked (not ``unknown``);
2. reads it again (nothing new may be taken);
3. freezes, takes the drand round and draws ``--winners`` winners and as many alternates,
   then checks the conditions of the winners and the alternates again
   (``contest.draw.recheck``): seconds, and the calls it made.

With ``--instagram``, also reads ``--people`` Instagram comments (the tests' local Graph API)
into a second contest.

    .venv/bin/python bench/social_import.py [--people 100000] [--winners 100]
"""

import argparse
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path

from sqlmodel import Session

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # the tests' servers

from contest.config import NetworkSettings  # noqa: E402
from contest.db import make_engine, upgrade  # noqa: E402
from contest.draw.recheck import recheck_conditions  # noqa: E402
from contest.rules.document import (  # noqa: E402
    Condition,
    ConditionKind,
    EntryLimits,
    Exclusions,
    Network,
    SocialSource,
)
from contest.sources import NetworkRead, Result  # noqa: E402
from contest.sources.reading import read_source  # noqa: E402
from contest.sources.registry import readers  # noqa: E402
from tests.builders import SIGNER  # noqa: E402
from tests.draw.builders import CLOSES, DUE, closed_contest, draw_closed  # noqa: E402
from tests.sources.instagram_graph import GraphServer  # noqa: E402
from tests.sources.vk_api import VkApiServer  # noqa: E402

COMMUNITY = 5000
VK_SOURCE = SocialSource(Network.VK, post=f"-{COMMUNITY}_1", community=str(COMMUNITY),
                         conditions=(Condition(ConditionKind.REPOSTED),
                                     Condition(ConditionKind.COMMENTED),
                                     Condition(ConditionKind.MEMBER)))
IG_SOURCE = SocialSource(Network.INSTAGRAM, post="17900000000000001", conditions=(
    Condition(ConditionKind.COMMENTED), Condition(ConditionKind.TAGGED, 1)))
AFTER_CLOSE = CLOSES + timedelta(seconds=30)


def vk_post(server: VkApiServer, people: int) -> None:
    """``people`` users reposted; 3 in 5 also commented (a tenth of those as a reply in a
    thread); 19 in 20 are members; a few closed their profile."""
    state = server.state
    post = state.add_post(-COMMUNITY, 1)
    post.date = int((CLOSES - timedelta(days=5)).timestamp())
    # Ids spread over VK's range, as a real crowd's are (ids 1, 2, 3… would be accounts
    # registered together, which the participant graph weighs).
    ids = [1 + number * (800_000_000 // max(people, 1)) for number in range(1, people + 1)]
    state.add_users(ids)
    last_top = None
    for number, user in enumerate(ids, start=1):
        post.add_repost(user)
        if number % 5 < 3:
            if number % 10 == 0 and last_top is not None:
                post.add_comment(user, f"Me too! [id{ids[number - 2]}|friend]",
                                 reply_to=last_top)
            else:
                last_top = post.add_comment(user, "Count me in")
    state.add_members(COMMUNITY, (user for number, user in enumerate(ids, start=1)
                                  if number % 20))


def checked_share(found: NetworkRead) -> float:
    people = len(found.people) or 1
    return sum(all(check.result != Result.UNKNOWN for check in found.checks.get(p.account, ()))
               for p in found.people) / people


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--people", type=int, default=100_000)
    parser.add_argument("--winners", type=int, default=100)
    parser.add_argument("--rate-limit-every", type=int, default=50)
    parser.add_argument("--database-url", default="")
    parser.add_argument("--instagram", action="store_true")
    options = parser.parse_args()

    folder = Path(tempfile.mkdtemp(prefix="social-bench-"))
    engine = make_engine(options.database_url or f"sqlite:///{folder / 'bench.db'}")
    upgrade(engine)
    waits: list[float] = []
    with VkApiServer.start() as vk, GraphServer.start() as graph:
        started = time.perf_counter()
        vk_post(vk, options.people)
        print(f"local VK post: {options.people:,} reposts, "
              f"{vk.state.posts[(-COMMUNITY, 1)].comment_count:,} comments "
              f"({time.perf_counter() - started:.1f} s to set up)")
        vk.state.fail_every(options.rate_limit_every, code=6)
        settings = NetworkSettings(vk_api_url=vk.url, vk_token=vk.state.token,
                                   instagram_graph_url=graph.url,
                                   instagram_token=graph.token)
        networks = readers(settings, sleep=waits.append)
        with Session(engine, expire_on_commit=False) as session:
            contest = closed_contest(
                session, entrants=0, reviewed=False, winners=options.winners,
                alternates=options.winners, slug="vk-bench", sources=(VK_SOURCE,),
                exclusions=Exclusions(employees=False, agency_employees=False, family=(),
                                      household=False),
                limits=EntryLimits(per_person=1))
            calls = len(vk.state.calls)
            started = time.perf_counter()
            report = read_source(session, contest=contest, source=0, readers=networks,
                                 now=AFTER_CLOSE, signer=SIGNER)
            session.commit()
            seconds = time.perf_counter() - started
            found = report.network_read
            lists = "; ".join(f"{item.name} {item.read:,} of {item.reported:,}"
                              for item in found.lists if item.reported is not None)
            print(f"VK read: {lists}; {len(found.people):,} people, {report.taken:,} "
                  f"entries taken in {seconds:.1f} s: {report.taken / seconds:,.0f} entries/s; "
                  f"{len(vk.state.calls) - calls:,} calls, {len(waits)} rate-limit waits "
                  f"asked ({sum(waits):.1f} s, not slept); conditions checked for "
                  f"{checked_share(found):.1%} of the people; {report.unmet:,} unmet")
            calls, started = len(vk.state.calls), time.perf_counter()
            again = read_source(session, contest=contest, source=0, readers=networks,
                                now=AFTER_CLOSE + timedelta(seconds=1), signer=SIGNER)
            session.commit()
            print(f"VK read again: {again.taken} new, {again.before:,} taken before, in "
                  f"{time.perf_counter() - started:.1f} s")

            from contest.fraud.review import scan_contest

            scan_contest(session, contest=contest, now=AFTER_CLOSE + timedelta(seconds=2))
            session.commit()
            draw_closed(session, SIGNER, contest)
            vk.state.members[COMMUNITY] -= {1, 2, 3}  # a few left; maybe a winner
            calls, waits_before = len(vk.state.calls), len(waits)
            started = time.perf_counter()
            done = recheck_conditions(session, contest=contest, readers=networks,
                                      now=DUE + timedelta(minutes=1), signer=SIGNER)
            session.commit()
            print(f"recheck of {options.winners} winners and {options.winners} alternates: "
                  f"{time.perf_counter() - started:.1f} s, {len(vk.state.calls) - calls:,} "
                  f"calls ({len(waits) - waits_before} rate-limit waits), "
                  f"{len(done.replaced)} replaced")

            if options.instagram:
                media = graph.add_media(IG_SOURCE.post, owner="brand")
                media.add_comments((f"fan{number}", f"@fan{number + 1} look!")
                                   for number in range(options.people))
                graph.rate_limit_every = options.rate_limit_every
                ig = closed_contest(
                    session, entrants=0, reviewed=False, slug="ig-bench",
                    sources=(IG_SOURCE,), exclusions=Exclusions(
                        employees=False, agency_employees=False, family=(), household=False))
                started = time.perf_counter()
                report = read_source(session, contest=ig, source=0, readers=networks,
                                     now=AFTER_CLOSE, signer=SIGNER)
                session.commit()
                seconds = time.perf_counter() - started
                [listed] = report.network_read.lists
                print(f"Instagram read: comments {listed.read:,} of {listed.reported:,}; "
                      f"{report.taken:,} entries in {seconds:.1f} s: "
                      f"{report.taken / seconds:,.0f} entries/s")
    engine.dispose()


if __name__ == "__main__":
    main()
