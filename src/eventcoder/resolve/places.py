"""Place mentions, geocoded in the context of their document.

``eventcoder_places`` finds GPE/LOC/FAC entities and gazetteer names the
tagger left outside entities ("the Baghdad headquarters"), leaves demonyms
("Iraqi") out, and picks each name's reading by the document's focus country,
population and the other places the document names: "Tripoli" in a story about
Lebanon is Lebanon's Tripoli.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from spacy.language import Language
from spacy.tokens import Doc, Span, Token

from ..annotations import PlaceMention
from ..model import Place
from .clauses import clause_head, doc_length, has_subject, own_tokens, subject_start
from .gazetteer import Candidate, Gazetteer, get_gazetteer

PLACE_LABELS = frozenset({"GPE", "LOC", "FAC"})
#: Actor types whose names are not places even when they contain one ("Baghdad Operations Command").
NON_PLACE_ACTORS = frozenset({"person", "organization", "armed_group", "military"})
NOT_PLACE_LABELS = frozenset({"PERSON", "ORG", "NORP", "WORK_OF_ART", "LAW", "EVENT", "PRODUCT", "LANGUAGE"})
#: Prepositions that put an event somewhere ("in Baghdad", "near the border of Syria").
LOCATIVE_PREPOSITIONS = frozenset({
    "in", "at", "near", "into", "to", "from", "across", "outside", "inside", "around", "throughout", "within",
    "on", "off", "along", "over", "towards", "toward", "through", "onto", "beyond", "between",
})
#: Prepositions of direction: the place may be a destination or a recipient ("handed to Iran").
DIRECTIONAL_PREPOSITIONS = frozenset({"to", "into", "from", "towards", "toward", "onto"})
#: Dependencies a locative phrase may hang on its event through.
_PATH_DEPS = frozenset({"pobj", "prep", "compound", "nmod", "dobj", "npadvmod", "nsubjpass", "nsubj"})
#: Words that stand for the document's focus country ("in the country").
COUNTRY_WORDS = frozenset({"country", "nation"})
#: Words that stand for a country's capital ("in the Iraqi capital").
CAPITAL_WORDS = frozenset({"capital"})

WELL_KNOWN_POPULATION = 100_000
#: Context bonuses, in log10-population units (1.0 = a city ten times larger).
FOCUS_WEIGHT = 1.0
COMENTION_WEIGHT = 0.75
REGION_WEIGHT = 5.0
_MAX_NAME_TOKENS = 4


@dataclass(frozen=True)
class _Reading:
    """A place name found in the text and every place it may be."""

    span: Span
    candidates: tuple[Candidate, ...]


# ---------------------------------------------------------------------------
# Finding names
# ---------------------------------------------------------------------------


def _strip_article(span: Span) -> Span:
    while len(span) > 1 and span[0].lower_ in ("the", "a", "an"):
        span = span[1:]
    return span


def _entity_readings(doc: Doc, gazetteer: Gazetteer) -> Iterator[_Reading]:
    for entity in doc.ents:
        if entity.label_ not in PLACE_LABELS:
            continue
        span = _strip_article(entity)
        if gazetteer.demonym(span.text):
            continue
        candidates = gazetteer.candidates(span.text)
        if entity.label_ == "FAC":  # "White House" is a building, not an old name of Casablanca
            candidates = [candidate for candidate in candidates if candidate.primary]
        if candidates:
            yield _Reading(span, tuple(candidates))
            continue
        # "Baghdad International Airport": a known city inside names where it is.
        inner = [reading for reading in _inner_readings(span, gazetteer)
                 if reading.candidates[0].place.feature != "country" and _well_known(reading.candidates[0])]
        yield from inner
        if not inner:  # a site the gazetteer does not know ("the Green Zone") is still where things happened
            yield _Reading(span, (Candidate(Place(span.text), 0, True),))


def _inner_readings(span: Span, gazetteer: Gazetteer) -> Iterator[_Reading]:
    start = span.start
    while start < span.end:
        found = _longest_name(span.doc, start, span.end, gazetteer)
        if found is None:
            start += 1
            continue
        yield found
        start = found.span.end


def _longest_name(doc: Doc, start: int, limit: int, gazetteer: Gazetteer) -> _Reading | None:
    """The longest run of capitalised tokens from ``start`` that the gazetteer knows."""
    if not _capitalised(doc[start]):
        return None
    for end in range(min(limit, start + _MAX_NAME_TOKENS), start, -1):
        span = doc[start:end]
        if len(span.text) < 3 or not span[-1].text[-1:].isalpha():
            continue
        if not all(_capitalised(token) or token.text in ("-", "of", "al") for token in span):
            continue
        candidates = gazetteer.candidates(span.text)
        if candidates and not gazetteer.demonym(span.text):
            return _Reading(span, tuple(candidates))
    return None


def _capitalised(token: Token) -> bool:
    return token.text[:1].isupper() and token.pos_ == "PROPN"


def _token_readings(doc: Doc, gazetteer: Gazetteer, taken: set[int]) -> Iterator[_Reading]:
    """Proper nouns outside any entity that the gazetteer knows well: a country, a
    first-level division or a city named by its own name."""
    index = 0
    while index < len(doc):
        token = doc[index]
        if index in taken or token.ent_type_ in NOT_PLACE_LABELS or not _capitalised(token):
            index += 1
            continue
        limit = index
        while limit < len(doc) and limit - index < _MAX_NAME_TOKENS and limit not in taken \
                and doc[limit].ent_type_ not in NOT_PLACE_LABELS:
            limit += 1
        found = _longest_name(doc, index, limit, gazetteer)
        if found is not None and any(_well_known(candidate) for candidate in found.candidates):
            yield found
            index = found.span.end
        else:
            index += 1


def _well_known(candidate: Candidate) -> bool:
    """Outside a named entity, only a name a reader would know as a place counts:
    a country or province by its own name, or a city of 100,000 or more."""
    if not candidate.primary:
        return False
    return candidate.place.feature != "city" or candidate.population >= WELL_KNOWN_POPULATION


# ---------------------------------------------------------------------------
# Choosing readings in context
# ---------------------------------------------------------------------------


def _demonym_countries(doc: Doc, gazetteer: Gazetteer) -> Iterator[str]:
    """Countries named by demonyms: "Iraqi forces", "the Lebanese army", "Iranians"."""
    for token in doc:
        if token.text[:1].isupper() and token.pos_ in ("ADJ", "PROPN", "NOUN"):
            iso3 = gazetteer.demonym(token.text)
            if iso3:
                yield iso3


def _country_votes(readings: Iterable[_Reading], demonyms: Iterable[str]) -> Counter[str]:
    """How often each country is named, in half-votes: 2 for the country itself, a demonym or an
    unambiguous place, 1 for the likeliest reading of an ambiguous one."""
    votes: Counter[str] = Counter()
    for reading in readings:
        best = reading.candidates[0]
        if best.place.country:
            votes[best.place.country] += 2 if best.place.feature == "country" or len(reading.candidates) == 1 else 1
    for iso3 in demonyms:
        votes[iso3] += 2
    return votes


def _choose(reading: _Reading, focus: str | None, others: Counter[str], regions: set[tuple[str, str]]) -> Place:
    """The likeliest reading in context. Context breaks ties between places of similar
    size (Tripoli, Lebanon vs Tripoli, Libya) but does not make a small town of a
    country the story is about beat a world city, unless its province is named too
    ("Paris, Texas")."""
    def score(candidate: Candidate) -> float:
        country, admin1 = candidate.place.country, candidate.place.admin1
        bonus = FOCUS_WEIGHT if country and country == focus else 0.0
        if country and others.get(country, 0) > 0:
            bonus += COMENTION_WEIGHT * min(others[country], 4) / 4
        if country and admin1 and (country, admin1) in regions:
            bonus += REGION_WEIGHT
        return candidate.prior + bonus
    return max(reading.candidates, key=score).place


def _regions(readings: list[_Reading]) -> dict[int, tuple[str, str]]:
    """(country, first-level division) of each reading's likeliest place, by reading index."""
    found = {}
    for index, reading in enumerate(readings):
        place = reading.candidates[0].place
        if place.country and place.admin1:
            found[index] = (place.country, place.admin1)
    return found


