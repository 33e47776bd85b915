"""Build eventcoder's shipped CAMEO/PLOVER tables and the derived verb lexicon.

Reads the reference data staged in ``shared/data`` (PLOVER, CAMEO, PETRARCH2; see
that folder's README for sources and commits) and writes:

* ``data/cameo/cameo.tsv``            code, label, goldstein, quad_class, root_code
* ``data/plover/cameo_to_plover.tsv`` CAMEO code -> PLOVER type/mode/context, modes
  and contexts normalised to the PLOVER 2.0 lists (see ``MODE_FIXES``)
* ``data/plover/plover_types.tsv``    type, quad_class, plover_score, modes
* ``data/lexicon/verbs.tsv``          lemma (+ particle) -> CAMEO -> PLOVER, from
  PETRARCH2's ``CAMEO.2.0.txt`` verb dictionary
* ``data/lexicon/object_nouns.tsv``   person/group nouns (NGEC agents file) and place nouns

Run from the repository root::

    .venv/bin/python scripts/build_lexicon.py --source ../shared/data
"""

from __future__ import annotations

import argparse
import csv
import json
import re
import shutil
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
DATA = REPO / "src" / "eventcoder" / "data"

LEXICON_COLUMNS = [
    "lemma", "pos", "particle", "type", "mode", "context", "cameo",
    "frame", "fold", "negated_type", "note",
]

# Rows of the 2021 CAMEO->PLOVER table that the PLOVER 2.0 manual overrules.
# code -> (type, mode, contexts, why)
ROW_FIXES: dict[str, tuple[str, str, str, str]] = {
    "08": ("CONCEDE", "", "", "root 08 splits; 080 is CONCEDE"),
    "20": ("ASSAULT", "unconventional", "", "manual Note 1: FIGHT read as ASSAULT unconventional"),
    "163": ("SANCTION", "discontinue", "economic", "manual: international sanctions are SANCTION discontinue"),
    "1712": ("ASSAULT", "destroy", "", "destroying property is ASSAULT mode destroy in PLOVER 2.0"),
    "175": ("ASSAULT", "crowd-control", "repression", "pro_autocracy was given as a mode"),
    "0842": ("RETREAT", "", "legal", "mode 'return' removed in PLOVER 2.0"),
    "085": ("RETREAT", "", "economic", "mode 'ease' removed in PLOVER 2.0"),
}
# Stale (type, mode) -> current mode, per the PLOVER 1.3 -> 2.0 changes.
MODE_FIXES: dict[tuple[str, str], str] = {
    ("ASSAULT", "assassinate"): "targeted",
    ("ASSAULT", "massacre"): "targeted",
    ("ASSAULT", "cleansing"): "",
    ("THREATEN", "ban"): "restrict",
    ("THREATEN", "political"): "",
    ("COERCE", "ban"): "restrict",
}
CONTEXT_FIXES = {"democracy": "pro_democracy", "humanitarian": "human_security"}


def read_rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle, delimiter="\t", quoting=csv.QUOTE_NONE))


