"""Dependency-tree helpers the event stage reads arguments and scope with.

Everything here works on spaCy tokens of the English dependency scheme
(ClearNLP labels as in ``en_core_web_*``) and knows word *kinds* from
``data/grammar/words.tsv``, never particular words.
"""

from __future__ import annotations

from collections.abc import Iterator
from functools import lru_cache

from spacy.tokens import Doc, Span, Token

from ..data import data_path, read_tsv

SUBJECT_DEPS = frozenset({"nsubj", "csubj"})
PASSIVE_SUBJECT_DEPS = frozenset({"nsubjpass", "csubjpass"})
OBJECT_DEPS = frozenset({"dobj", "dative", "attr", "oprd"})
CLAUSE_DEPS = frozenset({"ccomp", "xcomp", "advcl", "relcl", "acl", "pcomp", "conj", "csubj"})
# Children that start something other than the noun phrase itself.
NP_STOP_DEPS = frozenset({"relcl", "acl", "appos", "conj", "cc", "punct", "advcl", "prep"})
PERSONAL_PRONOUNS = frozenset({"he", "him", "his", "she", "her", "hers", "they", "them", "their", "it", "its"})
FIRST_PERSON = frozenset({"i", "me", "my", "we", "us", "our"})
CONTROL_PREPOSITIONS = frozenset({"from", "of", "for", "with", "into"})
RELATIVE_PRONOUNS = frozenset({"who", "whom", "which", "that", "whose"})


@lru_cache(maxsize=1)
def word_kinds() -> dict[str, frozenset[str]]:
    kinds: dict[str, set[str]] = {}
    for row in read_tsv(data_path("grammar", "words.tsv")):
        kinds.setdefault(row["kind"], set()).add(row["word"].lower())
    return {kind: frozenset(words) for kind, words in kinds.items()}


def is_kind(token: Token, kind: str, *, lemma: bool = True) -> bool:
    words = word_kinds().get(kind, frozenset())
    return token.lower_ in words or (lemma and token.lemma_.lower() in words)


def children(token: Token, *deps: str) -> list[Token]:
    return [child for child in token.children if child.dep_ in deps]


def first_child(token: Token, *deps: str) -> Token | None:
    found = children(token, *deps)
    return found[0] if found else None


def is_passive(token: Token) -> bool:
    if any(child.dep_ in PASSIVE_SUBJECT_DEPS or child.dep_ == "auxpass" for child in token.children):
        return True
    # "the activists arrested in the raid": a past participle modifying a noun.
    return token.tag_ == "VBN" and token.dep_ == "acl"


def clause_verb(token: Token) -> Token:
    """The verb a token's clause hangs on (the token itself for verbs)."""
    while token.pos_ not in ("VERB", "AUX") and token.dep_ not in ("ROOT",) and token.head.i != token.i:
        token = token.head
    return token


def np_tokens(head: Token) -> tuple[int, int]:
    """Token range [start, end) of the noun phrase headed by ``head``,
    without relative clauses, appositions, conjuncts or prepositions."""
    start = end = head.i
    stack = [head]
    while stack:
        token = stack.pop()
        start, end = min(start, token.i), max(end, token.i)
        stack.extend(child for child in token.children if child.dep_ not in NP_STOP_DEPS)
    return start, end + 1


def np_with_modifiers(head: Token) -> tuple[int, int]:
    """The noun phrase with its prepositional modifiers ("officials at the X")."""
    start = end = head.i
    stack = [head]
    while stack:
        token = stack.pop()
        start, end = min(start, token.i), max(end, token.i)
        # the head's own prepositions, and those of its adjectives ("sources close to X")
        own = token.i == head.i or (token.dep_ == "amod" and token.head.i == head.i)
        stack.extend(child for child in token.children
                     if child.dep_ not in NP_STOP_DEPS or (child.dep_ == "prep" and own))
    return start, end + 1


