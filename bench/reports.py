"""Time every market export (orders, order lines, statements per vendor and per project;
CSV and XLSX) on a market of 10,000 paid orders, as production builds them: requested by
an organiser, queued on the Redis broker, built by a Celery worker (target: each under 30 s).

    DATABASE_URL=postgres://... REDIS_URL=redis://... PRIVATE_MEDIA_ROOT=/tmp/... \\
        .venv/bin/python bench/reports.py [--orders 10000] [--concurrency 2]

Builds on `seed_bench` (the « Banc d'essai » organiser, its market, vendors and
products) and adds, in bulk, paid checkouts of one vendor order each, booked as
`checkout_complete` books them (DESIGN §5, `shop.money.order_split`): one order in three
carries a donation to the bench project, one in ten has a unit cancelled and refunded
(negative shares and a REFUND entry, as `order_lines_cancel` books them), one in two has
its payout sent. The orders are totals: a second run adds only what is missing.

Then it starts a `celery worker` (bench/worker.py; production settings, eager mode off)
and asks for each export through `export_request`, as the exports page does for a member
of the bench organiser: the task is published when the request's transaction commits.
Each export is timed from the request to its `ReportExport` being ready (the database is
polled every 0.1 s), with the worker's own part (`started_at` → `finished_at`) and the
wait in the queue; one after the other, then all eight asked for at once. The worker is
stopped at the end, on an error or Ctrl-C too; its log is in a temporary directory.
"""

import argparse
import os
import random
import signal
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")
if not os.environ.get("REDIS_URL"):
    raise SystemExit("REDIS_URL must name the Redis broker the worker will listen to.")
# The request only publishes the task; the worker builds the export.
os.environ["CELERY_TASK_ALWAYS_EAGER"] = "False"

import django  # noqa: E402

django.setup()

from django.contrib.auth import get_user_model  # noqa: E402
from django.db import transaction  # noqa: E402
from django.utils import timezone  # noqa: E402

from bench.worker import CeleryWorker  # noqa: E402
from cms.demo.bench import seed_bench  # noqa: E402
from cms.demo.pages import publish, upsert_child_page  # noqa: E402
from cms.models import SolidarityProjectPage  # noqa: E402
from config import celery_app  # noqa: E402
from markets.models import OrganiserMembership  # noqa: E402
from payments.models import Transfer  # noqa: E402
from reports.exports.selectors import organiser_markets  # noqa: E402
from reports.exports.services import export_request  # noqa: E402
from reports.exports.storage import private_storage  # noqa: E402
from reports.figures import paid_entries  # noqa: E402
from reports.models import ReportExport  # noqa: E402
from shop.models import Checkout, LedgerEntry, Order, OrderLine, Product  # noqa: E402
from shop.money import LineInput, order_split  # noqa: E402

EMAIL = "banc-exports@example.org"
ORGANISER_USERNAME = "banc-organisateur-exports"
POLL_SECONDS = 0.1
Kind = LedgerEntry.Kind


def bench_project(market) -> SolidarityProjectPage:
    project, changed = upsert_child_page(
        market.get_parent().specific, SolidarityProjectPage, slug="projet-banc-d-essai",
        title="Projet du banc d'essai", beneficiary="Association du banc d'essai")
    return publish(project) if changed else project


def _entries(checkout, order, split, organiser_id) -> list[LedgerEntry]:
    entries = [
        LedgerEntry(checkout=checkout, order=order, kind=Kind.VENDOR_NET,
                    amount_cents=split.vendor_net_cents, vendor_id=order.vendor_id),
        LedgerEntry(checkout=checkout, order=order, kind=Kind.COMMISSION,
                    amount_cents=split.commission_cents, organiser_id=organiser_id),
    ]
    entries += [LedgerEntry(checkout=checkout, order=order, kind=Kind.SOLIDARITY,
                            amount_cents=amount, project_id=project_id)
                for project_id, amount in split.solidarity_by_project.items()]
    return [entry for entry in entries if entry.amount_cents]


def _cancellation(checkout, order, before, after, organiser_id) -> list[LedgerEntry]:
    """What `order_lines_cancel` books: the shares' differences and one REFUND entry."""
    entries = [
        LedgerEntry(checkout=checkout, order=order, kind=kind, amount_cents=delta,
                    vendor_id=order.vendor_id if kind == Kind.VENDOR_NET else None,
                    project_id=project_id, memo="units cancelled",
                    organiser_id=organiser_id if kind == Kind.COMMISSION else None)
        for kind, project_id, delta in (
            (Kind.VENDOR_NET, None, after.vendor_net_cents - before.vendor_net_cents),
            (Kind.COMMISSION, None, after.commission_cents - before.commission_cents),
            *((Kind.SOLIDARITY, pk, after.solidarity_by_project.get(pk, 0) - amount)
              for pk, amount in before.solidarity_by_project.items()),
        ) if delta
    ]
    entries.append(LedgerEntry(checkout=checkout, order=order, kind=Kind.REFUND,
                               amount_cents=before.gross_cents - after.gross_cents,
                               vendor_id=order.vendor_id, memo="units cancelled"))
    return entries


