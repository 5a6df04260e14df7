"""Decoding of compressed BLS12-381 G1 points, with the checks a verifier owes its callers.

The encoding is the Zcash serialisation that drand, IETF draft-irtf-cfrg-pairing-friendly-curves
and RFC 9380 users share: 48 bytes, big-endian ``x``, with three flag bits in the top of the
first byte (compressed, infinity, ``y`` is the larger root). A point is accepted only if its
encoding is canonical, it lies on ``y² = x³ + 4`` and it is in the subgroup of prime order
``R``: a genuine signature plus a small-order point still satisfies the pairing equation yet
encodes differently, so it would hash to different randomness.

Plain integers are enough here: one multiplication by ``R`` costs about a millisecond. The
pairing itself is left to the drand verifier (see :mod:`contest.randomness.drand`).
"""

from enum import StrEnum

P = int(
    "1a0111ea397fe69a4b1ba7b6434bacd764774b84f38512bf6730d2a0f6b0f6241eabfffeb153ffffb9feffffffffaaab",
    16,
)
R = 0x73EDA753299D7D483339D80809A1D80553BDA402FFFE5BFEFFFFFFFF00000001
B = 4
ENCODED_LENGTH = 48

_COMPRESSED = 0x80
_INFINITY = 0x40
_LARGER_Y = 0x20

Affine = tuple[int, int]
_Jacobian = tuple[int, int, int]


class PointError(ValueError):
    """The bytes are not an acceptable G1 point; ``reason`` says why."""

    def __init__(self, reason: "Reason") -> None:
        super().__init__(reason.value)
        self.reason = reason


class Reason(StrEnum):
    """Why bytes are not an acceptable G1 point."""

    LENGTH = "length"
    NOT_COMPRESSED = "not_compressed"
    INFINITY = "infinity"
    NON_CANONICAL = "non_canonical"
    NOT_ON_CURVE = "not_on_curve"
    NOT_IN_SUBGROUP = "not_in_subgroup"


def decode_g1(encoded: bytes) -> Affine:
    """The affine point ``encoded`` names, after every check; raises :class:`PointError`."""
    if len(encoded) != ENCODED_LENGTH:
        raise PointError(Reason.LENGTH)
    flags = encoded[0]
    if not flags & _COMPRESSED:
        raise PointError(Reason.NOT_COMPRESSED)
    x = int.from_bytes(encoded, "big") & ((1 << 381) - 1)
    if flags & _INFINITY:
        # The identity would make a signature that "verifies" for the identity message only;
        # a beacon never emits it, and its only canonical form is 0xc0 then zeros.
        if flags & _LARGER_Y or x:
            raise PointError(Reason.NON_CANONICAL)
        raise PointError(Reason.INFINITY)
    if x >= P:
        raise PointError(Reason.NON_CANONICAL)
    y = _sqrt((pow(x, 3, P) + B) % P)
    if y is None:
        raise PointError(Reason.NOT_ON_CURVE)
    if _is_larger(y) != bool(flags & _LARGER_Y):
        y = P - y
    point = (x, y)
    if not in_subgroup(point):
        raise PointError(Reason.NOT_IN_SUBGROUP)
    return point


def encode_g1(point: Affine) -> bytes:
    """The canonical compressed encoding of an affine point (not the identity)."""
    x, y = point
    encoded = bytearray(x.to_bytes(ENCODED_LENGTH, "big"))
    encoded[0] |= _COMPRESSED | (_LARGER_Y if _is_larger(y) else 0)
    return bytes(encoded)


def is_on_curve(point: Affine) -> bool:
    x, y = point
    return (y * y - pow(x, 3, P) - B) % P == 0


def in_subgroup(point: Affine) -> bool:
    """Whether ``R · point`` is the identity, i.e. the point has prime order ``R``."""
    return _multiply(point, R) is None


def add(a: Affine, b: Affine) -> Affine | None:
    """Affine addition; ``None`` stands for the identity."""
    return _to_affine(_add(_from_affine(a), _from_affine(b)))


def _is_larger(y: int) -> bool:
    return y > (P - 1) // 2


def _sqrt(value: int) -> int | None:
    # P ≡ 3 (mod 4), so a square root, when one exists, is value^((P+1)/4).
    root = pow(value, (P + 1) // 4, P)
    return root if root * root % P == value else None


def _from_affine(point: Affine) -> _Jacobian:
    return (point[0], point[1], 1)


def _to_affine(point: _Jacobian) -> Affine | None:
    x, y, z = point
    if z == 0:
        return None
    z_inv = pow(z, -1, P)
    z_inv2 = z_inv * z_inv % P
    return (x * z_inv2 % P, y * z_inv2 * z_inv % P)


def _double(point: _Jacobian) -> _Jacobian:
    x, y, z = point
    if z == 0 or y == 0:
        return (1, 1, 0)
    a = x * x % P
    b = y * y % P
    c = b * b % P
    d = 2 * ((x + b) ** 2 - a - c) % P
    e = 3 * a % P
    x3 = (e * e - 2 * d) % P
    return (x3, (e * (d - x3) - 8 * c) % P, 2 * y * z % P)


def _add(p: _Jacobian, q: _Jacobian) -> _Jacobian:
    x1, y1, z1 = p
    x2, y2, z2 = q
    if z1 == 0:
        return q
    if z2 == 0:
        return p
    z1z1 = z1 * z1 % P
    z2z2 = z2 * z2 % P
    u1 = x1 * z2z2 % P
    u2 = x2 * z1z1 % P
    s1 = y1 * z2 * z2z2 % P
    s2 = y2 * z1 * z1z1 % P
    if u1 == u2:
        return _double(p) if s1 == s2 else (1, 1, 0)
    h = (u2 - u1) % P
    i = (2 * h) ** 2 % P
    j = h * i % P
    r = 2 * (s2 - s1) % P
    v = u1 * i % P
    x3 = (r * r - j - 2 * v) % P
    y3 = (r * (v - x3) - 2 * s1 * j) % P
    z3 = ((z1 + z2) ** 2 - z1z1 - z2z2) * h % P
    return (x3, y3, z3)


def _multiply(point: Affine, scalar: int) -> Affine | None:
    result: _Jacobian = (1, 1, 0)
    base = _from_affine(point)
    for bit in bin(scalar)[2:]:
        result = _double(result)
        if bit == "1":
            result = _add(result, base)
    return _to_affine(result)
