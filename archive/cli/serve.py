"""`archive serve`: the curation app in the browser, on this machine or an office network."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import click

from archive.cli import output
from archive.cli.options import archive_option, json_option, layout


@click.command()
@archive_option
@click.option(
    "--host",
    default="127.0.0.1",
    show_default=True,
    help="The address to listen on; any other than this machine's needs a token.",
)
@click.option(
    "--port",
    type=click.IntRange(0, 65535),
    default=8000,
    show_default=True,
    help="0: any free port.",
)
@click.option("--open", "open_browser", is_flag=True, help="Open the app in the web browser.")
@click.option("--oai", is_flag=True, help="Also answer OAI-PMH harvesters at /oai.")
@click.option(
    "--site",
    type=click.Path(path_type=Path, file_okay=False),
    default=None,
    help="Where the Publish button writes the website (default: [serve] site in archive.toml).",
)
@json_option
@click.pass_context
def serve(
    ctx: click.Context,
    archive_path: Path | None,
    host: str,
    port: int,
    open_browser: bool,
    oai: bool,
    site: Path | None,
    as_json: bool,
) -> None:
    """Describe the archive in the browser: browse, edit, to do, conflicts, history, publish.

    Runs until Ctrl-C. It listens on this machine only (127.0.0.1) unless --host says
    otherwise; then every request needs the token, printed once here (or set as
    `[serve] token` in archive.toml). Edits wait for other commands' lock and are recorded
    in the history like the command line's. With --json, {"url": …, "token": …} is printed
    on stdout once it listens (for scripts that start it with --port 0).

    \b
    Example:
        archive serve --open
        archive serve --host 0.0.0.0 --port 8000 --site ../site
    """
    from archive.serve.app import Options
    from archive.serve.app import serve as run

    def ready(url: str, token: str | None) -> None:
        address = f"{url}login?token={token}" if token else url
        if as_json:
            output.print_json_line({"url": url, "token": token})
        output.err(f"The archive app is at {address} (Ctrl-C stops it)")
        if token:
            output.err("Anyone with this address and token can change the archive: share it only")
            output.err("with the people who describe it.")
        if open_browser:
            import webbrowser

            webbrowser.open(address)

    options = Options(host=host, port=port, site=site, oai=oai)
    until_stopped(lambda: run(layout(ctx, archive_path), options, ready=ready), host, port)


def until_stopped(serving: Callable[[], None], host: str, port: int) -> None:
    """Run a server until Ctrl-C, which is how a server is meant to stop (uvicorn has shut
    down cleanly by then); a port that cannot be had is the user's to change."""
    try:
        serving()
    except KeyboardInterrupt:
        pass
    except OSError as exc:
        raise click.ClickException(
            f"cannot listen on {host}:{port}: {exc.strerror or exc}"
        ) from exc
    output.err("Stopped.")


COMMANDS = [serve]
