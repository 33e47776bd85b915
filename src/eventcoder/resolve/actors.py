"""Actor mentions: which spans of a document name which actors.

The ``eventcoder_actors`` component writes ``doc._.ec_actor_mentions``, found by

1. registry aliases (every token n-gram whose normalised text is an alias),
2. named entities (PERSON/ORG/NORP/GPE) looked up through the registry's
   tolerant keys (skeleton, acronym, fuzzy), short person names resolved to a
   person named earlier in the document or, using titles and the countries in
   the document as evidence, to a registry person,
3. composite actors: a demonym or country plus a generic agent noun ("Iraqi
   security forces", "U.S. troops", "Iran's government"),
4. unknown named entities and descriptive sources ("witnesses", "sources close
   to the militia"), which still become ``local:`` actors.

Where mentions overlap, the longest wins. ``actor_for_tokens``,
``resolve_pronoun`` and ``document_actors`` are pure functions that later
stages call.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path

from spacy.lang.en.stop_words import STOP_WORDS
from spacy.language import Language
from spacy.tokens import Doc, Span, Token

from ..annotations import ActorMention, register_extensions, sentence_starts
from ..model import Actor, Article, TextSpan
from .normalize import name_tokens, normalize_name, skeleton_key, slugify
from .registry import Match, Registry, RegistryEntry

register_extensions()

MAX_ALIAS_TOKENS = 8
NAME_PARTICLES = frozenset({"al", "el", "-", "'", "of", "bin", "ibn", "abu", "as", "ad", "ash"})
NER_LABELS = frozenset({"PERSON", "ORG", "NORP", "GPE"})
DETERMINERS = frozenset({"the", "a", "an", "its", "their", "his", "her", "this", "that", "these", "those", "some"})
# Words before a name that say what office its bearer holds ("Prime Minister X", "Sheikh X").
TITLE_WORDS = frozenset({
    "prime", "minister", "president", "vice", "deputy", "secretary", "general", "chief", "commander", "head",
    "leader", "spokesman", "spokeswoman", "sheikh", "sheik", "ayatollah", "cleric", "gen", "gen.", "lt", "col",
    "colonel", "major", "king", "prince", "emir", "speaker", "foreign", "defense", "defence", "interior",
    "mr", "mr.", "mrs", "mrs.", "ms", "ms.", "dr", "dr.", "senator", "sen.", "rep.", "governor", "mayor",
})
# Nouns that stand for the group they belong to ("officials at the X", "X fighters").
MEMBER_NOUNS = frozenset({
    "official", "member", "militant", "activist", "fighter", "operative", "commander", "leader", "head",
    "spokesman", "spokeswoman", "spokesperson", "chief", "representative", "supporter", "militiaman",
    "gunman", "soldier", "officer", "agent", "envoy", "delegation", "source", "cadre", "loyalist",
})
MEMBER_PREPOSITIONS = frozenset({"of", "at", "from", "in", "for", "with", "within", "inside", "close"})
ARMED_HEADS = frozenset({"militia", "militias", "brigade", "brigades", "battalion", "battalions", "movement",
                         "front", "army", "faction", "factions", "group", "resistance", "mujahideen"})
GOVERNMENT_HEADS = frozenset({"ministry", "government", "council", "cabinet", "presidency", "parliament",
                              "court", "department", "commission", "directorate"})
ORGANIZATION_HEADS = frozenset({"party", "agency", "company", "bank", "organization", "organisation", "union",
                                "association", "foundation", "institute", "corporation", "network", "news"})
HEAD_NOUNS = ARMED_HEADS | GOVERNMENT_HEADS | ORGANIZATION_HEADS
MALE_PRONOUNS = frozenset({"he", "him", "his", "himself"})
FEMALE_PRONOUNS = frozenset({"she", "her", "hers", "herself"})
PLURAL_PRONOUNS = frozenset({"they", "them", "their", "theirs", "themselves"})
NEUTER_PRONOUNS = frozenset({"it", "its", "itself"})
GROUP_TYPES = frozenset({"organization", "armed_group", "government", "military", "people", "country"})
PRIORITY = {"alias": 5, "skeleton": 4, "acronym": 4, "coref": 4, "fuzzy": 3, "demonym": 3, "ner": 2}


@dataclass(frozen=True)
class _Candidate:
    start: int  # token indices, end exclusive
    end: int
    mention: ActorMention

    @property
    def length(self) -> int:
        return self.end - self.start


# ============================================================ component


@Language.factory("eventcoder_actors", default_config={"actor_files": []})
def make_actor_resolver(nlp: Language, name: str, actor_files: list[str]) -> ActorResolver:
    registry = Registry.load([Path(path) for path in actor_files]) if actor_files else Registry.default()
    return ActorResolver(registry)


class ActorResolver:
    """``Doc -> Doc``: writes ``doc._.ec_actor_mentions``."""

    def __init__(self, registry: Registry) -> None:
        self.registry = registry

    def __call__(self, doc: Doc) -> Doc:
        doc._.ec_actor_mentions = find_actor_mentions(doc, self.registry, on=publication_day(doc))
        return doc


def publication_day(doc: Doc) -> date | None:
    article: Article | None = doc._.ec_article
    return article.published.earliest if article is not None else None


def find_actor_mentions(doc: Doc, registry: Registry, *, on: date | None = None) -> list[ActorMention]:
    """Every actor mention of ``doc``, in text order, overlaps resolved longest-first."""
    aliases = list(alias_candidates(doc, registry, on))
    composites = [candidate for candidate in composite_candidates(doc, registry)
                  if not contains_named_body(candidate, aliases)]
    chosen = longest_first([*aliases, *composites])
    chosen = longest_first([*chosen, *entity_candidates(doc, registry, on, chosen)])
    chosen = longest_first([*chosen, *surname_candidates(doc, chosen)])
    chosen = longest_first([*chosen, *headed_name_candidates(doc, chosen)])
    chosen = longest_first([*chosen, *source_candidates(doc, registry, chosen)])
    chosen = longest_first([*chosen, *demonym_candidates(doc, registry, chosen)])
    mentions = [candidate.mention for candidate in sorted(chosen, key=lambda c: c.start)]
    return apply_acronym_definitions(doc, name_composites_by_first_use(mentions))


ACRONYM_DEFINITION = re.compile(r"\s*\(([A-Z][A-Za-z]{1,9})\)")


def apply_acronym_definitions(doc: Doc, mentions: list[ActorMention]) -> list[ActorMention]:
    """"the Rapid Support Forces (RSF)": within this document the acronym is
    that actor, whatever else the registry knows by the same letters. An
    acronym whose letters are the initials of an actor the document named in
    full before ("Hewlett-Packard … HP") is that actor too."""
    text = doc.text
    defined: dict[str, ActorMention] = {}
    for mention in mentions:
        match = ACRONYM_DEFINITION.match(text, mention.end)
        if match and _initials_fit(match.group(1), mention.text):
            defined[match.group(1)] = mention
    resolved: list[ActorMention] = []
    for mention in mentions:
        definition = defined.get(mention.text) or _spelled_out_before(mention, resolved)
        if definition is not None and definition.start < mention.start and definition.actor_id != mention.actor_id:
            mention = replace(mention, actor_id=definition.actor_id, name=definition.name, type=definition.type,
                              country=definition.country, how="acronym-defined")
        resolved.append(mention)
    return resolved


def _spelled_out_before(mention: ActorMention, earlier: list[ActorMention]) -> ActorMention | None:
    """The latest earlier mention, written out in two words or more, whose initials an acronym mention spells."""
    surface = mention.text.replace(".", "")
    if not (surface.isalpha() and surface.isupper() and 2 <= len(surface) <= 6):
        return None
    for candidate in reversed(earlier):
        written_out = len(_name_words(candidate.text)) >= 2 and not candidate.text.isupper()
        if written_out and candidate.type != "person" and _initials_fit(surface, candidate.text):
            return candidate
    return None


def _name_words(name: str) -> list[str]:
    """The words of a name that initials come from: "Pakistan Tehreek-e-Insaf's" -> 5 words."""
    return [word for word in re.split(r"[\s\-]+", strip_possessive(name)) if word[:1].isalpha()]


def _initials_fit(acronym: str, name: str) -> bool:
    """"RSF" for "Rapid Support Forces", "PTI" for "Pakistan Tehreek-e-Insaf"."""
    words = _name_words(name)
    capitals = "".join(word[0] for word in words if word[0].isupper())
    letters = "".join(word[0] for word in words)
    return acronym.upper() in (capitals.upper(), letters.upper())


def contains_named_body(composite: _Candidate, aliases: list[_Candidate]) -> bool:
    """"Iran's Revolutionary Guard Commander": a named organisation inside a
    country + agent phrase is more specific than the country's sector."""
    return any(composite.start <= alias.start and alias.end <= composite.end
               and alias.mention.type not in ("country", "person", "people")
               for alias in aliases)


