"""Time one bulk call of the vendor write API setting the stock of 1,000 products
(target: under 2 s), through the whole HTTP stack: Django's test client sends a real
request through the middleware, the token check, the throttle and the JSON parsing.

    DJANGO_SETTINGS_MODULE=config.settings.dev DATABASE_URL=postgres://... \
        .venv/bin/python bench/api_bulk.py [--items 1000] [--runs 5]

Works on a dedicated vendor (slug `bench-api-bulk`) whose products and tokens are deleted
before and after the run, so it can be pointed at a database that holds other data. Each
run sets different stocks, so every call writes (no "unchanged" shortcut).
"""

import argparse
import json
import os
import statistics
import sys
import time
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402
from django.utils import timezone  # noqa: E402

from shop.models import Category, Product  # noqa: E402
from vendors.models import Vendor  # noqa: E402
from vendors.services import api_token_create  # noqa: E402

VENDOR_SLUG = "bench-api-bulk"


def products_make(vendor, count: int) -> None:
    categories = list(Category.objects.values_list("pk", flat=True))
    Product.objects.bulk_create([
        Product(vendor=vendor, title=f"Article {n}", slug=f"article-{n}", reference=f"B{n:05d}",
                category_id=categories[n % len(categories)], price_cents=500 + n, stock=1)
        for n in range(count)
    ], batch_size=500)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--items", type=int, default=1000)
    parser.add_argument("--runs", type=int, default=5)
    options = parser.parse_args()
    setup_test_environment()
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    settings.API_WRITE_RATE = 10_000

    vendor, _ = Vendor.objects.get_or_create(
        slug=VENDOR_SLUG,
        defaults={"name": "Banc d'essai API", "legal_form": "association",
                  "rna": "W123456789", "email": "bench@example.org", "status": "approved"},
    )
    Product.objects.filter(vendor=vendor).delete()
    products_make(vendor, options.items)
    _token, secret = api_token_create(vendor=vendor, name="Banc d'essai")
    client = Client(HTTP_AUTHORIZATION=f"Bearer {secret}")
    timings = []
    try:
        for run in range(options.runs):
            items = [{"reference": f"B{n:05d}", "stock": (n + run + 1) % 5}
                     for n in range(options.items)]
            body = json.dumps({"items": items})
            started = time.perf_counter()
            response = client.post("/api/v1/vendor/products/bulk", data=body,
                                   content_type="application/json")
            timings.append(time.perf_counter() - started)
            assert response.status_code == 200, response.content[:500]
            assert response.json()["updated"] + response.json()["unchanged"] == options.items
        expected = {(n + options.runs) % 5 for n in range(options.items)}
        assert set(Product.objects.filter(vendor=vendor).values_list("stock", flat=True)) == (
            expected)
        print(f"database: {connection.vendor}, {options.items} stock updates per call, "
              f"{len(body) / 1024:.0f} KiB of JSON, {options.runs} runs")
        print("per call: " + ", ".join(f"{t:.2f} s" for t in timings)
              + f" (median {statistics.median(timings):.2f} s)")
    finally:
        Product.objects.filter(vendor=vendor).delete()
        vendor.delete()


if __name__ == "__main__":
    started_at = timezone.now()
    main()
    print(f"done in {(timezone.now() - started_at) / timedelta(seconds=1):.1f} s")
