"""Chaos on the real stack: PostgreSQL, a Redis broker and a Celery worker in its own
process, on the test database. A worker killed in the middle of completing a checkout,
and a broker that crashes while a shopper pays: every paid checkout ends completed once,
its money booked once and its e-mails sent once, by the outbox and its periodic sweep.

Each test runs its own redis-server on a free port (nothing shared with a parallel run or
a developer's worker, nothing left behind) and its own worker (`--pool=solo`, one task at
a time, in a process group of its own so that a kill takes its embedded beat too)."""

import contextlib
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import quote

import pytest
import redis
from django.db import connection, transaction
from kombu import pools

from config.celery import app
from outbox.models import OutboxMessage
from outbox.services import outbox_add
from payments.ledger import checkout_balance
from payments.models import Payment
from payments.services import payment_start
from shop.models import Checkout, Order, Product
from tests.factories import MarketPageFactory, VendorFactory, product_in_market, reserved_checkout

from .chaos_tasks import COMPLETE_PAYMENT
from .conftest import Shop, card

pytestmark = [pytest.mark.postgres, pytest.mark.redis,
              pytest.mark.django_db(transaction=True, serialized_rollback=True)]

ROOT = Path(__file__).resolve().parents[2]
RECOVERY_DEADLINE = 120  # seconds: the beat sweeps every 30 s
CONFIRMATION = "shop.tasks.send_checkout_emails"


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _stop(process: subprocess.Popen, sig: int = signal.SIGTERM, timeout: float = 20) -> None:
    """Signal the process group started with `process` (a worker and its embedded beat)
    and wait for it."""
    try:
        os.killpg(process.pid, sig)
    except ProcessLookupError:
        return
    try:
        process.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=timeout)


def _wait_for(condition, *, timeout: float, what: str, log=lambda: ""):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(0.5)
    raise AssertionError(f"not within {timeout:.0f} s: {what}\n{log()}")


class RedisServer:
    """A throwaway redis-server that the test can crash and bring back on the same port,
    empty (no persistence): whatever was queued is lost, as in a real crash."""

    def __init__(self):
        executable = shutil.which("redis-server")
        if executable is None:
            pytest.skip("redis-server is not installed")
        self.executable = executable
        self.port = _free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.process: subprocess.Popen | None = None

    def start(self) -> None:
        self.process = subprocess.Popen(
            [self.executable, "--port", str(self.port), "--bind", "127.0.0.1", "--save", "",
             "--appendonly", "no", "--daemonize", "no"],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True,
        )
        client = redis.Redis(port=self.port, socket_connect_timeout=0.2)
        try:
            _wait_for(lambda: self._answers(client), timeout=10, what="redis-server answers")
        finally:
            client.close()

    @staticmethod
    def _answers(client) -> bool:
        try:
            return client.ping()
        except redis.ConnectionError:
            return False

    def crash(self) -> None:
        _stop(self.process, signal.SIGKILL)

    def stop(self) -> None:
        if self.process is not None:
            _stop(self.process)


class Worker:
    """`celery worker` on the test database and the given broker, e-mails written to
    files; with `beat`, the beat schedule of the settings runs inside it (the outbox
    sweep every 30 s), as in production."""

    def __init__(self, *, broker_url: str, workdir: Path, name: str, beat: bool = False):
        self.log_path = workdir / f"{name}.log"
        self.mail_dir = workdir / "mails"
        self.mail_dir.mkdir(exist_ok=True)
        db = connection.settings_dict
        credentials = quote(db["USER"]) + (f":{quote(db['PASSWORD'])}" if db["PASSWORD"] else "")
        env = {key: value for key, value in os.environ.items()
               if not key.startswith(("STRIPE_", "CELERY_"))}
        env.update({
            "DJANGO_SETTINGS_MODULE": "config.settings.dev",
            "DATABASE_URL": f"postgres://{credentials}@{db['HOST'] or '127.0.0.1'}:"
                            f"{db['PORT'] or 5432}/{db['NAME']}",
            "REDIS_URL": broker_url,
            "EMAIL_URL": f"filemail:///{self.mail_dir}",
            "DEBUG": "false",
            "LOG_LEVEL": "WARNING",
        })
        command = [sys.executable, "-m", "celery", "-A", "config", "worker", "--pool=solo",
                   "--concurrency=1", "--without-heartbeat", "--without-gossip",
                   "--without-mingle", "-I", "tests.payments.chaos_tasks", "--loglevel=INFO",
                   "-n", f"{name}@%h"]
        if beat:
            command += ["-B", "-s", str(workdir / f"{name}-beat-schedule")]
        with self.log_path.open("wb") as log:
            self.process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=log,
                                            stderr=subprocess.STDOUT, start_new_session=True)

    def log(self) -> str:
        text = self.log_path.read_text(errors="replace")
        return f"--- {self.log_path.name} (last lines) ---\n" + "\n".join(
            text.splitlines()[-40:])

    def ready(self) -> bool:
        return " ready." in self.log_path.read_text(errors="replace")

    def kill(self) -> None:
        """SIGKILL: no shutdown, no acknowledgement, the open transaction cut off."""
        _stop(self.process, signal.SIGKILL)

    def stop(self) -> None:
        _stop(self.process)

    def mails_to(self, address: str) -> int:
        return sum(path.read_text(errors="replace").splitlines().count(f"To: {address}")
                   for path in self.mail_dir.iterdir())