def _resolve(readings: list[_Reading], demonyms: list[str]) -> list[PlaceMention]:
    votes = _country_votes(readings, demonyms)
    regions = _regions(readings)
    mentions = []
    for index, reading in enumerate(readings):
        # The rest of the document decides; a name does not vote for its own reading.
        others = votes - _country_votes([reading], [])
        focus = others.most_common(1)[0][0] if others else None
        named_regions = {region for other, region in regions.items() if other != index}
        place = _choose(reading, focus, others, named_regions)
        span = reading.span
        mentions.append(PlaceMention(span.start_char, span.end_char, span.text, place, span.root.i))
    return mentions


class PlaceRecognizer:
    """``eventcoder_places``: writes ``doc._.ec_places`` (one :class:`PlaceMention` per place name)."""

    def __init__(self, nlp: Language, name: str = "eventcoder_places") -> None:
        self.name = name
        self.gazetteer = get_gazetteer()

    def __call__(self, doc: Doc) -> Doc:
        readings = list(_entity_readings(doc, self.gazetteer))
        taken = {index for reading in readings for index in range(reading.span.start, reading.span.end)}
        taken |= {token.i for entity in doc.ents if entity.label_ in PLACE_LABELS for token in entity}
        readings += list(_token_readings(doc, self.gazetteer, taken))
        readings = [reading for reading in readings if not _inside_actor_name(doc, reading)]
        readings.sort(key=lambda reading: reading.span.start)
        mentions = _resolve(readings, list(_demonym_countries(doc, self.gazetteer)))
        located = [_locate_bare(doc, mention, mentions) for mention in mentions]
        doc._.ec_places = [mention for mention in located if _kept(doc, mention)]
        return doc


