"""``eventcoder_triggers``: find the words that evoke events and give each one sense.

Candidates come from a spaCy ``Matcher`` over lemmas the lexicon knows (verbs that are
not auxiliaries, event nouns). Each candidate then gets one sense from simple cues read
off the parse, most specific first:

1. a cue word: an object with a prepositional object ("set *fire+flag*"), the verb's
   particle (``prt``: "hand *over*"), its direct object's lemma
   ("lift *sanctions*"), its prepositions ("call *for*"), its infinitive complement
   ("decline *to comment*"), its prepositional objects ("put on *alert*"); a noun's
   compound or adjective modifiers ("*drone* attack", "*hunger* strike"). A cue curated
   as "not an event" means no trigger;
2. an object class: ``@obj:person`` / ``@obj:place`` from the object's entity label, then
   ``@dobj`` for any direct object; ``@support:<verb>`` then ``@support`` for a noun
   governed by a support verb ("*went on* strike" is a protest, "*launched* strikes" are not);
3. the bare word.

Cues with a curated sense are tried before cues with only derived senses; within a cue
the first sense listed wins (curated overrides before derived rows). Object classes come
from the object's entity label or from ``lexicon/object_nouns.tsv`` ("militants" are
people, "the town" is a place).

Light-verb constructions ("carry out attacks", "hold talks", "opened fire") make the
object noun the trigger; the verb is recorded in ``extra["support"]`` (token index) and
is not a trigger itself. Nouns such as "decision" or "move" that stand for the event of
their complement ("the decision to expel") become triggers with the complement verb's
sense (``extra["complement"]``), and that verb is not a separate trigger.

``extra`` keys (all strings): ``cue`` (the lexicon key used), ``particle``, ``support``,
``support_lemma``, ``complement`` (token index of the clausal complement or the
deferred verb), ``complement_lemma``, ``governor`` (index of a trigger that governs this
one), ``negated`` ("true" when the trigger has a ``neg`` dependent), ``modifier`` (the
lemma of a noun modifier cue).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from spacy.language import Language
from spacy.matcher import Matcher
from spacy.tokens import Doc, Token

from ..annotations import Trigger, TriggerSense, register_extensions
from .lexicon import Lexicon

__all__ = ["TriggerFinder", "find_triggers"]

AUX_DEPS = frozenset({"aux", "auxpass"})
ENTITY_DESCRIBING_DEPS = frozenset({"amod", "compound"})  # "the released activists", "attack helicopters"
OBJECT_DEPS = ("dobj", "obj")
NOUN_MODIFIER_DEPS = frozenset({"compound", "amod", "nmod"})
PERSON_LABELS = frozenset({"PERSON", "NORP", "ORG"})
PLACE_LABELS = frozenset({"GPE", "LOC", "FAC"})
SIBLING_DEPS = frozenset({"conj", "advcl", "parataxis", "relcl", "ROOT", "appos"})
VERB_TAGS = ("VERB",)
NOUN_TAGS = ("NOUN",)


@dataclass
class _Candidate:
    token: Token
    pos: str
    sense: TriggerSense
    cue: str
    extra: dict[str, str] = field(default_factory=dict)
    start_token: int = -1
    end_token: int = -1


class TriggerFinder:
    """The component: ``doc -> doc`` with ``doc._.ec_triggers`` set."""

    def __init__(self, nlp: Language, lexicon: Lexicon | None = None) -> None:
        register_extensions()
        self.lexicon = lexicon or Lexicon.default()
        self.matcher = Matcher(nlp.vocab)
        verbs = sorted(self.lexicon.lemmas("VERB"))
        nouns = sorted(self.lexicon.lemmas("NOUN") | self.lexicon.deferring_lemmas("NOUN"))
        supports = sorted(set(self.lexicon.support_verbs()))
        self.matcher.add("VERB", [[{"LEMMA": {"IN": verbs}, "POS": {"IN": list(VERB_TAGS)}}]])
        self.matcher.add("NOUN", [[{"LEMMA": {"IN": nouns}, "POS": {"IN": list(NOUN_TAGS)}}]])
        self.matcher.add("SUPPORT", [[{"LEMMA": {"IN": supports}, "POS": {"IN": ["VERB", "AUX"]}}]])

    def __call__(self, doc: Doc) -> Doc:
        doc._.ec_triggers = find_triggers(doc, self.matcher, self.lexicon)
        return doc


@Language.factory("eventcoder_triggers")
def make_trigger_finder(nlp: Language, name: str) -> TriggerFinder:
    return TriggerFinder(nlp)


def find_triggers(doc: Doc, matcher: Matcher, lexicon: Lexicon) -> list[Trigger]:
    """Triggers of a parsed doc, sorted by start offset."""
    by_label: dict[str, list[Token]] = {"VERB": [], "NOUN": [], "SUPPORT": []}
    for match_id, start, _end in matcher(doc):
        by_label[doc.vocab.strings[match_id]].append(doc[start])
    found: dict[int, _Candidate] = {}
    consumed: set[int] = set()
    for candidate in _supported_nouns(by_label["SUPPORT"], lexicon):
        found[candidate.token.i] = candidate
        consumed.add(int(candidate.extra["support"]))
    for candidate in _deferring_nouns(by_label["NOUN"], lexicon):
        found[candidate.token.i] = candidate
        consumed.add(int(candidate.extra["complement"]))
    for candidate in _verbs(by_label["VERB"], lexicon):
        if candidate.token.i not in consumed and candidate.token.i not in found:
            found[candidate.token.i] = candidate
            consumed.update(_named_objects(candidate, lexicon))
    for candidate in _nouns(by_label["NOUN"], lexicon):
        if candidate.token.i not in found and candidate.token.i not in consumed:
            found[candidate.token.i] = candidate
    _mark_governors(found)
    return sorted((_to_trigger(doc, c) for c in found.values()), key=lambda t: (t.start, t.token))


# ----------------------------------------------------------------- verbs ---

def _verbs(tokens: Iterable[Token], lexicon: Lexicon) -> Iterator[_Candidate]:
    for token in tokens:
        if token.dep_ in AUX_DEPS or token.dep_ in ENTITY_DESCRIBING_DEPS or _in_hyphenated_word(token):
            continue
        cue, sense = _choose_sense(token, "VERB", _verb_cues(token, lexicon), lexicon)
        if sense is None:
            continue
        candidate = _Candidate(token, "VERB", sense, cue, start_token=token.i, end_token=token.i)
        _add_particle(candidate)
        _add_common_extra(candidate)
        yield candidate


def _in_hyphenated_word(token: Token) -> bool:
    """"ready-to-fire", "much-needed": a verb inside a hyphenated modifier names no event."""
    doc = token.doc
    before = token.i > 0 and doc[token.i - 1].text == "-" and not doc[token.i - 1].whitespace_
    after = token.i + 1 < len(doc) and doc[token.i + 1].text == "-" and not token.whitespace_
    return before or after


def _verb_cues(token: Token, lexicon: Lexicon) -> list[str]:
    """Cue words and classes for a verb, most specific first."""
    objects = [child for child in token.children if child.dep_ in OBJECT_DEPS]
    prepositional = [obj.lemma_.lower() for prep in token.children if prep.dep_ == "prep"
                     for obj in prep.children if obj.dep_ == "pobj"]
    cues = [f"{obj.lemma_.lower()}+{other}" for obj in objects for other in prepositional]  # "set fire to *flags*"
    cues += [child.lemma_.lower() for child in token.children if child.dep_ == "prt"]
    cues += [form for obj in objects for form in (obj.lemma_.lower(), obj.lower_)]  # derived rows keep plurals
    cues += [child.lemma_.lower() for child in token.children if child.dep_ in ("prep", "agent", "dative")]
    cues += [child.lemma_.lower() for child in token.children if child.dep_ == "xcomp"]  # "decline to comment"
    cues += prepositional  # "put on *alert*"
    cues += [cue for cue in (_object_class(obj, lexicon) for obj in objects) if cue]
    if objects:
        cues.append("@dobj")
    return cues


def _object_class(obj: Token, lexicon: Lexicon) -> str | None:
    """``@obj:person`` / ``@obj:place`` from the object's entity label or its head noun."""
    if obj.pos_ == "PRON":
        return "@obj:person"
    label = obj.ent_type_ or next((t.ent_type_ for t in obj.subtree if t.ent_type_), "")
    kind = lexicon.object_class(obj.lemma_) or (
        "person" if label in PERSON_LABELS else "place" if label in PLACE_LABELS else None
    )
    return f"@obj:{kind}" if kind else None


