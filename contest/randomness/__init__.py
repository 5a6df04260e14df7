"""Public randomness for draws: each kind turns the proof a draw bundle carries into 32 bytes.

A draw's winners must follow from randomness that neither the sponsor nor we could choose or
foresee, and that anyone can recompute. Three kinds are supported, named by
:class:`RandomnessSource` (the names a contest's rules choose from):

- ``drand``: a League of Entropy beacon round (:mod:`contest.randomness.drand`);
  proof ``{"chain_hash", "round", "signature"}``, optionally ``"public_key"`` (must be the
  known chain's) and ``"randomness"`` (must be SHA-256 of the signature);
- ``commit-reveal``: named parties' hash commitments (:mod:`contest.randomness.commit_reveal`);
  proof ``{"commitments": [{"party", "digest"}], "reveals": [{"party", "secret"}]}``;
- ``rfc3797``: public numbers per RFC 3797 (:mod:`contest.randomness.rfc3797`);
  proof ``{"sources": ["9319", "2 5 12 8 10", …]}``.

:data:`SOURCES` maps each kind to its verifier; every ``verify`` raises
:class:`~contest.errors.VerificationFailed` when the proof is malformed or does not check out.
"""

from collections.abc import Mapping
from enum import StrEnum
from typing import Any, ClassVar, Protocol, TypeVar

from contest.errors import InvalidInput, VerificationFailed
from contest.i18n import N_
from contest.randomness import commit_reveal, drand, rfc3797

_T = TypeVar("_T")


class RandomnessSource(StrEnum):
    """The kinds of public randomness, by the names the rules and the draw record use."""

    DRAND = "drand"
    COMMIT_REVEAL = "commit-reveal"
    RFC3797 = "rfc3797"


SOURCE_NAMES: dict[RandomnessSource, str] = {
    RandomnessSource.DRAND: N_("the public randomness of the drand beacon, run by the League "
                               "of Entropy"),
    RandomnessSource.COMMIT_REVEAL: N_("secrets the named parties commit to before the draw "
                                       "and reveal after the entries are frozen"),
    RandomnessSource.RFC3797: N_("publicly drawn lottery numbers, combined by the method of "
                                 "RFC 3797"),
}
"""Each kind in words, as the rules and the pages name it to people."""


class Source(Protocol):
    """One kind of public randomness."""

    kind: ClassVar[RandomnessSource]

    def verify(self, proof: Mapping[str, Any]) -> bytes:
        """The 32-byte value ``proof`` establishes; raises :class:`VerificationFailed`."""
        ...


class DrandSource:
    kind: ClassVar[RandomnessSource] = RandomnessSource.DRAND

    def verify(self, proof: Mapping[str, Any]) -> bytes:
        chain_hash = _field(proof, "chain_hash", str, self.kind)
        chain = drand.CHAINS.get(chain_hash.lower())
        if chain is None:
            raise VerificationFailed(
                N_("unknown drand chain {got}; known chains: {expected}"),
                {"got": chain_hash,
                 "expected": ", ".join(f"{c.name} ({c.hash})" for c in drand.CHAINS.values())},
            )
        public_key = proof.get("public_key")
        if public_key is not None and (
            not isinstance(public_key, str) or public_key.lower() != chain.public_key
        ):
            raise VerificationFailed(
                N_("the proof names public key {got} for drand chain {chain}, expected "
                   "{expected}"),
                {"got": public_key, "chain": chain.name, "expected": chain.public_key},
            )
        return drand.verify_round(chain, drand.round_from_fields(proof))


class CommitRevealSource:
    kind: ClassVar[RandomnessSource] = RandomnessSource.COMMIT_REVEAL

    def verify(self, proof: Mapping[str, Any]) -> bytes:
        commitments = [
            commit_reveal.Commitment(
                _field(item, "party", str, self.kind), _field(item, "digest", str, self.kind)
            )
            for item in _objects(proof, "commitments", self.kind)
        ]
        reveals = [
            commit_reveal.Reveal(
                _field(item, "party", str, self.kind), _field(item, "secret", str, self.kind)
            )
            for item in _objects(proof, "reveals", self.kind)
        ]
        try:
            return commit_reveal.combine(commitments, reveals)
        except InvalidInput as error:
            raise _malformed(self.kind, error) from error


class Rfc3797Source:
    kind: ClassVar[RandomnessSource] = RandomnessSource.RFC3797

    def verify(self, proof: Mapping[str, Any]) -> bytes:
        sources = _field(proof, "sources", list, self.kind)
        if not all(isinstance(source, str) for source in sources):
            raise VerificationFailed(
                N_("the {source} proof needs \"{field}\" as a list of strings"),
                {"source": self.kind.value, "field": "sources"},
            )
        try:
            return rfc3797.value(sources)
        except InvalidInput as error:
            raise _malformed(self.kind, error) from error


SOURCES: Mapping[RandomnessSource, type[Source]] = {
    source.kind: source for source in (DrandSource, CommitRevealSource, Rfc3797Source)
}


def verify(kind: str, proof: Mapping[str, Any]) -> bytes:
    """The 32-byte value of ``proof`` for the randomness source named ``kind``."""
    try:
        source = SOURCES[RandomnessSource(kind)]
    except ValueError as error:
        raise VerificationFailed(
            N_("unknown randomness source {got}, expected one of {expected}"),
            {"got": kind, "expected": ", ".join(SOURCES)},
        ) from error
    return source().verify(proof)


def _field(proof: Any, name: str, kind: type[_T], source: RandomnessSource) -> _T:
    value = proof.get(name) if isinstance(proof, Mapping) else None
    if not isinstance(value, kind):
        raise VerificationFailed(
            N_("the {source} proof needs \"{field}\" as {expected}, got {got}"),
            {"source": source.value, "field": name, "expected": kind.__name__,
             "got": type(value).__name__},
        )
    return value


def _objects(proof: Mapping[str, Any], name: str, source: RandomnessSource) -> list[Any]:
    items = _field(proof, name, list, source)
    for item in items:
        if not isinstance(item, Mapping):
            raise VerificationFailed(
                N_("the {source} proof needs \"{field}\" as a list of objects"),
                {"source": source.value, "field": name},
            )
    return items


def _malformed(source: RandomnessSource, error: InvalidInput) -> VerificationFailed:
    return VerificationFailed(
        N_("the {source} proof is malformed: {details}"),
        {"source": source.value, "details": str(error)},
    )
