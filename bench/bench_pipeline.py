"""Benchmark: docs/s of bare spaCy vs the full eventcoder pipeline; prints one JSON line.

    .venv/bin/python bench/bench_pipeline.py --corpus ../shared/corpus/news --limit 1000 --workers 2

Same as ``eventcoder bench``; see docs/benchmarks.md for what the numbers mean.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=None,
                        help="file or directory of text/HTML/JSONL news (default: the bundled samples/)")
    parser.add_argument("--limit", type=int, default=200, help="documents to time (a small corpus is cycled)")
    parser.add_argument("--workers", type=int, default=1, help="processes; >1 also runs 1 for the speed-up")
    args = parser.parse_args(argv)

    from eventcoder.bench import run_benchmark
    from eventcoder.config import Settings
    from eventcoder.errors import EventcoderError

    try:
        result = run_benchmark(args.corpus, limit=args.limit, workers=args.workers, settings=Settings.from_env())
    except EventcoderError as error:
        print(f"bench_pipeline: {error}", file=sys.stderr)
        return 2
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
