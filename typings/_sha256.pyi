# CPython 3.11's own SHA-256 (3.12 renamed the module _sha2); typeshed has no stub for either.
# Its hash object is not OpenSSL's HASH, but has the same methods.
from _hashlib import HASH

from _typeshed import ReadableBuffer

def sha256(string: ReadableBuffer = b"", *, usedforsecurity: bool = True) -> HASH: ...
