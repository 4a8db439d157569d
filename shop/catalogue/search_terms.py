"""What a shopper typed in the search box, as words to find, to leave out, and to match
loosely when too little matches exactly."""

import re
import unicodedata
from dataclasses import dataclass

WORD = re.compile(r"\w+")
# PostgreSQL's French configuration ignores these; a loose or plain match on them would find
# nearly everything.
STOP_WORDS = frozenset({
    "a", "au", "aux", "avec", "ce", "ces", "d", "dans", "de", "des", "du", "en", "et", "l", "la",
    "le", "les", "ou", "par", "pour", "sans", "sur", "un", "une",
})
# Shorter words are close to too many others (« sac » is, « 16 » is not worth it).
MIN_CLOSE_WORD_LENGTH = 3
MIN_CLOSE_LETTERS = 4


def normalise_text(text: str) -> str:
    """Lower-case, accents removed: « Vélo » → « velo »."""
    decomposed = unicodedata.normalize("NFKD", text or "")
    return "".join(char for char in decomposed if not unicodedata.combining(char)).casefold()


def words_of(text: str) -> frozenset[str]:
    return frozenset(WORD.findall(normalise_text(text)))


@dataclass(frozen=True)
class SearchTerms:
    wanted: tuple[str, ...]
    unwanted: tuple[str, ...]
    # Words to compare loosely (typos, beginnings of words); none when the shopper used the
    # search syntax (« "verre soufflé" », « -carafe », « vtt or casque »): they meant it.
    close: tuple[str, ...]


def search_terms(text: str) -> SearchTerms:
    tokens = normalise_text(text).split()
    negated = [token for token in tokens if token.startswith("-")]
    unwanted = _words(negated)
    wanted = [word for word in _words(tokens) if word not in unwanted and word not in STOP_WORDS]
    uses_syntax = bool(negated) or '"' in text or "or" in tokens
    close = [word for word in wanted if len(word) >= MIN_CLOSE_WORD_LENGTH]
    if uses_syntax or sum(map(len, close)) < MIN_CLOSE_LETTERS:
        close = []
    return SearchTerms(tuple(wanted), tuple(unwanted), tuple(close))


def _words(tokens: list[str]) -> list[str]:
    """The words of `tokens`, each once, in order."""
    return list(dict.fromkeys(word for token in tokens for word in WORD.findall(token)))
