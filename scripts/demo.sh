#!/usr/bin/env bash
# Set everything up, ingest the sample media into demo/archive, export the site to
# demo/site, and say where it is.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
archive=".venv/bin/archive"
$archive --archive demo/archive ingest --quiet samples/media
$archive --archive demo/archive export demo/site
echo "The sample site is at $(pwd)/demo/site/index.html"
