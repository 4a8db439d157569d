"""Time an organiser's market dashboard over 10,000 paid orders (target: under 300 ms).

    DJANGO_SETTINGS_MODULE=config.settings.dev DATABASE_URL=postgres://... \
        .venv/bin/python bench/dashboard.py [--orders 10000] [--repeat 10]

Works in the bench market of `seed_bench` (created if missing, without images) and tops
its paid orders up to `--orders` with bulk inserts booked as the shop books them: one
order per vendor of a checkout, the split of `shop.money.order_split`, the donation per
project, and some orders cancelled in full (negative shares and a refund entry). Run it
again to time the same data; drop the database to start again.
"""

import argparse
import os
import random
import statistics
import sys
import time
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")

import django  # noqa: E402

django.setup()

from django.contrib.auth import get_user_model  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.urls import reverse  # noqa: E402
from django.utils import timezone  # noqa: E402

from cms.demo.bench import seed_bench  # noqa: E402
from cms.models import SolidarityProjectPage  # noqa: E402
from markets.models import PickupPoint, PickupSlot  # noqa: E402
from reports import figures  # noqa: E402
from reports.overview import market_overview  # noqa: E402
from shop.checkout.models import Checkout, CheckoutFulfilment  # noqa: E402
from shop.models import Product  # noqa: E402
from shop.money import LineInput, order_split  # noqa: E402
from shop.orders.ledger_version import ledger_changed  # noqa: E402
from shop.orders.models import LedgerEntry, Order, OrderLine  # noqa: E402

REFERENCE_PREFIX = "BDASH"
BATCH = 500
Kind = LedgerEntry.Kind


def bench_projects(market) -> list[int]:
    index = market.get_parent()
    projects = []
    for number in (1, 2, 3):
        page = SolidarityProjectPage.objects.filter(slug=f"banc-projet-{number}").first()
        if page is None:
            page = SolidarityProjectPage(title=f"Projet du banc {number}",
                                         slug=f"banc-projet-{number}",
                                         beneficiary="Association du banc", goal_cents=5_000_000)
            index.add_child(instance=page)
        projects.append(page)
    market.solidarity_projects.add(*projects)
    return [project.pk for project in projects]


def bench_points(market) -> dict[int, list[int]]:
    """{point id: its slot ids}: two points, each with a two-hour slot every afternoon
    of the season."""
    days = (market.closes_at - market.opens_at).days + 1
    for name in ("Halle du banc", "Boutique du banc"):
        point, _ = PickupPoint.objects.get_or_create(market=market, name=name, defaults={
            "address": "1 place du Banc", "postcode": "44000", "city": "Nantes"})
        for day in range(days):
            starts = market.opens_at + timedelta(days=day, hours=6)
            PickupSlot.objects.get_or_create(point=point, starts_at=starts, defaults={
                "ends_at": starts + timedelta(hours=2), "capacity": 1000})
    return {point.pk: list(point.slots.values_list("pk", flat=True))
            for point in PickupPoint.objects.filter(market=market)}


