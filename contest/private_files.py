"""Files no other user of the machine may read: the instance folder (mode 0700), the secrets
and the SQLite database (0600), which hold every entrant's personal data and the staff's
password hashes.

Each is made with its mode from the start — a folder by ``mkdir`` with mode 0700, a file by
``os.open`` with ``O_CREAT | O_EXCL`` and mode 0600 — so there is no moment at which another
user could open it, whatever the umask. A folder or file that an older version left wider
(0755, 0644) is narrowed when it is next used, with a warning naming it; modes are never
widened.
"""

import logging
import os
import secrets
import stat
from pathlib import Path

PRIVATE_FOLDER = 0o700
PRIVATE_FILE = 0o600

log = logging.getLogger(__name__)


def make_private_folder(path: Path) -> Path:
    """Create ``path`` (and missing parents) if it does not exist; the folder itself 0700.
    An existing folder keeps its mode (see :func:`narrow` for the instance folder)."""
    path.mkdir(mode=PRIVATE_FOLDER, parents=True, exist_ok=True)
    return path


def create_private_file(path: Path, text: str = "") -> bool:
    """Create ``path`` holding ``text``, readable and writable by its owner only; False,
    touching nothing, if it already exists.

    The text is written to a private file of its own first and then linked to ``path``, so
    of two processes starting at once one makes the file and the other reads it whole."""
    make_private_folder(path.parent)
    draft = path.with_name(f".{path.name}.{os.getpid()}.{secrets.token_hex(4)}")
    _write_new(draft, text)
    try:
        os.link(draft, path)
    except FileExistsError:
        return False
    finally:
        draft.unlink()
    return True


def _write_new(path: Path, text: str) -> None:
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, PRIVATE_FILE)
    with os.fdopen(descriptor, "w", encoding="utf-8") as file:
        os.fchmod(file.fileno(), PRIVATE_FILE)  # exactly 0600, even under an odd umask
        file.write(text)


def write_private_bytes(path: Path, content: bytes) -> None:
    """Write ``content`` to the new file ``path``, readable and writable by its owner only;
    raises :class:`FileExistsError` if it exists (a file is never overwritten)."""
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, PRIVATE_FILE)
    with os.fdopen(descriptor, "wb") as file:
        os.fchmod(file.fileno(), PRIVATE_FILE)  # exactly 0600, even under an odd umask
        file.write(content)


def narrow(path: Path, allowed: int) -> None:
    """Take from ``path`` every permission bit outside ``allowed``, saying so in a warning;
    nothing if it is narrow enough, missing, or not ours to change."""
    try:
        found = path.stat()
    except FileNotFoundError:
        return
    now = stat.S_IMODE(found.st_mode)
    if now & ~allowed == 0:
        return
    if found.st_uid != os.geteuid():
        log.warning("%s is readable by other users (mode %04o) and belongs to another user; "
                    "give it mode %04o", path, now, now & allowed)
        return
    path.chmod(now & allowed)
    log.warning("%s was readable by other users (mode %04o); it is now %04o",
                path, now, now & allowed)
