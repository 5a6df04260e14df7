"""Who is "the same person": the keys that make two spellings of one mailbox, one phone or one
home equal, and keep two people apart.

The entry limits (:mod:`contest.entries.eligibility`), the entry intake
(:mod:`contest.entries.submission`) and the participant graph (:mod:`contest.fraud.graph`)
all ask this package, so that an entrant's receipt and the fraud scan read one person alike.
It is a leaf: it imports no other package of ``contest``.

- :mod:`.contacts`: the mailbox of an e-mail address, a phone in E.164, a device;
- :mod:`.addresses`: the household (building and flat) of a postal address;
- :mod:`.skeleton`: the Latin skeleton that street, city and person names are compared by.
"""
