"""Web commands for the ``contest`` CLI (registered through an entry point).

``contest serve`` runs Flask's development server (the demo's); with ``--workers N`` it runs
gunicorn instead, the production server: N worker processes of ``--threads`` threads each,
every worker building its own app (and so its own database pool) after the fork, access and
error logs on standard output and standard error.
"""

import click
from flask import Flask
from gunicorn.app.base import BaseApplication


@click.command()
@click.option("--bind", default="127.0.0.1:5000", show_default=True, help="HOST:PORT")
@click.option("--workers", type=click.IntRange(min=1),
              help="Serve with gunicorn and this many worker processes (production).")
@click.option("--threads", type=click.IntRange(min=1), default=16, show_default=True,
              help="Threads per gunicorn worker (the entries of those taking entries at one "
                   "moment are stored together).")
@click.option("--debug", is_flag=True, help="Reload on code changes (development only).")
def serve(bind: str, workers: int | None, threads: int, debug: bool) -> None:
    """Serve the web app."""
    from contest.errors import ContestError
    from web import create_app

    host, _, port = bind.rpartition(":")
    if not host or not port.isdigit():
        raise click.BadParameter(f"expected HOST:PORT, got {bind!r}", param_hint="--bind")
    try:
        app = create_app()  # checks the configuration before any worker starts
    except ContestError as error:
        raise click.ClickException(error.text()) from None
    if workers is not None:
        if debug:
            raise click.BadParameter("--debug is for the development server, not --workers",
                                     param_hint="--debug")
        app.extensions["contest.integrator"].stop()  # each worker runs its own, not forked
        del app
        click.echo(f"serving on http://{bind}/ with {workers} gunicorn workers × {threads} "
                   "threads (Ctrl+C to stop)")
        _Gunicorn(bind, workers, threads).run()
        return
    click.echo(f"serving on http://{bind}/ (Ctrl+C to stop)")
    app.run(host=host, port=int(port), debug=debug, use_reloader=debug, threaded=True)


class _Gunicorn(BaseApplication):
    """gunicorn run from Python, so ``contest serve`` needs no separate config file."""

    def __init__(self, bind: str, workers: int, threads: int) -> None:
        self.options = {
            "bind": bind, "workers": workers, "threads": threads, "worker_class": "gthread",
            "accesslog": "-", "errorlog": "-", "preload_app": False,
            "control_socket_disable": True,  # several servers may share a machine
            # A draw's freeze of a million tickets takes a few seconds; a CSV import longer.
            "timeout": 300, "graceful_timeout": 30,
        }
        super().__init__()

    def load_config(self) -> None:
        for name, value in self.options.items():
            self.cfg.set(name, value)

    # types-gunicorn types start_response as (status, headers) -> None, narrower than PEP 3333's
    # (with exc_info, returning write) that Flask accepts: a Flask app is a WSGI app all the same.
    def load(self) -> Flask:  # type: ignore[override]
        from web import create_app

        return create_app()
