"""The event stage: triggers → mentions with arguments, scope, time and place
→ merged events, quotes and actors on ``doc._.ec_result``.

Registered as the spaCy component ``eventcoder_events``; it runs after
``eventcoder_actors``, ``eventcoder_places``, ``eventcoder_dates`` and
``eventcoder_triggers`` and reads what they wrote.
"""

from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc, Token

from ..annotations import ActorMention, DateMention
from ..model import ActorRef, Article, DateValue, ExtractionResult, Place, Quote
from ..resolve.actors import document_actors
from ..resolve.dates import governing_date
from ..resolve.places import governing_place
from .arguments import ArgumentContext, Discourse, actor_of, adhoc_actor, country_mention, first_actor
from .assemble import assemble_events
from .frames import Frames
from .mentions import EventMention, build_mentions, in_temporal_phrase, same_kind
from .quotes import QuoteSpan, find_quote_spans, inside, speech_verb
from .scope import read_scope
from .syntax import (
    agent_of_passive,
    children,
    effective_head,
    is_infinitive,
    is_kind,
    is_passive,
    objects_of,
    preposition_objects,
    subject_of,
)

PATIENT_PREPOSITIONS = ("against", "on", "upon", "at", "to", "toward", "towards", "into", "with")


@Language.factory("eventcoder_events")
def make_event_stage(nlp: Language, name: str) -> EventStage:
    return EventStage()


class EventStage:
    """``Doc -> Doc``: writes ``doc._.ec_result`` (an ``ExtractionResult``)."""

    def __init__(self) -> None:
        self.frames = Frames.default()

    def __call__(self, doc: Doc) -> Doc:
        article: Article = doc._.ec_article or Article(id="", text=doc.text)
        text = article.text  # the same string as doc.text, which spaCy rebuilds on every access
        quotes = find_quote_spans(text)
        discourse = Discourse.of(doc)
        speakers = QuoteSpeakers(doc, quotes, discourse)
        mentions = build_mentions(doc)
        for mention in mentions:
            mention.in_caption = article.in_caption(mention.start)
            mention.quote = inside(quotes, mention.start)
            mention.speaker = speakers.of(mention.quote) if mention.quote else None
            fill_arguments(doc, mention, discourse)
            learn_participle_patient(mention, mentions, discourse)
            fill_scope(doc, mention, self.frames, discourse)
            # the recipient first: a later pronoun prefers the actor of the same event
            discourse.remember(mention.start, mention.recipient)
            discourse.remember(mention.start, mention.actor)
        link_events(mentions)
        infer_arguments(mentions)
        fill_time_and_place(doc, mentions, article.published)
        events = assemble_events(mentions, text)
        published = article.published.earliest
        actors = document_actors(doc, on=published)
        doc._.ec_result = ExtractionResult(
            article=article, actors=actors, events=events,
            quotes=[Quote(text[q.start:q.end], q.start, q.end, actor_ref(speakers.of(q))) for q in quotes],
        )
        return doc


def actor_ref(mention: ActorMention | None) -> ActorRef | None:
    return ActorRef(mention.actor_id, mention.name) if mention else None


# --------------------------------------------------------------------------
# Quotes
# --------------------------------------------------------------------------

class QuoteSpeakers:
    """Speakers of quotes, resolved when first asked for, with what the
    discourse knows at that point of the text."""

    def __init__(self, doc: Doc, quotes: list[QuoteSpan], discourse: Discourse) -> None:
        self.doc, self.quotes, self.discourse = doc, quotes, discourse
        self._known: dict[QuoteSpan, ActorMention | None] = {}

    def of(self, quote: QuoteSpan) -> ActorMention | None:
        if quote not in self._known:
            verb = speech_verb(self.doc, quote)
            context = ArgumentContext(self.doc, discourse=self.discourse)
            speaker = actor_of(_speaker_token(verb, quote), context) if verb is not None else None
            if speaker is None and verb is None:
                speaker = self._previous_speaker(quote)
            self._known[quote] = speaker
        return self._known[quote]

    def _previous_speaker(self, quote: QuoteSpan) -> ActorMention | None:
        """A quote with no speech verb continues the quote just before it."""
        earlier = [other for other in self.quotes if other.close_at < quote.open_at]
        if earlier and quote.open_at - earlier[-1].close_at < 600:
            return self.of(earlier[-1])
        return None


