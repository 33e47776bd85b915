"""scripts/load_api.py: a short bounded run on the small store answers without 5xx."""

from __future__ import annotations

import importlib.util
import json
import sys
import time
from pathlib import Path
from types import ModuleType

import pytest

SCRIPT = Path(__file__).resolve().parents[2] / "scripts" / "load_api.py"


def load_script() -> ModuleType:
    if "load_api" in sys.modules:
        return sys.modules["load_api"]
    spec = importlib.util.spec_from_file_location("load_api", SCRIPT)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules["load_api"] = module  # dataclasses look their module up while the script runs
    spec.loader.exec_module(module)
    return module


def test_short_load_run_has_no_server_errors(sample_db: Path) -> None:
    load_api = load_script()
    started = time.monotonic()
    with load_api.local_server(sample_db) as url:
        report = load_api.run_load(url, seconds=2.0, threads=4)
    assert time.monotonic() - started < 20
    assert report["requests"] >= len(load_api.DEFAULT_ENDPOINTS)
    assert report["errors_5xx"] == 0
    assert report["errors_4xx"] == 0
    assert report["transport_errors"] == 0
    assert set(report["endpoints"]) == set(load_api.DEFAULT_ENDPOINTS)
    answered = [figures for figures in report["endpoints"].values() if figures["requests"]]
    assert len(answered) >= len(load_api.DEFAULT_ENDPOINTS) // 2
    for figures in answered:
        assert 0 < figures["p50_ms"] <= figures["p99_ms"]
    json.dumps(report)


@pytest.mark.parametrize("url", ["http://example.com", "http://10.0.0.1:8000", "https://127.0.0.1:8000",
                                 "http://localhost.evil.example:80"])
def test_only_localhost_is_loaded(url: str) -> None:
    with pytest.raises(SystemExit):
        load_script().run_load(url, seconds=0.1, threads=1)


def test_cli_prints_json_and_succeeds(sample_db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert load_script().main(["--db", str(sample_db), "--seconds", "1", "--threads", "2"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["req_per_s"] > 0


def test_two_server_processes_answer_on_one_port(sample_db: Path) -> None:
    load_api = load_script()
    with load_api.local_server(sample_db, workers=2) as url:
        report = load_api.run_load(url, seconds=1.0, threads=2)
    assert report["requests"] > 0
    assert report["errors_5xx"] == report["errors_4xx"] == report["transport_errors"] == 0


def test_one_id_endpoints_cycle_through_several_ids(sample_db: Path) -> None:
    load_api = load_script()
    with load_api.local_server(sample_db) as url:
        connection = load_api.Connection(url)
        try:
            paths = load_api.resolve_paths(connection, load_api.DEFAULT_ENDPOINTS)
        finally:
            connection.close()
    assert len(set(paths["event"])) > 1 and len(set(paths["actor"])) > 1
    assert paths["summary"] == ["/api/summary"]


def test_worker_processes_share_a_socket_whose_connections_get_tcp_nodelay() -> None:
    """Without TCP_NODELAY a kept-alive answer waited ~40 ms for the client's delayed ACK (uvicorn's own socket)."""
    import asyncio
    import socket

    from eventcoder.serve.app import listening_socket

    async def accepted_nodelay() -> int:
        sock = listening_socket("127.0.0.1", 0)
        seen: asyncio.Future[int] = asyncio.get_running_loop().create_future()

        class Probe(asyncio.Protocol):
            def connection_made(self, transport: asyncio.BaseTransport) -> None:
                connection = transport.get_extra_info("socket")
                seen.set_result(connection.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY))
                transport.close()

        server = await asyncio.get_running_loop().create_server(Probe, sock=sock)
        try:
            _, writer = await asyncio.open_connection("127.0.0.1", sock.getsockname()[1])
            value = await asyncio.wait_for(seen, 10)
            writer.close()
            return value
        finally:
            server.close()

    assert asyncio.run(accepted_nodelay()) != 0
