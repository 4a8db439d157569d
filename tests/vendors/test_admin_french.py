"""Everything a vendor sees in the back office is French: no English label left from a
model or Wagtail, no gendered « (le) / (e) » placeholders, no raw units (« centimes »,
« points de base ») where amounts and rates are entered, and no page search on a
dashboard that has no pages."""

import re
from html.parser import HTMLParser

import pytest
from django.urls import reverse

from tests.factories import ImageFactory, paid_order

pytestmark = pytest.mark.django_db

ENGLISH = ["Password", "Vendor", "State", "Kind", "True", "False", "Product", "Order",
           "Search", "Add", "Edit", "Delete", "Yes", "No", "None", "Status", "Price"]
FORBIDDEN = [
    *(re.compile(rf"\b{word}\b") for word in ENGLISH),
    re.compile(r"\w\((?:le|e|elle)\)"),
    re.compile(r"centimes"),
    re.compile(r"points de base"),
    re.compile(r"Rechercher toutes les pages"),
]


class VisibleText(HTMLParser):
    """The text a person reads or hears: text nodes outside scripts and styles, and the
    attributes read aloud or shown (labels, placeholders, titles, alternative text)."""

    SKIPPED = {"script", "style", "template"}
    READ_ATTRIBUTES = {"aria-label", "placeholder", "title", "alt"}

    def __init__(self):
        super().__init__()
        self.parts: list[str] = []
        self.skipping = 0

    def handle_starttag(self, tag, attrs):
        if tag in self.SKIPPED:
            self.skipping += 1
        for name, value in attrs:
            if name in self.READ_ATTRIBUTES and value:
                self.parts.append(value)

    def handle_endtag(self, tag):
        if tag in self.SKIPPED and self.skipping:
            self.skipping -= 1

    def handle_data(self, data):
        if not self.skipping and data.strip():
            self.parts.append(data.strip())


def visible_text(html: str) -> str:
    parser = VisibleText()
    parser.feed(html)
    return "\n".join(parser.parts)


def offending(text: str) -> list[str]:
    found = []
    for pattern in FORBIDDEN:
        for match in pattern.finditer(text):
            start = max(match.start() - 40, 0)
            found.append(f"{pattern.pattern!r}: …{text[start:match.end() + 40]}…")
    return found


@pytest.fixture
def vendor_pages(vendor_a):
    product = vendor_a.product
    order = paid_order(product)
    photo = ImageFactory(collection=vendor_a.vendor.collection) if (
        vendor_a.vendor.collection_id) else ImageFactory()
    products = "wagtailsnippets_shop_product"
    return [
        reverse("wagtailadmin_home"),
        reverse(f"{products}:list"),
        reverse(f"{products}:add"),
        reverse(f"{products}:edit", args=[product.pk]),
        reverse(f"{products}:inspect", args=[product.pk]),
        reverse(f"{products}:list") + "?is_active=true",
        reverse("shop_catalogue_import"),
        reverse(f"{products}:copy", args=[product.pk]),
        reverse(f"{products}:history", args=[product.pk]),
        reverse("shop_order_admin:index"),
        reverse("shop_order_admin:index") + "?state=paid",
        reverse("shop_order_admin:inspect", args=[order.pk]),
        reverse("shop_order_admin:pickup_list"),
        reverse("vendors_my_vendor"),
        reverse("wagtailimages:index"),
        reverse("wagtailimages:edit", args=[photo.pk]),
        reverse("wagtailimages:add_multiple"),
        reverse("reports_exports:index"),
        reverse("reports_my_figures"),
        reverse("wagtailadmin_account"),
    ]


def test_every_page_of_my_shop_reads_in_french(client, vendor_a, vendor_pages):
    client.force_login(vendor_a.user)
    problems = {}

    for url in vendor_pages:
        response = client.get(url, HTTP_ACCEPT_LANGUAGE="fr")
        assert response.status_code == 200, url
        found = offending(visible_text(response.content.decode()))
        if found:
            problems[url] = found

    assert problems == {}
