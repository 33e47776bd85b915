"""One event per happening: merge the mentions that report the same thing,
choose each argument from the mention that says it best, link denials to
what they deny, and number the events.
"""

from __future__ import annotations

from ..annotations import ActorMention
from ..extract.lexicon import Lexicon
from ..model import ActorRef, DateValue, Event, TextSpan
from .mentions import EventMention, in_temporal_phrase, same_kind
from .syntax import children, is_kind

MODALITY_RANK = {"asserted": 0, "claimed": 1, "alleged": 2, "threatened": 3, "planned": 4,
                 "hypothetical": 5, "denied": 6, "negated": 7}
VERBAL_QUAD_CLASSES = frozenset({1, 3})
PRECISION_RANK = {"day": 0, "range": 1, "month": 2, "year": 3, "unknown": 4}


def assemble_events(mentions: list[EventMention], text: str) -> list[Event]:
    groups = merge_mentions(sorted(mentions, key=lambda mention: mention.start))
    events = [to_event(f"e{number}", group, text) for number, group in enumerate(groups, 1)]
    link_denials(groups, events)
    return events


# --------------------------------------------------------------------------
# Merging
# --------------------------------------------------------------------------

def merge_mentions(mentions: list[EventMention]) -> list[list[EventMention]]:
    groups: list[list[EventMention]] = []
    for mention in mentions:
        target = next((group for group in reversed(groups) if same_happening(group, mention)), None)
        if target is None and mention.reference and not mention.in_caption:
            # "the bombing" after "a suicide bomber attacked …": the latest event of that type
            target = next((group for group in reversed(groups) if group[0].type == mention.type
                           and _dates_compatible(group, mention)), None)
        if target is not None:
            target.append(mention)
        elif not (mention.reference and in_temporal_phrase(mention.token)):
            groups.append([mention])
    return groups


def same_happening(group: list[EventMention], mention: EventMention) -> bool:
    first = group[0]
    if first.type != mention.type:
        return False
    if not _dates_compatible(group, mention):
        return False
    if mention.reference or (any(member.reference for member in group) and len(group) == 1):
        return same_kind(first, mention)
    if any(member.sentence.start == mention.sentence.start for member in group):
        # one protest that "trampled images of X and set fire to Y's flags": targets may differ
        return _coordinated(group, mention) and same_kind(first, mention) and _same_actor(group, mention)
    if mention.in_caption:  # a caption shows what the body tells, with fewer words
        return same_kind(first, mention) and not first.in_caption
    if first.sense.quad_class in VERBAL_QUAD_CLASSES and not mention.is_nominal:
        return False  # two statements are two speech acts, even by the same speaker
    # across sentences: the same kind of act done to the same target, or the same word by the same actor
    # ("fought battles" and "carried out strikes" by one army are two happenings)
    if not (same_kind(first, mention) and _actors_compatible(group, mention)):
        return False
    return _shares(group, mention, "recipient") or (
        any(member.trigger.lemma == mention.trigger.lemma for member in group) and _shares(group, mention, "actor"))




def _coordinated(group: list[EventMention], mention: EventMention) -> bool:
    """Conjoined verbs of one type in one sentence ("trampled images and set
    fire to flags") tell one happening."""
    return any(mention.token.head == member.token or member.token.head == mention.token
               for member in group if mention.token.dep_ == "conj" or member.token.dep_ == "conj")


def _shares(group: list[EventMention], mention: EventMention, role: str) -> bool:
    mine = getattr(mention, role)
    return mine is not None and any(
        getattr(member, role) is not None and getattr(member, role).actor_id == mine.actor_id for member in group)


def _same_actor(group: list[EventMention], mention: EventMention) -> bool:
    theirs = {member.actor.actor_id for member in group if member.actor is not None}
    return mention.actor is None or not theirs or mention.actor.actor_id in theirs


