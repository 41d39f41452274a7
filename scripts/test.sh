#!/usr/bin/env bash
# Set everything up and run the lint and the whole test suite. Fails when no test ran.
# The tests run on every core (pytest-xdist, a module's tests on one worker); those marked
# `alone` (they measure paint times) run afterwards by themselves. Arguments go to pytest.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh --test
.venv/bin/ruff check .
# Sites built once for both halves: the 1,000-item site whose page weights the parallel half
# checks is the one whose paint times the alone half measures (tests/site/test_weights.py).
PAMIR_TEST_SITES="$(mktemp -d)"
export PAMIR_TEST_SITES
trap 'rm -rf "$PAMIR_TEST_SITES"' EXIT
parallel=0
.venv/bin/python -m pytest -n auto --dist loadscope -m "not alone" "$@" || parallel=$?
alone=0
.venv/bin/python -m pytest -p no:xdist -m alone "$@" || alone=$?
# 5 means "no test was collected": fine for one half, not for both.
if [ "$parallel" = 5 ] && [ "$alone" = 5 ]; then
  echo "test.sh: no tests ran" >&2
  exit 1
fi
for status in "$parallel" "$alone"; do
  if [ "$status" != 0 ] && [ "$status" != 5 ]; then
    exit "$status"
  fi
done
