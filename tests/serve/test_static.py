"""Static guards on the dashboard's files: nothing that would turn data into HTML or load from elsewhere."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

STATIC = Path(__file__).resolve().parents[2] / "src" / "eventcoder" / "serve" / "static"


@pytest.mark.parametrize("sink", ["innerHTML", "outerHTML", "insertAdjacentHTML", "document.write", "eval(",
                                  "new Function", "setAttribute(\"on", "srcdoc"])
def test_app_js_has_no_html_sinks(sink: str) -> None:
    assert sink not in (STATIC / "app.js").read_text(encoding="utf-8")


def test_index_has_no_inline_code_or_remote_assets() -> None:
    html = (STATIC / "index.html").read_text(encoding="utf-8")
    assert re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html) is None
    assert re.search(r"\son[a-z]+=", html) is None
    assert " style=" not in html and "<style" not in html
    assert re.search(r"(src|href)=\"(https?:)?//", html) is None


def test_no_remote_urls_in_scripts_and_styles() -> None:
    for name in ("app.js", "style.css"):
        text = (STATIC / name).read_text(encoding="utf-8")
        assert re.search(r"https?://(?!www\.w3\.org/2000/svg)", text) is None, name


def test_vendored_world_outline_is_complete_and_licensed() -> None:
    vendor = STATIC / "vendor" / "world-atlas"
    assert "Permission to use, copy, modify" in (vendor / "LICENSE").read_text(encoding="utf-8")
    assert "Natural Earth" in (vendor / "README.md").read_text(encoding="utf-8")
    topology = json.loads((vendor / "countries-110m.json").read_text(encoding="utf-8"))
    assert topology["type"] == "Topology"
    assert len(topology["objects"]["countries"]["geometries"]) > 150
