"""Draws: freezing the eligible tickets, the ``contest-draw/1`` protocol, bundles, verification."""
