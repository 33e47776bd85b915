"""The trigger lexicon: data files agree with each other, lookups follow the documented rules."""

from __future__ import annotations

import shutil
from collections import Counter
from pathlib import Path

import pytest

from eventcoder.data import DATA_DIR, data_path, read_tsv
from eventcoder.errors import DataFileError
from eventcoder.extract.lexicon import Lexicon

PLOVER_TYPES = {
    "AGREE", "CONSULT", "SUPPORT", "CONCEDE", "COOPERATE", "AID", "RETREAT", "REQUEST",
    "ACCUSE", "REJECT", "THREATEN", "PROTEST", "SANCTION", "MOBILIZE", "COERCE", "ASSAULT",
}


@pytest.fixture(scope="module")
def lexicon() -> Lexicon:
    return Lexicon.default()


def lexicon_rows(name: str) -> list[dict[str, str]]:
    return read_tsv(data_path("lexicon", name))


def test_default_is_loaded_once() -> None:
    assert Lexicon.default() is Lexicon.default()


def test_plover_types_are_the_sixteen_of_the_manual(lexicon: Lexicon) -> None:
    assert set(lexicon.plover_types()) == PLOVER_TYPES
    assert lexicon.quad_class_for_type("CONSULT") == 1
    assert lexicon.quad_class_for_type("AID") == 2
    assert lexicon.quad_class_for_type("REJECT") == 3
    assert lexicon.quad_class_for_type("ASSAULT") == 4
    assert lexicon.quad_class_for_type("FIGHT") is None


def test_cameo_codes_keep_leading_zeros(lexicon: Lexicon) -> None:
    assert lexicon.cameo_info("010")[0] == "Make statement"
    assert lexicon.cameo_info("10")[0].upper() == "DEMAND"
    label, goldstein, quad = lexicon.cameo_info("173")
    assert "Arrest" in label and goldstein == -5.0 and quad == 4
    with pytest.raises(DataFileError):
        lexicon.cameo_info("999")


def test_plover_for_cameo_uses_the_2_0_names(lexicon: Lexicon) -> None:
    assert lexicon.plover_for_cameo("173") == ("COERCE", "arrest", ("legal",))
    assert lexicon.plover_for_cameo("0841")[:2] == ("RETREAT", "release")
    assert lexicon.plover_for_cameo("186")[:2] == ("ASSAULT", "targeted")  # was "assassinate"
    assert lexicon.plover_for_cameo("163")[0] == "SANCTION"  # manual: sanctions are SANCTION
    assert lexicon.plover_for_cameo("010")[0] is None  # CAMEO 01 is dropped in PLOVER


@pytest.mark.parametrize("name", ["overrides.tsv", "verbs.tsv"])
def test_every_sense_scale_agrees_with_cameo_table(lexicon: Lexicon, name: str) -> None:
    for row in lexicon_rows(name):
        if row["type"] == "-":
            continue
        for sense in lexicon.senses(row["lemma"], row["pos"], row["particle"] or None):
            assert sense.type in PLOVER_TYPES
            assert sense.quad_class == lexicon.quad_class_for_type(sense.type)
            if sense.cameo is not None:
                assert sense.goldstein == lexicon.cameo_info(sense.cameo)[1]


def test_curated_codes_map_to_their_type_or_say_why(lexicon: Lexicon) -> None:
    for row in lexicon_rows("overrides.tsv"):
        if row["type"] == "-" or not row["cameo"]:
            continue
        mapped = lexicon.plover_for_cameo(row["cameo"])[0]
        assert mapped in (row["type"], None) or "closest" in row["note"], row


def test_derived_verbs_have_one_line_per_lemma_and_particle() -> None:
    keys = Counter((row["lemma"], row["particle"]) for row in lexicon_rows("verbs.tsv"))
    assert keys and max(keys.values()) == 1
    assert len(keys) > 1500


def test_derived_bare_verb_takes_the_block_code_not_a_pattern_code() -> None:
    rows = {(row["lemma"], row["particle"]): row for row in lexicon_rows("verbs.tsv")}
    assert rows[("arrest", "")]["cameo"] == "173"  # own code of the APPREHEND block word
    assert rows[("kidnap", "")]["type"] == "ASSAULT"
    assert rows[("set", "fire")]["type"] == "ASSAULT"  # a simple "- * FIRE" pattern


def test_overrides_come_first(lexicon: Lexicon) -> None:
    senses = lexicon.senses("agree", "VERB")
    assert senses[0].type == "AGREE" and senses[0].fold == "complement"
    assert lexicon.senses("raid", "VERB")[0].type == "COERCE"
    assert lexicon.senses("raid", "VERB")[0].mode == "seize"