def write_rows(path: Path, columns: list[str], rows: list[dict[str, str]], header: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8", newline="") as handle:
        for line in header.strip().splitlines():
            handle.write(f"# {line}\n")
        writer = csv.DictWriter(handle, columns, delimiter="\t", quoting=csv.QUOTE_NONE,
                                lineterminator="\n", extrasaction="ignore")
        writer.writeheader()
        writer.writerows(rows)


# ---------------------------------------------------------------- PLOVER ---

def plover_types(source: Path) -> list[dict[str, str]]:
    ontology = json.loads((source / "plover" / "plover.json").read_text(encoding="utf-8"))
    return [
        {
            "type": item["name"],
            "quad_class": str(item["quad_class"]["code"]),
            "plover_score": str(item.get("plover_score", "")),
            "modes": ";".join(mode["name"] for mode in item["modes"]),
        }
        for item in ontology["event_types"]
    ]


def normalised_mapping(source: Path, types: list[dict[str, str]]) -> list[dict[str, str]]:
    ontology = json.loads((source / "plover" / "plover.json").read_text(encoding="utf-8"))
    contexts = {item["name"] for item in ontology["contexts"]}
    modes = {row["type"]: set(row["modes"].split(";")) - {""} for row in types}
    rows = []
    for row in read_rows(source / "plover" / "cameo_to_plover.tsv"):
        code, kind, mode = row["cameo_code"], row["plover_type"], row["plover_mode"]
        context = [CONTEXT_FIXES.get(c, c) for c in row["plover_context"].split(";") if c]
        note = ""
        if code in ROW_FIXES:
            kind, mode, fixed_context, note = ROW_FIXES[code]
            context = fixed_context.split(";") if fixed_context else context
        if kind not in modes:
            kind, mode, context = "", "", []
        mode = MODE_FIXES.get((kind, mode), mode)
        if mode and mode not in modes[kind]:
            note, mode = f"mode {mode!r} not in PLOVER 2.0", ""
        rows.append({
            "cameo_code": code,
            "cameo_name": row["cameo_name"],
            "plover_type": kind,
            "plover_mode": mode,
            "plover_context": ";".join(c for c in context if c in contexts),
            "note": note,
        })
    return rows


# ----------------------------------------------------------------- CAMEO ---

def cameo_table(source: Path, types: list[dict[str, str]], mapping: list[dict[str, str]]) -> list[dict[str, str]]:
    """Codes with label, Goldstein and quad class.

    ``quad_class`` is the quad class of the PLOVER type the code maps to (so an event's
    type and quad class never disagree); codes with no PLOVER type keep the
    ICEWS-style root class (``quad_class_cameo``).
    """
    goldstein = {row["code"]: row["goldstein"] or row["goldstein_icews"]
                 for row in read_rows(source / "cameo" / "goldstein.tsv")}
    root_quad = {row["root_code"]: row["quad_class"] for row in read_rows(source / "cameo" / "quad_class.tsv")}
    type_quad = {row["type"]: row["quad_class"] for row in types}
    plover_type = {row["cameo_code"]: row["plover_type"] for row in mapping}
    rows = []
    for row in read_rows(source / "cameo" / "cameo_codes.tsv"):
        code = row["code"]
        cameo_quad = root_quad[row["root_code"]]
        rows.append({
            "code": code,
            "label": row["name"],
            "goldstein": goldstein.get(code, ""),
            "quad_class": type_quad.get(plover_type.get(code, ""), cameo_quad),
            "quad_class_cameo": cameo_quad,
            "root_code": row["root_code"],
        })
    return rows


# ------------------------------------------------------ PETRARCH2 verbs ---

BLOCK = re.compile(r"^---\s+(?P<name>\S+)\s+\[(?P<code>[^\]]*)\]\s+---")
WORD = re.compile(r"^(?P<word>[A-Z+][A-Z_+\-']*)\s*(?:\{[^}]*\})?\s*(?:\[(?P<code>[^\]]*)\])?")
SIMPLE_PATTERN = re.compile(
    r"^-\s+\*\s+(?:\((?P<prep>[A-Z]+)\)|(?P<word>[A-Z]+))\s+\[(?P<code>[^\]]*)\]\s*(?:#\s*(?P<verbs>.*))?$"
)
MAX_PARTICLE_CODES = 1  # a (lemma, particle) pair must point to one code to be kept


def cameo_code(raw: str | None) -> str | None:
    """First usable code of a PETRARCH code field (``042:043`` -> ``042``; ``---`` -> None)."""
    if not raw:
        return None
    for part in raw.split(":"):
        part = part.strip()
        if re.fullmatch(r"\d{2,4}", part):
            return part
    return None


@dataclass
class VerbBlock:
    name: str
    code: str | None
    words: dict[str, str | None] = field(default_factory=dict)  # lemma -> own code
    particles: dict[tuple[str, str], list[str]] = field(default_factory=dict)

    def add_word(self, raw: str, code: str | None) -> None:
        raw = raw.strip("_")
        if "+" in raw and not raw.startswith("+"):
            return  # pre-compounded ("WIRE_+TAP"): the parser rarely finds these
        parts = raw.lstrip("+").lower().split("_")
        if not parts[0].isalpha():
            return
        if len(parts) == 1:
            self.words[parts[0]] = code
        elif len(parts) == 2 and parts[1].isalpha() and code:
            self.particles.setdefault((parts[0], parts[1]), []).append(code)

    def add_pattern(self, particle: str, code: str, verbs: str | None) -> None:
        named = [v.lower() for v in re.findall(r"[A-Z]+", verbs or "")]
        for lemma in [v for v in named if v in self.words] or list(self.words)[:1]:
            self.particles.setdefault((lemma, particle.lower()), []).append(code)


def parse_verb_dictionary(path: Path) -> list[VerbBlock]:
    blocks: list[VerbBlock] = []
    in_verbs = False
    for line in path.read_text(encoding="utf-8", errors="replace").splitlines():
        if line.startswith("####### VERB PATTERNS"):
            in_verbs = True
            continue
        if not in_verbs or not line.strip() or line.startswith("#"):
            continue
        header = BLOCK.match(line)
        if header:
            blocks.append(VerbBlock(header["name"].lower(), cameo_code(header["code"])))
        elif line.startswith("-"):
            pattern = SIMPLE_PATTERN.match(line.strip())
            code = cameo_code(pattern["code"]) if pattern else None
            if pattern and code and blocks:
                blocks[-1].add_pattern(pattern["prep"] or pattern["word"], code, pattern["verbs"])
        elif blocks:
            word = WORD.match(line.strip())
            if word:
                blocks[-1].add_word(word["word"], cameo_code(word["code"]))
    return blocks


def lexicon_row(lemma: str, particle: str, code: str, plover: dict[str, dict[str, str]], note: str) -> dict[str, str]:
    target = plover[code]
    return {
        "lemma": lemma, "pos": "VERB", "particle": particle,
        "type": target["plover_type"], "mode": target["plover_mode"], "context": target["plover_context"],
        "cameo": code, "frame": "agent", "fold": "", "negated_type": "", "note": note,
    }


def verb_rows(blocks: list[VerbBlock], mapping: list[dict[str, str]]) -> list[dict[str, str]]:
    """One row per (lemma, particle) whose code has a PLOVER type.

    A bare lemma takes its own code or, failing that, the code of its synonym block's
    head; pattern-specific codes are used only for (lemma, particle) pairs, and only
    when every simple pattern for the pair agrees on the code's PLOVER type.
    """
    plover = {row["cameo_code"]: row for row in mapping if row["plover_type"]}
    rows: dict[tuple[str, str], dict[str, str]] = {}
    for block in blocks:
        for lemma, own in block.words.items():
            code = own or block.code
            if code in plover and (lemma, "") not in rows:
                rows[(lemma, "")] = lexicon_row(lemma, "", code, plover, f"petrarch2 block {block.name}")
        for (lemma, particle), codes in block.particles.items():
            typed = [c for c in codes if c in plover]
            if not typed or len({plover[c]["plover_type"] for c in typed}) > MAX_PARTICLE_CODES:
                continue
            code = Counter(typed).most_common(1)[0][0]
            if (lemma, particle) not in rows:
                rows[(lemma, particle)] = lexicon_row(
                    lemma, particle, code, plover, f"petrarch2 block {block.name} pattern"
                )
    return sorted(rows.values(), key=lambda row: (row["lemma"], row["particle"]))


# ---------------------------------------------------------- agent nouns ---

# Nouns for places and sites, written here from general English: an object of this kind
# makes "captured"/"seized" a seizure of territory or property, not an arrest. The agents
# file codes a few of them (city, town, village) as civilian collectives; they are places here.
PLACE_NOUNS = [
    "airport", "base", "border", "bridge", "building", "camp", "capital", "checkpoint", "city", "compound",
    "district", "embassy", "facility", "field", "headquarters", "highway", "hill", "island", "neighborhood",
    "neighbourhood", "oilfield", "outpost", "port", "position", "province", "region", "road", "territory",
    "town", "village", "warehouse", "workshop",
]
AGENT = re.compile(r"^(?P<word>[A-Z][A-Z\-]*)_?\s+\[~(?P<code>[A-Z]+)\]")


def agent_nouns(path: Path) -> list[dict[str, str]]:
    """Single-word nouns for people and groups ("soldier", "militant") with their sector code,
    plus ``PLACE_NOUNS`` as class "place".

    The trigger stage uses them to tell a person object from a place or thing
    ("captured the militants" vs "captured the town").
    """
    rows: dict[str, tuple[str, str]] = {noun: ("place", "") for noun in PLACE_NOUNS}
    for line in path.read_text(encoding="utf-8", errors="replace").splitlines():
        match = AGENT.match(line.strip())
        if match and match["word"].isalpha():
            rows.setdefault(match["word"].lower(), ("person", match["code"]))
    return [{"lemma": lemma, "class": kind, "sector": code} for lemma, (kind, code) in sorted(rows.items())]


# ------------------------------------------------------------------ main ---

PLOVER_CREDIT = """Derived from PLOVER: Political Language Ontology for Verifiable Event Records,
Open Event Data Alliance, (c) 2021, https://github.com/openeventdata/PLOVER (commit 5e0c24fb,
manual version 2.0). Licence CC BY-SA 4.0 (LICENSE-CC-BY-SA-4.0.txt). Changed: see README.md.
Built by scripts/build_lexicon.py; do not edit by hand."""


def build(source: Path) -> None:
    types = plover_types(source)
    mapping = normalised_mapping(source, types)
    cameo = cameo_table(source, types, mapping)
    blocks = parse_verb_dictionary(source / "petrarch2" / "dictionaries" / "CAMEO.2.0.txt")
    verbs = verb_rows(blocks, mapping)
    agents = agent_nouns(source / "ngec" / "PLOVER_agents.txt")
    write_rows(DATA / "plover" / "plover_types.tsv", list(types[0]), types, PLOVER_CREDIT)
    write_rows(DATA / "plover" / "cameo_to_plover.tsv", list(mapping[0]), mapping, PLOVER_CREDIT)
    write_rows(DATA / "cameo" / "cameo.tsv", list(cameo[0]), cameo,
               "CAMEO 1.1b3 codes (labels via andybega/icews, MIT), Goldstein (GDELT lookup; ICEWS where\n"
               "GDELT lacks the code); quad_class follows the PLOVER type. " + PLOVER_CREDIT)
    write_rows(DATA / "lexicon" / "verbs.tsv", LEXICON_COLUMNS, verbs,
               "Verb lexicon derived from PETRARCH2 CAMEO.2.0.txt (MIT, (c) 2015 Open Event Data Alliance;\n"
               "LICENSE-PETRARCH2.txt) mapped to PLOVER. " + PLOVER_CREDIT)
    write_rows(DATA / "lexicon" / "object_nouns.tsv", ["lemma", "class", "sector"], agents,
               "Object noun classes. Person/group nouns (class person, PLOVER sector code) are single words\n"
               "from NGEC-2025 "
               "NGEC/assets/PLOVER_agents.txt (ahalterman/NGEC-2025 @a3909e2a), itself the CAMEO agents file of the\n"
               "Computational Event Data System Project (eventdata.parusanalytics.com), NSF-funded.\n"
               "MIT licence, (c) 2014 Open Event Data Alliance: see LICENSE-PETRARCH2.txt (same licence text).\n"
               "Place nouns (class place) are eventcoder's own list (scripts/build_lexicon.py PLACE_NOUNS).")
    for folder in ("plover", "cameo", "lexicon"):
        shutil.copyfile(source / "plover" / "LICENSE-CC-BY-SA-4.0.txt", DATA / folder / "LICENSE-CC-BY-SA-4.0.txt")
    shutil.copyfile(source / "petrarch2" / "LICENSE", DATA / "lexicon" / "LICENSE-PETRARCH2.txt")
    shutil.copyfile(source / "cameo" / "licenses" / "andybega-icews.LICENSE.md", DATA / "cameo" / "LICENSE-icews.md")
    print(f"{len(types)} PLOVER types, {len(mapping)} CAMEO mappings, {len(cameo)} CAMEO codes, "
          f"{len(verbs)} verb rows from {len(blocks)} PETRARCH2 blocks, {len(agents)} agent nouns")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--source", type=Path, default=REPO.parent / "shared" / "data",
                        help="folder with plover/, cameo/, petrarch2/ (default: ../shared/data)")
    build(parser.parse_args().source)


if __name__ == "__main__":
    main()