class Generator:
    """Paid checkouts of one market, booked to the cent."""

    def __init__(self, market, *, products, projects, points, rng):
        self.market, self.products, self.projects, self.points = market, products, projects, points
        self.rng = rng
        self.start = market.opens_at
        self.span = max((min(timezone.now(), market.closes_at) - self.start).total_seconds(), 60)

    def checkout(self, number: int):
        rng = self.rng
        chosen = rng.choice(self.projects)
        donation = rng.choice([0, 0, 0, 0, 100, 200, 500])
        paid_at = self.start + timedelta(seconds=rng.uniform(0, self.span))
        vendors: dict[int, list] = {}
        for product in rng.sample(self.products, rng.choice([1, 1, 2, 3])):
            vendors.setdefault(product.vendor_id, []).append(product)
        checkout = Checkout(
            reference=f"{REFERENCE_PREFIX}{number:09d}", market=self.market,
            state=Checkout.State.PAID, email=f"acheteur{number}@example.org",
            chosen_project_id=chosen, donation_cents=donation, frozen_donation_cents=donation,
            gateway="demo",
            payment_reference=f"bench_{number}", paid_at=paid_at,
        )
        orders = [self.order(checkout, index, vendor_id, products, chosen, paid_at)
                  for index, (vendor_id, products) in enumerate(sorted(vendors.items()), 1)]
        checkout.total_cents = sum(order[0].gross_cents + order[0].refunded_cents
                                   for order in orders) + donation
        return checkout, orders

    def order(self, checkout, index, vendor_id, products, chosen, paid_at):
        rng = self.rng
        shipped = self.market.shipping_allowed and rng.random() < 0.2
        inputs = [LineInput(p.price_cents, 1, p.solidarity_bps, p.solidarity_project_id or chosen)
                  for p in products]
        split = order_split(lines=inputs, shipping_cents=490 if shipped else 0,
                            commission_bps=self.market.commission_bps)
        point = None if shipped else rng.choice(list(self.points))
        cancelled = rng.random() < 0.03
        order = Order(
            number=f"{checkout.reference}-{index}", vendor_id=vendor_id, paid_at=paid_at,
            state=rng.choice([Order.State.PAID, Order.State.READY, Order.State.FULFILLED]),
            fulfilment_method=(CheckoutFulfilment.Method.SHIPPING if shipped
                               else CheckoutFulfilment.Method.PICKUP),
            pickup_point_id=point, commission_bps=self.market.commission_bps,
            pickup_slot_id=rng.choice(self.points[point]) if point else None,
            shipping_cents=split.shipping_cents, gross_cents=split.gross_cents,
            commission_cents=split.commission_cents, solidarity_cents=split.solidarity_cents,
            vendor_net_cents=split.vendor_net_cents,
        )
        lines = [
            OrderLine(product_id=p.pk, title=p.title, unit_price_cents=p.price_cents,
                      quantity=1, cancelled_quantity=1 if cancelled else 0,
                      solidarity_bps=p.solidarity_bps, solidarity_project_id=line.project_id,
                      solidarity_cents=0 if cancelled else share)
            for p, line, share in zip(products, inputs, split.line_solidarity_cents,
                                      strict=True)
        ]
        entries = [(Kind.VENDOR_NET, split.vendor_net_cents, None),
                   (Kind.COMMISSION, split.commission_cents, None),
                   *((Kind.SOLIDARITY, amount, project)
                     for project, amount in split.solidarity_by_project.items())]
        if cancelled:
            entries += [(kind, -amount, project) for kind, amount, project in entries]
            entries.append((Kind.REFUND, split.gross_cents, None))
            order.state, order.refunded_cents = Order.State.REFUNDED, split.gross_cents
            order.gross_cents = order.commission_cents = order.solidarity_cents = 0
            order.vendor_net_cents = order.shipping_cents = 0
        return order, lines, [entry for entry in entries if entry[1]]


@transaction.atomic
def insert(batch, organiser_id: int) -> None:
    Checkout.objects.bulk_create([checkout for checkout, _ in batch])
    orders, lines, entries = [], [], []
    for checkout, vendor_orders in batch:
        if checkout.donation_cents:
            entries.append(LedgerEntry(checkout=checkout, kind=Kind.DONATION,
                                       amount_cents=checkout.donation_cents,
                                       project_id=checkout.chosen_project_id))
        for order, _, _ in vendor_orders:
            order.checkout = checkout
            orders.append(order)
    Order.objects.bulk_create(orders)
    for checkout, vendor_orders in batch:
        for order, order_lines, order_entries in vendor_orders:
            for line in order_lines:
                line.order = order
            lines += order_lines
            entries += [
                LedgerEntry(checkout=checkout, order=order, kind=kind, amount_cents=amount,
                            project_id=project,
                            vendor_id=order.vendor_id if kind in (Kind.VENDOR_NET,
                                                                  Kind.REFUND) else None,
                            organiser_id=organiser_id if kind == Kind.COMMISSION else None)
                for kind, amount, project in order_entries
            ]
    OrderLine.objects.bulk_create(lines)
    LedgerEntry.objects.bulk_create(entries)


