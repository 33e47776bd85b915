"""What eventcoder's spaCy components write on a ``Doc``.

Each stage (a registered ``@Language.factory``) reads the extensions earlier
stages set and adds its own; no stage reaches back. Offsets are character
offsets into ``doc.text``, which is ``Article.text``.

=====================  ===================================  ======================
extension              type                                 written by
=====================  ===================================  ======================
``doc._.ec_article``   ``Article | None``                   pipeline (before pipe)
``doc._.ec_actor_mentions``  ``list[ActorMention]``         ``eventcoder_actors``
``doc._.ec_places``    ``list[PlaceMention]``               ``eventcoder_places``
``doc._.ec_dates``     ``list[DateMention]``                ``eventcoder_dates``
``doc._.ec_triggers``  ``list[Trigger]``                    ``eventcoder_triggers``
``doc._.ec_result``    ``ExtractionResult | None``          ``eventcoder_events``
=====================  ===================================  ======================
"""

from __future__ import annotations

from dataclasses import dataclass, field

from spacy.tokens import Doc

from .model import DateValue, Place


@dataclass(frozen=True)
class ActorMention:
    """A span of the text that names (or stands for) a registry actor."""

    start: int
    end: int
    text: str
    actor_id: str  # QID or "local:slug"
    name: str  # canonical name
    type: str  # model.ACTOR_TYPES
    country: str | None = None
    how: str = "alias"  # alias | fuzzy | demonym | coref | ner
    confidence: float = 1.0
    head: int | None = None  # token index of the mention's syntactic head


@dataclass(frozen=True)
class PlaceMention:
    start: int
    end: int
    text: str
    place: Place
    head: int | None = None


@dataclass(frozen=True)
class DateMention:
    """A date expression and what it resolves to.

    ``anchor`` says what a relative expression hangs on: "published" (the
    publication date), "event" (an event-relative phrase such as "soon after
    their arrest" whose value the event stage must take from the event it
    names), or None for an absolute date.
    """

    start: int
    end: int
    text: str
    value: DateValue
    anchor: str | None = None
    head: int | None = None
    anchor_head: int | None = None  # token index of the anchor event's word ("arrest", "freed")


@dataclass(frozen=True)
class TriggerSense:
    """One reading of a trigger word: the event it codes and its CAMEO scales."""

    type: str  # PLOVER event type
    mode: str | None = None
    context: tuple[str, ...] = ()
    cameo: str | None = None
    quad_class: int | None = None
    goldstein: float | None = None
    # How the trigger's arguments map: "agent" (subject acts on object),
    # "recipient_subject" (the subject undergoes it, e.g. "was arrested").
    frame: str = "agent"
    # Folding: "complement" = a verb whose clausal complement (xcomp/ccomp)
    # carries the event content, e.g. "threaten to X" stays THREATEN.
    fold: str | None = None
    negated_type: str | None = None  # type when negated, e.g. "not hand over" -> REJECT


@dataclass(frozen=True)
class Trigger:
    """A token (or phrase) that evokes an event, with its sense."""

    start: int
    end: int
    text: str
    token: int  # token index of the trigger head
    lemma: str
    sense: TriggerSense
    pos: str = "VERB"
    extra: dict[str, str] = field(default_factory=dict, hash=False, compare=False)


EXTENSIONS: dict[str, object] = {
    "ec_article": None,
    "ec_actor_mentions": None,
    "ec_places": None,
    "ec_dates": None,
    "ec_triggers": None,
    "ec_result": None,
}


def sentence_starts(doc: Doc) -> list[int]:
    """Character offsets where the doc's sentences start, computed once per
    doc (``doc.sents`` walks every token each time it is asked)."""
    cached = doc.user_data.get("eventcoder.sentence_starts")
    if cached is None or cached[0] != len(doc):
        cached = (len(doc), [sent.start_char for sent in doc.sents])
        doc.user_data["eventcoder.sentence_starts"] = cached
    starts: list[int] = cached[1]
    return starts


def register_extensions() -> None:
    """Register the ``Doc`` extensions once per process (idempotent)."""
    for name, default in EXTENSIONS.items():
        if not Doc.has_extension(name):
            Doc.set_extension(name, default=default)


register_extensions()