def _speaker_token(verb: Token, quote: QuoteSpan) -> Token | None:
    """The subject of the speech verb that stands outside the quotation."""
    outside = [child for child in verb.children if child.dep_ in ("nsubj", "nsubjpass")
               and not quote.open_at <= child.idx <= quote.close_at]
    return outside[0] if outside else subject_of(verb)[0]


# --------------------------------------------------------------------------
# Arguments
# --------------------------------------------------------------------------

def fill_arguments(doc: Doc, mention: EventMention, discourse: Discourse) -> None:
    context = ArgumentContext(doc, speaker=mention.speaker, discourse=discourse)
    if mention.is_nominal:
        _nominal_arguments(mention, context)
    else:
        _verbal_arguments(mention, context)
    if mention.actor is not None and mention.recipient is not None \
            and mention.actor.actor_id == mention.recipient.actor_id:
        mention.recipient = None


def learn_participle_patient(mention: EventMention, mentions: list[EventMention], discourse: Discourse) -> None:
    """"the 14 activists arrested in the raid": the noun a re-telling
    participle modifies is whoever the told event was done to."""
    if not mention.reference or mention.token.dep_ != "acl":
        return
    antecedent = antecedent_of(mention, mentions)
    if antecedent is not None and antecedent.recipient is not None:
        mention.recipient = antecedent.recipient
        mention.actor = mention.actor or antecedent.actor
        discourse.known[mention.token.head.i] = antecedent.recipient


def _verbal_arguments(mention: EventMention, context: ArgumentContext) -> None:
    token = mention.token
    subject, passive = subject_of(token)
    passive = passive or is_passive(token)
    subject_event = _event_noun(subject)
    if passive:
        agent = agent_of_passive(token)
        mention.actor = actor_of(agent, context)
        # "the activists arrested in the raid": a participle with no agent re-tells an event
        mention.reference = token.dep_ == "acl" and agent is None
        mention.recipient = actor_of(subject, context) if subject_event is None else None
    else:
        if subject_event is not None:
            mention.subject_event = None  # linked later by token, see link_events
        else:
            mention.actor = actor_of(subject, context)
        mention.recipient = first_actor(objects_of(token), context)
    if mention.recipient is None and mention.type in DESTINATION_TYPES:
        mention.recipient = destination_country(token)
    reciprocal = mention.type in SYMMETRIC_TYPES or is_kind(token, "reciprocal")
    if mention.recipient is None and reciprocal and subject is not None:
        mention.recipient = _conjoined_partner(subject, context)
    if mention.sense.frame == "recipient_subject" and not passive:
        mention.actor, mention.recipient = None, mention.actor
    if mention.sense.frame == "self":
        mention.recipient = mention.recipient if mention.recipient != mention.actor else None


def _nominal_arguments(mention: EventMention, context: ArgumentContext) -> None:
    token = mention.token
    owner = children(token, "poss")
    of_objects = preposition_objects(token, "of")
    if mention.sense.frame == "recipient_subject":
        # "their arrest", "X's release": the possessor undergoes it
        of_objects = owner + of_objects
        owner = []
    mention.actor = first_actor(owner, context) or first_actor(preposition_objects(token, "by"), context)
    if _of_names_patient(mention):
        mention.recipient = first_actor(of_objects, context)
    else:  # "the threats of X", "the visit of X": X acts
        mention.actor = mention.actor or first_actor(of_objects, context)
    mention.recipient = mention.recipient or first_actor(preposition_objects(token, *PATIENT_PREPOSITIONS), context)
    modifiers = [node for child in token.children if child.dep_ in ("compound", "amod", "nmod")
                 for node in child.subtree if node.dep_ in ("compound", "amod", "nmod")]
    modifier_actors = [actor_of(child, context) for child in modifiers]
    named = [actor for actor in modifier_actors if actor is not None]
    if mention.actor is None and named:
        mention.actor = named[0]
    if mention.recipient is None and len(named) > 1 and named[1].actor_id != named[0].actor_id:
        mention.recipient = named[1]
    head = token.head
    if token.dep_ in ("dobj", "nsubjpass", "pobj") and is_kind(head, "support"):
        mention.support = head
        if mention.actor is None:
            subject, passive = subject_of(head)
            agent = agent_of_passive(head) if passive or token.dep_ == "nsubjpass" else subject
            mention.actor = actor_of(agent, context)
            if mention.type in SYMMETRIC_TYPES and agent is not None and mention.recipient is None:
                mention.recipient = _conjoined_partner(agent, context)
        if mention.recipient is None:  # "issued threats at X", "launched attacks against X"
            others = [obj for obj in objects_of(head) if obj.i != token.i]
            mention.recipient = first_actor(others, context)
    complement = mention.trigger.extra.get("complement")
    if complement is not None and mention.recipient is None:  # "the decision to expel X"
        mention.recipient = first_actor(objects_of(token.doc[int(complement)]), context)
    if mention.recipient is None and mention.type in DESTINATION_TYPES:
        mention.recipient = destination_country(token)
    mention.reference = _is_reference(mention)


