"""Small tools shared by the tests."""

import threading

from django.db import connection, connections
from django.test.utils import CaptureQueriesContext


def run_together(functions):
    """Start every function at the same instant, each in its own thread and database
    connection; returns (results, errors)."""
    barrier = threading.Barrier(len(functions))
    results, errors = [None] * len(functions), []

    def worker(index, function):
        try:
            barrier.wait()
            results[index] = function()
        except Exception as exc:  # noqa: BLE001 - reported by the test
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker, args=(i, f)) for i, f in enumerate(functions)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return results, errors


def count_queries(client, url, **params) -> int:
    """Queries of a second GET of `url` (the first warms permission and site caches)."""
    client.get(url, params)
    with CaptureQueriesContext(connection) as context:
        response = client.get(url, params)
    assert response.status_code == 200
    return len(context.captured_queries)
