"""Pausing Python's cycle collector while a fraud scan or a large read builds millions of
small objects.

The collector runs whenever enough new objects have been allocated since its last run, and
its full runs walk every live object: on a million entries that is a third of the time, for
no cycle worth collecting (people, profiles and their keys refer to nothing that refers back).
"""

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def cycle_collection_paused() -> Iterator[None]:
    """Run the block with the cycle collector off (back on afterwards if it was on)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()
