"""Screenshots of the back office for the guides (the PNGs in docs/img/).

Run it from the project's root, with the project's virtualenv:

    .venv/bin/python docs/screenshots.py                  # every screenshot below
    .venv/bin/python docs/screenshots.py vendor-orders    # only the ones named
    .venv/bin/python docs/screenshots.py --keep           # keep the temporary demo

What it does, without network and without touching var/ or any PostgreSQL database:

1. builds its own demo in a temporary directory: a SQLite file and a media folder, then
   `manage.py migrate` and `manage.py load_demo` (DEBUG on, so the demo accounts exist,
   all with the password `demo`);
2. starts `manage.py runserver` on a free port of 127.0.0.1 (dev settings, French);
3. in Debian's Chromium (/usr/bin/chromium, driven by Playwright), buys as two shoppers
   through the demo payment gateway, so that vendors have orders to show;
4. logs in as the demo accounts (`vendeur-…`, `orga`), opens each page at 1280 pixels
   wide, opens the sidebar's submenu where the guide names it, and saves the PNG at the
   size the guides use;
5. stops the server and deletes the temporary directory (unless --keep).

The public pages' screenshots (apply-form, storefront-market, shopper-*) are not made here.
This file is not a test: pytest only collects tests/test_*.py.
"""

import argparse
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
IMG_DIR = ROOT / "docs" / "img"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking"]
WIDTH = 1280
PASSWORD = "demo"  # noqa: S105 - the demo accounts' public password

ORGANISER = "orga"
VENDOR_CATALOGUE = "vendeur-compagnons-du-reemploi"
VENDOR_ORDERS = "vendeur-menuiserie-bois-debout"
MY_SHOP = "Ma boutique"
MARKETS = "Marchés"

# What the shoppers buy in the open market: (vendor slug, product title, quantity).
PURCHASES = {
    ("Léa", "Durand", "lea@example.org"): [
        ("menuiserie-bois-debout", "Planche à découper en noyer", 1),
        ("menuiserie-bois-debout", "Caisse à outils en bois", 1),
    ],
    ("Tom", "Martin", "tom@example.org"): [
        ("compagnons-du-reemploi", "Dix vinyles de chanson française", 1),
    ],
}
PICKUP_POINT = "Halle solidaire de l'Île"
DEMO_CARD = {"card_number": "4242 4242 4242 4242", "expiry": "12/30", "security_code": "123"}


@dataclass(frozen=True)
class Shot:
    name: str  # docs/img/<name>.png
    user: str
    url: str  # a path, or a key of the facts read from the demo ("{order}")
    height: int
    submenu: str | None = None  # the sidebar's submenu to open


SHOTS = [
    Shot("vendor-dashboard", VENDOR_CATALOGUE, "/admin/", 760),
    Shot("vendor-products", VENDOR_CATALOGUE, "/admin/shop/products/", 600, MY_SHOP),
    Shot("vendor-import", VENDOR_CATALOGUE, "/admin/shop/products/import/", 700),
    Shot("vendor-orders", VENDOR_ORDERS, "/admin/shop/orders/", 500),
    Shot("vendor-order", VENDOR_ORDERS, "{order_url}", 900),
    Shot("organiser-market", ORGANISER, "{market_edit_url}", 800),
    Shot("organiser-applications", ORGANISER, "/admin/markets/applications/?state=applied", 500),
    Shot("organiser-decision", ORGANISER, "{decision_url}", 800),
    Shot("organiser-vendors", ORGANISER, "/admin/markets/vendors/", 600),
    # Tall enough for the whole « Marchés » menu.
    Shot("organiser-pickup-points", ORGANISER, "/admin/markets/pickup-points/", 600, MARKETS),
    Shot("organiser-dashboard", ORGANISER, "{dashboard_url}", 1500),
    Shot("organiser-next-edition", ORGANISER, "{next_edition_url}", 900),
    Shot("organiser-exports", ORGANISER, "/admin/reports/exports/", 700, MARKETS),
    Shot("organiser-statements", ORGANISER, "{statements_url}", 800),
]


