"""How the text holds an event (modality) and who says so (attribution).

Read off the path from the event's trigger up to its sentence root: the
nearest frame cue whose complement holds the event decides the modality
("X claimed that …" → claimed; "on suspicion of …" → alleged; "denied that
…" → denied); report verbs only attribute. Modifier cues ("expected visit",
"allegedly fired"), negation, conditional clauses and modal auxiliaries act
on the trigger's own clause. "According to X" attributes a whole sentence.
"""

from __future__ import annotations

from dataclasses import dataclass

from spacy.tokens import Span, Token

from .frames import FrameCue, Frames
from .syntax import ancestors_within, children, is_kind, negated, subject_of

# Kinds whose cue is itself an event the lexicon codes (deny → REJECT): the
# cue still sets the governed event's modality.
MODALITY_OF_KIND = {
    "claim": "claimed", "allege": "alleged", "suspect": "alleged", "deny": "denied",
    "plan": "planned", "expect": "planned", "hypothetical": "hypothetical", "negate": "negated",
}


# Cues whose subject is who says so ("X said/claimed/denied that …"); the
# subject of "plan", "expect" or "hope" is the actor, not a source.
SOURCE_KINDS = frozenset({"report", "claim", "allege", "suspect", "deny"})


@dataclass
class Scope:
    modality: str = "asserted"
    source: Token | None = None  # who says so: subject of the cue, or "according to" object
    cue: Token | None = None  # the frame word that decided it
    negated: bool = False
    condition: Token | None = None  # head of an if/unless clause governing the event


def read_scope(trigger: Token, sentence: Span, frames: Frames) -> Scope:
    scope = Scope()
    clause = _clause_head(trigger)
    scope.negated = negated(clause) or negated(trigger)
    scope.condition = _condition(clause, sentence)
    modifier = _modifier_cue(trigger, frames)
    if modifier is not None:
        scope.modality, scope.cue = MODALITY_OF_KIND.get(modifier.kind, "asserted"), trigger
    for ancestor, via in ancestors_within(clause, sentence):
        cue = frames.cue(ancestor.lemma_, ancestor.pos_)
        if cue is None or cue.scope != "complement" or not _in_complement(via):
            continue
        if scope.cue is None:
            scope.modality = MODALITY_OF_KIND.get(cue.kind, scope.modality)
            scope.cue = ancestor
        if scope.source is None and ancestor.pos_ in ("VERB", "AUX") and cue.kind in SOURCE_KINDS:
            scope.source = subject_of(ancestor)[0]
        if scope.source is not None:
            break
    if scope.source is None:
        scope.source = according_to(sentence)
        if scope.source is not None and scope.modality == "asserted":
            scope.modality = "claimed"
    if scope.modality == "asserted":
        scope.modality = _auxiliary_modality(clause, scope)
        reported = scope.cue is not None and scope.source is not None
        if scope.modality == "hypothetical" and reported and scope.condition is None \
                and any(aux.lower_ == "would" for aux in children(clause, "aux")):
            scope.modality = "planned"  # "said it would send a mission": the future of reported speech
    return scope


def _clause_head(trigger: Token) -> Token:
    """For a nominal trigger inside a light-verb object ("carried out attacks"),
    the clause is the verb's."""
    token = trigger
    if token.pos_ in ("NOUN", "PROPN") and token.dep_ in ("dobj", "nsubjpass", "attr"):
        return token.head
    return token


def _in_complement(via: Token) -> bool:
    return via.dep_ in ("ccomp", "xcomp", "dobj", "pobj", "pcomp", "acl", "advcl", "nsubjpass",
                        "prep", "conj", "csubj", "attr", "oprd", "npadvmod")


def _modifier_cue(trigger: Token, frames: Frames) -> FrameCue | None:
    for child in trigger.children:
        if child.dep_ in ("amod", "advmod", "compound", "nmod"):
            for cue in (frames.cue(child.lower_, child.pos_), frames.cue(child.lemma_, child.pos_),
                        frames.cue(child.lower_, "ADJ"), frames.cue(child.lower_, "ADV")):
                if cue is not None and cue.scope == "modifier":
                    return cue
    for child in children(trigger.head, "advmod") if trigger.dep_ in ("dobj", "nsubjpass") else []:
        cue = frames.cue(child.lower_, child.pos_)
        if cue is not None and cue.scope == "modifier":
            return cue
    return None


def _condition(clause: Token, sentence: Span) -> Token | None:
    """The head of a conditional clause the event stands in or depends on."""
    for token in [clause, *(ancestor for ancestor, _ in ancestors_within(clause, sentence))]:
        if token.dep_ == "advcl" and _is_conditional(token):
            return token
        # "would continue firing if Israel did not withdraw": the condition hangs on the clause
        condition = next((child for child in children(token, "advcl") if _is_conditional(child)), None)
        if condition is not None and not condition.left_edge.i <= clause.i <= condition.right_edge.i:
            return condition
        if token.dep_ in ("ccomp",) or token.pos_ in ("NOUN", "PROPN"):
            return None  # the condition of a reporting clause is not this event's
    return None


def _is_conditional(clause: Token) -> bool:
    return any(is_kind(mark, "condition", lemma=False) for mark in children(clause, "mark"))


def _auxiliary_modality(clause: Token, scope: Scope) -> str:
    if scope.condition is not None:
        return "hypothetical"
    auxiliaries = children(clause, "aux")
    if any(is_kind(aux, "hypothetical", lemma=False) for aux in auxiliaries):
        return "hypothetical"
    if any(is_kind(aux, "future", lemma=False) for aux in auxiliaries) or _going_to(clause):
        return "planned"
    return "asserted"


def _going_to(clause: Token) -> bool:
    head = clause.head
    return clause.dep_ == "xcomp" and head.lemma_ == "go" and head.tag_ == "VBG"


def according_to(sentence: Span) -> Token | None:
    for token in sentence:
        if token.lower_ == "according" and token.i + 1 < sentence.end and sentence.doc[token.i + 1].lower_ == "to":
            objects = children(sentence.doc[token.i + 1], "pobj") or children(token, "pobj")
            if not objects:
                for child in token.children:
                    objects.extend(children(child, "pobj"))
            if objects:
                return objects[0]
    return None
