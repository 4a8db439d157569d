"""Locust: the opening hour of a Christmas market (`opening_hour.py`), with a ramp of
visitors arriving in steps. Run by `load.py`, or by hand against any deployment:

    locust -f bench/locustfile.py --headless --host https://marche.example.org \\
        --csv var/load/run

Environment: LOAD_STAGES (visitors × seconds per step, default "10x60,20x60,40x60,60x60"),
LOAD_THINK (seconds between two pages, "min,max", default "1,3"), LOAD_BUY_SHARE (the
share of visitors who buy, default 0.3), LOAD_MARKET_PATH (the market's address), and
LOAD_CA_BUNDLE (the file of a self-signed certificate to trust).

Besides Locust's own CSV files, `<csv prefix>_steps.csv` gives, for each step of the ramp
and each page, the requests, failures, requests per second, median, p95 and maximum, and
the machine's load average at the end of the step.
"""

import csv
import itertools
import os
import random
import statistics
import sys
import time
from collections import defaultdict
from pathlib import Path

import gevent
from locust import HttpUser, LoadTestShape, events, task

sys.path.insert(0, str(Path(__file__).resolve().parent))

from opening_hour import MARKET_PATH, Page, StepFailed, Visitor  # noqa: E402


def _stages(text: str) -> list[tuple[int, int]]:
    return [tuple(int(part) for part in stage.split("x")) for stage in text.split(",")]


STAGES = _stages(os.environ.get("LOAD_STAGES", "10x60,20x60,40x60,60x60"))
THINK = tuple(float(part) for part in os.environ.get("LOAD_THINK", "1,3").split(","))
BUY_SHARE = float(os.environ.get("LOAD_BUY_SHARE", "0.3"))
numbers = itertools.count(1)


class LocustClient:
    """`opening_hour.Client` over Locust's session: each request counted under its step."""

    def __init__(self, session):
        self.session = session

    def request(self, method, path, *, name, data=None, headers=None, check=None) -> Page:
        with self.session.request(method, path, name=name, data=data, headers=headers,
                                  catch_response=True) as response:
            page = Page(response.status_code, response.url or path, response.text or "")
            if not response.ok:
                response.failure(f"HTTP {response.status_code} at {page.path}")
            elif check and (problem := check(page)):
                response.failure(problem)
            else:
                response.success()
        return page


class Shopper(HttpUser):
    """A visitor: browses, and buys in LOAD_BUY_SHARE of the visits; then another comes."""

    def on_start(self):
        self.client.verify = os.environ.get("LOAD_CA_BUNDLE") or True

    @task
    def visit(self):
        number = next(numbers)
        self.client.cookies.clear()
        visitor = Visitor(LocustClient(self.client),
                          market_path=os.environ.get("LOAD_MARKET_PATH", MARKET_PATH),
                          think=lambda: gevent.sleep(random.uniform(*THINK)),
                          number=number)
        started = time.perf_counter()
        try:
            bought = visitor.visit(buys=random.random() < BUY_SHARE)
        except StepFailed as error:
            _count("SCENARIO", "step failed", started, exception=error)
            return
        _count("VISIT", "purchase complete" if bought else "visit complete", started)


def _count(kind: str, name: str, started: float, exception=None) -> None:
    events.request.fire(request_type=kind, name=name, context={}, response=None,
                        response_time=(time.perf_counter() - started) * 1000,
                        response_length=0, exception=exception)


class OpeningHour(LoadTestShape):
    """Visitors arrive in steps (LOAD_STAGES), each held for its duration."""

    def tick(self):
        run_time = self.get_run_time()
        ends = itertools.accumulate(seconds for _, seconds in STAGES)
        for (users, _), end in zip(STAGES, ends, strict=True):
            if run_time < end:
                return users, max(1, users / 5)
        return None


class StepStats:
    """Response times by step of the ramp and by page, written when the test stops."""

    def __init__(self):
        self.started = None
        self.times: dict[tuple[int, str, str], list[float]] = defaultdict(list)
        self.failures: dict[tuple[int, str, str], int] = defaultdict(int)
        self.load: dict[int, tuple[float, float, float]] = {}

    def stage(self) -> int:
        elapsed = time.monotonic() - self.started
        for index, end in enumerate(itertools.accumulate(s for _, s in STAGES)):
            if elapsed < end:
                self.load[index] = os.getloadavg()
                return index
        return len(STAGES) - 1

    def record(self, request_type, name, response_time, exception, **kwargs):
        if self.started is None:
            return
        key = (self.stage(), request_type, name)
        self.times[key].append(response_time)
        if exception:
            self.failures[key] += 1

    def write(self, path: Path) -> None:
        with path.open("w", newline="") as file:
            writer = csv.writer(file)
            writer.writerow(["step", "visitors", "type", "name", "requests", "failures",
                             "per_second", "median_ms", "p95_ms", "max_ms", "load_average"])
            for (stage, kind, name), times in sorted(self.times.items()):
                users, seconds = STAGES[stage]
                p95 = (statistics.quantiles(times, n=20, method="inclusive")[-1]
                       if len(times) > 1 else times[0])
                writer.writerow([
                    stage + 1, users, kind, name, len(times),
                    self.failures[(stage, kind, name)], f"{len(times) / seconds:.2f}",
                    f"{statistics.median(times):.0f}", f"{p95:.0f}", f"{max(times):.0f}",
                    " ".join(f"{value:.2f}" for value in self.load.get(stage, ())),
                ])


step_stats = StepStats()
events.request.add_listener(step_stats.record)


@events.test_start.add_listener
def _started(environment, **kwargs):
    step_stats.started = time.monotonic()


@events.quitting.add_listener
def _write_steps(environment, **kwargs):
    prefix = getattr(environment.parsed_options, "csv_prefix", None)
    if prefix:
        step_stats.write(Path(f"{prefix}_steps.csv"))