def effective_head(token: Token) -> Token:
    """The token's head, repairing a frequent parser error: in "on suspicion
    of planning and carrying out attacks" the gerund after "and" is attached
    to the main verb instead of to the gerund before the conjunction."""
    head = token.head
    if token.dep_ != "conj" or token.tag_ != "VBG" or head.tag_ == "VBG" or token.i < 2:
        return head
    before_cc = token.doc[token.i - 2]
    if token.doc[token.i - 1].dep_ == "cc" and before_cc.i != head.i and before_cc.lower_.endswith("ing") \
            and before_cc.i > head.i:
        return before_cc
    return head


def subject_of(verb: Token) -> tuple[Token | None, bool]:
    """(subject token, passive?) of a verb, inheriting along conjunction,
    control (xcomp) and relative clauses."""
    seen = 0
    token = verb
    while seen < 6:
        seen += 1
        subject = first_child(token, *SUBJECT_DEPS)
        if subject is not None:
            return subject, False
        passive_subject = first_child(token, *PASSIVE_SUBJECT_DEPS)
        if passive_subject is not None:
            return passive_subject, True
        if token.dep_ == "conj":
            head = effective_head(token)
            if head.pos_ not in ("VERB", "AUX"):
                return None, False
            token = head
            continue
        if token.dep_ == "pcomp" and token.head.lower_ in CONTROL_PREPOSITIONS:
            # "prevent the fighters from fighting", "accused X of attacking": the object acts
            controller = first_child(token.head.head, "dobj")
            if controller is not None:
                return controller, False
            token = token.head.head
            continue
        if token.dep_ == "xcomp":
            # "X is expected to travel", "X was ordered to leave": X does the xcomp's action
            subject = first_child(token.head, *SUBJECT_DEPS, *PASSIVE_SUBJECT_DEPS)
            if subject is not None:
                return subject, False
            token = token.head
            continue
        if token.dep_ in ("relcl", "acl") and token.head.pos_ in ("NOUN", "PROPN", "PRON"):
            return token.head, is_passive(token)
        if token.dep_ == "advcl" and (token.tag_ == "VBG" or is_infinitive(token)):
            # "…, killing three" and "voted to expel …" share the main clause's subject
            token = token.head
            continue
        return None, False
    return None, False


def is_infinitive(token: Token) -> bool:
    return any(child.dep_ == "aux" and child.lower_ == "to" for child in token.children)


def agent_of_passive(verb: Token) -> Token | None:
    """The "by X" agent of a passive verb."""
    for child in verb.children:
        if child.dep_ == "agent" or (child.dep_ == "prep" and child.lower_ == "by"):
            objects = children(child, "pobj")
            if objects:
                return objects[0]
    return None


def objects_of(verb: Token) -> list[Token]:
    """Direct and dative objects, then prepositional ones, in preference order."""
    found = children(verb, "dobj", "dative")
    for prep in children(verb, "prep"):
        if prep.lower_ in ("at", "against", "on", "upon", "with", "to", "toward", "towards", "into", "from", "of"):
            found.extend(children(prep, "pobj"))
    return found


def preposition_objects(token: Token, *preps: str) -> list[Token]:
    found = []
    for prep in children(token, "prep", "agent"):
        if prep.lower_ in preps:
            found.extend(children(prep, "pobj"))
    return found


def ancestors_within(token: Token, sentence: Span) -> Iterator[tuple[Token, Token]]:
    """(ancestor, the child of it on the path) pairs up to the sentence root."""
    child = token
    for _ in range(64):
        head = effective_head(child)
        if head.i == child.i or not sentence.start <= head.i < sentence.end:
            return
        yield head, child
        child = head


def is_question(sentence: Span) -> bool:
    return sentence.text.rstrip().rstrip("”\"'’)").endswith("?")


def negated(token: Token) -> bool:
    if children(token, "neg"):
        return True
    # "nobody/no one/never" as subject or adverb negates the clause
    return any(child.lower_ in ("never", "nobody", "no one", "none") for child in token.children)


def sentence_of(doc: Doc, token: Token) -> Span:
    return token.sent
