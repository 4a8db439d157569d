"""The opening-hour load test (`locustfile.py`) against 1 and then 2 web replicas on this
machine, the way docker-compose.yml deploys them: each replica a gunicorn with 2 sync
workers (production settings, DEBUG off, the demo gateway, cache and sessions in Redis,
persistent PostgreSQL connections), nginx in front of them terminating TLS (a self-signed
certificate made for the run), and a Celery worker for the e-mails and the follow-ups.

    createdb -h 127.0.0.1 -U postgres h_load
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/h_load \\
    REDIS_URL=redis://127.0.0.1:6379/5 \\
        .venv/bin/python bench/load.py [--replicas 1,2] [--stages 10x60,20x60,40x60]

Needs nginx (`apt-get install nginx-light`), openssl and Locust (`pip install -e '.[bench]'`).
The database is migrated and seeded with `seed_bench` (totals: a second run adds nothing),
given a pick-up point, and analysed. Everything the run writes goes to var/load/<time>/:
Locust's CSV files per replica count, `replicas-N_steps.csv` by step of the ramp, the
logs, and `summary.md`, the table that docs/BENCHMARKS.md takes.
"""

import argparse
import csv
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
MARKET_PATH = "/banc-d-essai/marche-banc-d-essai/"
CHECKOUT_STEPS = ("checkout start", "checkout contact", "checkout fulfilment",
                  "checkout project", "checkout donation", "checkout review", "pay")
PAGES = ("home", "catalogue", "catalogue page 2-20", "search", "product", "basket add",
         "basket", *CHECKOUT_STEPS)
NGINX_CONF = """
worker_processes 1;
pid {run}/nginx.pid;
error_log {run}/nginx-error.log warn;
{user}
events {{ worker_connections 1024; }}
http {{
    access_log off;
    client_body_temp_path {run}/client_body;
    proxy_temp_path {run}/proxy;
    fastcgi_temp_path {run}/fastcgi;
    uwsgi_temp_path {run}/uwsgi;
    scgi_temp_path {run}/scgi;
    upstream web {{
{servers}
        keepalive 32;
    }}
    server {{
        listen 127.0.0.1:{port} ssl;
        ssl_certificate {run}/tls.crt;
        ssl_certificate_key {run}/tls.key;
        client_max_body_size 6m;
        location / {{
            proxy_pass http://web;
            proxy_http_version 1.1;
            proxy_set_header Connection "";
            proxy_set_header Host $http_host;
            proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
            proxy_set_header X-Forwarded-Proto https;
            proxy_read_timeout 120s;
        }}
    }}
}}
"""


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _wait_port(port: int, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.3):
                return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"nothing answers on port {port}")


