"""RFC 3797 selection: the RFC's own worked example (section 6), and refused inputs."""

import hashlib

import pytest

from contest.errors import InvalidInput
from contest.randomness.rfc3797 import canonical_key, select, value

# RFC 3797 section 6: the pool, in the RFC's order and spelling.
POOL = [
    "John", "Mary", "Bashful", "Dopey", "Sleepy", "Grouchy", "Doc", "Sneazy", "Handsome",
    "Cassandra", "Pollyanna", "Pendragon", "Pandora", "Faith", "Hope", "Charity", "Lee",
    "Longsuffering", "Chastity", "Smith", "Pride", "Sloth", "Envy", "Anger", "Kasczynski",
]
SOURCES = ["9319", "2 5 12 8 10", "9 18 26 34 41 45"]
KEY = "9319./2.5.8.10.12./9.18.26.34.41.45./"


def test_the_key_string_is_the_rfc_example() -> None:
    assert canonical_key(SOURCES) == KEY


def test_the_rfc_section_6_example_selects_the_published_ten_in_order() -> None:
    assert select(POOL, SOURCES, 10) == [
        "Lee", "Doc", "Mary", "Charity", "Kasczynski",
        "Envy", "Sneazy", "Anger", "Chastity", "Pandora",
    ]


def test_the_md5_of_the_first_selections_matches_the_rfc_table() -> None:
    # The table of section 6 lists these MD5 values for index 0, 1 and 2.
    published = ["990DD0A5692A029A98B5E01AA28F3459", "3691E55CB63FCC37914430B2F70B5EC6",
                 "FE814EDF564C190AC1D25753979990FA"]
    for index, expected in enumerate(published):
        prefix = index.to_bytes(2, "big")
        assert hashlib.md5(prefix + KEY.encode() + prefix).hexdigest().upper() == expected


def test_selecting_the_whole_pool_is_a_permutation_that_starts_like_the_example() -> None:
    everyone = select(POOL, SOURCES, len(POOL))
    assert sorted(everyone) == sorted(POOL)
    assert everyone[:10] == select(POOL, SOURCES, 10)


def test_order_of_numbers_within_a_source_commas_and_leading_zeros_do_not_matter() -> None:
    assert canonical_key(["9319", "10, 8, 12, 05, 2", " 45 41 34 26 18 09 "]) == KEY


def test_the_order_of_sources_matters() -> None:
    assert canonical_key(list(reversed(SOURCES))) == "9.18.26.34.41.45./2.5.8.10.12./9319./"


def test_the_draw_value_is_sha256_of_the_key() -> None:
    assert value(SOURCES) == hashlib.sha256(KEY.encode("ascii")).digest()
    assert value(SOURCES).hex() == hashlib.sha256(
        b"9319./2.5.8.10.12./9.18.26.34.41.45./"
    ).hexdigest()


def test_zero_selections_is_an_empty_list() -> None:
    assert select(POOL, SOURCES, 0) == []


@pytest.mark.parametrize(
    ("sources", "message"),
    [
        ([], "sources: at least one source of randomness is required"),
        (["9319", "  "], "sources.1: the source has no numbers"),
        (["9319", "2 five 12"], "sources.1: expected whole numbers, got five"),
        (["-3 1.5"], "sources.0: expected whole numbers, got -3, 1.5"),
    ],
)
def test_bad_sources_are_refused(sources: list[str], message: str) -> None:
    with pytest.raises(InvalidInput, match=message):
        canonical_key(sources)
    with pytest.raises(InvalidInput, match=message):
        value(sources)


def test_more_winners_than_the_pool_holds_are_refused() -> None:
    with pytest.raises(InvalidInput,
                       match="count: must be between 0 and the pool size 25, got 26"):
        select(POOL, SOURCES, 26)


def test_a_pool_naming_someone_twice_is_refused() -> None:
    with pytest.raises(InvalidInput, match="pool: the pool names someone twice"):
        select([*POOL, "Doc"], SOURCES, 3)
