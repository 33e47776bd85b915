"""Who did it and to whom: the actor mention a syntactic argument stands for.

An argument token is turned into a noun phrase and handed to the actor
resolver; pronouns go to coreference, first-person pronouns inside a quote to
the quote's speaker, relative pronouns to the noun they modify, and member
nouns with no group of their own ("14 operatives") to the group most salient
just before them.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from spacy.tokens import Doc, Token

from ..annotations import ActorMention, sentence_starts
from ..resolve.actors import actor_for_tokens, composite_mention, resolve_pronoun
from ..resolve.gazetteer import get_gazetteer
from ..resolve.normalize import slugify
from ..resolve.places import focus_country
from ..resolve.registry import Registry
from .frames import Frames
from .syntax import FIRST_PERSON, PERSONAL_PRONOUNS, RELATIVE_PRONOUNS, is_kind, np_tokens, np_with_modifiers

GROUP_TYPES = frozenset({"armed_group", "organization", "government", "military", "people"})
# groups whose members a bare "fighters", "operatives" or "activists" can be
SALIENT_GROUP_TYPES = frozenset({"armed_group", "organization", "military"})


PLURAL_PRONOUNS = frozenset({"they", "them", "their", "theirs"})
PERSON_PRONOUNS = frozenset({"he", "him", "his", "she", "her", "hers"})
GENERIC_PRONOUNS = frozenset({"those", "these", "all", "many", "some", "others"})


@dataclass
class Discourse:
    """Arguments already resolved, in text order: pronouns prefer the actors
    the story has been about (subjects first) over any name mentioned."""

    subjects: list[tuple[int, ActorMention]] = field(default_factory=list)
    # noun phrases already known to stand for an actor ("the activists arrested
    # in the raid" = whoever that arrest took), keyed by head token index
    known: dict[int, ActorMention] = field(default_factory=dict)
    doc: Doc | None = None

    def remember(self, offset: int, mention: ActorMention | None) -> None:
        if mention is not None:
            self.subjects.append((offset, mention))
            self.subjects.sort(key=lambda item: item[0])

    @classmethod
    def of(cls, doc: Doc) -> Discourse:
        """Seeded with the named subjects of the text's clauses ("Khan later
        told supporters …"), whether or not their verb is an event."""
        discourse = cls(doc=doc)
        for mention in doc._.ec_actor_mentions or []:
            if mention.head is not None and doc[mention.head].dep_ in ("nsubj", "nsubjpass") \
                    and mention.how not in ("description", "demonym"):
                discourse.subjects.append((mention.start, mention))
        discourse.subjects.sort(key=lambda item: item[0])
        return discourse

    def recent(self, before: int, pronoun: str, window: int = 700) -> ActorMention | None:
        wanted_person = pronoun in PERSON_PRONOUNS
        for offset, mention in reversed(self.subjects):
            if offset >= before:
                continue
            if before - offset > window:
                return None
            if mention.type == "unknown" and not wanted_person:
                continue  # "officials", "analysts": sources, not what "it" or "they" act as
            if self.is_person(mention) == wanted_person and mention.type != "country":
                return mention
        return None

    def is_person(self, mention: ActorMention) -> bool:
        """A person by the registry, or by the tagger when the registry says otherwise."""
        if mention.type == "person":
            return True
        return self.doc is not None and mention.head is not None and self.doc[mention.head].ent_type_ == "PERSON"


@dataclass
class ArgumentContext:
    """What argument resolution may look at besides the token itself."""

    doc: Doc
    speaker: ActorMention | None = None  # speaker of the quote the token is in
    discourse: Discourse | None = None
    #: Tokens whose resolution is under way: the rules refer to one another (an owner's
    #: of-phrase, a generic pronoun's clause subject), and a parse can make them go round.
    resolving: set[int] = field(default_factory=set)


def actor_of(token: Token | None, context: ArgumentContext, *, guess: bool = True) -> ActorMention | None:
    """The actor a token stands for. ``guess=False`` refuses the salience
    guesses (a member noun's likely group), e.g. for who says so. A token
    met again while its own resolution is under way stands for nobody."""
    if token is None or token.i in context.resolving:
        return None
    context.resolving.add(token.i)
    try:
        return _actor_of(token, context, guess)
    finally:
        context.resolving.discard(token.i)