# Run by `manage.py shell -c` in the demo: the ids and URLs the shoppers and screenshots
# need, printed as one JSON line after FACTS=.
FACTS_CODE = """
import json
from django.urls import reverse
from django.utils import timezone
from cms.demo.history import CLOSED_MARKET
from cms.demo.summary import open_demo_market
from markets.models import Market, MarketParticipation, PickupPoint, SolidarityProject
from shop.models import Product
from shop.orders.models import Order
from shop.orders.viewsets import order_viewset

def pickup_choice(point):
    # The point and its next slot, as the fulfilment step posts them.
    slot = point.slots.filter(starts_at__gt=timezone.now()).order_by("starts_at").first()
    return f"{point.pk}-{slot.pk}" if slot else str(point.pk)

market = open_demo_market()
purchases = json.loads(PURCHASES)
facts = {
    "market": market.pk,
    "market_url": market.get_url(),
    "market_edit_url": reverse("wagtailadmin_pages:edit", args=[market.pk]),
    "pickup": pickup_choice(PickupPoint.objects.get(market=market, name=PICKUP_POINT)),
    "project": SolidarityProject.objects.live().filter(markets=market)
    .order_by("title").values_list("pk", flat=True).first(),
    "basket_add": reverse("shop:basket_add"),
    "checkout": reverse("shop:checkout"),
    "steps": {step: reverse(f"shop:checkout_{step}")
              for step in ("contact", "fulfilment", "project", "donation", "review")},
    "products": {
        f"{slug}/{title}": [product.pk, product.vendor_id]
        for lines in purchases.values() for slug, title, _ in lines
        for product in [Product.objects.get(vendor__slug=slug, title=title)]
    },
    "decision_url": reverse("applications:edit", args=[
        MarketParticipation.objects.filter(market=market, state="applied")
        .order_by("vendor__name").values_list("pk", flat=True).first()]),
}
closed = Market.objects.get(slug=CLOSED_MARKET)
facts["dashboard_url"] = reverse("reports_market_dashboard", args=[closed.pk])
facts["next_edition_url"] = reverse("cms_market_next_edition", args=[closed.pk])
facts["statements_url"] = reverse("reports_exports:statements", args=[closed.pk])
order = (Order.objects.filter(checkout__email="lea@example.org",
                              vendor__slug="menuiserie-bois-debout").first())
if order is not None:
    facts["order_url"] = reverse(order_viewset.get_url_name("inspect"), args=[order.pk])
print("FACTS=" + json.dumps(facts))
"""