def _kept(doc: Doc, mention: PlaceMention) -> bool:
    """An unknown name that no known place qualifies is more often a misread name
    (a militia, a title) than a place."""
    return mention.place.country is not None


def _inside_actor_name(doc: Doc, reading: _Reading) -> bool:
    """Whether the name is (part of) a person's or organisation's name the actor stage found."""
    if reading.candidates[0].place.feature == "country":
        return False
    span = reading.span
    return any(actor.start <= span.start_char and span.end_char <= actor.end and actor.type in NON_PLACE_ACTORS
               for actor in doc._.ec_actor_mentions or [])


def _locate_bare(doc: Doc, mention: PlaceMention, mentions: list[PlaceMention]) -> PlaceMention:
    """A name the gazetteer does not know takes the country and coordinates of the
    known place that qualifies it: "Kabul's Green Zone", "the Green Zone in Kabul"."""
    if mention.place.country is not None or mention.head is None:
        return mention
    root = doc[mention.head]
    # "Kabul's Green Zone" (not "the U.S. Embassy": a country before a site names its owner).
    modifiers = {child.i for child in root.children if child.dep_ in ("poss", "compound", "nmod")}
    locatives = {grandchild.i for child in root.children if child.dep_ == "prep" and child.lower_ in ("in", "of")
                 for grandchild in child.children if grandchild.dep_ == "pobj"}
    for other in mentions:
        if other is mention or other.place.country is None:
            continue
        if other.head in locatives or (other.head in modifiers and other.place.feature != "country"):
            located = other.place
            place = Place(mention.text, located.country, located.admin1, located.lat, located.lon, None, None)
            return PlaceMention(mention.start, mention.end, mention.text, place, mention.head)
    return mention


@Language.factory("eventcoder_places")
def make_place_recognizer(nlp: Language, name: str) -> PlaceRecognizer:
    return PlaceRecognizer(nlp, name)


# ---------------------------------------------------------------------------
# Document-level places
# ---------------------------------------------------------------------------


def focus_country(doc: Doc) -> Place | None:
    """The country the document is most about: its places' countries and its demonyms
    (computed once per doc: every event asks)."""
    key = f"eventcoder.focus_country.{len(doc._.ec_places or [])}"
    if key not in doc.user_data:
        doc.user_data[key] = _focus_country(doc)
    found: Place | None = doc.user_data[key]
    return found


def _focus_country(doc: Doc) -> Place | None:
    gazetteer = get_gazetteer()
    votes: Counter[str] = Counter()
    for mention in doc._.ec_places or []:
        if mention.place.country:
            votes[mention.place.country] += 2 if mention.place.feature == "country" else 1
    for iso3 in _demonym_countries(doc, gazetteer):
        votes[iso3] += 2
    if not votes:
        return None
    return gazetteer.country(votes.most_common(1)[0][0])


def document_place(doc: Doc) -> Place | None:
    """The dominant place: the focus country's most-named city or province, else the country."""
    country = focus_country(doc)
    if country is None:
        return None
    local = Counter(mention.place for mention in doc._.ec_places or []
                    if mention.place.country == country.country and mention.place.feature != "country")
    if local:
        (place, count), = local.most_common(1)
        if count >= 2 or len(local) == 1:
            return place
    return country


# ---------------------------------------------------------------------------
# Attaching a place to an event's clause
# ---------------------------------------------------------------------------


def _locative_rank(token: Token, place: Place) -> int | None:
    """How surely the place at ``token`` is where things happen: 0 a locative phrase
    ("in Baghdad", "the center of Baghdad"), 1 a directional one ("to Baghdad") or a
    city modifying a noun ("the Baghdad headquarters"); None otherwise: a participant
    ("Iran pressured Iraq") or a country used as an attribute ("U.S. targets")."""
    if token.dep_ == "pobj":
        preposition = token.head
        if preposition.lower_ == "of" and preposition.head.dep_ == "pobj":
            preposition = preposition.head.head  # "in the center of Baghdad"
        if preposition.lower_ in DIRECTIONAL_PREPOSITIONS:
            return 1
        return 0 if preposition.lower_ in LOCATIVE_PREPOSITIONS else None
    if token.dep_ in ("compound", "nmod") and place.feature != "country":
        return 1
    return None


