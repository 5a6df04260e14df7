from collections.abc import Callable
from typing import Any, TypeVar

from flask import Blueprint, Flask
from werkzeug.exceptions import BadRequest

_Exempt = TypeVar("_Exempt", bound=Blueprint | str | Callable[..., Any])

class CSRFError(BadRequest): ...

class CSRFProtect:
    def __init__(self, app: Flask | None = None) -> None: ...
    def init_app(self, app: Flask) -> None: ...
    def exempt(self, view: _Exempt) -> _Exempt: ...