def demonym_candidates(doc: Doc, registry: Registry, chosen: list[_Candidate]) -> Iterator[_Candidate]:
    """"Israeli and U.S. flags", "Iraqi law": a demonym modifying a thing
    mentions its country (low confidence; never "pro-Iranian")."""
    taken = {index for candidate in chosen for index in range(candidate.start, candidate.end)}
    for token in doc:
        if token.i in taken or token.ent_type_ != "NORP" or token.dep_ not in ("amod", "compound", "conj"):
            continue
        if is_prefixed_link(doc, token) or token.lower_.startswith(("pro-", "anti-")):
            continue
        iso3 = registry.country_for_demonym(token.text)
        entry = registry.country_entry(iso3) if iso3 else None
        if entry is not None:
            yield make_mention(doc[token.i:token.i + 1], entry, "demonym", 0.5)


def longest_first(candidates: Iterable[_Candidate]) -> list[_Candidate]:
    ordered = sorted(candidates, key=lambda c: (-c.length, -PRIORITY.get(c.mention.how, 0), c.start))
    taken: set[int] = set()
    chosen = []
    for candidate in ordered:
        span = set(range(candidate.start, candidate.end))
        if span & taken:
            continue
        taken |= span
        chosen.append(candidate)
    return chosen


def make_mention(span: Span, entry: RegistryEntry, how: str, confidence: float) -> _Candidate:
    mention = ActorMention(
        start=span.start_char, end=span.end_char, text=span.text, actor_id=entry.id, name=entry.name,
        type=entry.type, country=entry.country, how=how, confidence=confidence, head=span.root.i,
    )
    return _Candidate(span.start, span.end, mention)