def test_not_an_event_rows_hide_bare_senses_but_not_particles(lexicon: Lexicon) -> None:
    assert lexicon.senses("take", "VERB") == []
    assert lexicon.senses("take", "VERB", "hostage")[0].mode == "abduct"
    assert lexicon.senses("hold", "VERB") == []


def test_particle_falls_back_to_the_bare_word(lexicon: Lexicon) -> None:
    assert lexicon.senses("arrest", "VERB", "over")[0].type == "COERCE"
    assert lexicon.senses("call", "VERB") == []
    assert lexicon.senses("call", "VERB", "for")[0].type == "REQUEST"


def test_derived_particle_sense_keeps_the_curated_fold(lexicon: Lexicon) -> None:
    sense = lexicon.senses("demand", "VERB", "resignation")[0]
    assert sense.type == "REQUEST" and sense.fold == "complement"


def test_hand_over_carries_its_negated_type(lexicon: Lexicon) -> None:
    sense = lexicon.senses("hand", "VERB", "over")[0]
    assert (sense.type, sense.negated_type) == ("CONCEDE", "REJECT")


def test_disarm_frame_depends_on_an_object(lexicon: Lexicon) -> None:
    assert lexicon.senses("disarm", "VERB")[0].frame == "self"
    assert lexicon.senses("disarm", "VERB", "@dobj")[0].type == "COERCE"


def test_report_verbs_get_no_derived_sense_but_deny_is_curated(lexicon: Lexicon) -> None:
    for lemma in ("say", "tell", "announce", "claim", "report", "plan", "expect"):
        assert lexicon.senses(lemma, "VERB") == [], lemma
    assert lexicon.senses("deny", "VERB")[0].type == "REJECT"


def test_event_nouns(lexicon: Lexicon) -> None:
    assert lexicon.senses("raid", "NOUN")[0].type == "COERCE"
    assert lexicon.senses("talk", "NOUN")[0].type == "CONSULT"
    assert lexicon.senses("attack", "NOUN", "drone")[0].mode == "drone"
    assert lexicon.senses("strike", "NOUN", "hunger")[0].type == "PROTEST"
    assert lexicon.senses("arrest", "NOUN")[0].frame == "recipient_subject"
    assert lexicon.senses("fire", "NOUN") == []  # only with a support verb
    assert lexicon.senses("fire", "NOUN", "@support")[0].type == "ASSAULT"


def test_decision_defers_to_its_complement(lexicon: Lexicon) -> None:
    assert lexicon.defers_to_complement("decision", "NOUN")
    assert "decision" in lexicon.deferring_lemmas("NOUN")
    assert not lexicon.defers_to_complement("raid", "NOUN")


def test_support_verbs(lexicon: Lexicon) -> None:
    assert lexicon.support_particles("carry") == frozenset({"out"})
    assert "" in (lexicon.support_particles("launch") or ())
    assert lexicon.support_particles("raid") is None


@pytest.fixture
def data_copy(tmp_path: Path) -> Path:
    target = tmp_path / "data"
    for folder in ("cameo", "plover", "lexicon", "frames"):
        shutil.copytree(DATA_DIR / folder, target / folder)
    return target


def add_override(data_dir: Path, row: str) -> None:
    with (data_dir / "lexicon" / "overrides.tsv").open("a", encoding="utf-8") as handle:
        handle.write(row + "\n")


@pytest.mark.parametrize(
    ("row", "message"),
    [
        ("smite\tVERB\t\tSMITE\t\t\t190\tagent\t\t\t", "unknown PLOVER type"),
        ("smite\tVERB\t\tASSAULT\t\t\t999\tagent\t\t\t", "unknown CAMEO code"),
        ("smite\tVERB\t\tASSAULT\tpoetic\t\t190\tagent\t\t\t", "not a PLOVER mode"),
        ("smite\tVERB\t\tASSAULT\t\t\t190\tvictim\t\t\t", "frame"),
        ("smite\tADV\t\tASSAULT\t\t\t190\tagent\t\t\t", "bad lemma/pos"),
    ],
)
def test_malformed_rows_are_reported_with_their_place(data_copy: Path, row: str, message: str) -> None:
    add_override(data_copy, row)
    with pytest.raises(DataFileError, match=message) as caught:
        Lexicon.from_dir(data_copy)
    assert "overrides.tsv row" in str(caught.value)


def test_a_new_override_is_used(data_copy: Path) -> None:
    add_override(data_copy, "smite\tVERB\t\tASSAULT\t\t\t190\tagent\t\t\t")
    assert Lexicon.from_dir(data_copy).senses("smite", "VERB")[0].cameo == "190"