def top_up(market, wanted: int) -> int:
    """Adds paid checkouts until the market has `wanted` orders; returns those added."""
    have = Order.objects.filter(checkout__market=market).count()
    if have >= wanted:
        return 0
    rng = random.Random(2026 + have)
    products = list(Product.objects.filter(vendor__participations__market=market)
                    .only("pk", "vendor_id", "title", "price_cents", "solidarity_bps",
                          "solidarity_project_id")[:5000])
    generator = Generator(market, products=products, projects=bench_projects(market),
                          points=bench_points(market), rng=rng)
    organiser = market.organiser
    organiser_id = organiser.pk if organiser else None
    number = Checkout.objects.filter(reference__startswith=REFERENCE_PREFIX).count()
    added, batch = 0, []
    while have + added < wanted:
        number += 1
        checkout, orders = generator.checkout(number)
        batch.append((checkout, orders))
        added += len(orders)
        if len(batch) == BATCH:
            insert(batch, organiser_id)
            batch = []
    if batch:
        insert(batch, organiser_id)
    return added


def timed(function, repeat: int) -> list[float]:
    durations = []
    for _ in range(repeat):
        started = time.perf_counter()
        function()
        durations.append((time.perf_counter() - started) * 1000)
    return durations


def summary(name: str, durations: list[float]) -> str:
    return (f"{name:<28} median {statistics.median(durations):7.1f} ms   "
            f"min {min(durations):7.1f}   max {max(durations):7.1f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--orders", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=10)
    args = parser.parse_args()

    started = time.perf_counter()
    # A market four weeks into its season, so the chart by day has its weeks.
    season_start = timezone.now() - timedelta(days=27)
    market = seed_bench(vendors=100, products=2000, batch_size=1000, with_images=False,
                        now=season_start).market
    added = top_up(market, args.orders)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    print(f"database: {connection.vendor}; data ready in {time.perf_counter() - started:.1f} s"
          f" ({added} orders added)")

    headline = figures.market_headline(market)
    entries = LedgerEntry.objects.filter(checkout__market=market).count()
    print(f"market: {headline.orders} orders standing, {headline.baskets} baskets, "
          f"{entries} ledger entries, sales {headline.sales_cents / 100:,.2f} EUR")

    admin, _ = get_user_model().objects.get_or_create(
        username="bench-dashboard", defaults={"is_superuser": True, "is_staff": True})
    client = Client(HTTP_HOST="localhost")
    client.force_login(admin)
    url = reverse("reports_market_dashboard", args=[market.pk])
    assert client.get(url).status_code == 200
    with CaptureQueriesContext(connection) as queries:
        client.get(url)
    print(f"dashboard page: {len(queries.captured_queries)} queries, ledger unchanged")

    def after_a_sale():
        ledger_changed()
        client.get(url)

    # Right after money moved (every visit at the busiest hours): every figure is read.
    print(summary("dashboard, ledger changed", timed(after_a_sale, args.repeat)))
    # Visits while no money moved: the ledger's figures come from the cache.
    print(summary("dashboard, ledger unchanged", timed(lambda: client.get(url), args.repeat)))
    # What any admin page costs on this machine, at this moment: the yardstick.
    home = reverse("wagtailadmin_home")
    print(summary("admin home page (HTTP)", timed(lambda: client.get(home), args.repeat)))
    print(summary("market_overview", timed(lambda: market_overview(market), args.repeat)))
    for name in ("market_sales_by_category", "market_project_amounts",
                 "market_pickup_load", "market_refunds"):
        function = getattr(figures, name)
        print(summary(name, timed(lambda f=function: f(market), args.repeat)))


if __name__ == "__main__":
    main()