def _actors_compatible(group: list[EventMention], mention: EventMention, require_shared: bool = False) -> bool:
    shared = False
    for role in ("actor", "recipient"):
        theirs = {getattr(member, role).actor_id for member in group if getattr(member, role) is not None}
        mine = getattr(mention, role)
        if mine is None or not theirs:
            continue
        if mine.actor_id not in theirs:
            return False
        shared = True
    return shared or not require_shared


def _dates_compatible(group: list[EventMention], mention: EventMention) -> bool:
    if mention.date is None or mention.date_confidence < 0.9:
        return True
    for member in group:
        theirs = member.date if member.date_confidence >= 0.9 else None
        if theirs is not None and theirs.precision == "day" == mention.date.precision \
                and theirs.value != mention.date.value:
            return False
    return True



# --------------------------------------------------------------------------
# Building the event
# --------------------------------------------------------------------------

def primary(group: list[EventMention]) -> EventMention:
    """The mention that reports the happening best: asserted, not a bare
    reference, most arguments, earliest."""
    return min(group, key=lambda mention: (
        mention.in_caption, mention.reference, MODALITY_RANK.get(mention.scope.modality, 9),
        -mention.argument_count(), mention.start,
    ))


def to_event(event_id: str, group: list[EventMention], text: str) -> Event:
    main = primary(group)
    sense = main.sense
    cameo, quad_class, goldstein = _scales(main)
    sentence = main.sentence
    evidence = TextSpan(sentence.start_char, sentence.end_char, text[sentence.start_char:sentence.end_char])
    evidence = _trim(evidence, text)
    spans = sorted({_mention_span(member, text) for member in group}, key=lambda span: span.start)
    return Event(
        id=event_id, type=main.type, evidence=evidence, trigger=main.span(),
        mode=sense.mode or None, context=list(sense.context), cameo=cameo, quad_class=quad_class,
        goldstein=goldstein,
        actor=_ref(_first(group, "actor", main)),
        recipient=_ref(_first(group, "recipient", main)),
        date=_best_date(group), location=next((m.place for m in [main, *group] if m.place is not None), None),
        modality=main.scope.modality,
        attributed_to=_ref(main.attributed),
        mentions=spans,
        confidence=_confidence(main),
    )


def _scales(mention: EventMention) -> tuple[str | None, int | None, float | None]:
    sense = mention.sense
    if mention.type == sense.type:
        return sense.cameo, sense.quad_class, sense.goldstein
    lexicon = Lexicon.default()
    return None, lexicon.quad_class_for_type(mention.type), None


def _first(group: list[EventMention], role: str, main: EventMention) -> ActorMention | None:
    own: ActorMention | None = getattr(main, role)
    if own is not None:
        return own
    return next((getattr(member, role) for member in group if getattr(member, role) is not None), None)


def _ref(mention: ActorMention | None) -> ActorRef | None:
    return ActorRef(mention.actor_id, mention.name) if mention is not None else None


def _best_date(group: list[EventMention]) -> DateValue:
    dated = [member for member in group if member.date is not None]
    if not dated:
        return DateValue.unknown()
    best = min(dated, key=lambda member: (-member.date_confidence, PRECISION_RANK.get(member.date.precision, 9)))  # type: ignore[union-attr]
    assert best.date is not None
    return best.date


def _mention_span(mention: EventMention, text: str) -> TextSpan:
    """The clause of the mention: from its subject (or trigger) to the end of
    its object, within the sentence."""
    token = mention.token
    head = token if not mention.is_nominal or mention.support is None else mention.support
    start = min([head.i, *[child.left_edge.i for child in children(head, "nsubj", "nsubjpass")]])
    objects = children(token, "dobj", "dative", "prep", "pobj", "xcomp", "ccomp")
    end = max([token.i, *[child.right_edge.i for child in objects]])
    sentence = mention.sentence
    start_char = max(sentence.start_char, token.doc[start].idx)
    last = token.doc[min(end, sentence.end - 1)]
    end_char = min(sentence.end_char, last.idx + len(last.text))
    return TextSpan(start_char, end_char, text[start_char:end_char])