def _named_objects(candidate: _Candidate, lexicon: Lexicon) -> list[int]:
    """Objects that name the verb's event through a curated cue ("lifted *sanctions*")."""
    curated = lexicon.curated_particles(candidate.token.lemma_, "VERB")
    if candidate.sense.fold is not None or candidate.cue not in curated:
        return []
    objects = [child for child in candidate.token.children if child.dep_ in OBJECT_DEPS]
    head_cue = candidate.cue.split("+")[0]
    named = [obj.i for obj in objects if head_cue in (obj.lemma_.lower(), obj.lower_)]
    if named:
        candidate.extra["object"] = str(named[0])
    return named


def _add_particle(candidate: _Candidate) -> None:
    token = candidate.token
    particle = next((child for child in token.children if child.dep_ == "prt"), None)
    if particle is None:
        return
    candidate.extra["particle"] = particle.lemma_.lower()
    if particle.i == token.i + 1:
        candidate.end_token = particle.i


# ----------------------------------------------------------------- nouns ---

def _nouns(tokens: Iterable[Token], lexicon: Lexicon) -> Iterator[_Candidate]:
    for token in tokens:
        if token.dep_ == "compound" or lexicon.defers_to_complement(token.lemma_, "NOUN"):
            continue
        cue, sense = _choose_sense(token, "NOUN", _noun_cues(token), lexicon)
        if sense is None:
            continue
        candidate = _Candidate(token, "NOUN", sense, cue, start_token=token.i, end_token=token.i)
        if cue and not cue.startswith("@"):
            candidate.extra["modifier"] = cue
        _add_common_extra(candidate)
        yield candidate