def _actor_of(token: Token, context: ArgumentContext, guess: bool) -> ActorMention | None:
    known = context.discourse.known.get(token.i) if context.discourse else None
    if known is not None:
        return known
    lower = token.lower_
    if lower in RELATIVE_PRONOUNS and token.head.dep_ in ("relcl", "acl"):
        return actor_of(token.head.head, context)
    if lower in FIRST_PERSON:
        return context.speaker
    if token.pos_ == "PRON" and lower in PERSONAL_PRONOUNS:
        reporter = _reporting_subject(token, context)
        if reporter is not None and _pronoun_fits(lower, reporter):
            return reporter  # "Hamas said it would …": the sayer
        recent = context.discourse.recent(token.idx, lower) if context.discourse else None
        return recent or resolve_pronoun(context.doc, token.i)
    if lower in GENERIC_PRONOUNS and token.pos_ == "PRON":
        return _joined_group(token, context)
    if token.pos_ == "PRON":
        return None
    start, end = np_with_modifiers(token)
    found = actor_for_tokens(context.doc, start, end)
    if found is not None:
        return found
    for appositive in (child for child in token.children if child.dep_ == "appos"):
        found = actor_of(appositive, context, guess=guess)  # "the rights group Viasna"
        if found is not None:
            return found
    possessor = next((child for child in token.children if child.dep_ == "poss"), None)
    if possessor is not None and (is_kind(token, "member") or Registry.default().agent_sector(token.lower_)):
        owner = actor_of(possessor, context, guess=guess)  # "its forces", "Iran's fighters"
        if owner is not None and owner.type != "person":
            return owner
    if is_kind(token, "member"):
        found = _group_in_phrase(token, context)
        if found is not None or not guess:
            return found
        return _description(token, context) or focus_sector(token) or salient_group(context.doc, token.idx)
    return (_owner(token, context) or demonym_actor(token) or capital_of_country(token)
            or (focus_sector(token) if guess else None))


def capital_of_country(token: Token) -> ActorMention | None:
    """"Washington urged Ankara …": a capital named as an actor is its country's government."""
    if token.ent_type_ != "GPE":
        return None
    gazetteer = get_gazetteer()
    for place in gazetteer.lookup(token.text)[:1]:
        capital = gazetteer.capital(place.country) if place.country else None
        if capital is not None and capital.geonameid == place.geonameid and place.country:
            return country_mention(token.idx, token.idx + len(token.text), token.text, place.country, head=token.i)
    return None


STATE_SECTORS = frozenset({"military", "police", "government", "legislature", "judiciary"})


def focus_sector(token: Token) -> ActorMention | None:
    """"Soldiers surrounded the house", "riot police arrested …": a state
    agent named without its country belongs to the country the story is in."""
    registry = Registry.default()
    sector = registry.agent_sector(token.lemma_) or registry.agent_sector(token.lower_)
    if sector not in STATE_SECTORS or any(child.dep_ in ("poss",) for child in token.children):
        return None
    focus = focus_country(token.doc)
    if focus is None or not focus.country:
        return None
    start, end = np_tokens(token)
    return composite_mention(token.doc[start:end], focus.country, sector, registry).mention


def _reporting_subject(token: Token, context: ArgumentContext) -> ActorMention | None:
    """For a pronoun inside what someone said, that someone."""
    frames = Frames.default()
    node = token
    for _ in range(8):
        if node.head.i == node.i:
            return None
        via, node = node, node.head
        cue = frames.cue(node.lemma_, node.pos_)
        clause = token.head.head if token.dep_ == "poss" and token.head.dep_ in ("nsubj", "nsubjpass") else token.head
        if via.i != clause.i:
            continue  # only the subject of the reported clause itself: "X said it/its forces would …"
        if cue is not None and cue.kind in ("report", "claim", "deny", "allege") and via.dep_ in ("ccomp", "xcomp"):
            subject = next((child for child in node.children if child.dep_ == "nsubj"), None)
            if subject is None or subject.i == token.i or subject.pos_ == "PRON":
                return None
            return actor_of(subject, context) or adhoc_actor(subject)
    return None


def _pronoun_fits(pronoun: str, mention: ActorMention) -> bool:
    if pronoun in PERSON_PRONOUNS:
        return mention.type == "person"
    return mention.type != "person"


def adhoc_actor(token: Token, *, with_modifiers: bool = False) -> ActorMention:
    """An unnamed source ("officials", "a senior diplomat", "sources close to
    the minister") kept as an actor of its own, named as the text names it."""
    start, end = np_with_modifiers(token) if with_modifiers else np_tokens(token)
    if end - start > 8:
        start, end = np_tokens(token)
    span = token.doc[start:end]
    while len(span) > 1 and span[0].dep_ == "det":
        span = span[1:]
    return ActorMention(start=span.start_char, end=span.end_char, text=span.text,
                        actor_id=f"local:{slugify(span.text)}", name=span.text, type="unknown",
                        how="description", confidence=0.4, head=token.i)


