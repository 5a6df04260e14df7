"""contest: a fairness auditor for promotional contests and giveaways.

The domain library: rules, entries, eligibility, and (later) the participant graph, the draw
and its public log. It never imports Flask; the web app in ``web/`` sits on top of it.
"""

__version__ = "0.1.0"
