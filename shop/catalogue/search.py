"""The catalogue search: the products a shopper's words find, and the order that puts the best
first.

On PostgreSQL, full text (`websearch_to_tsquery`, French without accents) against the weighted
vector that triggers keep current (migration 0009): a word found in the title counts most,
then in the category, the vendor's name, the description. Whole words, singular or plural:
« velo » finds « Vélo » and « Vélos et accessoires », not « velours ». When the words find
fewer than `CLOSE_SPELLINGS_BELOW` products, those whose title or category has a stretch
spelt close to each word typed (trigram word similarity) follow them, so « theire » still
finds « Théière » and « ordi » « Ordinateur ». Without PostgreSQL (the SQLite demo),
`search_plain` does the same in Python.
"""

import operator
from functools import reduce

from django.contrib.postgres.search import SearchQuery, SearchRank, TrigramWordSimilarity
from django.db import connection
from django.db.models import Case, F, FloatField, Func, Q, QuerySet, TextField, Value, When

from shop.catalogue.models import Product
from shop.catalogue.search_plain import CLOSE_SPELLINGS_BELOW, plain_search
from shop.catalogue.search_terms import search_terms

SEARCH_CONFIG = "french_unaccent"
# ts_rank's weights of D, C, B, A: description, vendor, category, title.
RANK_WEIGHTS = [0.1, 0.2, 0.4, 1.0]

Search = tuple[QuerySet[Product], list[str]]


def full_text_available() -> bool:
    return connection.vendor == "postgresql"


def search_products(queryset: QuerySet[Product], text: str) -> Search:
    """`queryset` narrowed to the products `text` finds, and the ordering (fields of the
    annotations made here) that puts the best first."""
    if full_text_available():
        return _full_text_search(queryset, text)
    return plain_search(queryset, text)


def _full_text_search(queryset: QuerySet[Product], text: str) -> Search:
    # The same singular forms as the documents' (migration 0009).
    singular = Func(Value(text), function="shop_search_singular", output_field=TextField())
    query = SearchQuery(singular, config=SEARCH_CONFIG, search_type="websearch")
    words = Q(search_vector=query)
    rank = SearchRank(F("search_vector"), query, weights=RANK_WEIGHTS)
    close_words = search_terms(text).close
    if not close_words or _enough(queryset.filter(words)):
        return queryset.filter(words).annotate(rank=rank), ["-rank"]
    unaccented = [
        Func(Value(word), function="unaccent", output_field=TextField()) for word in close_words
    ]
    # pg_trgm's thresholds, both served by the trigram index: a stretch of title and category
    # names more than 0.6 like the word (« ordi » and « ordinateur »), or a whole word at
    # least 0.5 like it (« theire » and « théière »; « théâtre » is 0.36).
    close = reduce(
        operator.and_,
        (
            Q(search_text__trigram_word_similar=word)
            | Q(search_text__trigram_strict_word_similar=word)
            for word in unaccented
        ),
    )
    similarity = reduce(
        operator.add, (TrigramWordSimilarity(word, "search_text") for word in unaccented)
    )
    queryset = queryset.filter(words | close).annotate(
        rank=Case(When(words, then=rank), default=Value(0.0), output_field=FloatField()),
        similarity=similarity,
    )
    return queryset, ["-rank", "-similarity"]


def _enough(found: QuerySet[Product]) -> bool:
    """Whether the words alone find enough products (one query, served by the index)."""
    return found[CLOSE_SPELLINGS_BELOW - 1 : CLOSE_SPELLINGS_BELOW].exists()
