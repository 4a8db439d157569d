"""Fault trial of the payment path on a production-like stack: gunicorn (production
settings), a real Celery worker and beat, a Redis of its own, PostgreSQL, the demo
gateway. Shoppers buy one unique item each over HTTP while the worker is killed (SIGKILL)
and then while Redis (broker and cache) is stopped; afterwards every paid checkout must be
completed exactly once, its e-mails sent, nothing left in the outbox, and charged −
refunded = ledger for each.

    createdb -h 127.0.0.1 -U postgres h_faults
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/h_faults \\
        .venv/bin/python bench/payment_faults.py [--shoppers 30]

The database is migrated and given a small open market (the `seed_bench` one, topped up);
the shoppers' checkouts are told apart by their e-mail address, so it can be run again.
"""

import argparse
import os
import re
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _wait_port(port: int, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.3):
                return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"nothing answers on port {port}")


class Stack:
    def __init__(self, logs: Path, web_port: int, redis_port: int):
        self.logs, self.web_port, self.redis_port = logs, web_port, redis_port
        self.processes: dict[str, subprocess.Popen] = {}
        self.env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "config.settings.production",
            "SECRET_KEY": "bench-payment-faults-not-secret",
            "ALLOWED_HOSTS": "127.0.0.1,localhost",
            "SECURE_SSL_REDIRECT": "False",
            "SITE_URL": f"https://127.0.0.1:{web_port}",
            "CSRF_TRUSTED_ORIGINS": f"https://127.0.0.1:{web_port}",
            "REDIS_URL": f"redis://127.0.0.1:{redis_port}/0",
            "CELERY_TASK_ALWAYS_EAGER": "False",
            "EMAIL_URL": "consolemail://",
        }

    def start(self, name: str, command: list[str]) -> None:
        log = (self.logs / f"{name}.log").open("ab")
        self.processes[name] = subprocess.Popen(  # noqa: S603 - our own fixed commands
            command, cwd=ROOT, env=self.env, stdout=log,
            stderr=subprocess.STDOUT)

    def stop(self, name: str, sig=signal.SIGTERM) -> None:
        process = self.processes.pop(name)
        process.send_signal(sig)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()

    def redis(self) -> None:
        self.start("redis", ["redis-server", "--port", str(self.redis_port), "--bind",
                             "127.0.0.1", "--save", "", "--appendonly", "no"])
        _wait_port(self.redis_port)

    def web(self) -> None:
        self.start("web", [str(BIN / "gunicorn"), "config.wsgi", "-w", "2", "-b",
                           f"127.0.0.1:{self.web_port}", "--timeout", "60"])
        _wait_port(self.web_port)

    def worker(self) -> None:
        self.start("worker", [str(BIN / "celery"), "-A", "config", "worker", "-c", "2",
                              "--without-gossip", "--without-mingle", "--loglevel=INFO"])

    def beat(self) -> None:
        self.start("beat", [str(BIN / "celery"), "-A", "config", "beat", "--loglevel=INFO",
                            "-s", str(self.logs / "beat-schedule")])

    def close(self) -> None:
        for name in list(self.processes):
            self.stop(name)


class Shopper:
    """A browser: cookies kept by hand (the production cookies are Secure, and the stack
    is reached over plain HTTP behind a pretend TLS proxy)."""

    def __init__(self, base: str):
        self.base = base
        self.cookies: dict[str, str] = {}
        self.statuses: list[int] = []

    def _request(self, method: str, path: str, data=None) -> requests.Response:
        headers = {"X-Forwarded-Proto": "https",
                   "Referer": self.base.replace("http:", "https:") + "/",
                   "X-CSRFToken": self.cookies.get("csrftoken", "")}
        response = requests.request(method, self.base + path, data=data, headers=headers,
                                    cookies=self.cookies, allow_redirects=False, timeout=60)
        self.cookies.update(response.cookies.get_dict())
        self.statuses.append(response.status_code)
        return response

    def buy(self, *, number: int, market, product, point) -> str:
        url = market.get_url()
        self._request("GET", "/" + url.split("://", 1)[-1].split("/", 1)[-1]
                      if "://" in url else url)
        self._request("POST", "/panier/ajouter/",
                      {"market": market.pk, "product": product.pk, "quantity": 1})
        self._request("POST", "/commande/coordonnees/", {
            "email": f"faults-{number}@example.org", "first_name": "Essai",
            "last_name": str(number), "phone": ""})
        self._request("POST", "/commande/retrait-ou-livraison/", {
            f"method_{product.vendor_id}": "pickup", f"pickup_{product.vendor_id}": point.pk})
        self._request("POST", "/commande/don/", {"choice": "none"})
        review = self._request("POST", "/commande/recapitulatif/", {"terms": "on"})
        location = review.headers.get("Location", "")
        if not re.search(r"/paiement/MS-\w+/$", location):
            return f"no payment step ({review.status_code})"
        path = location.split("://", 1)[-1].split("/", 1)[-1]
        self._request("GET", "/" + path)
        paid = self._request("POST", "/" + path, {"card_number": "4242 4242 4242 4242",
                                                  "expiry": "12/39", "security_code": "123"})
        where = re.sub(r"MS-\w+", "MS-…", paid.headers.get("Location", ""))
        return f"{paid.status_code} {where}"


