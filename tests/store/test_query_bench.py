"""Smoke test of bench/query_bench.py on a small store: it runs and reports every query (no timing asserted)."""

import importlib.util
import json
from pathlib import Path

BENCH = Path(__file__).resolve().parents[2] / "bench" / "query_bench.py"


def test_query_bench_runs_on_a_small_store(tmp_path, capsys):
    spec = importlib.util.spec_from_file_location("query_bench", BENCH)
    assert spec and spec.loader
    bench = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(bench)
    assert bench.main(["--events", "2000", "--runs", "2", "--db", str(tmp_path / "bench.duckdb")]) == 0
    line = json.loads(capsys.readouterr().out)
    assert line["events"] == 2000 and line["n_queries"] == len(line["queries"]) >= 20
    assert all(set(figures) == {"p50_ms", "p95_ms"} for figures in line["queries"].values())