def _trim(span: TextSpan, text: str) -> TextSpan:
    stripped = span.text.strip()
    if not stripped:
        return span
    start = span.start + span.text.index(stripped)
    return TextSpan(start, start + len(stripped), stripped)


def _confidence(mention: EventMention) -> float:
    score = 0.5 + 0.15 * mention.argument_count() + (0.1 if mention.date is not None else 0)
    if mention.in_caption:
        score *= 0.6
    if mention.scope.modality != "asserted":
        score -= 0.05
    return max(0.1, min(0.95, score))


# --------------------------------------------------------------------------
# Denials
# --------------------------------------------------------------------------

def link_denials(groups: list[list[EventMention]], events: list[Event]) -> None:
    """"X denied this": the denial (a REJECT event) disputes the claims told
    just before it; "X denied that Y …": the denied content names it."""
    for group, event in zip(groups, events, strict=True):
        main = primary(group)
        if main.scope.modality == "denied":
            continue
        cue = main.token
        if event.type != "REJECT" or cue.lemma_.lower() not in DISPUTING_LEMMAS:
            continue
        disputed = _disputed_by(groups, events, main)
        for other in disputed:
            for ident in (event.id, event.actor.id if event.actor else None):
                if ident and ident not in other.disputed_by:
                    other.disputed_by.append(ident)


DISPUTING_LEMMAS = frozenset({"deny", "refute", "dismiss", "denial", "reject", "rebut", "contest"})


def _disputed_by(groups: list[list[EventMention]], events: list[Event], denial: EventMention) -> list[Event]:
    """What a denial disputes: the events of its own content ("denied that
    X …"), else — when its object points back ("denied this", "rejected the
    accusation") — the claims and allegations told just before it."""
    cue = denial.token
    content = [child for child in cue.children if child.dep_ in ("ccomp", "xcomp")]
    if content:
        span = range(min(c.left_edge.i for c in content), max(c.right_edge.i for c in content) + 1)
        return [event for group, event in zip(groups, events, strict=True)
                if any(member.token.i in span for member in group)]
    objects = [child for child in cue.children if child.dep_ in ("dobj", "nsubjpass")]
    if cue.lemma_.lower() not in ("deny", "refute", "denial") and not any(is_kind(obj, "anaphor") for obj in objects):
        return []  # "rejected the proposal" disputes nothing told before
    window = _sentences_before(denial, DENIAL_REACH)
    found = [(primary(group), event) for group, event in zip(groups, events, strict=True)
             if _someone_s_claim(primary(group), denial)
             and window <= primary(group).start < denial.start and primary(group) is not denial]
    if found and not any(obj.tag_ in ("NNS", "DTS") or obj.lower_ in ("these", "those") for obj in objects):
        # "denied this", "rejected the claim": one statement, the latest one told
        latest = max(mention.sentence.start for mention, _ in found)
        found = [(mention, event) for mention, event in found if mention.sentence.start == latest]
    return [event for _, event in found]


def _someone_s_claim(mention: EventMention, denial: EventMention) -> bool:
    """Claimed or alleged, or told as someone else's statement ("X said in a statement that …")."""
    if mention.scope.modality in ("claimed", "alleged"):
        return True
    source = mention.attributed
    return source is not None and (denial.actor is None or source.actor_id != denial.actor.actor_id)


DENIAL_REACH = 2  # "X claimed … . However, Y denied this.": the claim is within two sentences


def _sentences_before(mention: EventMention, count: int) -> int:
    """Offset where the sentence ``count`` sentences before the mention's starts."""
    start = mention.sentence.start
    for _ in range(count):
        if start == 0:
            break
        start = mention.token.doc[start - 1].sent.start
    return mention.token.doc[start].idx
