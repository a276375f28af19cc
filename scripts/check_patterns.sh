#!/usr/bin/env bash
# Generate the pattern corpus and check every pattern with the real Strudel engine (strict sounds).
# Env: PYTHON (default python), STRUDEL_CHECK (default ../shared/strudel-check/run.sh from repo root).
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
python=${PYTHON:-python}
check=${STRUDEL_CHECK:-$root/../shared/strudel-check/run.sh}
results=$(mktemp)
trap 'rm -f "$results"' EXIT

"$python" "$root/scripts/pattern_corpus.py" | "$check" --strict >"$results"

total=$(grep -c . "$results" || true)
failed=$(grep -cE '"ok": ?false' "$results" || true)
if [[ $failed -gt 0 ]]; then
  grep -E '"ok": ?false' "$results"
  echo "check_patterns: $failed of $total patterns FAILED" >&2
  exit 1
fi
if [[ $total -eq 0 ]]; then
  echo "check_patterns: no results (corpus or checker failed)" >&2
  exit 1
fi
echo "check_patterns: all $total patterns ok"
