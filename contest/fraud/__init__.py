"""The participant graph and its detectors: entrants who are the sponsor's employees, their
relatives or household members, proxies (front people), or duplicate entrants.

:mod:`.people` reads who is looked at, :mod:`.names` and :mod:`contest.identity` (mailboxes,
phones, households: the keys the entry limits count by too) normalise them, :mod:`.graph` joins
them, :mod:`.detectors` flag them, :mod:`.scan` runs it all.
"""
