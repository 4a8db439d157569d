"""Planner statistics after bulk writes.

PostgreSQL plans a query from the statistics `ANALYZE` gathers. Autovacuum refreshes them
once enough rows changed, but only on its next pass (a minute or more later, longer on a
busy server): until then a table that just grew from a few rows to thousands is planned as
if it still had a few, and the catalogue's listing picks nested loops over thousands of
rows. Bulk writers therefore analyse the tables they filled themselves, after the commit
that makes the rows visible. Nothing to do on SQLite.
"""

from django.db import connection, transaction

# Fewer rows than this leave the statistics close enough until autovacuum comes by.
BULK_ROWS = 1000


def analyze(*tables: str) -> None:
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        for table in tables:
            cursor.execute(f"ANALYZE {connection.ops.quote_name(table)}")


def analyze_after_commit(*tables: str, rows: int) -> None:
    """`ANALYZE` the `tables` once the current transaction commits, when it wrote `rows` of
    them at least `BULK_ROWS`."""
    if rows >= BULK_ROWS:
        transaction.on_commit(lambda: analyze(*tables))
