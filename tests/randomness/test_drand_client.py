"""fetch_round against relays on 127.0.0.1: failover, refusals, and rounds not emitted yet."""

import json
import re
import socket
from datetime import UTC, datetime, timedelta

import pytest

from contest.errors import RandomnessUnavailable
from contest.randomness.drand import QUICKNET, DrandRound, fetch_round
from tests.draw.relay import ROUNDS, relay, relay_answer

NOW = datetime(2026, 1, 1, tzinfo=UTC)


def closed_port() -> str:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    return f"http://127.0.0.1:{port}"


@pytest.fixture(autouse=True)
def no_proxy(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("http_proxy", "HTTP_PROXY", "https_proxy", "HTTPS_PROXY", "all_proxy",
                 "ALL_PROXY"):
        monkeypatch.delenv(name, raising=False)


def test_a_healthy_relay_serves_a_verified_round() -> None:
    with relay(relay_answer) as url:
        round = fetch_round(QUICKNET, 1000, [url], now=NOW)
    assert round == DrandRound(1000, bytes.fromhex(ROUNDS[1000]["signature"]))
    assert round.randomness.hex() == ROUNDS[1000]["randomness"]


def test_failing_relays_are_skipped_until_one_answers() -> None:
    def broken(path: str) -> tuple[int, bytes]:
        return 500, b"internal error"

    with relay(broken) as down, relay(relay_answer) as up:
        round = fetch_round(QUICKNET, 1000000, [closed_port(), down, up + "/"], now=NOW)
    assert round.randomness.hex() == ROUNDS[1000000]["randomness"]


def test_a_relay_serving_a_forged_signature_is_skipped() -> None:
    def forger(path: str) -> tuple[int, bytes]:
        vector = ROUNDS[1000]
        signature = bytearray.fromhex(vector["signature"])
        signature[-1] ^= 1
        return 200, json.dumps({"round": 1000, "signature": signature.hex()}).encode()

    with relay(forger) as liar, relay(relay_answer) as honest:
        assert fetch_round(QUICKNET, 1000, [liar, honest], now=NOW).round == 1000
        with pytest.raises(RandomnessUnavailable,
                           match=f"no drand relay served round 1000: {liar}: drand round 1000 "
                                 "signature"):
            fetch_round(QUICKNET, 1000, [liar], now=NOW)


def test_a_relay_serving_another_round_is_skipped() -> None:
    def confused(path: str) -> tuple[int, bytes]:
        return relay_answer(f"/{QUICKNET.hash}/public/1000001")

    with relay(confused) as url, pytest.raises(
        RandomnessUnavailable, match="the relay served drand round 1000001, expected 1000000"
    ):
        fetch_round(QUICKNET, 1000000, [url], now=NOW)


def test_when_no_relay_answers_each_failure_is_reported() -> None:
    def broken(path: str) -> tuple[int, bytes]:
        return 502, b"bad gateway"

    def garbage(path: str) -> tuple[int, bytes]:
        return 200, b"<html>maintenance</html>"

    refused = closed_port()
    with relay(broken) as down, relay(garbage) as html:
        with pytest.raises(RandomnessUnavailable) as raised:
            fetch_round(QUICKNET, 1000, [refused, down, html], now=NOW)
    message = str(raised.value)
    assert message.startswith("no drand relay served round 1000: ")
    assert f"{refused}: [Errno 111] Connection refused" in message
    assert f"{down}: HTTP 502" in message
    assert f"{html}: the drand round is not JSON: a value is missing" in message


def test_a_round_in_the_future_is_due_later_and_asks_no_relay() -> None:
    future = QUICKNET.round_at(NOW) + 100
    asked: list[str] = []

    def recording(path: str) -> tuple[int, bytes]:
        asked.append(path)
        return relay_answer(path)

    due = QUICKNET.round_time(future).isoformat()
    with relay(recording) as url, pytest.raises(
        RandomnessUnavailable, match=re.escape(f"drand round {future} is due at {due}")
    ):
        fetch_round(QUICKNET, future, [url], now=NOW)
    assert QUICKNET.round_time(future) == NOW + timedelta(seconds=300)
    assert asked == []


def test_a_round_the_relays_do_not_have_yet_is_reported_as_due() -> None:
    late = QUICKNET.round_at(NOW) - 1
    with relay(relay_answer) as url, pytest.raises(
        RandomnessUnavailable,
        match=f"drand round {late} is due at .* but no relay has it yet: {url}: HTTP 425",
    ):
        fetch_round(QUICKNET, late, [url], now=NOW)


def test_without_relays_nothing_is_served() -> None:
    with pytest.raises(RandomnessUnavailable, match="round 1000: no relay configured"):
        fetch_round(QUICKNET, 1000, [], now=NOW)
