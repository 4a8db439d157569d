"""Throughput and latency of the storefront's pages, uncached, against Django's floor.

    DATABASE_URL=postgres://.../h_bench .venv/bin/python bench/storefront.py \
        [--duration 10] [--connections 50] [--workers 2] [--pages home,catalogue,...]

Expects a database filled by `manage.py seed_bench` (its market is the one measured). Starts
two gunicorn servers side by side, each with `--workers` sync workers: the shop under the
production settings (DEBUG off, persistent connections, static files collected first) and
`bench/floor.py`, a bare Django view. Each page is requested once to warm it (image
renditions are written on first use), then loaded by `wrk` (Debian's `wrk` package) with
`--connections` keep-alive clients for `--duration` seconds; the floor is measured in the
same run, first and last, so that every ratio compares like with like on a shared machine.
Prints a Markdown table: requests per second, p50 and p99, ratio to the floor.
"""

# ruff: noqa: S603, S607 -- runs this checkout's own gunicorn, manage.py and wrk.
import argparse
import contextlib
import os
import re
import shutil
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path
from urllib.parse import quote

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
GUNICORN = str(Path(PYTHON).with_name("gunicorn"))
PAGES = ("home", "catalogue", "catalogue_p20", "search_velo_accent", "search_velo", "product",
         "vendor", "api_list", "api_search")


def production_env(port: int) -> dict:
    env = dict(os.environ)
    env.update(
        DJANGO_SETTINGS_MODULE="config.settings.production", DEBUG="0",
        SECRET_KEY=env.get("SECRET_KEY") or "bench-only-secret-key-not-for-production",
        ALLOWED_HOSTS="127.0.0.1,localhost", SECURE_SSL_REDIRECT="0",
        SITE_URL=f"http://127.0.0.1:{port}",
    )
    return env


def bench_urls(env: dict) -> dict[str, str]:
    """The addresses measured, read from the seeded market."""
    code = (
        "import django; django.setup()\n"
        "from cms.models import MarketPage\n"
        "from shop.catalogue.selectors import products_on_sale, market_vendors\n"
        "m = MarketPage.objects.get(slug='marche-banc-d-essai')\n"
        "on_sale = products_on_sale(market=m).order_by('pk')\n"
        "p = on_sale[500 % max(on_sale.count(), 1)]\n"
        "v = market_vendors(market=m).first()\n"
        "product = m.reverse_subpage('product', kwargs={'slug': p.slug, 'pk': p.pk})\n"
        "vendor = m.reverse_subpage('vendor', kwargs={'vendor_slug': v.slug})\n"
        "print(m.pk, m.url, m.url + product, m.url + vendor)\n"
    )
    out = subprocess.run([PYTHON, "-c", code], cwd=ROOT, env=env, check=True,
                         capture_output=True, text=True).stdout.split()
    market_id, market_url, product_url, vendor_url = out[-4:]
    api = f"/api/v1/markets/{market_id}/products"
    return {
        "home": "/",
        "catalogue": market_url,
        "catalogue_p20": f"{market_url}?page=20",
        "search_velo_accent": f"{market_url}?q={quote('vélo')}",
        "search_velo": f"{market_url}?q=velo",
        "product": product_url,
        "vendor": vendor_url,
        "api_list": api,
        "api_search": f"{api}?q=velo",
    }


def start(args: list[str], env: dict, port: int) -> subprocess.Popen:
    server = subprocess.Popen(
        [GUNICORN, *args, "--bind", f"127.0.0.1:{port}", "--workers", str(OPTIONS.workers),
         "--worker-class", "sync", "--preload", "--timeout", "120", "--log-level", "warning"],
        cwd=ROOT, env=env, start_new_session=True,
    )
    for _ in range(200):
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=5)  # noqa: S310
            return server
        except OSError:
            time.sleep(0.2)
    raise SystemExit(f"server on port {port} did not start")


def get(port: int, url: str) -> int:
    with urllib.request.urlopen(f"http://127.0.0.1:{port}{url}", timeout=300) as response:  # noqa: S310
        return response.status


UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0}