# ============================================================ 1. registry aliases


class _Tokens:
    """What the alias scan reads of every token, taken from the ``Doc`` once: the scan tries
    up to MAX_ALIAS_TOKENS spans at each capitalised token, and spaCy builds a new ``Token``
    object at every index access."""

    def __init__(self, doc: Doc) -> None:
        self.text = doc.text
        tokens = list(doc)
        self.idx = [token.idx for token in tokens]
        self.end = [token.idx + len(token.text) for token in tokens]
        self.lower = [token.lower_ for token in tokens]
        self.capital = [token.text[:1].isupper() for token in tokens]
        self.upper = [token.text.isupper() for token in tokens]
        self.blank = [token.is_punct or token.is_space for token in tokens]
        self.named = [token.pos_ == "PROPN" or bool(token.ent_type_) for token in tokens]

    def span_text(self, start: int, end: int) -> str:
        return self.text[self.idx[start]:self.end[end - 1]]

    def could_start_name(self, i: int) -> bool:
        return not self.blank[i] and (self.capital[i] or self.lower[i] in ("al", "el"))

    def looks_like_name(self, start: int, end: int) -> bool:
        last = end - 1
        if self.blank[last] or (self.lower[last] in STOP_WORDS and not self.upper[last]):
            return False
        if end - start == 1:
            return self.named[start] or self.upper[start]
        return any(self.capital[start:end])

    def skeleton_shaped(self, start: int, end: int) -> bool:
        """Capitalised words (and name particles), two or more, not led by a title: a name a
        transliteration variant may match ("Kataib Hizbullah"). A title is no part of the name:
        "Mr Brown" must not meet "Amery Browne" by its consonants."""
        return (end - start >= 2 and self.lower[start].rstrip(".") not in TITLE_WORDS
                and all(self.capital[i] or self.lower[i] in NAME_PARTICLES for i in range(start, end)))


def alias_candidates(doc: Doc, registry: Registry, on: date | None) -> Iterator[_Candidate]:
    tokens = _Tokens(doc)
    for start in range(len(doc)):
        if not tokens.could_start_name(start):
            continue
        for end in range(min(len(doc), start + MAX_ALIAS_TOKENS), start, -1):
            if not tokens.looks_like_name(start, end):
                continue
            text = tokens.span_text(start, end)
            key = normalize_name(strip_possessive(text))
            if registry.is_demonym(key, normalized=True):
                continue  # a bare demonym ("Turkish") is a modifier, handled with its noun
            match = alias_match(tokens, start, end, key, registry, on)
            if match is not None and not is_time_zone(doc[start:end]):
                yield make_mention(trim_span(doc[start:end]), match.entry, match.how, match.score)
                break


