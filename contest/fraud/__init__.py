"""The participant graph and its detectors: entrants who are the sponsor's employees, their
relatives or household members, proxies (front people), or duplicate entrants.

:mod:`.people` reads who is looked at, :mod:`.names`, :mod:`.contacts` and :mod:`.addresses`
normalise them, :mod:`.graph` joins them, :mod:`.detectors` flag them, :mod:`.scan` runs it all.
"""
