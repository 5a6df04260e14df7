"""The labelled bot population (bench/bot_population.py): its planted counts, determinism,
and that each farm and crowd has the shape its label says."""

from collections import Counter
from datetime import datetime, timedelta

import pytest

from bench import bot_population as bp
from bench.fraud_population import Population

ENTRIES, SEED = 3000, 7


@pytest.fixture(scope="module")
def population() -> Population:
    return bp.generate(ENTRIES, SEED)


def members(population: Population, note: str) -> list[dict[str, str]]:
    ids = {label["entry_id"] for label in population.labels if label["note"] == note}
    return [row for row in population.entries if row["entry_id"] in ids]


def test_the_planted_counts(population: Population) -> None:
    planted = Counter((label["kind"], label["note"]) for label in population.labels
                      if label["note"] in (*bp.FARMS, *bp.CROWDS))
    assert planted == {
        **{("bot", farm): bp.FARM_SIZE for farm in bp.FARMS if farm != "fake_accounts"},
        ("bot", "fake_accounts"): bp.FAKE_ACCOUNTS,
        ("clean", "tv_mention"): bp.TV_CROWD, ("clean", "dormitory"): bp.DORMITORY,
        ("clean", "vk_crowd"): bp.VK_CROWD}
    assert len(population.entries) == ENTRIES + sum(planted.values())
    assert len({row["entry_id"] for row in population.entries}) == len(population.entries)


def test_the_same_seed_gives_the_same_population(population: Population) -> None:
    again = bp.generate(ENTRIES, SEED)
    assert again.entries == population.entries and again.labels == population.labels
    assert again.profiles == population.profiles
    assert bp.generate(ENTRIES, SEED + 1).entries != population.entries


def test_entries_are_in_submission_order(population: Population) -> None:
    moments = [datetime.fromisoformat(row["submitted_at"]) for row in population.entries]
    assert moments == sorted(moments)


def test_each_farm_has_its_shape(population: Population) -> None:
    device = members(population, "burst_device")
    assert len({row["ip"] for row in device}) == 1 == len({row["device_id"] for row in device})
    template = members(population, "burst_template")
    assert len({row["ip"].rsplit(".", 1)[0] for row in template}) == 1
    assert len({row["device_id"] for row in template}) == bp.FARM_SIZE
    for farm in ("burst_device", "burst_template"):
        moments = [datetime.fromisoformat(row["submitted_at"]) for row in members(population,
                                                                                    farm)]
        assert max(moments) - min(moments) <= timedelta(minutes=8)
    drip = members(population, "drip_disposable")
    assert all(row["email"].rsplit("@", 1)[1] in bp.THROWAWAY for row in drip)
    moments = sorted(datetime.fromisoformat(row["submitted_at"]) for row in drip)
    assert min(b - a for a, b in zip(moments, moments[1:], strict=False)) >= timedelta(hours=5)
    born = members(population, "drip_birth_date")
    assert len({row["birth_date"] for row in born}) == 1
    accounts = members(population, "fake_accounts")
    assert all(row["account"].startswith("vk:") and not row["ip"] for row in accounts)
    ids = sorted(int(row["account"][3:]) for row in accounts)
    assert max(b - a for a, b in zip(ids, ids[1:], strict=False)) <= 60   # one sitting
    states = [population.profiles[row["account"]] for row in accounts]
    assert all(state.deactivated == "banned" or (state.followers or 0) <= 2
               for state in states)


def test_the_vk_crowd_is_spread_and_as_real_accounts_are(population: Population) -> None:
    assert isinstance(population, bp.BotPopulation)
    crowd = members(population, "vk_crowd")
    ids = sorted(int(row["account"][3:]) for row in crowd)
    assert ids[-1] - ids[0] > 500_000_000
    states = [population.profiles[row["account"]] for row in crowd]
    no_photo = sum(state.has_photo is False for state in states) / len(states)
    assert 0.15 < no_photo < 0.35
    assert any(state.deactivated for state in states)
    assert sum(state.followers is not None and state.followers <= 3 for state in states) > 50


def test_the_crowds_are_bursty_and_honest(population: Population) -> None:
    tv = members(population, "tv_mention")
    moments = [datetime.fromisoformat(row["submitted_at"]) for row in tv]
    assert max(moments) - min(moments) <= timedelta(minutes=10)
    assert len({row["email"] for row in tv}) == bp.TV_CROWD
    crowds = {row["entry_id"] for row in (*tv, *members(population, "dormitory"))}
    others = {row["email"].casefold() for row in population.entries
              if row["entry_id"] not in crowds}
    assert not others & {row["email"].casefold() for row in tv}
    assert len({row["device_id"] for row in tv}) == bp.TV_CROWD
    dormitory = members(population, "dormitory")
    assert len({row["ip"] for row in dormitory}) == 1
    assert len({row["device_id"] for row in dormitory}) == bp.DORMITORY
