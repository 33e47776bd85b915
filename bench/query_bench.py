"""Query latency on a large store: fill it with synthetic events, time the CLI/API queries.

    .venv/bin/python bench/query_bench.py [--events 1000000] [--runs 30] [--db PATH]

Rows are generated inside DuckDB (no Python loop per row), ten events per
document, documents in publication order as a news stream arrives; pairs of
documents report the same stories. Prints one JSON line: load time and
p50/p95 milliseconds per query. Not a test (tests/store runs it on 2,000 rows).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from eventcoder.store import DuckDBStore, EventFilter
from eventcoder.store import query as q
from eventcoder.store.query import PLOVER_TYPES

EVENTS_PER_DOC = 10
N_ACTORS = 2_000
N_PLACES = 500
FIRST_DAY = date(2015, 1, 1)
SPAN_DAYS = 3_650
QUADS = {"AGREE": 1, "CONSULT": 1, "SUPPORT": 1, "CONCEDE": 1, "REQUEST": 1, "COOPERATE": 2, "AID": 2,
         "RETREAT": 2, "ACCUSE": 3, "REJECT": 3, "THREATEN": 3, "PROTEST": 4, "SANCTION": 4, "MOBILIZE": 4,
         "COERCE": 4, "ASSAULT": 4}
ROLE_WORDS = ["Army", "Ministry", "Front", "Council", "Police", "Party", "Union", "Brigade"]
WORDS = ["border", "convoy", "ceasefire", "talks", "protest", "election", "sanctions", "militia", "port", "aid"]

_FILL_SQL = """
SELECT setseed(0.42);
INSERT INTO actors
SELECT 'local:actor-' || i, 'Actor ' || i || ' ' || $role_words[i % 8 + 1], 'organization',
       $countries[i % 50 + 1], NULL, CASE WHEN i % 10 = 0 THEN ['local:actor-' || (i // 10)] ELSE [] END, '[]', 0
FROM range($n_actors) AS t(i);

CREATE TEMP TABLE doc_seq AS
SELECT i AS n, md5(i::VARCHAR) || md5((i + 7)::VARCHAR) AS id,
       $first_day::DATE + (i * $span // $n_docs)::INTEGER AS published
FROM range($n_docs) AS t(i);

INSERT INTO documents
SELECT id, 'in-' || n, 'bench/' || n || '.txt', 'Report ' || n || ' on ' || $words[n % 10 + 1],
       strftime(published, '%Y-%m-%d'), 'day', published, 'argument', 'Outlet ' || (n % 40), NULL, [], 'en', [],
       repeat('Synthetic article text about the ' || $words[n % 10 + 1] || '. ', 12), $per_doc, now()
FROM doc_seq;

CREATE TEMP TABLE event_seq AS
SELECT d.n AS doc_n, d.id AS doc_id, d.published, k,
       (hash(d.n * 31 + k) % 16)::INTEGER + 1 AS t,
       floor(pow(random(), 2) * $n_actors)::INTEGER AS a, floor(random() * $n_actors)::INTEGER AS r,
       random() AS u, floor(random() * $n_places)::INTEGER AS p, random() AS v, random() AS w
FROM doc_seq AS d, range($per_doc) AS t(k);

INSERT INTO events
SELECT left(doc_id, 16) || ':e' || k, doc_id, 'e' || k, $types[t], NULL,
       CASE WHEN v < 0.2 THEN ['military'] ELSE [] END, NULL, $quads[t], CASE WHEN $quads[t] > 2 THEN -5.0 ELSE 4.0 END,
       'local:actor-' || a, 'Actor ' || a || ' ' || $role_words[a % 8 + 1],
       CASE WHEN u < 0.7 THEN 'local:actor-' || r END,
       CASE WHEN u < 0.7 THEN 'Actor ' || r || ' ' || $role_words[r % 8 + 1] END,
       CASE WHEN w < 0.8 THEN strftime(published - (k % 4)::INTEGER, '%Y-%m-%d')
            WHEN w < 0.95 THEN strftime(published, '%Y-%m') END,
       CASE WHEN w < 0.8 THEN 'day' WHEN w < 0.95 THEN 'month' ELSE 'unknown' END, NULL,
       CASE WHEN w < 0.8 THEN published - (k % 4)::INTEGER WHEN w < 0.95 THEN date_trunc('month', published)::DATE END,
       CASE WHEN w < 0.8 THEN published - (k % 4)::INTEGER
            WHEN w < 0.95 THEN (date_trunc('month', published) + INTERVAL 1 MONTH - INTERVAL 1 DAY)::DATE END,
       CASE WHEN v < 0.75 THEN 'Place ' || p END, CASE WHEN v < 0.75 THEN $countries[p % 50 + 1] END,
       NULL, CASE WHEN v < 0.75 THEN 'city' END,
       CASE WHEN v < 0.75 THEN (p % 140) - 70.0 END, CASE WHEN v < 0.75 THEN (p % 340) - 170.0 END,
       CASE WHEN v < 0.75 THEN 100000 + p END,
       CASE WHEN u < 0.75 THEN 'asserted' WHEN u < 0.85 THEN 'claimed' WHEN u < 0.9 THEN 'denied' ELSE 'planned' END,
       NULL, NULL, [],
       'Actor ' || a || ' and Actor ' || r || ' near the ' || $words[(a + k) % 10 + 1] || ' in Place ' || p || '.',
       40 * k, 40 * k + 38, 'did', 40 * k + 6, 40 * k + 9, round(0.3 + 0.7 * w, 3),
       'st:' || md5((doc_n // 2)::VARCHAR || ':' || k)
FROM event_seq ORDER BY doc_n, k;

INSERT INTO event_mentions
SELECT id, document_id, evidence_start, evidence_end, evidence_text FROM events;

INSERT INTO stories BY NAME
SELECT story_id AS id, arg_min(id, document_id) AS event_id, any_value(type) AS type,
       any_value(quad_class) AS quad_class, any_value(actor_id) AS actor_id, any_value(recipient_id) AS recipient_id,
       max(date_start) AS date_start, min(date_end) AS date_end, any_value(location_name) AS location_name,
       any_value(location_country) AS location_country, any_value(geonameid) AS geonameid,
       any_value(evidence_text) AS evidence_text, min(date_start) AS first_reported,
       coalesce(max(date_start), min(date_start) - 3) AS window_start,
       coalesce(min(date_end), min(date_start)) AS window_end,
       count(*) AS n_reports, count(*) AS n_sources,
       ['Outlet A', 'Outlet B'][1:count(*)::INTEGER] AS sources, list(document_id) AS document_ids
FROM events GROUP BY story_id ORDER BY min(date_start);

UPDATE actors SET n_events = c.n FROM (
    SELECT id, count(*) AS n FROM (
        SELECT actor_id AS id FROM events WHERE actor_id IS NOT NULL
        UNION ALL SELECT recipient_id FROM events WHERE recipient_id IS NOT NULL AND recipient_id <> actor_id
    ) GROUP BY id
) AS c WHERE actors.id = c.id;
"""


def fill(store: DuckDBStore, n_events: int) -> float:
    """Insert ``n_events`` synthetic events (and their documents, actors, mentions, stories, search words); seconds."""
    n_docs = max(1, n_events // EVENTS_PER_DOC)
    params = {
        "n_actors": N_ACTORS, "n_docs": n_docs, "per_doc": EVENTS_PER_DOC, "n_places": N_PLACES,
        "first_day": FIRST_DAY, "span": SPAN_DAYS, "types": list(PLOVER_TYPES),
        "quads": [QUADS[t] for t in PLOVER_TYPES],
        "role_words": ROLE_WORDS, "words": WORDS, "countries": [f"C{i:02d}" for i in range(50)],
    }
    started = time.perf_counter()
    with store.reading() as cursor:
        cursor.execute("BEGIN")
        for statement in filter(str.strip, _FILL_SQL.split(";\n")):
            used = {key: value for key, value in params.items() if f"${key}" in statement}
            cursor.execute(statement, used)
        cursor.execute("COMMIT")
    # Rows went in by SQL, not add_results: derive the search words as ingest would, sorted as after a load.
    store.rebuild_search()
    with store.reading() as cursor:
        cursor.execute("CHECKPOINT")
    return time.perf_counter() - started


def _random_day(rng: random.Random) -> date:
    return FIRST_DAY + timedelta(days=rng.randrange(SPAN_DAYS - 100))


def workload(store: DuckDBStore, rng: random.Random) -> dict[str, Callable[[], Any]]:
    """The queries the CLI and API make, each a closure drawing fresh typical parameters."""
    def actor() -> str:
        return f"local:actor-{int(rng.random() ** 2 * N_ACTORS)}"

    def window() -> EventFilter:
        since = _random_day(rng)
        return EventFilter(since=since, until=since + timedelta(days=90))

    def second_page() -> Any:
        first = q.query_events(store, EventFilter(type=rng.choice(PLOVER_TYPES)), limit=50)
        return q.query_events(store, EventFilter(type=first.items[0]["type"]), limit=50, cursor=first.next_cursor)

    def some_event() -> str:
        return str(q.query_events(store, window(), limit=1).items[0]["id"])

    event_ids = [some_event() for _ in range(20)]
    doc_ids = [event_id for event_id in (store_doc(store, e) for e in event_ids) if event_id]
    return {
        "events_latest": lambda: q.query_events(store, EventFilter(), limit=50),
        "events_type_window": lambda: q.query_events(
            store, EventFilter(type=rng.choice(PLOVER_TYPES), since=window().since, until=window().until)),
        "events_actor_id": lambda: q.query_events(store, EventFilter(actor=actor(), role="actor")),
        "events_actor_name": lambda: q.query_events(store, EventFilter(actor=f"Actor {rng.randrange(N_ACTORS)} ")),
        "events_country_modality": lambda: q.query_events(
            store, EventFilter(country=f"C{rng.randrange(50):02d}", modality="claimed")),
        "events_place": lambda: q.query_events(store, EventFilter(place=f"Place {rng.randrange(N_PLACES)}")),
        "events_text": lambda: q.query_events(store, EventFilter(text=rng.choice(WORDS))),
        "events_second_page": second_page,
        "events_merged": lambda: q.query_events(store, window(), merged=True),
        "get_event": lambda: q.get_event(store, rng.choice(event_ids)),
        "get_document": lambda: q.get_document(store, rng.choice(doc_ids)),
        "list_documents": lambda: q.list_documents(store, limit=50),
        "list_actors": lambda: q.list_actors(store, limit=50),
        "list_actors_q": lambda: q.list_actors(store, "Brigade", limit=50),
        "get_actor": lambda: q.get_actor(store, actor()),
        "list_stories": lambda: q.list_stories(store, window(), limit=50),
        "timeline_month": lambda: q.timeline(store, EventFilter(actor=actor()), bucket="month"),
        "timeline_day_window": lambda: q.timeline(store, window(), bucket="day"),
        "network_window": lambda: q.network(store, window(), limit=200),
        "places_window": lambda: q.places(store, window()),
        "summary": lambda: q.summary(store),
    }


def store_doc(store: DuckDBStore, event_id: str) -> str | None:
    event = q.get_event(store, event_id)
    return str(event["document_id"]) if event else None


def measure(queries: dict[str, Callable[[], Any]], runs: int) -> dict[str, dict[str, float]]:
    results = {}
    for name, run in queries.items():
        run()  # warm the caches once, as a server would be
        timings = []
        for _ in range(runs):
            started = time.perf_counter()
            run()
            timings.append((time.perf_counter() - started) * 1000)
        timings.sort()
        results[name] = {
            "p50_ms": round(statistics.median(timings), 2),
            "p95_ms": round(timings[min(len(timings) - 1, int(0.95 * len(timings)))], 2),
        }
    return results


def run_bench(n_events: int, runs: int, db: Path | None = None) -> dict[str, Any]:
    with tempfile.TemporaryDirectory() as scratch:
        path = db or Path(scratch) / "bench.duckdb"
        if path.exists():
            path.unlink()
        with DuckDBStore.open(path) as store:
            load_s = fill(store, n_events)
            loadavg_before = os.getloadavg()[0]
            figures = measure(workload(store, random.Random(7)), runs)
    worst = max(figures.values(), key=lambda f: f["p95_ms"])
    return {
        "bench": "query", "events": n_events, "runs": runs, "load_s": round(load_s, 2),
        "max_p95_ms": worst["p95_ms"], "under_100ms": sum(f["p95_ms"] <= 100 for f in figures.values()),
        "n_queries": len(figures), "cpus": os.cpu_count(),
        # Figures are wall-clock: other processes on the machine show up here.
        "loadavg_1m": [round(loadavg_before, 2), round(os.getloadavg()[0], 2)],
        "queries": figures,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--events", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--db", type=Path, default=None, help="keep the filled store here (default: a temp file)")
    args = parser.parse_args(argv)
    print(json.dumps(run_bench(args.events, args.runs, args.db)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
