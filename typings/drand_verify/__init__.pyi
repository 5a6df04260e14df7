# Each verifier returns the round's randomness (SHA-256 of the signature) as hex, and raises
# ValueError when the signature does not verify.

def verify_bls_unchained_g1_rfc9380(round: int, sig: str, pk_str: str) -> str: ...