DESTINATION_TYPES = frozenset({"CONSULT"})


def destination_country(token: Token) -> ActorMention | None:
    """"a visit to Moscow", "travelled to Beijing": the host of a visit is
    the country of the place visited."""
    places = token.doc._.ec_places or []
    for pobj in preposition_objects(token, "to"):
        for place in places:
            if place.start <= pobj.idx < place.end and place.place.country:
                return country_mention(place.start, place.end, place.text, place.place.country)
    return None


PATIENT_OF_TYPES = frozenset({"COERCE", "ASSAULT", "SANCTION"})
SYMMETRIC_TYPES = frozenset({"AGREE", "CONSULT", "COOPERATE"})


def _conjoined_partner(subject: Token, context: ArgumentContext) -> ActorMention | None:
    """"Armenia and Azerbaijan signed …": each side is the other's partner."""
    partners = [child for child in subject.children if child.dep_ == "conj"]
    return first_actor(partners, context)


def _of_names_patient(mention: EventMention) -> bool:
    """"the arrest of X", "the bombing of X": X undergoes it; "the threats of
    X", "the visit of X": X acts."""
    if mention.sense.frame == "self":
        return False
    return mention.sense.frame == "recipient_subject" or mention.type in PATIENT_OF_TYPES




def _is_reference(mention: EventMention) -> bool:
    """A definite nominal with no arguments of its own ("the raid", "their
    arrest", "after the attack") names an event told elsewhere."""
    token = mention.token
    if mention.argument_count() > 0 and not in_temporal_phrase(token):
        return False
    determiners = {child.lower_ for child in token.children if child.dep_ in ("det", "poss")}
    return bool(determiners & {"the", "this", "that", "their", "its", "his", "her"}) or in_temporal_phrase(token)



def _event_noun(token: Token | None) -> Token | None:
    if token is None or token.pos_ not in ("NOUN", "PROPN"):
        return None
    triggers = token.doc._.ec_triggers or []
    return token if any(trigger.token == token.i for trigger in triggers) else None


# --------------------------------------------------------------------------
# Scope: modality and attribution
# --------------------------------------------------------------------------

def fill_scope(doc: Doc, mention: EventMention, frames: Frames, discourse: Discourse) -> None:
    scope = read_scope(mention.token, mention.sentence, frames)
    mention.scope = scope
    context = ArgumentContext(doc, speaker=mention.speaker, discourse=discourse)
    mention.attributed = _source_actor(doc, scope.source, context) if scope.source is not None else None
    if mention.attributed is None and mention.speaker is not None:
        mention.attributed = mention.speaker
    if scope.negated:
        if mention.sense.negated_type:
            # "will not hand over": a refusal, told as fact
            mention.type = mention.sense.negated_type
            scope.modality = "asserted" if scope.modality in ("asserted", "planned") else scope.modality
        elif scope.modality in ("asserted", "planned"):
            scope.modality = "negated"  # "has not provided", "will not bow"
    if scope.condition is not None:
        mention.condition_text = scope.condition.text


