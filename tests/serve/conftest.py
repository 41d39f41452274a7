"""Fixtures of the app's tests: a tiny archive, and `archive serve` in a real process."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import threading
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import skip_unless_ci, wait_until

REPO = Path(__file__).resolve().parents[2]
SAMPLES = REPO / "samples" / "media"
PHOTO = SAMPLES / "khorog-workshop" / "felt-drying.jpg"
VIDEO = SAMPLES / "2015-11-mardilaat" / "fair-clip.webm"


def cli(*args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
    """The real `archive` command in a subprocess."""
    done = subprocess.run(
        [sys.executable, "-m", "archive.cli", *args],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=REPO,
    )
    if check:
        assert done.returncode == 0, done.stderr
    return done


def make_archive(tmp: Path, *files: Path) -> tuple[Path, dict[str, str]]:
    """An archive of ``files`` ingested by the CLI; returns it and file name → key."""
    if shutil.which("ffmpeg") is None:
        skip_unless_ci("ffmpeg is needed to ingest the sample files")
    incoming, archive = tmp / "incoming", tmp / "archive"
    incoming.mkdir()
    for path in files:
        shutil.copy2(path, incoming / path.name)
    done = cli("-a", str(archive), "ingest", "--quiet", str(incoming), check=False)
    assert done.returncode in (0, 3), done.stderr  # 3: a value in a file was not accepted
    listed = json.loads(cli("-a", str(archive), "list", "--json").stdout)
    keys = {Path(item["source_paths"][0]).name: item["key"] for item in listed}
    return archive, keys


@dataclass
class Server:
    """`archive serve` running in its own process."""

    process: subprocess.Popen[str]
    url: str
    token: str | None
    stderr: list[str] = field(default_factory=list)

    def request(
        self,
        method: str,
        path: str,
        body: Any = None,
        headers: dict[str, str] | None = None,
        *,
        raw: bytes | None = None,
    ) -> tuple[int, dict[str, str], Any]:
        """One HTTP request; returns the status, the headers and the body (JSON if it is)."""
        data = raw if raw is not None else (None if body is None else json.dumps(body).encode())
        sent = {"Content-Type": "application/json"} if body is not None else {}
        sent.update(headers or {})
        req = urllib.request.Request(self.url + path.lstrip("/"), data, sent, method=method)
        try:
            with urllib.request.urlopen(req, timeout=30) as answer:
                status, got, content = answer.status, dict(answer.headers), answer.read()
        except urllib.error.HTTPError as exc:
            status, got, content = exc.code, dict(exc.headers), exc.read()
        kind = {k.lower(): v for k, v in got.items()}.get("content-type", "")
        if kind.startswith("application/json"):
            return status, got, json.loads(content)
        return status, got, content.decode("utf-8", errors="replace")

    def stop(self) -> int:
        """Ctrl-C, as a person stops it; the exit code."""
        if os.name == "nt":
            self.process.terminate()
        else:
            self.process.send_signal(signal.SIGINT)
        return self.process.wait(timeout=20)


def start(archive: Path, *args: str) -> Server:
    process = subprocess.Popen(
        [sys.executable, "-m", "archive.cli", "-a", str(archive), "serve", "--port", "0",
         "--json", *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        cwd=REPO,
    )  # fmt: skip
    lines: list[str] = []
    reader = threading.Thread(target=lambda: lines.append(process.stdout.readline()), daemon=True)
    reader.start()
    reader.join(timeout=60)
    if not lines or not lines[0].strip():
        process.kill()
        raise AssertionError(f"archive serve did not start: {process.stderr.read()}")
    started = json.loads(lines[0])
    server = Server(process, started["url"], started["token"])
    threading.Thread(
        target=lambda: server.stderr.extend(process.stderr), daemon=True
    ).start()  # fmt: skip
    auth = {"Authorization": f"Bearer {server.token}"} if server.token else {}
    wait_until(
        lambda: _answers(server, auth), timeout=30, what="the app to answer /api/lock"
    )  # fmt: skip
    return server


def _answers(server: Server, headers: dict[str, str]) -> bool:
    try:
        return server.request("GET", "/api/lock", headers=headers)[0] == 200
    except OSError:
        return False


@pytest.fixture
def running() -> Iterator[Any]:
    """``running(archive, *args)`` starts a server, stopped (by Ctrl-C) after the test,
    which must exit with 0 and say it stopped."""
    servers: list[Server] = []

    def run(archive: Path, *args: str) -> Server:
        servers.append(start(archive, *args))
        return servers[-1]

    yield run
    for server in servers:
        code = server.stop()
        assert code == 0, "".join(server.stderr)
        wait_until(lambda s=server: any("Stopped." in x for x in s.stderr), timeout=5,
                   what="the server to say it stopped")  # fmt: skip
