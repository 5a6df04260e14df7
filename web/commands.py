"""Web commands for the ``contest`` CLI (registered through an entry point)."""

import click


@click.command()
@click.option("--bind", default="127.0.0.1:5000", show_default=True, help="HOST:PORT")
@click.option("--debug", is_flag=True, help="Reload on code changes (development only).")
def serve(bind: str, debug: bool) -> None:
    """Serve the web app."""
    from web import create_app

    host, _, port = bind.rpartition(":")
    if not host or not port.isdigit():
        raise click.BadParameter(f"expected HOST:PORT, got {bind!r}", param_hint="--bind")
    from contest.errors import ContestError

    try:
        app = create_app()
    except ContestError as error:
        raise click.ClickException(error.text()) from None
    click.echo(f"serving on http://{bind}/ (Ctrl+C to stop)")
    app.run(host=host, port=int(port), debug=debug, use_reloader=debug, threaded=True)
