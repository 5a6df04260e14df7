"""Entries: validating what an entrant sends, taking it in, importing and exporting CSV.

Every channel (web form, JSON API, CSV import) validates through
:func:`contest.entries.submission.parse_submission`; eligibility is decided by
:mod:`contest.entries.eligibility` and kept on the entry with its reason codes.
"""