def _attached_within(token: Token, scope_head: Token) -> bool:
    """Whether ``token`` hangs on ``scope_head`` through prepositions, objects and
    noun modifiers only (not through appositions, adjectives or clauses)."""
    steps = 0
    while token.i != scope_head.i:
        if token.dep_ not in _PATH_DEPS or token.head.i == token.i or steps > 8:
            return False
        token = token.head
        steps += 1
    return True


def _country_phrase(doc: Doc, scope: set[int]) -> PlaceMention | None:
    """"in the country", "in the Iraqi capital", "on the outskirts of the capital": the
    country a demonym names, else the document's focus country, or its capital."""
    for index in sorted(scope):
        token = doc[index]
        if token.lower_ not in COUNTRY_WORDS | CAPITAL_WORDS or token.dep_ != "pobj":
            continue
        preposition = token.head
        if preposition.lower_ == "of" and preposition.head.dep_ == "pobj":
            preposition = preposition.head.head
        determiners = [child for child in token.children if child.lower_ in ("the", "this")]
        if preposition.lower_ not in LOCATIVE_PREPOSITIONS or not determiners:
            continue
        place = _described_country(doc, token, capital=token.lower_ in CAPITAL_WORDS)
        if place is not None:
            span = doc[determiners[0].i:token.i + 1]
            return PlaceMention(span.start_char, span.end_char, span.text, place, token.i)
    return None


def _described_country(doc: Doc, token: Token, capital: bool) -> Place | None:
    gazetteer = get_gazetteer()
    named = [gazetteer.demonym(child.text) for child in token.children if child.dep_ in ("amod", "compound")]
    iso3 = next((code for code in named if code), None)
    if iso3 is None:
        focus = focus_country(doc)
        iso3 = focus.country if focus else None
    if iso3 is None:
        return None
    return gazetteer.capital(iso3) if capital else gazetteer.country(iso3)


def governing_place(doc: Doc, token_i: int) -> PlaceMention | None:
    """The place where the trigger's clause happens: a locative phrase on the trigger
    or its clause ("in/at/near/into/to/from X", "the center of X"), else a place
    modifying its object ("the Baghdad headquarters"), shared by conjuncts; "in the
    country" is the focus country. Never a place of another clause."""
    mentions: list[PlaceMention] = doc._.ec_places or []
    trigger = doc[token_i]
    verb = clause_head(trigger)
    heads = [(trigger, doc_length(doc)), (verb, doc_length(doc))]
    conjunct = verb
    while conjunct.dep_ == "conj" and conjunct.head.i != conjunct.i:
        # A conjunct with its own subject shares only a place at the clause's left
        # edge ("In Basra, police fired tear gas and protesters burned tyres").
        before = subject_start(conjunct.head) if has_subject(conjunct) else doc_length(doc)
        conjunct = conjunct.head
        heads.append((conjunct, before))
    for head, before in heads:
        scope = own_tokens(head)
        ranked = []
        for mention in mentions:
            if mention.head is None or mention.head not in scope or mention.end > before \
                    or not _attached_within(doc[mention.head], head):
                continue
            rank = _locative_rank(doc[mention.head], mention.place)
            if rank is not None:
                ranked.append((rank, abs(mention.head - token_i), mention))
        country = _country_phrase(doc, scope)
        if country is not None and country.head is not None and country.end <= before:
            ranked.append((0, abs(country.head - token_i), country))
        if ranked:
            return min(ranked, key=lambda item: (item[0], item[1]))[2]
    return _antecedent_place(doc, verb)


def _antecedent_place(doc: Doc, verb: Token) -> PlaceMention | None:
    """"the center of Baghdad, where they trampled images": a where-clause happens at
    the place its antecedent names."""
    if not any(child.lower_ == "where" and child.dep_ == "advmod" for child in verb.children):
        return None
    antecedent = verb.head
    if antecedent.i == verb.i:
        return None
    mentions: list[PlaceMention] = doc._.ec_places or []
    scope = own_tokens(antecedent)
    inside = [mention for mention in mentions if mention.head is not None and mention.head in scope]
    if inside:
        return min(inside, key=lambda mention: abs((mention.head or 0) - antecedent.i))
    for _ in range(3):  # "went to Baghdad to celebrate, where ...": up through the purpose clause
        found = governing_place(doc, antecedent.i)
        if found is not None or antecedent.dep_ not in ("advcl", "xcomp", "ccomp") or antecedent.head.i == antecedent.i:
            return found
        antecedent = antecedent.head
    return None