def _source_actor(doc: Doc, source: Token, context: ArgumentContext) -> ActorMention | None:
    """Who says so: a resolved actor, else the source as the text names it
    ("officials", "a diplomat"), which joins the document's actors."""
    found = actor_of(source, context, guess=False)
    if source.pos_ == "PRON" or (found is not None and found.type != "unknown"):
        return found
    # an unnamed source keeps the words that say whose it is: "sources close to X"
    adhoc = adhoc_actor(source, with_modifiers=True)
    mentions = doc._.ec_actor_mentions
    if isinstance(mentions, list) and all((m.start, m.end) != (adhoc.start, adhoc.end) for m in mentions):
        # the fuller description replaces a bare unnamed source it starts with ("Sources")
        mentions[:] = [m for m in mentions if not (m.type == "unknown" and adhoc.start <= m.start
                                                  and m.end <= adhoc.end)]
        mentions.append(adhoc)
    return adhoc


# --------------------------------------------------------------------------
# Links between mentions: nesting, event subjects, time anchors
# --------------------------------------------------------------------------

def link_events(mentions: list[EventMention]) -> None:
    by_token = {mention.token.i: mention for mention in mentions}
    for mention in mentions:
        token = mention.token
        subject, _ = subject_of(token) if not mention.is_nominal else (None, False)
        if subject is not None and subject.i in by_token:
            mention.subject_event = by_token[subject.i]
        mention.host = _host(token, by_token)
        mention.anchor, mention.anchor_relation = _temporal_anchor(token, by_token)


def _host(token: Token, by_token: dict[int, EventMention]) -> EventMention | None:
    """The event a nominal is nested in through a preposition ("released as
    part of a deal", "promised … in talks")."""
    if token.pos_ not in ("NOUN", "PROPN"):
        return None
    node = token
    for _ in range(4):
        if node.head.i == node.i:
            return None
        node = node.head
        if node.i in by_token and node.i != token.i:
            return by_token[node.i]
        if node.pos_ in ("VERB", "AUX"):
            return None
    return None


def _temporal_anchor(token: Token, by_token: dict[int, EventMention]) -> tuple[EventMention | None, str | None]:
    """"As soon as they were freed, they went…": the event of a temporal
    clause (or "after the raid" phrase) that this event's time hangs on."""
    verb = token if token.pos_ in ("VERB", "AUX") else token.head
    clause_chain = [verb, *list(verb.ancestors)[:8]]
    for node in clause_chain:
        found, relation = _anchor_children(node, by_token)
        if found is not None and found.token.i != token.i:
            return found, relation
    return None, None


def _anchor_children(verb: Token, by_token: dict[int, EventMention]) -> tuple[EventMention | None, str | None]:
    # "as soon as they were freed" hangs on the adverb "soon", which hangs on the verb
    adverbs = [child for child in verb.children if child.dep_ == "advmod" and is_kind(child, "temporal", lemma=False)]
    for adverb in adverbs:
        for clause in children(adverb, "advcl"):
            if clause.i in by_token:
                return by_token[clause.i], "after"
    for child in verb.children:
        if child.dep_ == "advcl" and child.i in by_token:
            marks = [mark for mark in child.subtree if mark.dep_ in ("mark", "advmod") and mark.i < child.i]
            if any(is_kind(mark, "temporal", lemma=False) for mark in marks):
                before = any(mark.lower_ == "before" for mark in marks)
                return by_token[child.i], "before" if before else "after"
        if child.dep_ == "prep" and is_kind(child, "temporal", lemma=False):
            for pobj in children(child, "pobj"):
                if pobj.i in by_token:
                    return by_token[pobj.i], child.lower_
    return None, None


# --------------------------------------------------------------------------
# Arguments the syntax leaves open, inferred from linked events
# --------------------------------------------------------------------------

# PLOVER modes of taking people into custody
DETENTION_MODES = frozenset({"arrest", "seize", "abduct"})