def alias_match(tokens: _Tokens, start: int, end: int, key: str, registry: Registry,
                on: date | None) -> Match | None:
    """An exact alias, or for a capitalised multi-word name a transliteration variant ("Kataib Hizbullah")."""
    if registry.is_alias(key):
        matches = [match for match in registry.lookup(key, on=on, fuzzy=False) if match.how == "alias"]
        return first_case_compatible(matches, tokens.span_text(start, end))
    if not tokens.skeleton_shaped(start, end):
        return None
    matches = registry.lookup(key, on=on, fuzzy=False)
    return matches[0] if matches and matches[0].how == "skeleton" else None


def is_time_zone(span: Span) -> bool:
    """"at 07:37 a.m. UTC": capitals right after a clock time name its zone, not an actor."""
    return (len(span) == 1 and span.text.isupper() and span.start > 0
            and span.doc[span.start - 1].ent_type_ == "TIME")


def strip_possessive(text: str) -> str:
    return text[:-2] if text.endswith(("'s", "’s")) else text


def trim_span(span: Span) -> Span:
    """The span without a leading determiner or a trailing possessive marker."""
    start, end = span.start, span.end
    while start < end - 1 and span.doc[start].lower_ in DETERMINERS:
        start += 1
    while end - 1 > start and span.doc[end - 1].tag_ == "POS":
        end -= 1
    return span.doc[start:end]


def first_case_compatible(matches: list[Match], surface: str) -> Match | None:
    """Acronym aliases ("HAN", "KH") match only text written in capitals."""
    surface_caps = surface.replace(".", "").replace(" ", "").isupper()
    key = normalize_name(surface)
    for match in matches:
        for name in match.entry.names:
            if normalize_name(name) != key:
                continue
            alias_is_acronym = name.replace(".", "").replace(" ", "").isupper() and len(key) <= 6
            if surface_caps or not alias_is_acronym:
                return match
    return None


# ============================================================ 2. named entities


def entity_candidates(doc: Doc, registry: Registry, on: date | None,
                      chosen: list[_Candidate]) -> Iterator[_Candidate]:
    taken = {index for candidate in chosen for index in range(candidate.start, candidate.end)}
    people = [candidate.mention for candidate in chosen
              if candidate.mention.type == "person" or doc[candidate.start].ent_type_ == "PERSON"]
    context = document_countries(chosen)
    for ent in doc.ents:
        if ent.label_ not in NER_LABELS:
            continue
        span = trim_span(ent)
        if is_time_zone(span):
            continue
        overlaps = any(token.i in taken for token in span)
        candidate = resolve_entity(span, ent.label_, registry, on, people, context)
        # A longer entity the registry knows may replace the shorter alias inside it; an unknown one may not.
        if candidate is not None and not (overlaps and candidate.mention.how == "ner"):
            taken.update(range(candidate.start, candidate.end))
            if candidate.mention.type == "person":
                people.append(candidate.mention)
            yield candidate


def document_countries(chosen: list[_Candidate]) -> list[str]:
    counts: dict[str, int] = {}
    for candidate in chosen:
        if candidate.mention.country:
            counts[candidate.mention.country] = counts.get(candidate.mention.country, 0) + 1
    return sorted(counts, key=lambda country: -counts[country])


def resolve_entity(span: Span, label: str, registry: Registry, on: date | None,
                   people: list[ActorMention], countries: list[str]) -> _Candidate | None:
    text = strip_possessive(span.text)
    if label == "PERSON":
        short = short_name_person(span, registry, on, people, countries)
        if short is not None:
            return short
    if label == "NORP" and registry.is_demonym(text) and not is_group_noun(span):
        return None  # "Turkish", "Iraqi" as modifiers: composites take them with their noun
    matches = registry.lookup(text, on=on)
    best = first_case_compatible(matches, text) if matches and matches[0].how == "alias" else (
        matches[0] if matches else None)
    if best is not None and compatible_label(best.entry, label):
        return make_mention(span, best.entry, best.how, best.score)
    if label == "GPE" or (label == "NORP" and not is_group_noun(span)):
        return None
    if label == "NORP" and registry.is_demonym(text):
        return people_of_country(span, registry)
    return unknown_entity(span, label, registry)


def people_of_country(span: Span, registry: Registry) -> _Candidate:
    """"Iraqis", "the Americans": the people of a country, one actor per country in a document."""
    country = registry.country_for_demonym(strip_possessive(span.text))
    mention = ActorMention(
        start=span.start_char, end=span.end_char, text=span.text, actor_id=f"local:{country}-people",
        name=span.text, type="people", country=country, how="demonym", confidence=0.7, head=span.root.i,
    )
    return _Candidate(span.start, span.end, mention)


def compatible_label(entry: RegistryEntry, label: str) -> bool:
    if label == "GPE":
        return entry.type == "country"
    if label == "PERSON":
        return entry.type != "country"
    return True


