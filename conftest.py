"""Shared pytest fixtures for tests/ and features/ (see tests/fixtures.py)."""

pytest_plugins = ["tests.fixtures"]