def _forget_connections() -> None:
    """Drop the process's broker connections and result store, so that the next task
    uses the configuration anew (what Celery itself does after a fork)."""
    # kombu keeps one connection pool per broker address for the whole process: closing
    # only the app's would leave a closed pool registered for the next test to acquire
    # from ("Acquire on closed pool"). Reset them all, registry included.
    pools.reset()
    app._pool = None
    amqp = app.__dict__.get("amqp")
    if amqp is not None:
        amqp._producer_pool = None
    app._backend_cache = None
    vars(app._local).pop("backend", None)


@pytest.fixture
def publish_to(settings):
    """`publish_to(url)`: from then on this process (the web process) hands its tasks to
    the Redis at `url`, broker and result store as in production, instead of running them
    eagerly."""
    keys = ("task_always_eager", "broker_url", "result_backend")
    saved = {key: app.conf[key] for key in keys}
    settings.CELERY_TASK_ALWAYS_EAGER = False

    def point(url: str) -> None:
        app.conf.update(task_always_eager=False, broker_url=url, result_backend=url)
        _forget_connections()

    yield point
    app.conf.update(saved)
    _forget_connections()


@pytest.fixture
def broker():
    server = RedisServer()
    server.start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def start_worker(broker, tmp_path):
    """`start_worker(name, beat=False)`: a worker on `broker`; all are stopped at the end,
    before the test database is flushed."""
    started = []

    def start(name: str, *, beat: bool = False) -> Worker:
        started.append(Worker(broker_url=broker.url, workdir=tmp_path, name=name, beat=beat))
        return started[-1]

    yield start
    for worker in started:
        worker.stop()


def _waiting_on_a_lock() -> int:
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM pg_stat_activity "
                       "WHERE datname = %s AND wait_event_type = 'Lock'",
                       [connection.settings_dict["NAME"]])
        return cursor.fetchone()[0]


class RowLock:
    """A row locked FOR UPDATE by another connection until `release()`: whoever needs it
    waits in the middle of their transaction."""

    def __init__(self, model, pk: int):
        import psycopg

        db = connection.settings_dict
        self.connection = psycopg.connect(
            dbname=db["NAME"], user=db["USER"], password=db["PASSWORD"] or None,
            host=db["HOST"] or "127.0.0.1", port=db["PORT"] or 5432,
        )
        self.connection.execute(f'SELECT 1 FROM "{model._meta.db_table}" '  # noqa: S608
                                "WHERE id = %s FOR UPDATE", [pk])

    def release(self) -> None:
        if not self.connection.closed:
            self.connection.rollback()
            self.connection.close()


def _assert_completed_once(checkout: Checkout, stock_before: dict[int, int], worker: Worker):
    checkout.refresh_from_db()
    assert checkout.state == Checkout.State.PAID
    assert checkout.confirmation_sent_at is not None
    orders = list(Order.objects.filter(checkout=checkout))
    assert len(orders) == checkout.lines.values("vendor_id").distinct().count()
    assert all(order.vendor_notified_at for order in orders)
    balance = checkout_balance(checkout=checkout)
    assert balance.balanced
    assert balance.charged_cents == balance.ledger_cents == checkout.total_cents
    for line in checkout.lines.all():
        sold = Product.objects.get(pk=line.product_id).stock
        assert sold == stock_before[line.product_id] - line.quantity
    assert worker.mails_to(checkout.email) == 1


