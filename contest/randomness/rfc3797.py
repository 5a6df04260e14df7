"""RFC 3797, "Publicly Verifiable Nominations Committee (NomCom) Random Selection".

The sources are public numbers announced in advance and drawn later by someone else (lottery
results, stock indices...). Each source is written as its numbers in decimal, sorted ascending
when there are several, each followed by ``"."``, and the source ended by ``"/"``; the sources,
in the announced order, make the key (``"9319./2.5.8.10.12./9.18.26.34.41.45./"``). Selection
``i`` (0, 1, 2…) hashes ``i`` as 2 bytes big-endian, the key, then ``i`` again with MD5, reads
the 16 bytes as an unsigned big-endian integer, and takes it modulo the number of pool members
still unselected to pick one of them, in pool order.

MD5 is what the RFC specifies and is kept for the selection so that anyone can check a draw
with the RFC's own reference code. For a draw that needs a 32-byte seed instead, :func:`value`
is SHA-256 of the key's ASCII bytes: a choice of this project, not of the RFC.
"""

import hashlib
import re
from collections.abc import Sequence

from contest.errors import FieldError, InvalidInput
from contest.i18n import N_, N_plural

# The selection index is written in 2 bytes.
MAX_SELECTIONS = 1 << 16

PUBLIC_NUMBERS: dict[str, str] = {
    "ru-gosloto-6x45": N_("Stoloto, Gosloto 6 out of 45 (Russia)"),
    "ru-gosloto-5x36": N_("Stoloto, Gosloto 5 out of 36 (Russia)"),
    "ru-russian-lotto": N_("Stoloto, Russian Lotto (Russia)"),
    "ua-megalot": N_("UNL, Megalot (Ukraine)"),
    "us-powerball": N_("Powerball (USA)"),
    "us-mega-millions": N_("Mega Millions (USA)"),
    "us-ny-lotto": N_("New York Lotto (USA)"),
    "eu-euromillions": N_("EuroMillions (Europe)"),
    "uk-lotto": N_("Lotto, the UK National Lottery"),
}
"""The public numbers a draw may name in advance, by code: a draw's plan names codes from
this closed list and the moment they are published, never words a person typed."""


def announced_codes(text: str) -> list[str] | FieldError:
    """The codes of :data:`PUBLIC_NUMBERS` that ``text`` names (comma- or space-separated,
    in order, each once), or what is wrong with it."""
    codes = [code for code in _SEPARATORS.split(text.strip().lower()) if code]
    unknown = [code for code in codes if code not in PUBLIC_NUMBERS]
    if not codes:
        return FieldError("announce", "required", N_(
            "name the public numbers the draw will use, from the list: {choices}"),
            {"choices": ", ".join(PUBLIC_NUMBERS)})
    if unknown or len(set(codes)) != len(codes):
        return FieldError("announce", "invalid_choice", N_(
            "each source must be one of {choices}, once; got {value}"),
            {"choices": ", ".join(PUBLIC_NUMBERS), "value": text.strip()[:80]})
    return codes

_SEPARATORS = re.compile(r"[\s,]+")
_DIGITS = re.compile(r"[0-9]+")


def canonical_key(sources: Sequence[str]) -> str:
    """The RFC 3797 key string for ``sources``, each a list of whole numbers.

    Numbers within a source may be separated by spaces or commas; leading zeros are dropped
    (the RFC writes numbers in decimal), so ``"08"`` and ``"8"`` are the same number.
    """
    errors: list[FieldError] = []
    if not sources:
        errors.append(FieldError("sources", "required",
                                 N_("at least one source of randomness is required")))
    parts: list[str] = []
    for index, source in enumerate(sources):
        tokens = [token for token in _SEPARATORS.split(source) if token]
        if not tokens:
            errors.append(FieldError(f"sources.{index}", "empty",
                                     N_("the source has no numbers")))
            continue
        bad = [token for token in tokens if not _DIGITS.fullmatch(token)]
        if bad:
            errors.append(FieldError(f"sources.{index}", "not_a_number",
                                     N_("expected whole numbers, got {got}"),
                                     {"got": ", ".join(bad)}))
            continue
        numbers = sorted(int(token) for token in tokens)
        parts.append("".join(f"{number}." for number in numbers) + "/")
    if errors:
        raise InvalidInput(N_plural("the RFC 3797 sources have {count} error",
                                    "the RFC 3797 sources have {count} errors"), errors)
    return "".join(parts)


def select(pool: Sequence[str], sources: Sequence[str], count: int) -> list[str]:
    """``count`` members of ``pool``, in the order RFC 3797 selects them from ``sources``."""
    errors: list[FieldError] = []
    if count < 0 or count > len(pool):
        errors.append(FieldError("count", "out_of_range",
                                 N_("must be between 0 and the pool size {expected}, got {got}"),
                                 {"expected": len(pool), "got": count}))
    elif count > MAX_SELECTIONS:
        errors.append(FieldError("count", "out_of_range",
                                 N_("RFC 3797 selects at most {expected}, got {got}"),
                                 {"expected": MAX_SELECTIONS, "got": count}))
    if len(set(pool)) != len(pool):
        errors.append(FieldError("pool", "duplicate",
                                 N_("the pool names someone twice")))
    if errors:
        raise InvalidInput(N_plural("the RFC 3797 selection has {count} error",
                                    "the RFC 3797 selection has {count} errors"), errors)
    key = canonical_key(sources).encode("ascii")
    remaining = list(pool)
    selected: list[str] = []
    for index in range(count):
        prefix = index.to_bytes(2, "big")
        digest = hashlib.md5(prefix + key + prefix, usedforsecurity=False).digest()
        selected.append(remaining.pop(int.from_bytes(digest, "big") % len(remaining)))
    return selected


def value(sources: Sequence[str]) -> bytes:
    """The draw's 32-byte value: SHA-256 of the canonical key's ASCII bytes."""
    return hashlib.sha256(canonical_key(sources).encode("ascii")).digest()