class Stack:
    """The processes of one run, each logging to its own file."""

    def __init__(self, run: Path, proxy_port: int, conn_max_age: int):
        self.run, self.proxy_port = run, proxy_port
        self.processes: dict[str, subprocess.Popen] = {}
        site = f"https://127.0.0.1:{proxy_port}"
        self.env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "config.settings.production",
            "DEBUG": "0",
            "SECRET_KEY": "bench-load-not-secret-0123456789-abcdefghijklmnopqrstuvwxyz",
            "ALLOWED_HOSTS": "127.0.0.1,localhost",
            "SITE_URL": site,
            "CSRF_TRUSTED_ORIGINS": site,
            "TRUSTED_PROXY_COUNT": "1",
            "CELERY_TASK_ALWAYS_EAGER": "False",
            "CONN_MAX_AGE": str(conn_max_age),
            "EMAIL_URL": "dummymail://",
            "STRIPE_SECRET_KEY": "",
            "AWS_STORAGE_BUCKET_NAME": "",
            "LOG_LEVEL": "WARNING",
        }

    def manage(self, *args: str) -> None:
        subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=self.env,  # noqa: S603
                       check=True)

    def start(self, name: str, command: list[str]) -> None:
        log = (self.run / f"{name}.log").open("ab")
        self.processes[name] = subprocess.Popen(  # noqa: S603 - our own fixed commands
            command, cwd=ROOT, env=self.env, stdout=log, stderr=subprocess.STDOUT)

    def stop(self, name: str) -> None:
        process = self.processes.pop(name)
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()

    def worker(self) -> None:
        self.start("worker", [str(BIN / "celery"), "-A", "config", "worker", "-c", "1",
                              "--without-gossip", "--without-mingle", "--loglevel=WARNING"])

    def replicas(self, count: int, workers: int) -> None:
        ports = []
        for number in range(1, count + 1):
            port = _free_port()
            self.start(f"web-{number}", [
                str(BIN / "gunicorn"), "config.wsgi", "--workers", str(workers),
                "--bind", f"127.0.0.1:{port}", "--timeout", "120"])
            ports.append(port)
        for port in ports:
            _wait_port(port)
        servers = "\n".join(f"        server 127.0.0.1:{port};" for port in ports)
        user = "user root;" if os.geteuid() == 0 else ""
        conf = self.run / f"nginx-{count}.conf"
        conf.write_text(NGINX_CONF.format(run=self.run, servers=servers, port=self.proxy_port,
                                          user=user))
        self.start("nginx", [shutil.which("nginx") or "/usr/sbin/nginx", "-c", str(conf),
                             "-p", str(self.run), "-g", "daemon off;"])
        _wait_port(self.proxy_port)

    def close(self) -> None:
        for name in list(self.processes)[::-1]:
            self.stop(name)


def _certificate(run: Path) -> None:
    subprocess.run([  # noqa: S603, S607 - our own fixed command
        "openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2",
        "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1",
        "-keyout", str(run / "tls.key"), "-out", str(run / "tls.crt"),
    ], check=True, capture_output=True)


def _seed(stack: Stack, vendors: int, products: int) -> None:
    stack.manage("migrate", "--noinput", "-v", "0")
    stack.manage("collectstatic", "--noinput", "-v", "0")
    stack.manage("compile_translations")
    stack.manage("seed_bench", "--vendors", str(vendors), "--products", str(products))
    stack.manage("shell", "-c", (
        "from cms.models import MarketPage; from markets.models import PickupPoint; "
        "market = MarketPage.objects.get(slug='marche-banc-d-essai'); "
        "PickupPoint.objects.get_or_create(market=market, name=\"Halle du banc d'essai\", "
        "defaults={'address': '1 place du Marché'}); "
        "from django.db import connection; connection.cursor().execute('ANALYZE')"))


def _warm_up(base: str, certificate: Path) -> None:
    """Renditions of the shared images and each process's first imports, out of the
    measure: a visitor of the opening hour does not pay for them."""
    session = requests.Session()
    session.trust_env = False
    session.verify = str(certificate)
    for _ in range(4):
        for path in ("/", MARKET_PATH, f"{MARKET_PATH}?page=2", f"{MARKET_PATH}?q=velo"):
            session.get(base + path, timeout=120).raise_for_status()


def _locust(stack: Stack, out: Path, count: int, options) -> Path:
    prefix = out / f"replicas-{count}"
    env = {**stack.env, "LOAD_STAGES": options.stages, "LOAD_THINK": options.think,
           "LOAD_BUY_SHARE": str(options.buy_share), "LOAD_MARKET_PATH": MARKET_PATH,
           "LOAD_CA_BUNDLE": str(out / "tls.crt")}
    with (out / f"locust-{count}.log").open("ab") as log:
        subprocess.run([str(BIN / "locust"), "-f", str(ROOT / "bench" / "locustfile.py"),  # noqa: S603
                        "--headless", "--host", f"https://127.0.0.1:{stack.proxy_port}",
                        "--csv", str(prefix), "--only-summary", "--exit-code-on-error", "0"],
                       cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, check=True)
    return Path(f"{prefix}_steps.csv")