def is_group_noun(span: Span) -> bool:
    """A NORP used as a noun ("the Kurds", "Shiites protested"), not an adjective ("Kurdish")."""
    root = span.root
    return root.dep_ not in ("amod", "compound") and root.tag_ in ("NNPS", "NNS", "NNP")


def short_name_person(span: Span, registry: Registry, on: date | None, people: list[ActorMention],
                      countries: list[str]) -> _Candidate | None:
    """"Kadhimi", "al-Khazali", "Prime Minister Kadhimi": the person of that surname seen earlier in the
    document, else the registry person with that surname best supported by title, date and countries."""
    tokens = name_tokens(strip_possessive(span.text))  # "Khan's party": the Khan of the story
    if len(tokens) != 1:
        return None
    surname = skeleton_key(tokens[0])
    for mention in reversed(people):
        if any(skeleton_key(token) == surname for token in name_tokens(mention.name)[1:]):
            return _Candidate(span.start, span.end, replace(
                mention, start=span.start_char, end=span.end_char, text=span.text, how="coref",
                head=span.root.i, confidence=0.9,
            ))
    candidates = registry.lookup_surname(tokens[0], on=on)
    if not candidates:
        return None
    best = pick_by_context(candidates, title_before(span), on, countries)
    return make_mention(span, best, "coref", 0.75 if len(candidates) == 1 else 0.6)


def title_before(span: Span) -> str:
    words: list[str] = []
    index = span.start - 1
    while index >= 0 and span.doc[index].lower_ in TITLE_WORDS:
        words.insert(0, span.doc[index].lower_)
        index -= 1
    return " ".join(words)


def pick_by_context(candidates: list[RegistryEntry], title: str, on: date | None,
                    countries: list[str]) -> RegistryEntry:
    """The candidate whose role matches the title on the date and whose country the document talks about."""

    def support(entry: RegistryEntry) -> tuple[bool, int, bool]:
        roles = entry.roles_on(on)
        titled = bool(title) and any(normalize_name(title) in normalize_name(role.role) for role in roles)
        in_office = on is not None and any(role.start or role.end for role in roles)
        rank = countries.index(entry.country) if entry.country in countries else len(countries)
        return (not titled, rank, not in_office)

    return min(candidates, key=support)


def unknown_entity(span: Span, label: str, registry: Registry) -> _Candidate:
    """A named entity the registry does not know: a ``local:`` actor typed from its label and head noun."""
    span = with_head_noun(span)
    name = strip_possessive(span.text)
    head = span.root.lower_
    if label == "PERSON" and head not in ARMED_HEADS:
        actor_type = "person"
    elif head in ARMED_HEADS:
        actor_type = "armed_group"
    elif head in ORGANIZATION_HEADS:
        actor_type = "organization"
    elif head in GOVERNMENT_HEADS:
        actor_type = "government"
    elif label == "NORP":
        actor_type = "people"
    else:
        actor_type = "organization"
    mention = ActorMention(
        start=span.start_char, end=span.start_char + len(name), text=name, actor_id=f"local:{slugify(name)}",
        name=name, type=actor_type, country=modifier_country(span, registry), how="ner", confidence=0.5,
        head=span.root.i,
    )
    return _Candidate(span.start, span.end, mention)


def with_head_noun(span: Span) -> Span:
    """"Ansar al-Furqan" + "movement" when the name modifies a group noun right after it."""
    root = span.root
    following = root.head
    if root.dep_ == "compound" and following.i == span.end and following.lower_ in HEAD_NOUNS:
        return span.doc[span.start:following.i + 1]
    return span


def headed_name_candidates(doc: Doc, chosen: list[_Candidate]) -> Iterator[_Candidate]:
    """"the Liwa Fatemiyoun militia": capitalised words before a group noun, which NER may miss."""
    taken = {index for candidate in chosen for index in range(candidate.start, candidate.end)}
    for token in doc:
        if token.lower_ not in ARMED_HEADS or token.i in taken:
            continue
        start = token.i
        while start > 0 and doc[start - 1].pos_ == "PROPN" and doc[start - 1].dep_ in ("compound", "amod"):
            start -= 1
        if start == token.i or any(index in taken for index in range(start, token.i)):
            continue
        span = doc[start:token.i + 1]
        mention = ActorMention(
            start=span.start_char, end=span.end_char, text=span.text, actor_id=f"local:{slugify(span.text)}",
            name=span.text, type="armed_group", how="ner", confidence=0.5, head=token.i,
        )
        yield _Candidate(span.start, span.end, mention)


