"""French, accent-insensitive full-text search on PostgreSQL.

A text search configuration `french_unaccent` strips accents before French stemming, so
« velo » finds « Vélo ». A trigger keeps `search_vector` current on every write, whatever
writes it (admin, CSV import, bulk seeding); a GIN index serves the queries. Nothing runs
on SQLite, where the catalogue falls back to a plain normalised match.
"""

from django.contrib.postgres.operations import UnaccentExtension
from django.db import migrations

FORWARD = r"""
DO $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_ts_config WHERE cfgname = 'french_unaccent') THEN
        CREATE TEXT SEARCH CONFIGURATION french_unaccent (COPY = french);
        ALTER TEXT SEARCH CONFIGURATION french_unaccent
            ALTER MAPPING FOR hword, hword_part, word WITH unaccent, french_stem;
    END IF;
END
$$;

CREATE OR REPLACE FUNCTION shop_product_search_vector() RETURNS trigger AS $$
BEGIN
    NEW.search_vector :=
        setweight(to_tsvector('french_unaccent', coalesce(NEW.title, '')), 'A') ||
        setweight(to_tsvector('french_unaccent',
            regexp_replace(coalesce(NEW.description, ''), '<[^>]+>', ' ', 'g')), 'B');
    RETURN NEW;
END
$$ LANGUAGE plpgsql;

DROP TRIGGER IF EXISTS shop_product_search_vector_update ON shop_product;
CREATE TRIGGER shop_product_search_vector_update
    BEFORE INSERT OR UPDATE OF title, description ON shop_product
    FOR EACH ROW EXECUTE FUNCTION shop_product_search_vector();

UPDATE shop_product SET title = title;

CREATE INDEX IF NOT EXISTS product_search_vector ON shop_product USING gin (search_vector);
"""

BACKWARD = r"""
DROP INDEX IF EXISTS product_search_vector;
DROP TRIGGER IF EXISTS shop_product_search_vector_update ON shop_product;
DROP FUNCTION IF EXISTS shop_product_search_vector();
DROP TEXT SEARCH CONFIGURATION IF EXISTS french_unaccent;
"""


def forward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(FORWARD)


def backward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(BACKWARD)


class Migration(migrations.Migration):
    dependencies = [("shop", "0002_initial")]

    operations = [
        UnaccentExtension(),
        migrations.RunPython(forward, backward),
    ]
