from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta, tzinfo

from babel import Locale
from flask import Flask

class Babel:
    def __init__(
        self,
        app: Flask | None = None,
        date_formats: dict[str, str | None] | None = None,
        configure_jinja: bool = True,
        *,
        default_locale: str = "en",
        default_domain: str = "messages",
        default_translation_directories: str = "translations",
        default_timezone: str = "UTC",
        locale_selector: Callable[[], str | Locale | None] | None = None,
        timezone_selector: Callable[[], str | tzinfo | None] | None = None,
    ) -> None: ...
    def init_app(
        self,
        app: Flask,
        default_locale: str = "en",
        default_domain: str = "messages",
        default_translation_directories: str = "translations",
        default_timezone: str = "UTC",
        locale_selector: Callable[[], str | Locale | None] | None = None,
        timezone_selector: Callable[[], str | tzinfo | None] | None = None,
    ) -> None: ...

def get_locale() -> Locale | None: ...
@contextmanager
def force_locale(locale: str | Locale) -> Iterator[None]: ...
def format_timedelta(
    datetime_or_timedelta: datetime | timedelta,
    granularity: str = "second",
    add_direction: bool = False,
    threshold: float = 0.85,
) -> str: ...
def gettext(string: str, **variables: object) -> str: ...
def ngettext(singular: str, plural: str, num: int, **variables: object) -> str: ...
