"""Event mentions: one per trigger that reports something happening.

A mention is what one place of the text says about one happening. The event
stage builds mentions from triggers (this module), fills in their arguments,
scope, time and place (``events.py``), then merges mentions of the same
happening into one ``Event`` (``assemble.py``).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from spacy.tokens import Doc, Span, Token

from ..annotations import ActorMention, Trigger, TriggerSense
from ..model import DateValue, Place, TextSpan
from .frames import Frames
from .quotes import QuoteSpan
from .scope import Scope
from .syntax import ancestors_within, children, is_kind, is_question, negated

# Paths through which a governed trigger is the *content* of a governing one
# ("threatened to overthrow", "promised to stop", "refusing to disarm").
CONTENT_DEPS = frozenset({
    "xcomp", "ccomp", "pcomp", "pobj", "dobj", "acl", "advcl", "prep", "conj", "nsubjpass", "relcl",
})
# Prepositions that introduce a content-taking trigger's content ("called for
# talks", "warned against escalation"), as opposed to its circumstances.
CONTENT_PREPOSITIONS = frozenset({"for", "against", "from", "of"})


@dataclass(eq=False)
class EventMention:
    trigger: Trigger
    token: Token
    sentence: Span
    sense: TriggerSense
    type: str
    actor: ActorMention | None = None
    recipient: ActorMention | None = None
    scope: Scope = field(default_factory=Scope)
    attributed: ActorMention | None = None
    date: DateValue | None = None
    date_confidence: float = 0.0
    place: Place | None = None
    support: Token | None = None  # light/support verb whose object or subject this nominal trigger is
    host: EventMention | None = None  # event this one is nested in ("as part of a deal")
    subject_event: EventMention | None = None  # "The raid captured …": the raid
    anchor: EventMention | None = None  # event whose time this one is told relative to
    anchor_relation: str | None = None  # "after", "before", "same"
    date_anchor_text: str | None = None
    reference: bool = False  # a definite mention of an earlier event ("the raid")
    in_caption: bool = False  # told by a photo caption: low weight, no narrative time
    quote: QuoteSpan | None = None
    speaker: ActorMention | None = None
    disputes: list[EventMention] = field(default_factory=list)
    condition_text: str | None = None

    @property
    def start(self) -> int:
        return self.trigger.start

    @property
    def is_nominal(self) -> bool:
        return self.token.pos_ in ("NOUN", "PROPN")

    def span(self) -> TextSpan:
        return TextSpan(self.trigger.start, self.trigger.end, self.trigger.text)

    def argument_count(self) -> int:
        return int(self.actor is not None) + int(self.recipient is not None)


def build_mentions(doc: Doc) -> list[EventMention]:
    """One mention per trigger outside questions; complements of content-taking
    triggers are folded into them, support verbs into their event nouns."""
    triggers: list[Trigger] = list(doc._.ec_triggers or [])
    by_token = {trigger.token: trigger for trigger in triggers}
    mentions = []
    for trigger in triggers:
        token = doc[trigger.token]
        sentence = token.sent
        if is_question(sentence):
            continue
        if _is_support_of_event(token, by_token) or _folded(token, sentence, by_token):
            continue
        if _warning_about_others(token) or _cognate_object(token, trigger, by_token):
            continue
        if _is_condition_of_event(token, sentence, by_token) or _generic_negation(token) or _capacity(token):
            continue
        mentions.append(EventMention(trigger, token, sentence, trigger.sense, trigger.sense.type))
    return mentions


def _is_support_of_event(token: Token, by_token: dict[int, Trigger]) -> bool:
    """A support verb ("ordered the raid", "allowed the release") is not an
    event of its own when its object or passive subject is one."""
    if not is_kind(token, "support"):
        return False
    return any(child.i in by_token and child.dep_ in ("dobj", "nsubjpass") for child in token.children)


def _folded(token: Token, sentence: Span, by_token: dict[int, Trigger]) -> bool:
    """A trigger inside the content of a content-taking trigger ("threatened
    that he would work to overthrow him", "promised to stop the attacks") is
    part of that event, not an event of its own."""
    for ancestor, via in ancestors_within(token, sentence):
        if via.dep_ not in CONTENT_DEPS:
            return False
        governing = by_token.get(ancestor.i)
        if Frames.default().cue(ancestor.lemma_, ancestor.pos_) is not None:
            return False  # "denied that …", "claimed that …": the content stays an event of its own
        if governing is None:
            if _own_clause(via) and ancestor.pos_ in ("VERB", "AUX"):
                return False  # a clause of its own under a non-event verb
            continue
        if governing.sense.fold != "complement" or via.dep_ == "conj":
            continue
        if via.dep_ == "prep" and via.lower_ not in CONTENT_PREPOSITIONS and not _in_trigger(via, governing):
            return False
        return not _own_clause(via)
    return False


def _own_clause(via: Token) -> bool:
    """Relative and adverbial clauses tell events of their own, except an
    infinitive of purpose ("would work to overthrow him")."""
    if via.dep_ == "relcl":
        # "threatened the minister that he would …" misparsed as a relative clause:
        # a clause opened by the conjunction "that" is a complement, not a relative
        return not any(child.dep_ == "mark" and child.lower_ == "that" for child in via.children)
    return via.dep_ == "advcl" and not any(child.dep_ == "aux" and child.lower_ == "to" for child in via.children)


def _in_trigger(token: Token, trigger: Trigger) -> bool:
    return trigger.start <= token.idx < trigger.end


def _is_condition_of_event(token: Token, sentence: Span, by_token: dict[int, Trigger]) -> bool:
    """"… if they do not withdraw": the condition of another event is part of it."""
    for _ancestor, via in ancestors_within(token, sentence):
        if via.dep_ == "advcl" and any(is_kind(mark, "condition", lemma=False) for mark in children(via, "mark")):
            return True  # a condition is part of what it conditions, not an event told
    return False


def _cognate_object(token: Token, trigger: Trigger, by_token: dict[int, Trigger]) -> bool:
    """"fought fierce battles", "launched an attack" by an attacker: an event
    noun that is the object of a verb of the same type is that verb's event."""
    if token.dep_ != "dobj" or token.pos_ not in ("NOUN", "PROPN"):
        return False
    governing = by_token.get(token.head.i)
    return governing is not None and governing.sense.type == trigger.sense.type


def _warning_about_others(token: Token) -> bool:
    """"Rebels could attack the capital, analysts warned": a warning with no
    addressee about what someone else may do reports, it does not threaten
    (the warned-of event stays, attributed to the warner)."""
    frame = Frames.default().cue(token.lemma_, token.pos_)
    if frame is None or frame.kind != "report" or children(token, "dobj", "dative"):
        return False
    subject = next((child for child in token.children if child.dep_ == "nsubj"), None)
    for content in children(token, "ccomp"):
        other = next((child for child in content.children if child.dep_ in ("nsubj", "nsubjpass")), None)
        if other is None or subject is None or other.pos_ == "PRON":
            return False
        if other.lemma_.lower() != subject.lemma_.lower():
            return True
    return False


def _capacity(token: Token) -> bool:
    """"a rocket ready to be fired": what something is ready or able to do
    has not happened."""
    head = token.head
    return token.dep_ in ("xcomp", "advcl", "acl") and head.pos_ == "ADJ" and is_kind(head, "capacity")


def _generic_negation(token: Token) -> bool:
    """A negated verb in a relative clause describes a kind of thing ("any
    decision that they do not approve"), not something that did not happen."""
    return token.dep_ in ("relcl", "acl") and negated(token)


def same_kind(first: EventMention, other: EventMention) -> bool:
    """The same kind of act: the same PLOVER mode, or the same word."""
    return (first.sense.mode or None) == (other.sense.mode or None) or first.trigger.lemma == other.trigger.lemma


def in_temporal_phrase(token: Token) -> bool:
    """"after the raid", "following their arrest": an event named to tell another's time."""
    return token.dep_ == "pobj" and is_kind(token.head, "temporal", lemma=False)