def test_a_worker_killed_mid_completion_leaves_every_paid_checkout_completed_once(
    broker, start_worker, publish_to,
):
    first = start_worker("first")
    # Given five succeeded demo payments whose completion is left to the outbox,
    market = MarketPageFactory(commission_bps=500)
    potter, lampist = VendorFactory(), VendorFactory()
    checkouts, payments = [], []
    for number in range(5):
        bowl = product_in_market(market, vendor=potter, title=f"Bol {number}",
                                 price_cents=1850, stock=3)
        lamp = product_in_market(market, vendor=lampist, title=f"Lampe {number}",
                                 price_cents=4500, stock=1)
        checkout = reserved_checkout(market, [(bowl, 2), (lamp, 1)],
                                     session_key=f"chaos-{number}",
                                     email=f"acheteuse{number}@example.org")
        checkouts.append(checkout)
        payments.append(payment_start(checkout=checkout))
    stock_before = dict(Product.objects.values_list("pk", "stock"))
    # and the third one's bowl held by someone else, so that its completion stops halfway
    held = RowLock(Product, checkouts[2].lines.order_by("product_id").first().product_id)
    try:
        publish_to(broker.url)
        with transaction.atomic():
            for payment in payments:
                outbox_add(task=COMPLETE_PAYMENT, args=[payment.pk],
                           key=f"chaos-complete-{payment.pk}")

        # When the worker is killed while it completes the third checkout
        _wait_for(lambda: Checkout.objects.filter(state=Checkout.State.PAID).count() == 2
                  and _waiting_on_a_lock(), timeout=60,
                  what="the worker completes two checkouts and waits on the third",
                  log=first.log)
        first.kill()
    finally:
        held.release()

    # Then what it had begun is undone: nothing of the third checkout is kept
    states = [Checkout.objects.get(pk=c.pk).state for c in checkouts]
    assert states == [Checkout.State.PAID] * 2 + [Checkout.State.RESERVED] * 3
    third = OutboxMessage.objects.get(key=f"chaos-complete-{payments[2].pk}")
    assert (third.done_at, third.attempts) == (None, 0)
    assert Payment.objects.get(pk=payments[2].pk).state == Payment.State.CREATED
    assert not Order.objects.filter(checkout=checkouts[2]).exists()

    # When a new worker starts, with the beat and its sweep
    restarted_at = time.monotonic()
    second = start_worker("second", beat=True)

    # Then every checkout is completed once and confirmed once within two minutes
    _wait_for(lambda: not OutboxMessage.objects.filter(done_at__isnull=True).exists()
              and not Checkout.objects.filter(confirmation_sent_at__isnull=True).exists(),
              timeout=RECOVERY_DEADLINE, what="every checkout completed and confirmed",
              log=second.log)
    recovered_in = time.monotonic() - restarted_at
    for checkout in checkouts:
        _assert_completed_once(checkout, stock_before, second)
    assert Payment.objects.filter(state=Payment.State.SUCCEEDED).count() == 5
    assert not OutboxMessage.objects.exclude(last_error="").exists()
    assert not OutboxMessage.objects.filter(given_up_at__isnull=False).exists()
    print(f"recovered {recovered_in:.1f} s after the restart")  # noqa: T201


def test_a_broker_crash_during_payment_delays_the_confirmation_email_only(
    broker, start_worker, publish_to, client,
):
    # Given a worker (with its beat) connected to the broker
    worker = start_worker("worker", beat=True)
    shop = Shop(client)
    _wait_for(worker.ready, timeout=60, what="the worker is ready", log=worker.log)
    publish_to(broker.url)

    # When the broker crashes (losing its queues) and the shopper pays meanwhile
    broker.crash()
    started = time.monotonic()
    response = client.post(shop.pay_url, card())
    request_took = time.monotonic() - started

    # Then the shopper is sent to the confirmation at once, the checkout is paid and its
    # e-mail is waiting in the outbox
    assert response.status_code == 302
    assert response["Location"] == shop.return_url
    assert request_took < 5
    page = client.get(shop.return_url)
    assert page.status_code == 200
    assert page.context["status"] == "paid"
    checkout = Checkout.objects.get(pk=shop.checkout.pk)
    assert checkout.state == Checkout.State.PAID
    assert Order.objects.filter(checkout=checkout).count() == 2
    assert checkout_balance(checkout=checkout).balanced
    email = OutboxMessage.objects.get(task=CONFIRMATION, args=[checkout.pk])
    assert email.done_at is None
    assert checkout.confirmation_sent_at is None

    # When the broker comes back, empty, on the same address
    broker.start()
    back_at = time.monotonic()

    # Then the same worker sends the confirmation within two minutes, once
    _wait_for(lambda: Checkout.objects.filter(pk=checkout.pk,
                                              confirmation_sent_at__isnull=False).exists(),
              timeout=RECOVERY_DEADLINE, what="the confirmation e-mail is sent",
              log=worker.log)
    sent_in = time.monotonic() - back_at
    email.refresh_from_db()
    assert email.done_at is not None
    assert worker.mails_to(checkout.email) == 1
    assert all(order.vendor_notified_at for order in checkout.orders.all())
    print(f"request {request_took:.1f} s; e-mail sent {sent_in:.1f} s "  # noqa: T201
          "after the broker came back")
