"""An entries file held between its preview and its import, so the marketer uploads it once.

The import page reads an uploaded file and shows how it would be imported
(:func:`~contest.entries.csv_import.preview_entries_file`); the marketer may change the
mapping and preview again, then import. Meanwhile the file waits in a folder of the instance
that only the server's user may read (:mod:`contest.private_files`: the folder 0700, each
file 0600), for it holds entrants' personal data.

A held file is named by an unguessable token (:func:`secrets.token_urlsafe`, 256 bits) and
is bound to the contest and the person who uploaded it: the token of another person or
contest finds nothing. It is deleted once imported, and swept :data:`HELD_FOR` after it was
uploaded; a person holds at most :data:`HELD_PER_PERSON` files (uploading another drops
their oldest), so the folder stays small: each file is no larger than an upload may be.
"""

import json
import re
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

from contest.errors import NotFound
from contest.i18n import N_
from contest.private_files import make_private_folder, write_private_bytes

HELD_FOR = timedelta(days=1)
"""How long an uploaded file waits for its import."""
HELD_PER_PERSON = 3
"""How many files one person may have waiting at once (say, in three tabs)."""

_TOKEN = re.compile(r"[A-Za-z0-9_-]{43}")
_CONTENT = ".upload"
_ABOUT = ".json"


@dataclass(frozen=True)
class HeldFile:
    """An uploaded file waiting for its import."""

    token: str
    name: str
    """The file's name as uploaded (its extension says ``.xlsx`` or CSV)."""
    content: bytes
    contest_id: int
    user_id: int | None
    held_at: datetime


@dataclass(frozen=True)
class _About:
    token: str
    name: str
    contest_id: int
    user_id: int | None
    held_at: datetime


class HeldFiles:
    """The files waiting in ``folder`` (created 0700 when the first is held)."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder

    def hold(self, content: bytes, *, name: str, contest_id: int, user_id: int | None,
             now: datetime) -> str:
        """Keep ``content`` for ``user_id``'s import into ``contest_id``; returns its token.
        Sweeps the files older than :data:`HELD_FOR`, and the person's oldest beyond
        :data:`HELD_PER_PERSON`."""
        make_private_folder(self.folder)
        self.sweep(now)
        mine = sorted((about for about in self._all() if about.user_id == user_id),
                      key=lambda about: about.held_at)
        for about in mine[:max(0, len(mine) - HELD_PER_PERSON + 1)]:
            self.drop(about.token)
        token = secrets.token_urlsafe(32)
        # What the file is written first, then the file: a file without its description is
        # one being deleted, and the sweep may take it.
        write_private_bytes(self._path(token, _ABOUT), json.dumps(
            {"name": name, "contest": contest_id, "user": user_id,
             "held_at": now.isoformat()}).encode())
        write_private_bytes(self._path(token, _CONTENT), content)
        return token

    def take(self, token: str, *, contest_id: int, user_id: int | None,
             now: datetime) -> HeldFile:
        """The file held under ``token`` for this contest and person (it stays held). Raises
        :class:`NotFound` when there is none: a wrong or deleted token, another person's or
        contest's, or one older than :data:`HELD_FOR`."""
        about = self._about(token) if _TOKEN.fullmatch(token) else None
        if about is not None and now - about.held_at > HELD_FOR:
            self.drop(token)
            about = None
        content = None
        if about is not None and about.contest_id == contest_id and about.user_id == user_id:
            try:
                content = self._path(token, _CONTENT).read_bytes()
            except FileNotFoundError:
                content = None
        if about is None or content is None:
            raise NotFound(N_("the uploaded file is no longer kept (it was imported, was "
                              "uploaded more than a day ago, or was uploaded by someone "
                              "else): upload it again"))
        return HeldFile(token, about.name, content, about.contest_id, about.user_id,
                        about.held_at)

    def drop(self, token: str) -> None:
        """Delete the file held under ``token`` (nothing if there is none)."""
        if not _TOKEN.fullmatch(token):
            return
        self._path(token, _ABOUT).unlink(missing_ok=True)
        self._path(token, _CONTENT).unlink(missing_ok=True)

    def sweep(self, now: datetime) -> int:
        """Delete every file held longer than :data:`HELD_FOR`, and any file left without
        its description; returns how many files were deleted."""
        swept = 0
        for about in self._all():
            if now - about.held_at > HELD_FOR:
                self.drop(about.token)
                swept += 1
        for path in self.folder.glob(f"*{_CONTENT}"):
            if not self._path(path.stem, _ABOUT).exists():
                path.unlink(missing_ok=True)
                swept += 1
        return swept

    def _path(self, token: str, suffix: str) -> Path:
        return self.folder / f"{token}{suffix}"

    def _all(self) -> list[_About]:
        found = []
        for path in self.folder.glob(f"*{_ABOUT}"):
            about = self._about(path.stem)
            if about is not None:
                found.append(about)
        return found

    def _about(self, token: str) -> _About | None:
        try:
            data = json.loads(self._path(token, _ABOUT).read_bytes())
            return _About(token, str(data["name"]), int(data["contest"]),
                          None if data["user"] is None else int(data["user"]),
                          datetime.fromisoformat(data["held_at"]))
        except (OSError, ValueError, KeyError, TypeError):
            return None