def modifier_country(span: Span, registry: Registry) -> str | None:
    for token in [*span, *span.root.children]:
        if token.dep_ in ("amod", "compound", "poss") or token in span:
            country = registry.country_for_demonym(token.text)
            if country and registry.is_demonym(token.text):
                return country
    return None


def surname_candidates(doc: Doc, chosen: list[_Candidate]) -> Iterator[_Candidate]:
    """Proper nouns the NER missed that repeat the surname of a person named earlier ("Kadhimi later met")."""
    taken = {index for candidate in chosen for index in range(candidate.start, candidate.end)}
    people = sorted((c for c in chosen if c.mention.type == "person"), key=lambda c: c.start)
    for token in doc:
        if token.i in taken or token.pos_ != "PROPN" or len(token.text) < 3:
            continue
        key = skeleton_key(token.text)
        earlier = [c.mention for c in people if c.end <= token.i
                   and any(skeleton_key(part) == key for part in name_tokens(c.mention.name)[1:])]
        if earlier:
            start = token.i - 2 if token.i >= 2 and doc[token.i - 1].text == "-" and \
                doc[token.i - 2].lower_ in ("al", "el") else token.i
            span = doc[start:token.i + 1]
            yield _Candidate(start, token.i + 1, replace(
                earlier[-1], start=span.start_char, end=span.end_char, text=span.text, how="coref",
                head=token.i, confidence=0.85,
            ))


# ============================================================ 3. composite actors


def composite_candidates(doc: Doc, registry: Registry) -> Iterator[_Candidate]:
    """"Iraqi security forces", "U.S. troops", "Iran's government": country + agent noun."""
    for token in doc:
        if token.pos_ not in ("NOUN", "PROPN"):
            continue
        found = composite_for_head(doc, token, registry)
        if found is not None:
            yield found


def composite_for_head(doc: Doc, head: Token, registry: Registry) -> _Candidate | None:
    if head.dep_ == "compound" and head.head.pos_ in ("NOUN", "PROPN"):
        return None  # the phrase's head is further right ("security forces"), or a title ("President X")
    if head.i + 1 < len(doc) and doc[head.i + 1].pos_ == "PROPN" and head.text[:1].isupper():
        return None  # a capitalised title before a name: "Iraqi Prime Minister Mustafa al-Kadhimi"
    start, sector = agent_phrase(doc, head, registry)
    if sector is None:
        return None
    country_tokens = [token for token in doc[max(0, start - 4):start] if token.head.i >= start]
    country, first = None, start
    for token in reversed(country_tokens):
        if is_prefixed_link(doc, token):
            break  # "pro-Iranian militia": linked to Iran, not Iran's
        found = registry.country_for_demonym(strip_possessive(token.text))
        if found and token.dep_ in ("amod", "compound", "poss", "nmod", "case"):
            country, first = found, token.i
            break
        if token.dep_ not in ("amod", "compound", "case", "punct", "nummod"):
            break
    if country is None:
        return None
    span = trim_span(doc[first:head.i + 1])
    return composite_mention(span, country, sector, registry)


def is_prefixed_link(doc: Doc, token: Token) -> bool:
    if token.lower_.startswith(("pro-", "anti-")):
        return True
    return token.i >= 2 and doc[token.i - 1].text == "-" and doc[token.i - 2].lower_ in ("pro", "anti")


def agent_phrase(doc: Doc, head: Token, registry: Registry) -> tuple[int, str | None]:
    """The longest compound noun phrase ending in ``head`` that is an agent noun, and its sector."""
    for start in range(max(0, head.i - 3), head.i + 1):
        phrase = doc[start:head.i + 1]
        if all(token.pos_ in ("NOUN", "PROPN", "ADJ") for token in phrase):
            sector = registry.agent_sector(phrase.text) or (
                registry.agent_sector(phrase.lemma_) if start == head.i else None
            )
            if sector:
                return start, sector
    return head.i, None


def composite_mention(span: Span, country: str, sector: str, registry: Registry) -> _Candidate:
    info = registry.sector(sector)
    entry = registry.sector_entry(country, sector)
    if entry is not None:
        return make_mention(span, entry, "demonym", 0.8)
    actor_type = info.actor_type if info else "unknown"
    # Unnamed sources stay apart ("Iraqi sources" vs "Iraqi security sources"); a sector is one actor.
    actor_id = f"local:{slugify(span.text)}" if sector == "sources" else f"local:{country}-{sector}"
    mention = ActorMention(
        start=span.start_char, end=span.end_char, text=span.text, actor_id=actor_id, name=span.text,
        type=actor_type, country=country, how="demonym", confidence=0.8, head=span.root.i,
    )
    return _Candidate(span.start, span.end, mention)