def _summary(count: int, steps_csv: Path, think: str) -> str:
    rows = list(csv.DictReader(steps_csv.open()))
    by_step: dict[int, list[dict]] = {}
    for row in rows:
        by_step.setdefault(int(row["step"]), []).append(row)
    lines = [
        f"| Replicas | Visitors | Requests/s | Failures | Visits/h | Purchases/h | "
        f"p95 {' / '.join(PAGES[:5])} (ms) | Checkout step p95, worst (ms) | Load average |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for _, step_rows in sorted(by_step.items()):
        http = [row for row in step_rows if row["type"] in ("GET", "POST")]
        named = {(row["type"], row["name"]): row for row in step_rows}
        rate = sum(float(row["per_second"]) for row in http)
        failures = sum(int(row["failures"]) for row in step_rows)
        visits = sum(float(row["per_second"]) for row in step_rows if row["type"] == "VISIT")
        purchases = float(named.get(("VISIT", "purchase complete"), {}).get("per_second", 0))
        browse = " / ".join(named.get(("GET", page), {}).get("p95_ms", "–")
                            for page in PAGES[:5])
        checkout = [int(row["p95_ms"]) for row in http if row["name"] in CHECKOUT_STEPS]
        lines.append(
            f"| {count} | {step_rows[0]['visitors']} | {rate:.1f} | {failures} | "
            f"{visits * 3600:.0f} | {purchases * 3600:.0f} | {browse} | "
            f"{max(checkout) if checkout else '–'} | {step_rows[0]['load_average']} |")
    return "\n".join(lines) + f"\n\nThink time between pages: {think} s.\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--replicas", default="1,2", help="replica counts, one run each")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers per replica")
    parser.add_argument("--vendors", type=int, default=200)
    parser.add_argument("--products", type=int, default=10_000)
    parser.add_argument("--stages", default="10x60,20x60,40x60,60x60",
                        help="visitors × seconds for each step of the ramp")
    parser.add_argument("--think", default="1,3", help="seconds between two pages: min,max")
    parser.add_argument("--buy-share", type=float, default=0.3)
    parser.add_argument("--conn-max-age", type=int, default=60)
    options = parser.parse_args()
    if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
        raise SystemExit("Set DATABASE_URL to a PostgreSQL database of its own.")
    if not os.environ.get("REDIS_URL"):
        raise SystemExit("Set REDIS_URL (cache, sessions and the Celery broker).")
    if not shutil.which("nginx") and not Path("/usr/sbin/nginx").exists():
        raise SystemExit("nginx is needed as the reverse proxy: apt-get install nginx-light")

    out = ROOT / "var" / "load" / datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    out.mkdir(parents=True)
    _certificate(out)
    stack = Stack(out, _free_port(), options.conn_max_age)
    _seed(stack, options.vendors, options.products)
    summary = [f"Run of {datetime.now(UTC):%Y-%m-%d %H:%M} UTC, {os.cpu_count()} cores, "
               f"{options.vendors} vendors / {options.products} products, "
               f"{options.workers} gunicorn workers per replica, ramp {options.stages}, "
               f"{options.buy_share:.0%} of the visitors buy.\n"]
    try:
        stack.worker()
        for count in (int(part) for part in options.replicas.split(",")):
            stack.replicas(count, options.workers)
            _warm_up(f"https://127.0.0.1:{stack.proxy_port}", out / "tls.crt")
            print(f"{count} replica(s): load test running, load average {os.getloadavg()}")
            steps = _locust(stack, out, count, options)
            summary.append(_summary(count, steps, options.think))
            for name in [name for name in stack.processes if name != "worker"]:
                stack.stop(name)
    finally:
        stack.close()
    (out / "summary.md").write_text("\n".join(summary))
    print("\n".join(summary))
    print(f"Results in {out}")


if __name__ == "__main__":
    main()
