"""The app's secret key as bytes: the key of the HMACs that make the private links (a
receipt's, a confirmation's) and check the Telegram webhook's secret header."""

from flask import Flask, current_app


def secret_key(app: Flask | None = None) -> bytes:
    """The secret key of ``app`` (by default the current one), as bytes."""
    secret = (app or current_app).secret_key
    assert secret is not None
    return secret if isinstance(secret, bytes) else secret.encode()