def infer_arguments(mentions: list[EventMention]) -> None:
    for position, mention in enumerate(mentions):
        antecedent = antecedent_of(mention, mentions[:position])
        if antecedent is not None:
            mention.actor = mention.actor or antecedent.actor
            mention.recipient = mention.recipient or antecedent.recipient
        subject_event = mention.subject_event
        if subject_event is not None:
            subject_event = antecedent_of(subject_event, mentions) or subject_event
        if mention.actor is None and subject_event is not None:
            mention.actor = subject_event.actor
        if mention.actor is None and mention.scope.cue is not None and mention.scope.cue.lemma_ == "suspicion":
            mention.actor = _suspects(mention)
        if mention.actor is None and _claimed_as_own(mention):
            mention.actor = mention.attributed  # "X claimed responsibility for the attack"
        if mention.actor is None and _is_release(mention):
            mention.actor = _detaining_actor(mentions[:position], mention)
    for mention in mentions:
        bare_deal = mention.is_nominal and mention.argument_count() == 0 and mention.type == "AGREE"
        if mention.host is not None and bare_deal:
            # "released as part of a deal": the deal is between the parties of what it settles
            host = mention.host
            mention.actor, mention.recipient = host.recipient, host.actor


def antecedent_of(mention: EventMention, earlier: list[EventMention]) -> EventMention | None:
    """The earlier mention of the same happening that a reference ("the raid",
    "their arrest", "were freed") or a re-telling points back to."""
    for candidate in reversed(earlier):
        if candidate is mention or candidate.start >= mention.start or candidate.type != mention.type:
            continue
        if candidate.reference or not same_kind(candidate, mention):
            continue
        if mention.reference:
            return candidate
        recipients = (candidate.recipient, mention.recipient)
        if all(recipients) and recipients[0].actor_id == recipients[1].actor_id:  # type: ignore[union-attr]
            return candidate
    return None


def dated_coreferent(mention: EventMention, mentions: list[EventMention]) -> EventMention | None:
    """A confidently dated mention of the same happening, anywhere in the text."""
    for candidate in mentions:
        if candidate is mention or candidate.type != mention.type or candidate.date_confidence < 0.9:
            continue
        if not same_kind(candidate, mention):
            continue
        if _same_or_unknown(candidate.recipient, mention.recipient):
            return candidate
    return None




def _claimed_as_own(mention: EventMention) -> bool:
    cue = mention.scope.cue
    if cue is None or mention.attributed is None:
        return False
    return any(is_kind(ancestor, "agency") for ancestor in mention.token.ancestors if ancestor.i > cue.i)


def _same_or_unknown(one: ActorMention | None, other: ActorMention | None) -> bool:
    return one is None or other is None or one.actor_id == other.actor_id


def _suspects(mention: EventMention) -> ActorMention | None:
    """"arrested 14 operatives on suspicion of attacking": the suspects are
    the object of the verb the suspicion hangs on."""
    cue = mention.scope.cue
    assert cue is not None
    verb = cue.head.head if cue.head.dep_ == "prep" else cue.head
    objects = children(verb, "dobj")
    if not objects:
        return None
    return actor_of(objects[0], ArgumentContext(mention.token.doc, speaker=mention.speaker))


def _is_release(mention: EventMention) -> bool:
    return is_kind(mention.token, "release") or (mention.sense.mode or "") == "release"


def _detaining_actor(earlier: list[EventMention], release: EventMention) -> ActorMention | None:
    """Whoever detained someone is who releases them, unless the text says otherwise."""
    for candidate in reversed(earlier):
        detained = (candidate.sense.mode or "") in DETENTION_MODES or is_kind(candidate.token, "detention")
        if not detained or candidate.actor is None:
            continue
        if _same_or_unknown(candidate.recipient, release.recipient):
            return candidate.actor
    return None


# --------------------------------------------------------------------------
# Time and place
# --------------------------------------------------------------------------

