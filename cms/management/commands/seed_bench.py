"""Bulk data for benchmarks: an open market with N approved vendors and M products."""

import time

from django.core.management.base import BaseCommand, CommandError

from cms.demo.bench import seed_bench
from cms.demo.summary import quiet_loggers, site_url


class Command(BaseCommand):
    help = (
        "Create (or top up) bulk data for benchmarks: the open market « Marché du banc "
        "d'essai » of the organiser « Banc d'essai », N approved vendors taking part in it "
        "and M products spread evenly across them, written with bulk_create in batches. "
        "N and M are totals, not increments: a second run only adds the vendors and "
        "products still missing (numbered banc-exposant-0001…, article-000001…) and never "
        "deletes any. Products share a handful of generated images unless --no-images."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--vendors", type=int, default=50, help="Bench vendors wanted in total."
        )
        parser.add_argument(
            "--products", type=int, default=2000, help="Bench products wanted in total."
        )
        parser.add_argument(
            "--batch-size", type=int, default=1000, help="Rows per INSERT (default 1000)."
        )
        parser.add_argument(
            "--no-images", action="store_true", help="Do not attach the shared images."
        )

    def handle(self, *args, vendors: int, products: int, batch_size: int, no_images: bool,
               **options):
        if vendors < 1 or products < 0 or batch_size < 1:
            raise CommandError("--vendors and --batch-size must be at least 1, --products ≥ 0.")
        started = time.monotonic()
        with quiet_loggers("wagtail", "django_tasks"):
            result = seed_bench(
                vendors=vendors, products=products, batch_size=batch_size,
                with_images=not no_images,
            )
        elapsed = time.monotonic() - started
        self.stdout.write(self.style.SUCCESS(f"Bench data ready in {elapsed:.1f} s."))
        self.stdout.write(
            f"  vendors: {result.vendors_created} created, {result.vendors_total} in total\n"
            f"  products: {result.products_created} created, {result.products_total} in total\n"
            f"  market: {site_url(result.market)}"
        )
