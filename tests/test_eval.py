"""The evaluation gate: the shared scorer, run through the real CLI on the
shared gold files, must stay at or above the floors in eval/floors.json.
Floors only ever rise."""

from __future__ import annotations

import json
import shlex
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
SCORER = SHARED / "eval" / "score.py"
FLOORS = ROOT / "eval" / "floors.json"

pytestmark = pytest.mark.skipif(not SCORER.exists(), reason=f"{SCORER} is absent: no shared gold to score against")


def summary_metrics(line: str) -> dict[str, float]:
    metrics = {}
    for pair in line.split():
        key, _, value = pair.partition("=")
        try:
            metrics[key] = float(value)
        except ValueError:
            continue
    return metrics


def test_scores_stay_above_floors() -> None:
    floors: dict[str, float] = json.loads(FLOORS.read_text())["floors"]
    command = (f"{shlex.quote(sys.executable)} -m eventcoder.cli extract {{text}}"
               " --published {published} --format json")
    args = [sys.executable, str(SCORER), "--gold-dir", str(SHARED / "eval" / "gold"), "--run", command]
    args += [f"--min={name}={value}" for name, value in floors.items()]
    done = subprocess.run(args, capture_output=True, text=True, timeout=900, cwd=ROOT)
    last = done.stdout.strip().splitlines()[-1] if done.stdout.strip() else done.stderr
    metrics = summary_metrics(last)
    below = {name: (metrics.get(name), floor) for name, floor in floors.items()
             if metrics.get(name, -1.0) < floor}
    assert done.returncode == 0 and not below, f"below floors {below}; scorer said: {last}\n{done.stderr[-2000:]}"