def fill_time_and_place(doc: Doc, mentions: list[EventMention], published: DateValue) -> None:
    for mention in mentions:
        found = _governing_date(doc, mention)
        if found is not None and found.anchor != "event" and found.value.precision != "unknown":
            mention.date, mention.date_confidence = found.value, 0.9
        elif found is not None and found.anchor == "event":
            mention.date_anchor_text = found.text
            mention.anchor = mention.anchor or _anchor_in_expression(mentions, found)
            mention.anchor_relation = mention.anchor_relation or "after"
        place = governing_place(doc, mention.token.i)
        if place is not None:
            mention.place = place.place
    for _ in range(3):  # linked dates settle in a few passes
        for mention in mentions:
            if mention.date is None:
                _date_from_links(mention, mentions)
            if mention.place is None:
                mention.place = _place_from_links(mention, mentions)
    _narrative_dates(mentions)


def _governing_date(doc: Doc, mention: EventMention) -> DateMention | None:
    """The date of the trigger's clause; for a nominal, also of the verb that
    carries it ("began issuing threats shortly after the raid")."""
    token = mention.token
    chain = [token]
    carried = mention.is_nominal and token.dep_ in ("dobj", "nsubjpass", "nsubj")
    node = mention.support or (token.head if carried else None)
    if node is None and not mention.is_nominal and (token.dep_ in ("xcomp", "conj") or is_infinitive(token)):
        node = effective_head(token)  # "voted on Sunday to expel …"
    for _ in range(4):
        if node is None:
            break
        chain.append(node)
        node = effective_head(node) if node.dep_ in ("xcomp", "conj") or is_infinitive(node) else None
    dates: list[DateMention] = doc._.ec_dates or []
    for candidate in chain:  # an absolute date on the clause beats one told relative to an event
        direct = [date for date in dates if date.head == candidate.i and date.anchor != "event"
                  and date.value.precision != "unknown"]
        if direct:
            return direct[0]
    for candidate in chain:
        found = governing_date(doc, candidate.i)
        if found is not None and not (found.start <= mention.start < found.end):
            return found
    return None


def _anchor_in_expression(mentions: list[EventMention], found: DateMention) -> EventMention | None:
    for mention in mentions:
        if mention.token.i == found.anchor_head or found.start <= mention.start < found.end:
            return mention
    return None


def _date_from_links(mention: EventMention, mentions: list[EventMention]) -> None:
    anchor = mention.anchor
    if anchor is not None and anchor.reference:
        anchor = antecedent_of(anchor, mentions) or anchor
    if anchor is not None and anchor.date_confidence < 0.9:
        anchor = dated_coreferent(anchor, mentions) or anchor
    if anchor is not None and anchor is not mention and anchor.date is not None:
        mention.date = _relative_to(anchor.date, mention.anchor_relation, mention.date_anchor_text)
        mention.date_confidence = 0.7
        return
    for linked in (mention.subject_event, mention.host):
        if linked is not None and linked.reference:
            linked = antecedent_of(linked, mentions) or linked
        if linked is not None and linked is not mention and linked.date is not None:
            mention.date, mention.date_confidence = linked.date, 0.75
            return


def _relative_to(anchor: DateValue, relation: str | None, text: str | None) -> DateValue:
    if relation in ("after", "following", "since", "once", "when", "as", "upon") and anchor.precision == "day":
        return DateValue(anchor.value, "range", text or anchor.text, anchor.earliest, None, confidence=0.7)
    return DateValue(anchor.value, anchor.precision, text or anchor.text, anchor.earliest, anchor.latest,
                     confidence=0.7)


def _place_from_links(mention: EventMention, mentions: list[EventMention]) -> Place | None:
    for linked in (mention.subject_event, mention.host):
        if linked is not None and linked.reference:
            linked = antecedent_of(linked, mentions) or linked
        if linked is not None and linked is not mention and linked.place is not None:
            return linked.place
    return None


def _narrative_dates(mentions: list[EventMention]) -> None:
    """Events the text does not date take the narrative time: the date of the
    event told just before them, with low confidence."""
    current: DateValue | None = None
    for mention in sorted(mentions, key=lambda m: m.start):
        if mention.in_caption:
            continue
        if mention.date is not None:
            if mention.date_confidence >= 0.7 and mention.date.precision in ("day", "range"):
                current = mention.date
            continue
        if current is not None and mention.scope.modality not in ("planned", "hypothetical"):
            mention.date = DateValue(current.value, current.precision, None, current.earliest,
                                     current.latest, confidence=0.4)
            mention.date_confidence = 0.4
