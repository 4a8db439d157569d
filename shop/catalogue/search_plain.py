"""The catalogue search without PostgreSQL (the SQLite demo of `make run`), in Python.

It follows the PostgreSQL search (`shop.catalogue.search`) closely enough that both put the
same products first. The market's products are read once (title, category names, vendor,
description) and compared lower-cased and without accents. Every word typed must be found,
and none of those marked « -word ». A word found whole (or in the plural) counts most in the
title, then in the category, the vendor's name, the description. When whole words find fewer
than `CLOSE_SPELLINGS_BELOW` products, those whose title or category has a word starting like
each of the query's (« ordi », « ordinateur ») or spelt close to it (« theire », « théière »)
follow them. A demo's few hundred products take milliseconds.
"""

import html
from collections import defaultdict
from collections.abc import Callable, Iterable
from difflib import SequenceMatcher

from django.db.models import Case, FloatField, QuerySet, Value, When
from django.utils.html import strip_tags

from shop.catalogue.models import Product
from shop.catalogue.search_terms import MIN_CLOSE_WORD_LENGTH, search_terms, words_of

CLOSE_SPELLINGS_BELOW = 3
TITLE, CATEGORY, VENDOR, DESCRIPTION = 1.0, 0.4, 0.2, 0.1
# difflib's ratio of two words: « theire » / « theiere » 0.92, « theire » / « theatre » 0.77.
MIN_RATIO = 0.8

Document = tuple[tuple[float, frozenset[str]], ...]
Matcher = Callable[[str, frozenset[str]], bool]


def plain_search(
    queryset: QuerySet[Product], text: str
) -> tuple[QuerySet[Product], list[str]]:
    """`queryset` narrowed to what `text` finds, annotated `rank` (whole words) and
    `similarity` (close spellings, only when whole words find too few)."""
    terms = search_terms(text)
    if not terms.wanted:
        return queryset.none(), []
    documents = {
        pk: document
        for pk, document in _documents(queryset).items()
        if not _any_matches(terms.unwanted, document)
    }
    ranks = _scores(documents, terms.wanted, _whole)
    similarities: dict[int, float] = {}
    if len(ranks) < CLOSE_SPELLINGS_BELOW and terms.close:
        # Title and category names only, as on PostgreSQL (`search_text`).
        names = {pk: document[:3] for pk, document in documents.items() if pk not in ranks}
        similarities = _scores(names, terms.close, _close)
    queryset = queryset.filter(pk__in=[*ranks, *similarities]).annotate(
        rank=_by_pk(ranks), similarity=_by_pk(similarities)
    )
    return queryset, ["-rank", "-similarity"]


def _documents(queryset: QuerySet[Product]) -> dict[int, Document]:
    rows = queryset.values_list(
        "pk", "title", "category__name", "category__parent__name", "vendor__name", "description"
    )
    return {
        pk: (
            (TITLE, words_of(title)),
            (CATEGORY, words_of(category)),
            (CATEGORY, words_of(parent or "")),
            (VENDOR, words_of(vendor)),
            (DESCRIPTION, words_of(html.unescape(strip_tags(description)))),
        )
        for pk, title, category, parent, vendor, description in rows
    }


def _any_matches(words: Iterable[str], document: Document) -> bool:
    return any(_whole(word, field) for word in words for _, field in document)


def _scores(
    documents: dict[int, Document], words: Iterable[str], matches: Matcher
) -> dict[int, float]:
    """Each document's score when every word matches in one of its fields, summed over the
    fields it matches in (a word in title and category beats one in the title alone, one in
    the category and its parent « Jouets », « Jeux et jouets » one in the parent alone)."""
    scores = {}
    for pk, document in documents.items():
        per_word = [
            sum(weight for weight, field in document if matches(word, field)) for word in words
        ]
        if all(per_word):
            scores[pk] = sum(per_word)
    return scores


def _whole(word: str, field: frozenset[str]) -> bool:
    """The word itself, or its singular or plural (« jouet », « jouets »; « jeu », « jeux »)."""
    forms = {word, f"{word}s", f"{word}x"}
    if len(word) > 3 and word[-1] in "sx":
        forms.add(word[:-1])
    return not forms.isdisjoint(field)


def _close(word: str, field: frozenset[str]) -> bool:
    """A word of the field that starts with `word`, or is spelt close to it."""
    return len(word) >= MIN_CLOSE_WORD_LENGTH and any(
        candidate.startswith(word) or _similar(word, candidate) for candidate in field
    )


def _similar(word: str, candidate: str) -> bool:
    matcher = SequenceMatcher(None, word, candidate)
    return matcher.real_quick_ratio() >= MIN_RATIO and matcher.ratio() >= MIN_RATIO


def _by_pk(scores: dict[int, float]) -> Case:
    """`scores` as an annotation: one branch per distinct score, 0 for the other products."""
    by_score: dict[float, list[int]] = defaultdict(list)
    for pk, score in scores.items():
        by_score[round(score, 6)].append(pk)
    branches = [When(pk__in=pks, then=Value(score)) for score, pks in by_score.items()]
    return Case(*branches, default=Value(0.0), output_field=FloatField())
