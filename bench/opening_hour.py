"""The opening hour of a Christmas market, as one visitor lives it: the home page, the
market's catalogue (a page or two), a search, a few product pages and, for some of them,
the basket and the whole checkout paid with the demo gateway's card.

Plain Python over any client that makes HTTP requests (`Client` below), so that
`locustfile.py` runs it under load and a test can run it through Django's test client.
Forms are filled as a browser would: their hidden fields (the CSRF token among them), the
choices already checked, else the first one of each group, and the visitor's own entries.
"""

import random
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from html.parser import HTMLParser
from typing import Protocol
from urllib.parse import urljoin, urlsplit

MARKET_PATH = "/banc-d-essai/marche-banc-d-essai/"
# Words that the seed_bench titles contain, with and without accents, and one that finds
# nothing on purpose (the close-spellings search then runs too).
SEARCHES = ("vélo", "velo", "lampe", "pull en laine", "confiture", "jeu de cartes",
            "chaise en bois", "théière")
CHECKOUT_PATHS = {
    "/commande/coordonnees/": "checkout contact",
    "/commande/retrait-ou-livraison/": "checkout fulfilment",
    "/commande/projet-solidaire/": "checkout project",
    "/commande/don/": "checkout donation",
    "/commande/recapitulatif/": "checkout review",
}
PAYMENT_PATH = re.compile(r"^/paiement/(MS-[\w-]+)/$")
PAID_PATH = re.compile(r"^/paiement/MS-[\w-]+/merci/$")
PAID_TEXT = "Merci pour votre commande"
PRODUCT_LINK = re.compile(r'class="product-card__title"><a href="([^"]+)"')


class StepFailed(Exception):
    """A page did not say what a shopper expects at this step."""


@dataclass
class Page:
    status: int
    url: str
    text: str

    @property
    def path(self) -> str:
        return urlsplit(self.url).path


class Client(Protocol):
    def request(self, method: str, path: str, *, name: str, data: dict | None = None,
                headers: dict | None = None,
                check: Callable[[Page], str | None] | None = None) -> Page:
        """Make the request, follow redirects, and count it as failed under `name` when
        the status is an error or `check(page)` names a problem."""


@dataclass
class Form:
    action: str
    classes: set[str]
    fields: dict[str, str] = field(default_factory=dict)
    radios: dict[str, list[str]] = field(default_factory=dict)
    checkboxes: dict[str, str] = field(default_factory=dict)

    def filled(self, entries: dict[str, str]) -> dict[str, str]:
        """What a browser posts: each radio group's checked choice or its first one, the
        visitor's entries for the fields and checkboxes they name."""
        data = dict(self.fields)
        for name, values in self.radios.items():
            if name not in data and values:
                data[name] = values[0]
        for name, value in entries.items():
            if name in data or name in self.checkboxes or name in self.radios:
                data[name] = value
        return data


