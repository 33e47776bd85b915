"""Name normalisation for actor matching.

Two keys, from strict to tolerant:

* ``normalize_name`` folds case, accents, apostrophe-like marks (ʿayn, hamza,
  backticks, curly quotes), hyphens and punctuation, and drops a leading
  "the": "The Kata’ib Hezbollah" and "kata'ib-hezbollah" give one key.
* ``skeleton_key`` survives transliteration: it also drops Arabic article
  prefixes (al-, el-, as-, ...) and vowels, unifies consonants that
  transliterations swap (q/k/g, dh/z/th/d, ph/f, ck/c/k), collapses doubled
  letters and a plural -s, so "Hizbullah" ~ "Hezbollah", "Qassem" ~ "Qasem",
  "Gaddafi" ~ "Qaddafi" ~ "Kadhafi".
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

# Apostrophe-like marks that transliterations use for ʿayn and hamza or that
# typesetting swaps for one another; all are dropped inside a name.
_APOSTROPHES = "'’‘`´ʼʻʿʾ′‛"
_APOSTROPHE_RE = re.compile(f"[{re.escape(_APOSTROPHES)}]")
_DASHES_RE = re.compile(r"[\-‐‑‒–—―_/]+")
_ABBREVIATION_DOTS_RE = re.compile(r"(?<=\b\w)\.(?=\w\b|\s|$)")
_NON_WORD_RE = re.compile(r"[^\w\s]+")
_SPACES_RE = re.compile(r"\s+")

# Arabic definite article and its sun-letter assimilations, written as separate
# tokens once hyphens become spaces ("as-Sadr", "ad-Din", "el-Sisi").
_ARTICLES = frozenset({"al", "el", "il", "ul", "as", "ad", "ar", "an", "at", "az", "ash", "ath", "adh", "ed", "es"})
# Digraphs first, then single letters (one translate); applied to a vowelled token.
_DIGRAPHS: tuple[tuple[str, str], ...] = (
    ("dh", "d"), ("th", "d"), ("dz", "d"), ("ph", "f"), ("ck", "k"), ("gh", "k"), ("kh", "k"),
)
_LETTERS = str.maketrans({"z": "d", "q": "k", "g": "k", "c": "k", "a": None, "e": None, "i": None, "o": None,
                          "u": None, "y": None})
_DOUBLED_RE = re.compile(r"(.)\1+")


def strip_accents(text: str) -> str:
    """``text`` without combining marks: "Qāsim Sulaymānī" -> "Qasim Sulaymani"."""
    if text.isascii():  # nothing to decompose (most names in English news)
        return text
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(char for char in decomposed if not unicodedata.combining(char))


@lru_cache(maxsize=65536)
def normalize_name(text: str) -> str:
    """Case-, accent-, apostrophe- and hyphen-insensitive form of a name."""
    folded = strip_accents(text).casefold()
    folded = _APOSTROPHE_RE.sub("", folded)
    folded = _DASHES_RE.sub(" ", folded)
    folded = folded.replace("&", " and ")
    folded = _ABBREVIATION_DOTS_RE.sub("", folded)  # "u.s." -> "us"
    folded = _NON_WORD_RE.sub(" ", folded)
    folded = _SPACES_RE.sub(" ", folded).strip()
    if folded.startswith("the "):
        folded = folded[4:]
    return folded


def _skeleton_token(token: str, *, last: bool) -> str:
    if last and len(token) > 3 and token.endswith("s") and not token.endswith("ss"):
        token = token[:-1]
    if len(token) > 3 and token.endswith("ah"):  # ta marbuta: "Muqawamah" ~ "Muqawama"
        token = token[:-1]
    for source, target in _DIGRAPHS:
        if source in token:
            token = token.replace(source, target)
    return token.translate(_LETTERS)


@lru_cache(maxsize=65536)
def skeleton_key(text: str) -> str:
    """Transliteration-tolerant key: consonant skeleton of the name without articles."""
    tokens = [token for token in normalize_name(text).split() if token not in _ARTICLES]
    skeleton = "".join(
        _skeleton_token(token, last=index == len(tokens) - 1) for index, token in enumerate(tokens)
    )
    return _DOUBLED_RE.sub(r"\1", skeleton)


def name_tokens(text: str) -> list[str]:
    """Tokens of the normalised name without Arabic article prefixes: "al-Khazali" -> ["khazali"]."""
    return [token for token in normalize_name(text).split() if token not in _ARTICLES]


def acronym(text: str) -> str:
    """Initials of a multi-word name's content words: "Asa'ib Ahl al-Haq" -> "aah"."""
    words = [word for word in normalize_name(text).split() if word not in {"of", "the", "and", "for", "al", "el"}]
    return "".join(word[0] for word in words) if len(words) > 1 else ""


def slugify(text: str) -> str:
    """An id-safe slug: "Iraqi security forces" -> "iraqi-security-forces"."""
    return "-".join(normalize_name(text).split()) or "unnamed"
