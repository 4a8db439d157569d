"""Load the demo: markets, vendors, products with images, and (in DEBUG) demo accounts."""

import time

from django.conf import settings
from django.core.management.base import BaseCommand

from cms.demo.accounts import DEMO_PASSWORD, create_demo_accounts
from cms.demo.builder import build_demo
from cms.demo.history import CLOSED_MARKET, closed_market_sales_book
from cms.demo.summary import demo_counts, open_demo_market, quiet_loggers, site_url


class Command(BaseCommand):
    help = (
        "Load the demo data: an open, an upcoming and a closed market, vendors, products "
        "with generated images, solidarity projects and pick-up points. Safe to run again: "
        "objects are matched on their slugs and only the missing ones are created; nothing "
        "that exists is changed, except the dates of the demo's markets nobody has edited, "
        "moved so the open market stays open. Demo accounts (password 'demo') are created "
        "only when DEBUG is on, or with --force."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--force", action="store_true",
            help="Create the demo accounts even when DEBUG is off (never on a public site).",
        )

    def handle(self, *args, force: bool = False, **options):
        started = time.monotonic()
        with quiet_loggers("wagtail", "django_tasks"):
            result = build_demo()
            history = closed_market_sales_book(
                market_moved=CLOSED_MARKET in result.moved_markets)
            accounts = create_demo_accounts(result) if settings.DEBUG or force else None
        elapsed = time.monotonic() - started

        counts = demo_counts()
        self.stdout.write(self.style.SUCCESS(f"Demo loaded in {elapsed:.1f} s."))
        self.stdout.write(
            "  markets: {markets_open} open, {markets_upcoming} upcoming, {markets_closed} "
            "closed · vendors: {vendors} · products: {products} ({unique_items} unique "
            "second-hand items, {sold_out} sold out) · on sale in the open market: "
            "{products_on_sale} from {vendors_on_sale} vendors · solidarity projects: "
            "{projects} · pick-up points: {pickup_points} · product images: "
            "{product_images}".format(**counts)
        )
        self.stdout.write(f"  images drawn this run: {result.images_created}")
        self.stdout.write(
            f"  closed market's sales booked this run: {history.checkouts} paid checkouts, "
            f"{history.refunds} refunds{f' ({history.note})' if history.note else ''}"
        )
        self.stdout.write(f"  site: {site_url(result.home)}")
        market = open_demo_market()
        if market:
            self.stdout.write(f"  open market: {site_url(market)}")
        self.stdout.write(f"  admin: {settings.SITE_URL}/admin/")

        if accounts is None:
            self.stdout.write(self.style.WARNING(
                "  accounts skipped: DEBUG is off, so no account with a public password is "
                "created. Run with --force to create them anyway."
            ))
            return
        new = [account for account in accounts if account.created]
        self.stdout.write(
            f"  accounts ({len(accounts)}, {len(new)} new; new ones use the password "
            f"'{DEMO_PASSWORD}'):"
        )
        for account in accounts:
            self.stdout.write(f"    {account.username:<45} {account.role}")