def _group_in_phrase(token: Token, context: ArgumentContext) -> ActorMention | None:
    """"militia members of the X (Y) umbrella organization", "officials at
    the X": the group named inside the member noun's own phrase."""
    start, end = np_with_modifiers(token)
    first, last = context.doc[start].idx, context.doc[end - 1].idx + len(context.doc[end - 1])
    inside = [mention for mention in context.doc._.ec_actor_mentions or []
              if first <= mention.start and mention.end <= last and mention.type in GROUP_TYPES]
    return inside[0] if inside else None


def demonym_actor(token: Token) -> ActorMention | None:
    """"Iraqi" in "Iraqi-U.S. talks": the country a demonym modifier names."""
    if token.pos_ not in ("ADJ", "PROPN", "NOUN") or token.ent_type_ not in ("NORP", "GPE"):
        return None
    before = token.doc[max(0, token.i - 2):token.i].text.lower()
    if token.lower_.startswith(("pro-", "anti-")) or before.replace(" ", "") in ("pro-", "anti-"):
        return None  # "pro-Iranian militia" is not Iran
    iso3 = Registry.default().country_for_demonym(token.text)
    if iso3 is None:
        return None
    return country_mention(token.idx, token.idx + len(token.text), token.text, iso3, head=token.i)


def country_mention(start: int, end: int, text: str, iso3: str, head: int | None = None) -> ActorMention | None:
    """The registry's country actor, as mentioned at [start, end)."""
    entry = Registry.default().country_entry(iso3)
    if entry is None:
        return None
    return ActorMention(start=start, end=end, text=text, actor_id=entry.id, name=entry.name, type="country",
                        country=iso3, how="demonym", confidence=0.7, head=head)


def _description(token: Token, context: ArgumentContext) -> ActorMention | None:
    """"the released activists", "the militants": a definite group description
    refers to the group the story has been about."""
    determiners = {child.lower_ for child in token.children if child.dep_ == "det"}
    if not determiners & {"the", "these", "those"} or context.discourse is None:
        return None
    recent = context.discourse.recent(token.idx, "they", window=1500)
    return recent if recent is not None and recent.type in GROUP_TYPES else None


def _owner(token: Token, context: ArgumentContext) -> ActorMention | None:
    """"the headquarters of the X", "X's base": acting on someone's property
    or premises involves its owner."""
    if token.pos_ not in ("NOUN",):
        return None
    for child in token.children:
        if child.dep_ == "poss":
            return actor_of(child, context)
        if child.dep_ == "prep" and child.lower_ == "of":
            objects = [grandchild for grandchild in child.children if grandchild.dep_ == "pobj"]
            if objects:
                return actor_of(objects[0], context)
    for child in token.children:  # "U.S. targets", "the Iranian embassy"
        if child.dep_ in ("compound", "amod", "nmod"):
            found = actor_for_tokens(context.doc, child.i, child.i + 1) or demonym_actor(child)
            if found is not None and found.type in ("country", "government"):
                return found
    return None


def _joined_group(token: Token, context: ArgumentContext) -> ActorMention | None:
    """"X joined the circle of those refusing …": the generic group is the
    subject of the clause that places X among them."""
    node = token
    for _ in range(6):
        node = node.head
        if node.pos_ in ("VERB", "AUX"):
            subject = next((child for child in node.children if child.dep_ == "nsubj"), None)
            return actor_of(subject, context) if subject is not None and subject.i != token.i else None
        if node.head.i == node.i:
            return None
    return None


def first_actor(tokens: list[Token], context: ArgumentContext) -> ActorMention | None:
    for token in tokens:
        found = actor_of(token, context)
        if found is not None:
            return found
    return None


def salient_group(doc: Doc, before: int, window_sentences: int = 3) -> ActorMention | None:
    """The group mentioned last before ``before``, within a few sentences:
    "raided the X headquarters and arrested 14 operatives" → X."""
    mentions: list[ActorMention] = doc._.ec_actor_mentions or []
    starts = [start for start in sentence_starts(doc) if start <= before]
    floor = starts[-window_sentences] if len(starts) >= window_sentences else 0
    candidates = [mention for mention in mentions
                  if floor <= mention.start < before and mention.type in SALIENT_GROUP_TYPES]
    armed = [mention for mention in candidates if mention.type == "armed_group"]
    pool = armed or candidates
    if pool:
        return pool[-1]
    # a summary lead names the group only further on: "14 operatives …" then "the X"
    ahead = [mention for mention in mentions if before < mention.start < before + 400 and mention.type == "armed_group"]
    return ahead[0] if ahead else None
