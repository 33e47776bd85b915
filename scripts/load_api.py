"""Bounded load test of the eventcoder API (localhost only; stops by itself).

    python scripts/load_api.py --url http://127.0.0.1:8000 --seconds 30 --threads 16
    python scripts/load_api.py --db demo.duckdb --seconds 30     # starts `eventcoder serve` on a free port
    python scripts/load_api.py --db demo.duckdb --workers 2      # ... with two server processes
    python scripts/load_api.py --make-store big.duckdb --events 100000   # synthetic store, then --db big.duckdb

Prints one JSON object: requests per second, p50/p99 latency and errors, overall
and per endpoint. Requests go only to 127.0.0.1; the run ends after --seconds.

Each client thread keeps one HTTP/1.1 connection open, as a browser or an API
client does, and uses the standard library's ``http.client``: the load generator
shares the machine with the server and should spend as little CPU as it can.
With ``--db`` the server runs in its own process (``eventcoder serve``), as it
does in use, not in the load generator's interpreter. One-id endpoints cycle
through the ids of a first page of events and of actors.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import defaultdict
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlencode, urlsplit

ALLOWED_HOSTS = ("127.0.0.1",)
MAX_SECONDS = 3600
MAX_THREADS = 64
#: Endpoint name -> path (with query). ``{event_id}`` and ``{actor_id}`` take each id of a first listing in turn.
DEFAULT_ENDPOINTS: dict[str, str] = {
    "summary": "/api/summary",
    "events": "/api/events?limit=50",
    "events_filtered": "/api/events?limit=50&modality=asserted&min_confidence=0.5",
    "events_text": "/api/events?limit=20&q=minister",
    "event": "/api/events/{event_id}",
    "actors": "/api/actors?q=a&limit=20",
    "actor": "/api/actors/{actor_id}",
    "timeline": "/api/timeline?bucket=month",
    "network": "/api/network?limit=60",
    "places": "/api/places",
}
ID_SAMPLE = 50  # events (and at most as many actors) whose ids the one-id endpoints cycle through


@dataclass
class Tally:
    latencies_ms: list[float] = field(default_factory=list)
    status: dict[int, int] = field(default_factory=lambda: defaultdict(int))
    transport_errors: int = 0

    def report(self, seconds: float) -> dict[str, Any]:
        count = len(self.latencies_ms)
        return {
            "requests": count,
            "req_per_s": round(count / seconds, 1) if seconds else 0.0,
            "p50_ms": round(percentile(self.latencies_ms, 50), 2),
            "p99_ms": round(percentile(self.latencies_ms, 99), 2),
            "errors_4xx": sum(n for code, n in self.status.items() if 400 <= code < 500),
            "errors_5xx": sum(n for code, n in self.status.items() if code >= 500),
            "transport_errors": self.transport_errors,
        }


def percentile(values: list[float], pct: float) -> float:
    if not values:
        return 0.0
    if len(values) == 1:
        return values[0]
    return statistics.quantiles(values, n=100, method="inclusive")[int(pct) - 1] if pct < 100 else max(values)


def check_local(base_url: str) -> str:
    parts = urlsplit(base_url)
    if parts.scheme != "http" or parts.hostname not in ALLOWED_HOSTS:
        raise SystemExit(f"refusing to load {base_url!r}: only http://127.0.0.1:PORT is allowed")
    return base_url.rstrip("/")


class Connection:
    """One kept-alive HTTP/1.1 connection to 127.0.0.1; reconnects after a failure."""

    def __init__(self, base_url: str, timeout: float = 10.0) -> None:
        parts = urlsplit(base_url)
        self.host, self.port, self.timeout = parts.hostname or "127.0.0.1", parts.port or 80, timeout
        self._http: http.client.HTTPConnection | None = None

    def get(self, path: str) -> tuple[int, bytes]:
        if self._http is None:
            self._http = http.client.HTTPConnection(self.host, self.port, timeout=self.timeout)
        try:
            self._http.request("GET", path)
            response = self._http.getresponse()
            return response.status, response.read()
        except (OSError, http.client.HTTPException):
            self.close()
            raise

    def get_json(self, path: str, params: dict[str, Any] | None = None) -> Any:
        status, body = self.get(path + ("?" + urlencode(params) if params else ""))
        if status != 200:
            raise ValueError(f"{path} answered {status}")
        return json.loads(body)

    def close(self) -> None:
        if self._http is not None:
            self._http.close()
            self._http = None


def resolve_paths(connection: Connection, endpoints: dict[str, str]) -> dict[str, list[str]]:
    """Each endpoint's paths: ``{event_id}``/``{actor_id}`` once per sampled id; drop what the store cannot fill."""
    try:
        events = connection.get_json("/api/events", {"limit": ID_SAMPLE}).get("items") or []
        actors = connection.get_json("/api/actors", {"limit": ID_SAMPLE}).get("items") or []
    except (OSError, http.client.HTTPException, ValueError) as error:
        raise SystemExit(f"no eventcoder API answering at {connection.host}:{connection.port}: {error}") from None
    ids = {"event_id": [item["id"] for item in events], "actor_id": [item["id"] for item in actors]}
    resolved: dict[str, list[str]] = {}
    for name, path in endpoints.items():
        needed = [key for key in ids if "{" + key + "}" in path]
        if any(not ids[key] for key in needed):
            continue
        if not needed:
            resolved[name] = [path]
            continue
        count = max(len(ids[key]) for key in needed)
        resolved[name] = [path.format(**{key: ids[key][i % len(ids[key])] for key in needed}) for i in range(count)]
    return resolved