def _basket(rng, products, project, market):
    """One vendor's items (1 to 3 distinct products, 1 to 3 units each) and their split."""
    chosen = rng.sample(products, rng.randint(1, 3))
    items = [(item, rng.randint(1, 3)) for item in chosen if item[1] == chosen[0][1]]
    inputs = [LineInput(price, quantity, bps, project.pk if bps else None)
              for (_, _, _, price, bps), quantity in items]
    return items, inputs, order_split(lines=inputs, shipping_cents=0,
                                      commission_bps=market.commission_bps)


def _one_unit_cancelled(inputs, market):
    first = inputs[0]
    kept = [LineInput(first.unit_price_cents, first.quantity - 1, first.solidarity_bps,
                      first.project_id), *inputs[1:]]
    return order_split(lines=kept, shipping_cents=0, commission_bps=market.commission_bps)


def _order_lines(order, items, after, project, cancelled: bool) -> list[OrderLine]:
    return [
        OrderLine(order=order, product_id=pk, title=title, unit_price_cents=price,
                  quantity=quantity, cancelled_quantity=1 if cancelled and position == 0 else 0,
                  solidarity_bps=bps, solidarity_project=project if bps else None,
                  solidarity_cents=after.line_solidarity_cents[position])
        for position, ((pk, _, title, price, bps), quantity) in enumerate(items)
    ]


def _book_refund(order, split, after) -> None:
    Order.objects.filter(pk=order.pk).update(
        state=Order.State.PARTIALLY_REFUNDED if after.gross_cents else Order.State.REFUNDED,
        gross_cents=after.gross_cents, commission_cents=after.commission_cents,
        solidarity_cents=after.solidarity_cents, vendor_net_cents=after.vendor_net_cents,
        refunded_cents=split.gross_cents - after.gross_cents)


def _checkouts(market, project, first: int, count: int, now) -> list[Checkout]:
    return Checkout.objects.bulk_create([
        Checkout(market=market, email=EMAIL, first_name="Banc", last_name=f"n°{first + n}",
                 state=Checkout.State.PAID, paid_at=now, gateway="demo",
                 chosen_project=project if (first + n) % 3 == 0 else None,
                 donation_cents=200 if (first + n) % 3 == 0 else 0)
        for n in range(count)
    ], batch_size=1000)


@transaction.atomic
def add_orders(market, project, first: int, count: int) -> None:
    rng = random.Random(first)
    products = list(Product.objects.filter(vendor__participations__market=market)
                    .values_list("pk", "vendor_id", "title", "price_cents", "solidarity_bps"))
    now = timezone.now()
    plans = []
    for checkout in _checkouts(market, project, first, count, now):
        items, inputs, split = _basket(rng, products, project, market)
        order = Order(checkout=checkout, vendor_id=items[0][0][1], state=Order.State.PAID,
                      number=f"{checkout.reference}-1", gross_cents=split.gross_cents,
                      commission_cents=split.commission_cents,
                      commission_bps=market.commission_bps,
                      solidarity_cents=split.solidarity_cents,
                      vendor_net_cents=split.vendor_net_cents, paid_at=now)
        plans.append((checkout, order, items, inputs, split))
    Order.objects.bulk_create([plan[1] for plan in plans], batch_size=1000)
    lines, entries, transfers = [], [], []
    for index, (checkout, order, items, inputs, split) in enumerate(plans, start=first):
        cancelled = index % 10 == 0
        after = _one_unit_cancelled(inputs, market) if cancelled else split
        lines += _order_lines(order, items, after, project, cancelled)
        entries += _entries(checkout, order, split, market.organiser.pk)
        if cancelled:
            entries += _cancellation(checkout, order, split, after, market.organiser.pk)
            _book_refund(order, split, after)
        if checkout.donation_cents:
            entries.append(LedgerEntry(checkout=checkout, kind=Kind.DONATION,
                                       amount_cents=checkout.donation_cents, project=project))
        if index % 2 == 0 and after.vendor_net_cents:
            transfers.append(Transfer(kind=Transfer.Kind.VENDOR, checkout=checkout, order=order,
                                      amount_cents=after.vendor_net_cents,
                                      idempotency_key=f"bench-exports-{order.pk}",
                                      state=Transfer.State.SENT))
    OrderLine.objects.bulk_create(lines, batch_size=2000)
    LedgerEntry.objects.bulk_create(entries, batch_size=2000)
    Transfer.objects.bulk_create(transfers, batch_size=2000)


def bench_organiser_user(market):
    """A member of the bench organiser: the exports page lets it export this market."""
    user, _ = get_user_model().objects.get_or_create(
        username=ORGANISER_USERNAME, defaults={"email": "banc-organisateur@example.org"})
    OrganiserMembership.objects.get_or_create(user=user, organiser=market.organiser)
    return user


