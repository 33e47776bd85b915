"""Bounded load test of the eventcoder API (localhost only; stops by itself).

    python scripts/load_api.py --url http://127.0.0.1:8000 --seconds 30 --threads 16
    python scripts/load_api.py --db demo.duckdb --seconds 30     # starts its own server on a free port
    python scripts/load_api.py --make-store big.duckdb --events 100000   # synthetic store, then --db big.duckdb

Prints one JSON object: requests per second, p50/p99 latency and errors, overall
and per endpoint. Requests go only to 127.0.0.1; the run ends after --seconds.
"""

from __future__ import annotations

import argparse
import json
import socket
import statistics
import sys
import threading
import time
from collections import defaultdict
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import httpx

ALLOWED_HOSTS = ("127.0.0.1",)
MAX_SECONDS = 3600
MAX_THREADS = 64
#: Endpoint name -> path (with query). ``{event_id}`` and ``{actor_id}`` are filled from a first listing.
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


def resolve_paths(client: httpx.Client, endpoints: dict[str, str]) -> dict[str, str]:
    """Fill ``{event_id}``/``{actor_id}`` from the first listing; drop what the store cannot fill."""
    ids: dict[str, str] = {}
    try:
        events = client.get("/api/events", params={"limit": 1}).json().get("items") or []
        actors = client.get("/api/actors", params={"limit": 1}).json().get("items") or []
    except (httpx.HTTPError, ValueError) as error:
        raise SystemExit(f"no eventcoder API answering at {client.base_url}: {error}") from None
    if events:
        ids["event_id"] = events[0]["id"]
    if actors:
        ids["actor_id"] = actors[0]["id"]
    resolved = {}
    for name, path in endpoints.items():
        try:
            resolved[name] = path.format(**ids)
        except KeyError:
            continue
    return resolved


def _worker(base_url: str, paths: list[tuple[str, str]], deadline: float, offset: int,
            tallies: dict[str, Tally], lock: threading.Lock) -> None:
    local: dict[str, Tally] = defaultdict(Tally)
    with httpx.Client(base_url=base_url, timeout=10.0) as client:
        index = offset
        while time.monotonic() < deadline:
            name, path = paths[index % len(paths)]
            index += 1
            started = time.perf_counter()
            try:
                response = client.get(path)
            except httpx.HTTPError:
                local[name].transport_errors += 1
                continue
            local[name].latencies_ms.append((time.perf_counter() - started) * 1000)
            local[name].status[response.status_code] += 1
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
    with httpx.Client(base_url=base_url, timeout=10.0) as client:
        paths = list(resolve_paths(client, endpoints or DEFAULT_ENDPOINTS).items())
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


@contextmanager
def local_server(db_path: Path, *, cache_size: int = 256) -> Iterator[str]:
    """The API over ``db_path`` on a free 127.0.0.1 port, in a thread, for the duration."""
    import uvicorn

    from eventcoder.serve.app import create_app

    port = free_port()
    app = create_app(db_path, cache_size=cache_size)
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 15
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise SystemExit("the API server did not start")
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=15)


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
    parser.add_argument("--seconds", type=float, default=10.0, help=f"run length (max {MAX_SECONDS})")
    parser.add_argument("--threads", type=int, default=8, help=f"concurrent clients (max {MAX_THREADS})")
    args = parser.parse_args(argv)
    if args.make_store:
        json.dump(make_store(args.make_store, args.events), sys.stdout)
        sys.stdout.write("\n")
        return 0
    if args.db:
        with local_server(args.db, cache_size=args.cache_size) as url:
            report = run_load(url, seconds=args.seconds, threads=args.threads)
    else:
        report = run_load(args.url, seconds=args.seconds, threads=args.threads)
    json.dump(report, sys.stdout, indent=2)
    sys.stdout.write("\n")
    return 1 if report["errors_5xx"] or report["transport_errors"] else 0


if __name__ == "__main__":
    raise SystemExit(main())
