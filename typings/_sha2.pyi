# CPython 3.12 and later: the module 3.11 called _sha256; typeshed has no stub for either.
# Its hash object is not OpenSSL's HASH, but has the same methods.
from _hashlib import HASH

from _typeshed import ReadableBuffer

def sha256(string: ReadableBuffer = b"", *, usedforsecurity: bool = True) -> HASH: ...
