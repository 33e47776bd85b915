"""The clause an event word sits in, shared by the date and place stages:
what is attached to an event is looked for in its own clause, never in an
embedded one."""

from __future__ import annotations

from spacy.tokens import Doc, Token

# Dependencies that open a clause of its own.
CLAUSAL = frozenset({"ccomp", "advcl", "relcl", "xcomp", "csubj", "csubjpass", "parataxis", "acl", "pcomp"})
SUBJECT_DEPS = ("nsubj", "nsubjpass", "expl")


def clause_head(token: Token) -> Token:
    """The verb of the clause ``token`` sits in (itself for a verb)."""
    while token.pos_ not in ("VERB", "AUX") and token.head.i != token.i and token.dep_ not in CLAUSAL \
            and token.dep_ != "conj":
        token = token.head
    return token


def own_tokens(head: Token, *, nominal_conjuncts: bool = True) -> set[int]:
    """Token indices of ``head``'s subtree without embedded or conjoined
    clauses; ``nominal_conjuncts=False`` also leaves out conjoined nouns."""
    own: set[int] = set()
    stack = [head]
    while stack:
        token = stack.pop()
        own.add(token.i)
        stack.extend(child for child in token.children if child.dep_ not in CLAUSAL and not (
            child.dep_ == "conj" and (not nominal_conjuncts or child.pos_ in ("VERB", "AUX"))))
    return own


def has_subject(verb: Token) -> bool:
    return any(child.dep_ in SUBJECT_DEPS for child in verb.children)


def subject_start(verb: Token) -> int:
    """Character offset where the clause's subject begins (the clause's left edge)."""
    subjects = [child for child in verb.children if child.dep_ in SUBJECT_DEPS]
    return min(subject.left_edge.idx for subject in subjects) if subjects else verb.idx


def doc_length(doc: Doc) -> int:
    """``len(doc.text)`` without rebuilding the text (``Doc.text`` joins every token)."""
    return doc[-1].idx + len(doc[-1].text_with_ws) if len(doc) else 0