def name_composites_by_first_use(mentions: list[ActorMention]) -> list[ActorMention]:
    """A composite actor is named by the first surface form the document uses for it."""
    first: dict[str, str] = {}
    named = []
    for mention in mentions:
        if mention.how == "demonym" and mention.actor_id.startswith("local:"):
            name = first.setdefault(mention.actor_id, mention.text)
            mention = replace(mention, name=name)
        named.append(mention)
    return named


# ============================================================ 4. descriptive sources


def source_candidates(doc: Doc, registry: Registry, chosen: list[_Candidate]) -> Iterator[_Candidate]:
    """"witnesses", "diplomats", "sources close to the militia": unnamed speakers, type unknown."""
    taken = {index for candidate in chosen for index in range(candidate.start, candidate.end)}
    for token in doc:
        if token.i in taken or token.pos_ != "NOUN" or token.dep_ == "compound":
            continue
        if registry.agent_sector(token.lower_) != "sources":
            continue
        start = min([token.i, *(child.i for child in token.lefts if child.dep_ in ("amod", "compound", "det"))])
        end = token.i + 1
        for child in token.rights:
            if child.dep_ in ("amod", "prep") and child.lower_ in ("close", "familiar", "in", "with", "near"):
                end = max(end, child.right_edge.i + 1)
        span = trim_span(doc[start:end])
        if any(index in taken for index in range(span.start, span.end)) or not single_line_phrase(span):
            span = trim_span(doc[start:token.i + 1])
        if not single_line_phrase(span):
            span = doc[token.i:token.i + 1]
        mention = ActorMention(
            start=span.start_char, end=span.end_char, text=span.text, actor_id=f"local:{slugify(span.text)}",
            name=span.text, type="unknown", country=modifier_country(span, registry), how="ner",
            confidence=0.5, head=token.i,
        )
        yield _Candidate(span.start, span.end, mention)


def single_line_phrase(span: Span) -> bool:
    """No line break and no sentence punctuation inside: "Deal?\n\nSources" is not one phrase."""
    return "\n" not in span.text and not any(token.is_punct and token.text not in "-'’" for token in span)


# ============================================================ functions other stages call


def mentions_of(doc: Doc) -> list[ActorMention]:
    return list(doc._.ec_actor_mentions or [])


def mention_at_token(doc: Doc, token_i: int) -> ActorMention | None:
    token = doc[token_i]
    for mention in mentions_of(doc):
        if mention.start <= token.idx < mention.end:
            return mention
    return None


def actor_for_tokens(doc: Doc, start_token: int, end_token: int,
                     registry: Registry | None = None) -> ActorMention | None:
    """The actor the noun phrase ``doc[start_token:end_token]`` stands for, or None."""
    if start_token >= end_token:
        return None
    span = doc[start_token:end_token]
    head = span.root
    direct = mention_at_token(doc, head.i)
    if direct is not None:
        return direct
    if head.lemma_.lower() in MEMBER_NOUNS or head.lower_ in MEMBER_NOUNS:
        group = group_of_member(doc, head)
        if group is not None:
            return replace(group, start=span.start_char, end=span.end_char, text=span.text, how="member",
                           head=head.i, confidence=min(group.confidence, 0.8))
    registry = registry or Registry.default()
    composite = composite_for_head(doc, head, registry)
    return composite.mention if composite is not None else None


def group_of_member(doc: Doc, head: Token) -> ActorMention | None:
    """"officials at the X", "militia members of the X", "X fighters" -> X (an organisation, not a person)."""
    for child in head.children:
        if child.dep_ in ("compound", "amod", "nmod", "poss"):
            found = mention_at_token(doc, child.i)
            if found is not None and found.type != "person":
                return found
    for child in head.children:
        if child.dep_ in ("prep", "amod") and child.lower_ in MEMBER_PREPOSITIONS:
            for grandchild in child.subtree:
                if grandchild.dep_ == "pobj":
                    found = mention_at_token(doc, grandchild.i)
                    if found is not None and found.type != "person":
                        return found
    return None


