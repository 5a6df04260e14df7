"""The postman: mails the confirmation links of the entries a process took, after their
commit, on a thread of its own (:mod:`contest.entries.confirmation`).

An entry's request commits the entry, waiting for confirmation, and hands its id to the
process's postman (:meth:`Postman.post`); the request answers at once. The postman's thread
takes what was handed in since its last round, all of it, and sends the links over one
connection to the SMTP server (:func:`~contest.entries.confirmation.mail_links`), so a busy
contest costs the mail server one connection per round rather than one per entry, and a
slow or stopped mail server never slows or refuses an entry.

What a stopped process had not sent yet is not lost: the entry waits, its receipt offers to
send the link again, and ``contest entries mail`` sends every link never sent.
"""

import logging
import queue
import threading
from functools import partial

from flask import Flask, current_app
from sqlmodel import Session

from contest.entries.confirmation import confirmation_link, mail_links
from contest.smtp import Mailer
from web.keys import secret_key

log = logging.getLogger(__name__)

ROUND = 500
"""Links one round sends at most; what is left goes in the next."""


class Postman:
    """Mails the links of the entries handed in, in rounds, from a daemon thread."""

    def __init__(self, app: Flask) -> None:
        self.app = app
        self._handed_in: queue.Queue[int] = queue.Queue()
        self._lock = threading.Lock()
        self._thread: threading.Thread | None = None

    def post(self, entry_id: int) -> None:
        """Hand in the entry ``entry_id``, committed, whose link is to be mailed."""
        with self._lock:
            if self._thread is None or not self._thread.is_alive():
                self._thread = threading.Thread(target=self._run, name="postman",
                                                daemon=True)
                self._thread.start()
        self._handed_in.put(entry_id)

    def wait(self) -> None:
        """Return once every entry handed in so far was tried (sent, or failed and logged)."""
        self._handed_in.join()

    def _run(self) -> None:
        while True:
            batch = [self._handed_in.get()]
            while len(batch) < ROUND:
                try:
                    batch.append(self._handed_in.get_nowait())
                except queue.Empty:
                    break
            try:
                self._deliver(batch)
            except Exception:  # a database away, say: the entries wait; their receipts resend
                log.exception("the postman could not mail %d confirmation links", len(batch))
            finally:
                for _ in batch:
                    self._handed_in.task_done()

    def _deliver(self, entry_ids: list[int]) -> None:
        with self.app.app_context():
            config = current_app.config
            mailer = Mailer.from_settings(config["SMTP_URL"], config["MAIL_FROM"])
            if mailer is None:
                return  # the receipt says the site has no mail server when asked again
            engine = current_app.extensions["contest.engine"]
            with Session(engine, expire_on_commit=False) as session:
                posted = mail_links(session, entry_ids=entry_ids,
                                    link=partial(confirmation_link, config["BASE_URL"],
                                                 secret=secret_key(self.app)),
                                    mailer=mailer, now=config["CLOCK"]())
                session.commit()
            if posted.failed:
                log.warning("the postman sent %d confirmation links; %d not sent",
                            posted.sent, len(posted.failed))


def init_app(app: Flask) -> None:
    app.extensions["contest.postman"] = Postman(app)


def postman() -> Postman:
    """The app's postman."""
    found: Postman = current_app.extensions["contest.postman"]
    return found
