"""Commit-reveal: the value follows the commitments' order, and every cheat or stall is named."""

import hashlib

import pytest

from contest.errors import InvalidInput, RandomnessUnavailable, VerificationFailed
from contest.randomness.commit_reveal import Commitment, Reveal, combine, commit

SPONSOR_SECRET = bytes(range(16))
AUDITOR_SECRET = bytes.fromhex("aa" * 32)


def commitments() -> list[Commitment]:
    return [Commitment("sponsor", commit(SPONSOR_SECRET)),
            Commitment("auditor", commit(AUDITOR_SECRET))]


def test_commit_is_the_sha256_of_the_secret_in_hex() -> None:
    assert commit(SPONSOR_SECRET) == hashlib.sha256(SPONSOR_SECRET).hexdigest()
    assert commit(SPONSOR_SECRET) == (
        "be45cb2605bf36bebde684841a28f0fd43c69850a3dce5fedba69928ee3a8991"
    )


def test_the_value_is_sha256_of_the_secrets_in_commit_order() -> None:
    reveals = [Reveal("auditor", AUDITOR_SECRET.hex()), Reveal("sponsor", SPONSOR_SECRET.hex())]
    value = combine(commitments(), reveals)
    assert value == hashlib.sha256(SPONSOR_SECRET + AUDITOR_SECRET).digest()
    assert combine(list(reversed(commitments())), reveals) == hashlib.sha256(
        AUDITOR_SECRET + SPONSOR_SECRET
    ).digest()


def test_digests_and_secrets_are_read_in_either_case() -> None:
    upper = [Commitment(c.party, c.digest.upper()) for c in commitments()]
    reveals = [Reveal("sponsor", SPONSOR_SECRET.hex().upper()),
               Reveal("auditor", AUDITOR_SECRET.hex())]
    assert combine(upper, reveals) == hashlib.sha256(SPONSOR_SECRET + AUDITOR_SECRET).digest()


def test_a_secret_that_does_not_match_its_commitment_is_named() -> None:
    other = bytes(range(1, 17))
    reveals = [Reveal("sponsor", SPONSOR_SECRET.hex()), Reveal("auditor", other.hex())]
    with pytest.raises(
        VerificationFailed,
        match=f"party auditor revealed a secret whose SHA-256 is {commit(other)}, "
              f"but committed {commit(AUDITOR_SECRET)}",
    ):
        combine(commitments(), reveals)


def test_the_draw_waits_for_every_party_that_has_not_revealed() -> None:
    three = [*commitments(), Commitment("entrants", commit(b"e" * 20))]
    with pytest.raises(RandomnessUnavailable, match="^the draw waits for: auditor, entrants$"):
        combine(three, [Reveal("sponsor", SPONSOR_SECRET.hex())])


def test_a_party_that_never_committed_cannot_reveal() -> None:
    reveals = [Reveal("sponsor", SPONSOR_SECRET.hex()), Reveal("auditor", AUDITOR_SECRET.hex()),
               Reveal("mallory", (b"m" * 16).hex())]
    with pytest.raises(VerificationFailed, match="party mallory revealed a secret but never "
                                                 "committed; committed parties: sponsor, auditor"):
        combine(commitments(), reveals)


def test_a_short_secret_cannot_be_committed() -> None:
    with pytest.raises(InvalidInput, match="secret: a secret needs at least 16 bytes, got 15"):
        commit(b"x" * 15)


def test_a_short_secret_cannot_be_revealed() -> None:
    short = b"x" * 8
    with pytest.raises(InvalidInput,
                       match="reveals.0.secret_hex: a secret needs at least 16 bytes, got 8"):
        combine([Commitment("sponsor", commit(short + short))], [Reveal("sponsor", short.hex())])


def test_duplicate_parties_are_refused() -> None:
    twice = [*commitments(), Commitment("sponsor", commit(b"s" * 16))]
    with pytest.raises(InvalidInput, match="commitments.2.party: party sponsor already committed"):
        combine(twice, [])
    reveals = [Reveal("sponsor", SPONSOR_SECRET.hex()), Reveal("sponsor", SPONSOR_SECRET.hex())]
    with pytest.raises(InvalidInput, match="reveals.1.party: party sponsor already revealed"):
        combine(commitments(), reveals)


@pytest.mark.parametrize(
    ("commitments_", "reveals", "message"),
    [
        ([], [], "commitments: at least one party must commit"),
        ([Commitment(" ", "00" * 32)], [], "commitments.0.party: is required"),
        ([Commitment("sponsor", "abc")], [],
         "commitments.0.digest: must be 64 hex characters, got 'abc'"),
        ([Commitment("sponsor", "zz" * 32)], [], "commitments.0.digest: must be 64 hex"),
        ([Commitment("sponsor", commit(SPONSOR_SECRET))], [Reveal("sponsor", "not hex")],
         "reveals.0.secret_hex: must be hex, got 'not hex'"),
    ],
)
def test_malformed_commitments_and_reveals_are_refused(
    commitments_: list[Commitment], reveals: list[Reveal], message: str
) -> None:
    with pytest.raises(InvalidInput, match=message):
        combine(commitments_, reveals)
