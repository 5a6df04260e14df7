from collections.abc import Callable
from datetime import timedelta
from typing import Any, TypeVar

from flask import Flask
from werkzeug.wrappers.response import Response

_Loader = TypeVar("_Loader", bound=Callable[[str], object])

class UserMixin:
    @property
    def is_active(self) -> bool: ...
    @property
    def is_authenticated(self) -> bool: ...
    @property
    def is_anonymous(self) -> bool: ...
    def get_id(self) -> str: ...

class LoginManager:
    login_view: str | None
    login_message: str
    def __init__(self, app: Flask | None = None, add_context_processor: bool = True) -> None: ...
    def init_app(self, app: Flask, add_context_processor: bool = True) -> None: ...
    def user_loader(self, callback: _Loader) -> _Loader: ...
    # Redirects to login_view, or aborts with 401 when there is none.
    def unauthorized(self) -> Response: ...

# The object the application's user_loader returned for this request, or an anonymous user:
# its class is the application's, which the library cannot name.
current_user: Any

def login_user(
    user: UserMixin,
    remember: bool = False,
    duration: timedelta | None = None,
    force: bool = False,
    fresh: bool = True,
) -> bool: ...
def logout_user() -> bool: ...