def _worker(base_url: str, paths: list[tuple[str, list[str]]], deadline: float, offset: int,
            tallies: dict[str, Tally], lock: threading.Lock) -> None:
    local: dict[str, Tally] = defaultdict(Tally)
    connection = Connection(base_url)
    try:
        index = offset
        while time.monotonic() < deadline:
            name, variants = paths[index % len(paths)]
            path = variants[(index // len(paths)) % len(variants)]
            index += 1
            started = time.perf_counter()
            try:
                status, _ = connection.get(path)
            except (OSError, http.client.HTTPException):
                local[name].transport_errors += 1
                continue
            local[name].latencies_ms.append((time.perf_counter() - started) * 1000)
            local[name].status[status] += 1
    finally:
        connection.close()
    with lock:
        for name, tally in local.items():
            tallies[name].latencies_ms.extend(tally.latencies_ms)
            tallies[name].transport_errors += tally.transport_errors
            for code, n in tally.status.items():
                tallies[name].status[code] += n


def run_load(base_url: str, *, seconds: float = 10.0, threads: int = 8,
             endpoints: dict[str, str] | None = None) -> dict[str, Any]:
    """Hit the endpoints round-robin from ``threads`` clients for ``seconds``; figures as a dict."""
    base_url = check_local(base_url)
    seconds = max(0.1, min(float(seconds), MAX_SECONDS))
    threads = max(1, min(int(threads), MAX_THREADS))
    first = Connection(base_url)
    try:
        paths = list(resolve_paths(first, endpoints or DEFAULT_ENDPOINTS).items())
    finally:
        first.close()
    tallies: dict[str, Tally] = defaultdict(Tally)
    lock = threading.Lock()
    started = time.monotonic()
    deadline = started + seconds
    workers = [
        threading.Thread(target=_worker, args=(base_url, paths, deadline, i * len(paths) // threads, tallies, lock),
                         daemon=True)
        for i in range(threads)
    ]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(timeout=seconds + 30)
    elapsed = time.monotonic() - started
    overall = Tally()
    for tally in tallies.values():
        overall.latencies_ms.extend(tally.latencies_ms)
        overall.transport_errors += tally.transport_errors
        for code, n in tally.status.items():
            overall.status[code] += n
    return {
        "url": base_url, "seconds": round(elapsed, 2), "threads": threads,
        **overall.report(elapsed),
        "endpoints": {name: tallies[name].report(elapsed) for name, _ in paths},
    }


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _answers(url: str) -> bool:
    connection = Connection(url, timeout=2.0)
    try:
        return connection.get("/api/health")[0] == 200
    except (OSError, http.client.HTTPException):
        return False
    finally:
        connection.close()


@contextmanager
def local_server(db_path: Path, *, cache_size: int = 256, workers: int = 1) -> Iterator[str]:
    """``eventcoder serve`` over ``db_path`` on a free 127.0.0.1 port, in its own process, for the duration."""
    port = free_port()
    command = [sys.executable, "-m", "eventcoder.cli", "serve", "--db", str(db_path), "--host", "127.0.0.1",
               "--port", str(port), "--workers", str(workers), "--cache-size", str(cache_size),
               "--log-level", "warning"]
    url = f"http://127.0.0.1:{port}"
    with tempfile.TemporaryFile("w+") as log:
        server = subprocess.Popen(command, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=log,
                                  env={**os.environ, "PYTHONUNBUFFERED": "1"})
        try:
            deadline = time.monotonic() + 60
            while not _answers(url):
                if server.poll() is not None or time.monotonic() > deadline:
                    log.seek(0)
                    why = f"stopped with exit code {server.returncode}" if server.returncode is not None else \
                        "did not answer within 60 s"
                    raise SystemExit(f"the API server {why}:\n{log.read()[-2000:]}")
                time.sleep(0.1)
            yield url
        finally:
            server.terminate()
            try:
                server.wait(timeout=15)
            except subprocess.TimeoutExpired:
                server.kill()
                server.wait(timeout=15)
            log.seek(0)
            sys.stderr.write(log.read()[-4000:])


# ---------------------------------------------------------------- synthetic store

_ACTORS = [
    ("Q30", "United States", "USA"), ("Q148", "China", "CHN"), ("Q159", "Russia", "RUS"), ("Q212", "Ukraine", "UKR"),
    ("Q794", "Iran", "IRN"), ("Q796", "Iraq", "IRQ"), ("Q801", "Israel", "ISR"), ("Q43", "Turkey", "TUR"),
    ("Q114", "Kenya", "KEN"), ("Q1033", "Nigeria", "NGA"), ("Q155", "Brazil", "BRA"), ("Q96", "Mexico", "MEX"),
]
_PLACES = [
    ("Washington", "USA", 38.9, -77.04), ("Beijing", "CHN", 39.9, 116.4), ("Moscow", "RUS", 55.75, 37.62),
    ("Kyiv", "UKR", 50.45, 30.52), ("Tehran", "IRN", 35.69, 51.39), ("Baghdad", "IRQ", 33.34, 44.4),
    ("Ankara", "TUR", 39.93, 32.86), ("Nairobi", "KEN", -1.28, 36.82), ("Abuja", "NGA", 9.06, 7.49),
    ("Brasilia", "BRA", -15.79, -47.88), ("Mexico City", "MEX", 19.43, -99.13),
]
_KINDS = [  # (type, quad class, goldstein, verb, modality)
    ("CONSULT", 1, 1.0, "met", "asserted"), ("AGREE", 1, 4.0, "agreed with", "asserted"),
    ("AID", 2, 7.0, "sent aid to", "asserted"), ("COOPERATE", 2, 6.0, "signed a deal with", "planned"),
    ("ACCUSE", 3, -2.0, "accused", "claimed"), ("THREATEN", 3, -4.4, "threatened", "threatened"),
    ("COERCE", 4, -5.0, "detained envoys of", "alleged"), ("ASSAULT", 4, -9.0, "shelled positions of", "asserted"),
]


def synthetic_result(index: int, events_per_document: int = 10) -> dict[str, Any]:
    """One made-up OUTPUT.md result: deterministic, varied actors, places, dates and types."""
    import hashlib
    from datetime import date, timedelta

    day = date(2015, 1, 1) + timedelta(days=index % 3650)
    sentences, events = [], []
    offset = 0
    for k in range(events_per_document):
        n = index * events_per_document + k
        source, target = _ACTORS[n % len(_ACTORS)], _ACTORS[(n * 7 + 3) % len(_ACTORS)]
        kind, place = _KINDS[(n * 5 + index) % len(_KINDS)], _PLACES[(n * 3) % len(_PLACES)]
        sentence = f"{source[1]} {kind[3]} {target[1]} in {place[0]} (report {index}.{k})."
        trigger_start = offset + len(source[1]) + 1
        events.append({
            "id": f"e{k}", "type": kind[0], "mode": None, "context": [], "cameo": None, "quad_class": kind[1],
            "goldstein": kind[2], "actor": {"id": source[0], "name": source[1]},
            "recipient": {"id": target[0], "name": target[1]}, "date": day.isoformat(), "date_precision": "day",
            "date_text": None, "location": {"name": place[0], "country": place[1], "admin1": None, "lat": place[2],
                                            "lon": place[3], "geonameid": None},
            "modality": kind[4], "attributed_to": None, "disputed_by": [],
            "evidence": {"text": sentence, "start": offset, "end": offset + len(sentence),
                         "trigger": {"text": kind[3], "start": trigger_start, "end": trigger_start + len(kind[3])}},
            "mentions": [{"start": offset, "end": offset + len(sentence)}], "confidence": 0.5 + (n % 50) / 100,
        })
        sentences.append(sentence)
        offset += len(sentence) + 1
    text = " ".join(sentences)
    return {
        "schema": "eventcoder/1",
        "document": {"id": hashlib.sha256(text.encode()).hexdigest(), "title": f"Synthetic report {index}",
                     "published": day.isoformat(), "published_source": "argument", "source": "Synthetic Wire",
                     "url": None, "categories": [], "language": "en", "text": text},
        "actors": [{"id": qid, "name": name, "type": "country", "country": iso, "roles": [], "member_of": [],
                    "mentions": []} for qid, name, iso in _ACTORS],
        "events": events, "quotes": [],
    }


def make_store(path: Path, n_events: int) -> dict[str, Any]:
    from eventcoder.store.duckdb_store import DuckDBStore

    n_documents = max(1, n_events // 10)
    started = time.monotonic()
    with DuckDBStore.open(path) as store:
        stats = store.add_results(synthetic_result(i) for i in range(n_documents))
    return {"store": str(path), "documents": stats.documents_added, "events": stats.events_added,
            "seconds": round(time.monotonic() - started, 1)}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    target = parser.add_mutually_exclusive_group(required=True)
    target.add_argument("--url", help="running server, http://127.0.0.1:PORT")
    target.add_argument("--db", type=Path, help="store file: start a server on a free local port")
    target.add_argument("--make-store", type=Path, help="write a synthetic store of --events events and stop")
    parser.add_argument("--events", type=int, default=100_000, help="events in the synthetic store")
    parser.add_argument("--cache-size", type=int, default=256, help="with --db: the server's answer cache (0: off)")
    parser.add_argument("--workers", type=int, default=1, help="with --db: server processes")
    parser.add_argument("--seconds", type=float, default=10.0, help=f"run length (max {MAX_SECONDS})")
    parser.add_argument("--threads", type=int, default=8, help=f"concurrent clients (max {MAX_THREADS})")
    args = parser.parse_args(argv)
    if args.make_store:
        json.dump(make_store(args.make_store, args.events), sys.stdout)
        sys.stdout.write("\n")
        return 0
    if args.db:
        with local_server(args.db, cache_size=args.cache_size, workers=args.workers) as url:
            report = run_load(url, seconds=args.seconds, threads=args.threads)
    else:
        report = run_load(args.url, seconds=args.seconds, threads=args.threads)
    json.dump(report, sys.stdout, indent=2)
    sys.stdout.write("\n")
    return 1 if report["errors_5xx"] or report["transport_errors"] else 0


if __name__ == "__main__":
    raise SystemExit(main())
