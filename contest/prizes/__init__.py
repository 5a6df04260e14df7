"""The prize advisor: which prizes suit a contest's entrants, and what would suit more.

The public surface:

* :mod:`contest.prizes.catalogue` — the prize catalogue (data in ``data/catalogue.toml``):
  :func:`~contest.prizes.catalogue.default_catalogue`, :class:`~contest.prizes.catalogue.PrizeType`;
* :mod:`contest.prizes.matching` — :func:`~contest.prizes.matching.match_prize`: free text to
  a prize type, or unknown;
* :mod:`contest.prizes.audience` — the audience by age (entrants, or the rules' range over
  UN population profiles) and :func:`~contest.prizes.audience.universality`;
* :mod:`contest.prizes.advice` — :func:`~contest.prizes.advice.advise`,
  :func:`~contest.prizes.advice.contest_advice`: warnings, alternatives, a cash alternative;
* :mod:`contest.prizes.chart` — the age histogram and its SVG and text renderings;
* :mod:`contest.prizes.draft` — the advice on a contest's working draft, a prize to try, and
  a suggestion put in a prize's place (the marketer's prize editor);
* :mod:`contest.cli.prizes` (with the other commands) — ``contest prizes match`` and
  ``contest prizes check``.
"""