class Demo:
    """A demo database in a temporary directory and the dev server that serves it."""

    def __init__(self, keep: bool):
        self.keep = keep
        self.dir = Path(tempfile.mkdtemp(prefix="screenshots-"))
        self.port = free_port()
        self.base_url = f"http://127.0.0.1:{self.port}"
        self.server = None
        self.log = None
        self.env = {
            **{key: value for key, value in os.environ.items() if key not in {
                "REDIS_URL", "STRIPE_SECRET_KEY", "STRIPE_PUBLISHABLE_KEY",
                "STRIPE_API_BASE", "SERVE_MEDIA", "CELERY_TASK_ALWAYS_EAGER",
                "ALLOWED_HOSTS", "EMAIL_URL"}},
            "DJANGO_SETTINGS_MODULE": "config.settings.dev",
            "DATABASE_URL": f"sqlite:///{self.dir / 'db.sqlite3'}",
            "MEDIA_ROOT": str(self.dir / "media"),
            "DEBUG": "1",
            "SITE_URL": self.base_url,
            "LOG_LEVEL": "WARNING",
            "PYTHONUNBUFFERED": "1",
        }

    def manage(self, *args: str) -> str:
        result = subprocess.run(  # noqa: S603 - this interpreter, manage.py, fixed arguments
            [sys.executable, "manage.py", *args], cwd=ROOT, env=self.env,
            capture_output=True, text=True,
        )
        if result.returncode:
            sys.exit(f"manage.py {' '.join(args[:1])} failed:\n{result.stdout}{result.stderr}")
        return result.stdout

    def build(self) -> None:
        print(f"Demo in {self.dir}")
        self.manage("migrate", "--noinput")
        self.manage("load_demo")

    def facts(self) -> dict:
        code = (f"PURCHASES = {json.dumps(json.dumps(purchase_lines()))}\n"
                f"PICKUP_POINT = {PICKUP_POINT!r}\n{FACTS_CODE}")
        output = self.manage("shell", "-c", code)
        line = next(line for line in output.splitlines() if line.startswith("FACTS="))
        return json.loads(line.removeprefix("FACTS="))

    def start(self) -> None:
        self.log = open(self.dir / "server.log", "w")  # noqa: SIM115 - closed in stop()
        self.server = subprocess.Popen(  # noqa: S603 - this interpreter, manage.py, fixed arguments
            [sys.executable, "manage.py", "runserver", f"127.0.0.1:{self.port}", "--noreload"],
            cwd=ROOT, env=self.env, stdout=self.log, stderr=subprocess.STDOUT,
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.server.poll() is not None:
                sys.exit(f"The server stopped; see {self.dir / 'server.log'}")
            try:
                urllib.request.urlopen(f"{self.base_url}/admin/login/", timeout=2)  # noqa: S310
                print(f"Serving {self.base_url}/")
                return
            except (urllib.error.URLError, ConnectionError):
                time.sleep(0.5)
        sys.exit("The server did not answer within a minute.")

    def stop(self) -> None:
        if self.server is not None:
            self.server.terminate()
            try:
                self.server.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.server.kill()
                self.server.wait()
        if self.log is not None:
            self.log.close()
        if self.keep:
            print(f"Kept {self.dir}")
        else:
            shutil.rmtree(self.dir, ignore_errors=True)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def purchase_lines() -> dict:
    return {email: lines for (_, _, email), lines in PURCHASES.items()}


def buy(browser, base_url: str, facts: dict, shopper: tuple, lines: list) -> None:
    """One shopper's basket, checkout and payment with the demo card, as form posts in the
    browser's own session."""
    first_name, last_name, email = shopper
    context = browser.new_context(locale="fr-FR")
    page = context.new_page()
    page.goto(base_url + facts["market_url"])
    request = context.request

    def post(path: str, data: dict):
        token = next(c["value"] for c in context.cookies() if c["name"] == "csrftoken")
        response = request.post(base_url + path, form={**data, "csrfmiddlewaretoken": token})
        if not response.ok:
            sys.exit(f"{path}: HTTP {response.status} for {email}")
        return response

    vendors = set()
    for slug, title, quantity in lines:
        product, vendor = facts["products"][f"{slug}/{title}"]
        vendors.add(vendor)
        post(facts["basket_add"], {"market": facts["market"], "product": product,
                                   "quantity": quantity})
    steps = facts["steps"]
    post(steps["contact"], {"email": email, "first_name": first_name,
                            "last_name": last_name, "phone": ""})
    fulfilment = {"pickup": facts["pickup"]}
    for vendor in vendors:
        fulfilment[f"method_{vendor}"] = "pickup"
    post(steps["fulfilment"], fulfilment)
    post(steps["project"], {"project": facts["project"]})  # skipped when nothing to choose
    post(steps["donation"], {"choice": "none"})
    payment = post(steps["review"], {"terms": "on"})
    if "/paiement/" not in payment.url:
        sys.exit(f"The checkout of {email} did not reach the payment step ({payment.url}).")
    paid = post(payment.url.removeprefix(base_url), DEMO_CARD)
    if "/merci/" not in paid.url:
        sys.exit(f"The demo payment of {email} was not accepted ({paid.url}).")
    print(f"  {first_name} {last_name} paid for {sum(line[2] for line in lines)} item(s)")
    context.close()


def log_in(browser, base_url: str, username: str):
    context = browser.new_context(locale="fr-FR", viewport={"width": WIDTH, "height": 800})
    page = context.new_page()
    page.goto(f"{base_url}/admin/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{base_url}/admin/")
    return context, page


def take(page, base_url: str, facts: dict, shot: Shot) -> Path:
    url = shot.url.format(**facts)
    page.set_viewport_size({"width": WIDTH, "height": shot.height})
    page.goto(base_url + url)
    page.wait_for_load_state("networkidle")
    if shot.submenu:
        page.locator("#wagtail-sidebar").get_by_role("button", name=shot.submenu).click()
        page.locator(".sidebar-sub-menu-panel").first.wait_for()
        page.mouse.move(WIDTH - 10, shot.height - 10)
        page.wait_for_timeout(400)  # the panel slides in
    path = IMG_DIR / f"{shot.name}.png"
    page.screenshot(path=str(path))
    return path


def check_size(path: Path, shot: Shot) -> None:
    from PIL import Image

    with Image.open(path) as image:
        if image.size != (WIDTH, shot.height):
            sys.exit(f"{path.name} is {image.size}, expected {(WIDTH, shot.height)}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("names", nargs="*", help="only these screenshots (e.g. vendor-orders)")
    parser.add_argument("--keep", action="store_true", help="keep the temporary demo")
    options = parser.parse_args()
    shots = [shot for shot in SHOTS if not options.names or shot.name in options.names]
    unknown = set(options.names) - {shot.name for shot in SHOTS}
    if unknown:
        sys.exit(f"Unknown screenshots: {', '.join(sorted(unknown))}")

    from playwright.sync_api import sync_playwright

    demo = Demo(keep=options.keep)
    try:
        demo.build()
        demo.start()
        facts = demo.facts()
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            for shopper, lines in PURCHASES.items():
                buy(browser, demo.base_url, facts, shopper, lines)
            facts = demo.facts()  # now with the order
            for user in dict.fromkeys(shot.user for shot in shots):
                context, page = log_in(browser, demo.base_url, user)
                for shot in (shot for shot in shots if shot.user == user):
                    path = take(page, demo.base_url, facts, shot)
                    check_size(path, shot)
                    print(f"  {path.relative_to(ROOT)} ({user})")
                context.close()
            browser.close()
    finally:
        demo.stop()


if __name__ == "__main__":
    main()
