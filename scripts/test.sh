#!/usr/bin/env bash
# Set everything up and run the lint and the whole test suite. Fails when no test ran.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh --test
.venv/bin/ruff check .
status=0
.venv/bin/python -m pytest "$@" || status=$?
if [ "$status" = 5 ]; then
  echo "test.sh: no tests ran" >&2
  exit 1
fi
exit "$status"
