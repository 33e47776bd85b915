"""The dashboard in Debian's chromium (Playwright): charts render, filters work, evidence shows, data stays text."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from .conftest import XSS_TITLE, sample_results

CHROMIUM = Path("/usr/bin/chromium")
ARTIFACTS = Path(__file__).parent / "artifacts"
CHROMIUM_ARGS = [
    "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="no Debian chromium at /usr/bin/chromium: run `make browser`"),
]


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture(scope="module")
def base_url(sample_db: Path) -> Iterator[str]:
    import uvicorn

    from eventcoder.serve.app import create_app

    port = free_port()
    server = uvicorn.Server(uvicorn.Config(create_app(sample_db), host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            pytest.fail("uvicorn did not start")
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(timeout=10)


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


def sentence_of(result_index: int, event_index: int) -> tuple[str, str]:
    event = sample_results()[result_index]["events"][event_index]
    return event["evidence"]["text"], event["evidence"]["trigger"]["text"]


def test_dashboard_end_to_end(browser: object, base_url: str) -> None:
    from playwright.sync_api import expect

    problems: list[str] = []
    page = browser.new_page(viewport={"width": 1440, "height": 1200})  # type: ignore[attr-defined]
    page.on("console", lambda msg: problems.append(f"console {msg.type}: {msg.text}") if msg.type == "error" else None)
    page.on("pageerror", lambda error: problems.append(f"page error: {error}"))
    page.on("dialog", lambda dialog: (problems.append(f"dialog opened: {dialog.message}"), dialog.dismiss()))
    external: list[str] = []
    page.on("request", lambda request: None if request.url.startswith(base_url) else external.append(request.url))

    page.goto(base_url + "/")
    page.wait_for_selector("body[data-ready='true']", timeout=15_000)

    # charts render as SVG
    assert page.locator("#timeline g.bar rect").count() >= 3
    assert page.locator("#network g.node").count() >= 6
    assert page.locator("#network line.edge").count() >= 4
    assert page.locator("#map path.country").count() > 100
    assert page.locator("#map circle.place").count() == 3

    # the table lists every event; a hostile title is text, not an element
    rows = page.locator("#events tbody tr")
    assert rows.count() == 8
    assert page.locator("#events td.doc-title", has_text=XSS_TITLE).count() == 2
    assert page.locator("img").count() == 0

    # a filter changes the rows
    page.select_option("#f-type", "COERCE")
    page.click("#f-apply")
    expect(rows).to_have_count(1)
    assert page.locator("#events tbody tr td").nth(1).inner_text() == "COERCE"

    # clicking an event shows its evidence sentence highlighted, trigger emphasised
    sentence, trigger = sentence_of(0, 0)
    rows.first.click()
    page.wait_for_selector("#evidence mark.evidence")
    assert page.locator("#evidence mark.evidence").inner_text() == sentence
    assert page.locator("#evidence strong.trigger").inner_text() == trigger
    assert "asserted" in page.locator("#evidence .badges").inner_text()

    # the event of the hostile document: its title and a <script> in its text stay inert
    page.click("#f-reset")
    expect(rows).to_have_count(8)
    page.locator("#events tbody tr", has_text="CONSULT").first.click()
    # the evidence view updates asynchronously: wait for the clicked event's document
    expect(page.locator("#evidence .doc-title")).to_have_text(XSS_TITLE)
    assert "<script>alert(2)</script>" in page.locator("#evidence .passage").inner_text()
    assert page.locator("#evidence script, #evidence img").count() == 0
    assert page.locator("#evidence mark.evidence").inner_text() == sentence_of(1, 0)[0]

    # clicking a map point or a network node filters by that place or actor
    page.locator("#map circle.place").filter(has=page.locator("title", has_text="Warsaw")).click()
    expect(rows).to_have_count(1)
    assert page.locator("#f-place").input_value() == "Warsaw"
    page.click("#f-reset")
    expect(rows).to_have_count(8)
    page.locator("#network g.node").filter(has=page.locator("title", has_text="Ghana (Q117)")).locator("circle").click()
    expect(rows).to_have_count(2)
    page.click("#f-reset")
    expect(rows).to_have_count(8)

    # a claim shows who says so and who disputes it
    page.locator("#events tbody tr", has_text="ACCUSE").first.click()
    page.wait_for_selector("#evidence .badge.disputed")
    badges = page.locator("#evidence .badges").inner_text()
    assert "claimed" in badges and "Polish farmers' groups" in badges

    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "dashboard.png"), full_page=True)
    assert problems == []
    assert external == []
    page.close()