def _setup(shoppers: int):
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    call_command("collectstatic", "--noinput", verbosity=0)
    from cms.models import MarketPage
    from markets.models import PickupPoint
    from shop.models import Product

    # seed_bench counts are totals: top up so that every run has items left to sell.
    existing = Product.objects.filter(slug__startswith="article-").count()
    call_command("seed_bench", vendors=5, products=existing + shoppers * 3, no_images=True,
                 verbosity=0)

    market = MarketPage.objects.get(slug="marche-banc-d-essai")
    point, _ = PickupPoint.objects.get_or_create(market=market, name="Halle du banc d'essai",
                                                 defaults={"address": "1 place du Marché"})
    products = list(Product.objects.filter(vendor__participations__market=market,
                                           stock__gte=1, solidarity_bps=0, is_active=True)
                    .order_by("-pk")[:shoppers])
    return market, point, products


def _report(started_at) -> dict:
    from outbox.models import OutboxMessage
    from payments.ledger import checkout_balance
    from shop.models import Checkout, Order, Product

    checkouts = Checkout.objects.filter(email__startswith="faults-", created_at__gte=started_at)
    paid = list(checkouts.filter(state=Checkout.State.PAID))
    return {
        "checkouts": checkouts.count(),
        "paid": len(paid),
        "orders": Order.objects.filter(checkout__in=paid).count(),
        "confirmations sent": sum(1 for c in paid if c.confirmation_sent_at),
        "unbalanced": sum(1 for c in paid if not checkout_balance(checkout=c).balanced),
        "outbox left": OutboxMessage.objects.filter(done_at__isnull=True).count(),
        "negative stock": Product.objects.filter(stock__lt=0).count(),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--shoppers", type=int, default=30)
    args = parser.parse_args()
    logs = Path(tempfile.mkdtemp(prefix="payment-faults-"))
    stack = Stack(logs, _free_port(), _free_port())
    os.environ.update({key: value for key, value in stack.env.items()
                       if key not in ("REDIS_URL",)})
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.utils import timezone

    market, point, products = _setup(args.shoppers)
    if len(products) < args.shoppers:
        raise SystemExit(f"only {len(products)} products to sell")
    started_at = timezone.now()
    base = f"http://127.0.0.1:{stack.web_port}"
    outcomes: list[str] = []
    statuses: list[int] = []

    def shop(numbers):
        def one(number):
            shopper = Shopper(base)
            try:
                outcome = shopper.buy(number=number, market=market, product=products[number],
                                      point=point)
            except requests.RequestException as error:
                outcome = f"error {error}"
            statuses.extend(shopper.statuses)
            return outcome

        with ThreadPoolExecutor(max_workers=4) as pool:
            outcomes.extend(pool.map(one, numbers))

    third = args.shoppers // 3
    try:
        stack.redis()
        stack.web()
        stack.worker()
        stack.beat()
        time.sleep(3)
        print(f"logs in {logs}")
        shop(range(0, third))
        # The worker dies while the shoppers of the second third are paying: their
        # follow-ups wait in the outbox until a new worker and the sweep run them.
        killer = threading.Timer(1.0, stack.stop, args=("worker", signal.SIGKILL))
        killer.start()
        shop(range(third, 2 * third))
        killer.join()
        print("worker killed (SIGKILL) during the second third; starting a new one")
        stack.worker()
        print("stopping Redis (broker and cache) for the last third")
        stack.stop("redis")
        down_at = time.monotonic()
        shop(range(2 * third, args.shoppers))
        time.sleep(max(0.0, 15 - (time.monotonic() - down_at)))
        stack.redis()
        print(f"Redis back after {time.monotonic() - down_at:.1f} s")
        back_at = time.monotonic()
        deadline = back_at + 180
        while time.monotonic() < deadline:
            report = _report(started_at)
            if report["outbox left"] == 0 and report["confirmations sent"] == report["paid"]:
                break
            time.sleep(2)
        settled = time.monotonic() - back_at
    finally:
        stack.close()
    report = _report(started_at)
    server_errors = sum(1 for status in statuses if status >= 500)
    print(f"shoppers: {args.shoppers}; HTTP answers: {len(statuses)}, 5xx: {server_errors}")
    print(f"settled {settled:.0f} s after Redis came back: {report}")
    for outcome in sorted(set(outcomes)):
        print(f"  {outcomes.count(outcome)} × {outcome[:100]}")
    healthy = (server_errors == 0 and report["paid"] == args.shoppers
               and report["orders"] == report["paid"] == report["confirmations sent"]
               and not report["unbalanced"] and not report["outbox left"]
               and not report["negative stock"])
    raise SystemExit(0 if healthy else 1)


if __name__ == "__main__":
    main()