def _noun_cues(token: Token) -> list[str]:
    return [child.lemma_.lower() for child in token.children if child.dep_ in NOUN_MODIFIER_DEPS]


def _supported_nouns(support_tokens: Iterable[Token], lexicon: Lexicon) -> Iterator[_Candidate]:
    """Event nouns that are the object of a support verb ("carried out raids")."""
    for verb in support_tokens:
        required = lexicon.support_particles(verb.lemma_) or frozenset()
        for noun in _support_objects(verb, required):
            cues = [*_noun_cues(noun), f"@support:{verb.lemma_.lower()}", "@support"]
            cue, sense = _choose_sense(noun, "NOUN", cues, lexicon)
            if sense is None:
                continue
            candidate = _Candidate(noun, "NOUN", sense, cue, start_token=noun.i, end_token=noun.i)
            candidate.extra.update(support=str(verb.i), support_lemma=verb.lemma_.lower())
            _add_common_extra(candidate, negation_from=verb)
            yield candidate


def _support_objects(verb: Token, required: frozenset[str]) -> Iterator[Token]:
    particles = {child.lemma_.lower() for child in verb.children if child.dep_ == "prt"}
    for child in verb.children:
        if child.dep_ in OBJECT_DEPS and ("" in required or required & particles):
            yield from _with_conjuncts(child)
        elif child.dep_ == "prep" and child.lemma_.lower() in required:
            for grandchild in child.children:
                if grandchild.dep_ == "pobj":
                    yield from _with_conjuncts(grandchild)


def _with_conjuncts(token: Token) -> Iterator[Token]:
    yield token
    yield from (conj for conj in token.conjuncts if conj.i > token.i and conj.pos_ == "NOUN")