def _ms(text: str) -> float:
    number, unit = re.fullmatch(r"([\d.]+)(us|ms|s)", text).groups()
    return float(number) * UNITS[unit]


def wrk(port: int, url: str, *, connections: int, duration: int) -> str:
    return subprocess.run(
        ["wrk", f"-c{connections}", f"-t{min(4, connections)}", f"-d{duration}s",
         "--timeout", "30s", "--latency", f"http://127.0.0.1:{port}{url}"],
        check=True, capture_output=True, text=True,
    ).stdout


def warm(port: int, url: str) -> None:
    """Every worker serves the page a few times first: its templates compiled, its
    renditions written, its database connection open."""
    assert get(port, url) == 200, url
    wrk(port, url, connections=OPTIONS.workers * 2, duration=2)


def drained(port: int) -> None:
    """Wait for the requests wrk left queued (sync workers finish every request accepted,
    even once its client is gone), so that the next page is not measured behind them."""
    for _ in range(OPTIONS.workers):
        # A 503 from /healthz still means the queue is empty.
        with contextlib.suppress(urllib.error.HTTPError):
            get(port, "/healthz" if port == OPTIONS.port else "/")


def load(port: int, url: str) -> dict:
    drained(port)
    result = wrk(port, url, connections=OPTIONS.connections, duration=OPTIONS.duration)
    drained(port)
    rate = float(re.search(r"Requests/sec:\s+([\d.]+)", result).group(1))
    p50 = _ms(re.search(r"\s50%\s+(\S+)", result).group(1))
    p99 = _ms(re.search(r"\s99%\s+(\S+)", result).group(1))
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", result)
    sockets = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)",
                        result)
    return {"rate": rate, "p50": p50, "p99": p99,
            "errors": (int(errors.group(1)) if errors else 0)
            + (sum(int(number) for number in sockets.groups()) if sockets else 0),
            "done": int(re.search(r"(\d+) requests in", result).group(1))}


def main() -> None:
    if not shutil.which("wrk"):
        raise SystemExit("wrk is needed: apt-get install wrk")
    shop_port, floor_port = OPTIONS.port, OPTIONS.port + 1
    env = production_env(shop_port)
    if OPTIONS.collectstatic or not (ROOT / "staticfiles" / "staticfiles.json").exists():
        subprocess.run([PYTHON, "manage.py", "collectstatic", "--noinput", "-v0"], cwd=ROOT,
                       env=env, check=True)
    urls = bench_urls(env)
    pages = [page for page in OPTIONS.pages.split(",") if page] if OPTIONS.pages else PAGES
    servers = [start(["config.wsgi:application"], env, shop_port),
               start(["--chdir", "bench", "floor:application"], dict(os.environ), floor_port)]
    try:
        warm(floor_port, "/")
        for page in pages:
            warm(shop_port, urls[page])
        rows = [("floor", load(floor_port, "/"))]
        rows += [(page, load(shop_port, urls[page])) for page in pages]
        rows.append(("floor (again)", load(floor_port, "/")))
    finally:
        for server in servers:
            os.killpg(server.pid, signal.SIGTERM)
            server.wait()
    floor = max(rows[0][1]["rate"], rows[-1][1]["rate"])
    print(f"| page | req/s | p50 ms | p99 ms | × floor | requests | errors |"
          f"  ({OPTIONS.connections} clients, {OPTIONS.duration} s, {OPTIONS.workers} workers)")
    print("|---|---|---|---|---|---|---|")
    for page, row in rows:
        print(f"| {page} | {row['rate']:.1f} | {row['p50']:.0f} | {row['p99']:.0f} | "
              f"{row['rate'] / floor:.3f} | {row['done']} | {row['errors']} |")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--duration", type=int, default=10)
    parser.add_argument("--connections", type=int, default=50)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--port", type=int, default=8310)
    parser.add_argument("--collectstatic", action="store_true",
                        help="collect the static files again (done once otherwise)")
    parser.add_argument("--pages", default="", help=f"comma-separated, among {PAGES}")
    OPTIONS = parser.parse_args()
    main()