def request_export(user, market_id: int, kind: str, fmt: str) -> ReportExport:
    """What the exports page does on a valid form: its request commits, then the task is
    published to the broker (`transaction.on_commit`)."""
    with transaction.atomic():
        market = organiser_markets(user).get(pk=market_id)
        return export_request(user=user, market=market, kind=kind, format=fmt)


def wait_ready(exports: list[ReportExport], worker, timeout: float) -> dict[int, float]:
    """Poll the database until every export is done or failed; when each was seen so."""
    pending, seen = {export.pk for export in exports}, {}
    deadline = time.monotonic() + timeout
    while pending:
        ended = ReportExport.objects.filter(pk__in=pending).exclude(
            state__in=(ReportExport.State.QUEUED, ReportExport.State.RUNNING))
        for pk in ended.values_list("pk", flat=True):
            seen[pk] = time.monotonic()
            pending.discard(pk)
        if pending:
            worker.check_alive()
            if time.monotonic() > deadline:
                raise SystemExit(f"exports {sorted(pending)} not ready after {timeout:.0f} s; "
                                 f"see the worker's log {worker.log}")
            time.sleep(POLL_SECONDS)
    return seen


def export_row(export: ReportExport, requested: float, ready: float) -> str:
    export.refresh_from_db()
    assert export.state == ReportExport.State.DONE, export.error
    in_worker = (export.finished_at - export.started_at).total_seconds()
    queued = (export.started_at - export.created_at).total_seconds()
    size = private_storage().size(export.file_name)
    return (f"| {export.get_kind_display()} | {export.format.upper()} | {export.row_count:,} | "
            f"{ready - requested:.1f} | {in_worker:.1f} | {queued:.1f} | {size / 1024:,.0f} KiB |")


HEADER = ("| Export | Format | Rows | Request → ready (s) | In the worker (s) | Queued (s) "
          "| File size |\n|---|---|---|---|---|---|---|")


def time_exports(user, market, worker, timeout: float) -> None:
    kinds = [(kind, fmt) for kind in ReportExport.Kind for fmt in ReportExport.Format]
    print(f"One after the other:\n{HEADER}")
    total = 0.0
    for kind, fmt in kinds:
        requested = time.monotonic()
        export = request_export(user, market.pk, kind, fmt)
        ready = wait_ready([export], worker, timeout)[export.pk]
        total += ready - requested
        print(export_row(export, requested, ready), flush=True)
    print(f"| **Total** | | | {total:.1f} | | | |")

    print(f"\nAll {len(kinds)} asked for at once ({worker.concurrency} worker processes), "
          f"times from the first request:\n{HEADER}")
    requested = time.monotonic()
    exports = [request_export(user, market.pk, kind, fmt) for kind, fmt in kinds]
    seen = wait_ready(exports, worker, timeout * len(exports))
    for export in exports:
        print(export_row(export, requested, seen[export.pk]))
    print(f"| **All ready** | | | {max(seen.values()) - requested:.1f} | | | |")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--orders", type=int, default=10_000)
    parser.add_argument("--concurrency", type=int, default=2,
                        help="worker processes (default 2: one per core of the bench machine)")
    parser.add_argument("--timeout", type=float, default=300,
                        help="seconds to wait for one export before giving up")
    args = parser.parse_args()
    wanted = args.orders
    assert not celery_app.conf.task_always_eager

    market = seed_bench(vendors=50, products=2000, with_images=False).market
    project = bench_project(market)
    have = Checkout.objects.filter(market=market, email=EMAIL).count()
    started = time.monotonic()
    for first in range(have, wanted, 2000):
        add_orders(market, project, first, min(2000, wanted - first))
    print(f"{wanted - have if wanted > have else 0} paid orders added in "
          f"{time.monotonic() - started:.1f} s; "
          f"{Order.objects.filter(checkout__market=market).count()} in the market, "
          f"{paid_entries([market.pk]).count()} ledger entries.")

    user = bench_organiser_user(market)
    # A SIGTERM ends the run like Ctrl-C does: through the block that stops the worker.
    signal.signal(signal.SIGTERM, lambda signum, frame: sys.exit(128 + signum))
    log = Path(tempfile.mkdtemp(prefix="bench-exports-")) / "worker.log"
    print("load average before: {:.2f} {:.2f} {:.2f}".format(*os.getloadavg()))
    with CeleryWorker(app=celery_app, log=log, concurrency=args.concurrency) as worker:
        print(f"worker {worker.hostname} (pid {worker.pid}) ready; its log: {log}")
        time_exports(user, market, worker, args.timeout)
    print("worker stopped; load average after: {:.2f} {:.2f} {:.2f}".format(
        *os.getloadavg()))


if __name__ == "__main__":
    main()
