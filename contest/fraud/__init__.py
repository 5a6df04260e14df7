"""The participant graph and its detectors.

Employees, relatives, household members, proxies and duplicate entrants (a later issue).
"""
