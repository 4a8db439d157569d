"""Page numbers over a listing whose full count would cost a scan of the catalogue.

A filtered or searched listing is counted only as far as the shopper can go from the page
asked: up to `PAGES_AHEAD` pages past it. Below that bound the count is exact; at the bound
the listing says « more than … » and offers the next pages, so every page stays reachable
while a query matching 100,000 products counts a few hundred of them. A count known
otherwise (the catalogue's facets) is taken as it is.
"""

from django.core.paginator import Paginator

PAGES_AHEAD = 10
# Far past any real catalogue; keeps a typed page number inside the database's integers.
MAX_PAGE = 100_000


class BoundedPaginator(Paginator):
    def __init__(self, object_list, per_page, *, requested_page: int = 1,
                 known_count: int | None = None):
        super().__init__(object_list, per_page)
        self.is_capped = False
        if known_count is not None:
            self.count = known_count
            return
        bound = (min(max(requested_page, 1), MAX_PAGE) + PAGES_AHEAD) * per_page
        counted = object_list[: bound + 1].count()
        self.is_capped = counted > bound
        self.count = min(counted, bound)
