"""Fail unless every strudel-check result line in the given file is ok."""

from __future__ import annotations

import json
import sys
from pathlib import Path


def main(path: str) -> int:
    """Print failures and a count; exit 1 on any failure or on no results."""
    results = [json.loads(line) for line in Path(path).read_text().splitlines() if line.strip()]
    failed = [r for r in results if not r.get("ok")]
    for result in failed:
        print(
            json.dumps({k: result.get(k) for k in ("id", "error_kind", "error", "unknown_sounds")})
        )
    print(f"strudel-check: {len(results) - len(failed)} passed, {len(failed)} failed")
    return 1 if failed or not results else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
