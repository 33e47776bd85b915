"""Who did it and to whom: the actor mention a syntactic argument stands for.

An argument token is turned into a noun phrase and handed to the actor
resolver; pronouns go to coreference, first-person pronouns inside a quote to
the quote's speaker, relative pronouns to the noun they modify, and member
nouns with no group of their own ("14 operatives") to the group most salient
just before them.
"""

from __future__ import annotations

from dataclasses import dataclass

from spacy.tokens import Doc, Token

from ..annotations import ActorMention
from ..resolve.actors import actor_for_tokens, resolve_pronoun
from .syntax import FIRST_PERSON, PERSONAL_PRONOUNS, RELATIVE_PRONOUNS, is_kind, np_with_modifiers

GROUP_TYPES = frozenset({"armed_group", "organization", "government", "military", "people"})


@dataclass
class ArgumentContext:
    """What argument resolution may look at besides the token itself."""

    doc: Doc
    speaker: ActorMention | None = None  # speaker of the quote the token is in


def actor_of(token: Token | None, context: ArgumentContext) -> ActorMention | None:
    if token is None:
        return None
    lower = token.lower_
    if lower in RELATIVE_PRONOUNS and token.head.dep_ in ("relcl", "acl"):
        return actor_of(token.head.head, context)
    if lower in FIRST_PERSON:
        return context.speaker
    if token.pos_ == "PRON" and lower in PERSONAL_PRONOUNS:
        return resolve_pronoun(context.doc, token.i)
    if token.pos_ == "PRON":
        return None
    start, end = np_with_modifiers(token)
    found = actor_for_tokens(context.doc, start, end)
    if found is not None:
        return found
    if is_kind(token, "member"):
        return salient_group(context.doc, token.idx)
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
    sentence_starts = [sent.start_char for sent in doc.sents if sent.start_char <= before]
    floor = sentence_starts[-window_sentences] if len(sentence_starts) >= window_sentences else 0
    candidates = [mention for mention in mentions
                  if floor <= mention.start < before and mention.type in GROUP_TYPES
                  and mention.type not in ("government",)]
    armed = [mention for mention in candidates if mention.type == "armed_group"]
    pool = armed or candidates
    return pool[-1] if pool else None
