"""A real S3 server for tests and benchmarks: SeaweedFS's `weed server -s3` on 127.0.0.1."""

from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

KEY, SECRET = "pamir-test-key", "pamir-test-secret"
# Every port the server listens on, each chosen free at run time (two servers can coexist).
PORTS = (
    "master.port",
    "master.port.grpc",
    "volume.port",
    "volume.port.grpc",
    "filer.port",
    "filer.port.grpc",
    "s3.port",
    "s3.port.grpc",
    "metricsPort",
)


def weed_binary() -> str | None:
    here = Path(sys.executable).parent / ("weed.exe" if os.name == "nt" else "weed")
    return str(here) if here.is_file() else shutil.which("weed")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Seaweed:
    """One server with its data under ``folder``; ``start``, ``stop`` (kills its process
    group: it is slow to stop on SIGTERM) and ``start`` again on the same ports and data."""

    def __init__(self, folder: Path, binary: str) -> None:
        self.folder = folder
        self.binary = binary
        self.ports = {name: free_port() for name in PORTS}
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def endpoint(self) -> str:
        return f"http://127.0.0.1:{self.ports['s3.port']}"

    def start(self, timeout: float = 60.0) -> None:
        (self.folder / "data").mkdir(parents=True, exist_ok=True)
        config = self.folder / "s3.json"
        identity = {"name": "test", "credentials": [{"accessKey": KEY, "secretKey": SECRET}]}
        identity["actions"] = ["Admin", "Read", "Write", "List", "Tagging"]
        config.write_text(json.dumps({"identities": [identity]}), encoding="utf-8")
        args = [
            self.binary,
            "server",
            f"-dir={self.folder / 'data'}",
            "-ip=127.0.0.1",
            "-ip.bind=127.0.0.1",
            "-s3",
            f"-s3.config={config}",
            "-s3.port.iceberg=0",
            "-s3.port.lance=0",
            # Small volumes, as many as the disk holds: every bucket is a collection of
            # its own with volumes of its own, and each test makes a bucket.
            "-master.volumeSizeLimitMB=16",
            "-volume.max=0",
            *(f"-{name}={port}" for name, port in self.ports.items()),
        ]
        log = open(self.folder / "weed.log", "ab")  # noqa: SIM115 (the server keeps it)
        self.process = subprocess.Popen(
            args, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
        )
        log.close()
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"weed exited: {(self.folder / 'weed.log').read_text()[-2000:]}")
            try:
                urllib.request.urlopen(self.endpoint, timeout=1)
            except urllib.error.HTTPError:
                return  # it answers (403 without credentials): ready
            except OSError:
                time.sleep(0.2)
        self.stop()
        raise RuntimeError("weed did not answer within the time allowed")

    def stop(self) -> None:
        if self.process is None:
            return
        if self.process.poll() is None:
            try:
                os.killpg(self.process.pid, signal.SIGKILL)
            except (ProcessLookupError, AttributeError):
                self.process.kill()
        self.process.wait(timeout=30)
        self.process = None