class _FormParser(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.forms: list[Form] = []
        self._form: Form | None = None
        self._select: str | None = None
        self._select_first = True

    def handle_starttag(self, tag, attrs):
        attrs = {name: value or "" for name, value in attrs}
        if tag == "form":
            self._form = Form(action=attrs.get("action", ""),
                              classes=set(attrs.get("class", "").split()))
            self.forms.append(self._form)
            return
        form, name = self._form, attrs.get("name")
        if form is not None and tag == "option" and self._select:
            if self._select_first or "selected" in attrs:
                form.fields[self._select] = attrs.get("value", "")
            self._select_first = False
            return
        if form is None or not name or "disabled" in attrs:
            return
        if tag == "input":
            kind = attrs.get("type", "text").lower()
            if kind == "radio":
                form.radios.setdefault(name, []).append(attrs.get("value", "on"))
                if "checked" in attrs:
                    form.fields[name] = attrs.get("value", "on")
            elif kind == "checkbox":
                form.checkboxes[name] = attrs.get("value", "on")
                if "checked" in attrs:
                    form.fields[name] = attrs.get("value", "on")
            elif kind not in ("submit", "button", "image", "file", "reset"):
                form.fields[name] = attrs.get("value", "")
        elif tag == "select":
            self._select, self._select_first = name, True
        elif tag == "textarea":
            form.fields[name] = ""

    def handle_endtag(self, tag):
        if tag == "form":
            self._form = None
        elif tag == "select":
            self._select = None


def forms_in(html: str) -> list[Form]:
    parser = _FormParser()
    parser.feed(html)
    return parser.forms


def form_with_class(page: Page, css_class: str) -> Form | None:
    return next((form for form in forms_in(page.text) if css_class in form.classes), None)


def product_links(page: Page) -> list[str]:
    return PRODUCT_LINK.findall(page.text)


def _fails_unless(condition: Callable[[Page], bool], problem: str):
    return lambda page: None if condition(page) else problem


@dataclass
class Visitor:
    """One visitor of the opening hour. `think()` is the pause between two pages."""

    client: Client
    market_path: str = MARKET_PATH
    think: Callable[[], None] = lambda: None
    rng: random.Random = field(default_factory=random.Random)
    number: int = 0

    def get(self, path: str, name: str, check=None) -> Page:
        return self.client.request("GET", path, name=name, check=check)

    def post(self, page: Page, form: Form, data: dict, name: str, check=None) -> Page:
        action = urljoin(page.url, form.action or page.path)
        # Django checks the Referer of HTTPS form posts against the host.
        headers = {"Referer": page.url}
        return self.client.request("POST", urlsplit(action).path, name=name, data=data,
                                   headers=headers, check=check)

    def browse(self, *, product_pages: int = 3) -> list[str]:
        """Home, catalogue, another catalogue page, a search and product pages; returns
        the product pages seen."""
        self.get("/", "home", _fails_unless(lambda page: self.market_path in page.text,
                                            "the open market is not on the home page"))
        self.think()
        catalogue = self.get(self.market_path, "catalogue",
                             _fails_unless(product_links, "no product in the catalogue"))
        links = product_links(catalogue)
        self.think()
        page_number = self.rng.randint(2, 20)
        links += product_links(self.get(f"{self.market_path}?page={page_number}",
                                        "catalogue page 2-20"))
        self.think()
        words = self.rng.choice(SEARCHES)
        links += product_links(self.get(f"{self.market_path}?q={words}", "search"))
        seen = []
        for link in self.rng.sample(links, min(product_pages, len(links))):
            self.think()
            self.get(link, "product")
            seen.append(link)
        return seen

    def buy(self, product_path: str) -> bool:
        """Adds the product to the basket and pays for it; False when it could no longer
        be bought (sold or held meanwhile: the shop said so, not an error)."""
        product = self.get(product_path, "product")
        add = form_with_class(product, "add-to-basket")
        if add is None:
            return False
        self.think()
        self.post(product, add, add.filled({}), "basket add")
        basket = self.get("/panier/", "basket")
        if "/commande/" not in basket.text:
            return False
        self.think()
        step = self.get("/commande/", "checkout start",
                        _fails_unless(lambda page: page.path in CHECKOUT_PATHS,
                                      "the checkout did not start"))
        for _ in range(len(CHECKOUT_PATHS) + 1):
            if PAYMENT_PATH.match(step.path):
                return self._pay(step)
            name = CHECKOUT_PATHS.get(step.path)
            form = form_with_class(step, "checkout-form")
            if name is None or form is None:
                raise StepFailed(f"unexpected page in the checkout: {step.path}")
            self.think()
            step = self.post(step, form, form.filled(self._entries()), name,
                             _fails_unless(lambda page, before=step.path: page.path != before,
                                           f"{name}: the step did not accept its form"))
        raise StepFailed("the checkout never reached the payment")

    def _entries(self) -> dict[str, str]:
        return {
            "email": f"ouverture-{self.number}-{self.rng.randrange(10**9)}@example.org",
            "first_name": "Camille", "last_name": f"Visiteur {self.number}",
            "phone": "", "choice": "none", "terms": "on",
        }

    def _pay(self, payment: Page) -> bool:
        form = form_with_class(payment, "payment-form")
        if form is None:
            raise StepFailed("no demo card form on the payment page")
        self.think()
        card = {"card_number": "4242 4242 4242 4242", "expiry": "12/39",
                "security_code": "123"}
        self.post(payment, form, form.filled(card), "pay",
                  _fails_unless(lambda page: PAID_PATH.match(page.path)
                                and PAID_TEXT in page.text, "the payment was not confirmed"))
        return True

    def visit(self, *, buys: bool) -> bool:
        """A whole visit; True when it ended with a paid order."""
        seen = self.browse()
        if not buys:
            return False
        # A unique item may have been bought meanwhile: the visitor tries the next one.
        return any(self.buy(link) for link in seen[::-1])