def _deferring_nouns(tokens: Iterable[Token], lexicon: Lexicon) -> Iterator[_Candidate]:
    """"decision to expel": the noun carries the sense of the verb it governs."""
    for noun in tokens:
        if not lexicon.defers_to_complement(noun.lemma_, "NOUN"):
            continue
        verb = _complement(noun)
        if verb is None:
            continue
        cue, sense = _choose_sense(verb, "VERB", _verb_cues(verb, lexicon), lexicon)
        if sense is None:
            continue
        candidate = _Candidate(noun, "NOUN", sense, cue, start_token=noun.i, end_token=noun.i)
        candidate.extra.update(complement=str(verb.i), complement_lemma=verb.lemma_.lower())
        _add_common_extra(candidate, negation_from=verb)
        yield candidate


# ---------------------------------------------------------------- shared ---

def _choose_sense(
    token: Token, pos: str, cues: list[str], lexicon: Lexicon
) -> tuple[str, TriggerSense | None]:
    """First sense of the most specific cue, curated cues before derived ones, else the bare word."""
    if set(cues) & lexicon.blocked_particles(token.lemma_, pos):
        return "", None
    for known in (lexicon.curated_particles(token.lemma_, pos), lexicon.particles(token.lemma_, pos)):
        for cue in cues:
            if cue in known:
                senses = lexicon.senses(token.lemma_, pos, cue)
                if senses:
                    return cue, senses[0]
    senses = lexicon.senses(token.lemma_, pos)
    return "", (senses[0] if senses else None)


def _add_common_extra(candidate: _Candidate, negation_from: Token | None = None) -> None:
    token = candidate.token
    if candidate.cue:
        candidate.extra["cue"] = candidate.cue
    negated_by = [token, *([negation_from] if negation_from is not None else [])]
    if any(child.dep_ == "neg" for t in negated_by for child in t.children):
        candidate.extra["negated"] = "true"
    if candidate.sense.fold == "complement" and "complement" not in candidate.extra:
        complement = _complement(token)
        if complement is not None:
            candidate.extra.update(complement=str(complement.i), complement_lemma=complement.lemma_.lower())


def _complement(token: Token) -> Token | None:
    """The clause a word takes as content: xcomp/ccomp, or an infinitive ``acl``
    ("decision *to expel*"; not the participle in "a deal *mediated* by")."""
    for child in token.children:
        if child.dep_ in ("xcomp", "ccomp") and child.pos_ in ("VERB", "AUX"):
            return child
        if child.dep_ == "acl" and any(c.dep_ == "aux" and c.lower_ == "to" for c in child.children):
            return child
    return None


def _mark_governors(found: dict[int, _Candidate]) -> None:
    """Record the trigger that takes each trigger as an argument or complement.

    Coordination and adverbial clauses are not government: "raided ... and arrested" are
    siblings. Through a preposition only when the preposition belongs to the governing
    word ("called *for* talks", "the release *of*"), not for time or place ("after clashes").
    A supported noun is governed through its support verb ("threatened to impose sanctions").
    """
    for candidate in found.values():
        token = candidate.token
        support = candidate.extra.get("support")
        if support is not None:
            token = token.doc[int(support)]
        if token.dep_ in SIBLING_DEPS:
            continue
        head = token.head
        preposition = head if head.dep_ == "prep" or head.pos_ == "ADP" else None
        if preposition is not None:
            head = preposition.head
        governor = found.get(head.i)
        if governor is None or head.i == candidate.token.i:
            continue
        if preposition is not None and preposition.lemma_.lower() not in ("of", governor.cue):
            continue
        candidate.extra["governor"] = str(head.i)


def _to_trigger(doc: Doc, candidate: _Candidate) -> Trigger:
    span = doc[candidate.start_token : candidate.end_token + 1]
    return Trigger(
        start=span.start_char,
        end=span.end_char,
        text=span.text,
        token=candidate.token.i,
        lemma=candidate.token.lemma_.lower(),
        sense=candidate.sense,
        pos=candidate.pos,
        extra=dict(candidate.extra),
    )