def resolve_pronoun(doc: Doc, token_i: int, registry: Registry | None = None) -> ActorMention | None:
    """The actor a pronoun or definite description at ``token_i`` refers to, or None."""
    token = doc[token_i]
    lower = token.lower_
    before = [mention for mention in mentions_of(doc) if mention.end <= token.idx]
    if lower in MALE_PRONOUNS or lower in FEMALE_PRONOUNS:
        return salient(doc, [m for m in before if m.type == "person"], token)
    if lower in PLURAL_PRONOUNS:
        groups = [m for m in before if m.type in GROUP_TYPES - {"country"} or is_plural_mention(doc, m)]
        return salient(doc, groups, token)
    if lower in NEUTER_PRONOUNS:
        return salient(doc, [m for m in before if m.type in GROUP_TYPES], token)
    if token.pos_ in ("NOUN", "PROPN"):
        return resolve_description(doc, token, before, registry or Registry.default())
    return None


def is_plural_mention(doc: Doc, mention: ActorMention) -> bool:
    return mention.head is not None and doc[mention.head].tag_ in ("NNS", "NNPS")


def salient(doc: Doc, candidates: list[ActorMention], token: Token, window: int = 3) -> ActorMention | None:
    """The most recent candidate within a few sentences, a sentence subject preferred over the rest
    of its sentence."""
    if not candidates:
        return None
    starts = [start for start in sentence_starts(doc) if start <= token.idx]
    floor = starts[-window] if len(starts) >= window else 0
    recent = [m for m in candidates if m.start >= floor]
    if not recent:
        return None
    last_sentence = sentence_of(doc, recent[-1])
    same = [m for m in recent if sentence_of(doc, m) == last_sentence]
    subjects = [m for m in same if m.head is not None and doc[m.head].dep_ in ("nsubj", "nsubjpass")]
    return (subjects or same)[-1]


def sentence_of(doc: Doc, mention: ActorMention) -> int:
    if mention.head is not None:
        return doc[mention.head].sent.start
    span = doc.char_span(mention.start, mention.end, alignment_mode="expand")
    return span.sent.start if span is not None else 0


def resolve_description(doc: Doc, token: Token, before: list[ActorMention],
                        registry: Registry) -> ActorMention | None:
    """"the prime minister", "the militia", "the released activists": the earliest compatible actor."""
    if not any(child.lower_ == "the" for child in token.children):
        return None
    title = " ".join(t.lower_ for t in token.lefts if t.dep_ in ("compound", "amod") and t.lower_ in TITLE_WORDS)
    title = f"{title} {token.lower_}".strip()
    day = publication_day(doc)
    for mention in before:
        if mention.type != "person":
            continue
        entry = registry.get(mention.actor_id)
        roles = entry.roles_on(day) if entry else []
        if any(normalize_name(role.role).startswith(normalize_name(title)) for role in roles):
            return mention
    sector = registry.agent_sector(token.lower_) or registry.agent_sector(token.lemma_)
    info = registry.sector(sector) if sector else None
    if info is None:
        return None
    same_sector = [m for m in before if m.type == info.actor_type and m.actor_id.endswith(f"-{sector}")]
    same_type = [m for m in before if m.type == info.actor_type]
    pool = same_sector or same_type
    return pool[0] if pool else None


def document_actors(doc: Doc, on: date | None = None, registry: Registry | None = None) -> list[Actor]:
    """The document's actors in order of first mention, with roles valid ``on`` and every mention."""
    registry = registry or Registry.default()
    actors: dict[str, Actor] = {}
    seen: set[tuple[str, int, int]] = set()
    for mention in sorted(mentions_of(doc), key=lambda m: m.start):
        actor = actors.get(mention.actor_id)
        if actor is None:
            actor = actor_from_mention(mention, registry, on)
            actors[mention.actor_id] = actor
        if (mention.actor_id, mention.start, mention.end) not in seen:
            seen.add((mention.actor_id, mention.start, mention.end))
            actor.mentions.append(TextSpan(mention.start, mention.end, mention.text))
    return list(actors.values())


def actor_from_mention(mention: ActorMention, registry: Registry, on: date | None) -> Actor:
    entry = registry.get(mention.actor_id)
    if entry is not None:
        return entry.to_actor(on)
    return Actor(id=mention.actor_id, name=mention.name, type=mention.type, country=mention.country,
                 code=local_code(mention, registry))


def local_code(mention: ActorMention, registry: Registry) -> str | None:
    """``local:IRQ-military`` -> IRQMIL; a local actor of a known country otherwise just its ISO3."""
    if not mention.country:
        return None
    prefix = f"local:{mention.country}-"
    sector = registry.sector(mention.actor_id[len(prefix):]) if mention.actor_id.startswith(prefix) else None
    return mention.country + (sector.cameo or "") if sector else mention.country
