"""Weighted search: title (A), category and its parent (B), vendor (C), description (D).

On PostgreSQL a product's `search_vector` and `search_text` (title and category names in
lower case without accents, for the trigram comparison that forgives typos) are computed by
`shop_product_search_vector()` before each write of the product; renaming a category (or
moving it under another parent) or a vendor rewrites its products' columns in one UPDATE,
from a trigger on that table. Existing rows are filled here, and `search_text` gets a trigram
GIN index (pg_trgm) for the typo fallback. Nothing runs on SQLite.
"""

from django.contrib.postgres.operations import TrigramExtension
from django.db import migrations, models

FORWARD = r"""
-- French stemming leaves some plurals whole (« vélos », « photos », « jeux », « bijoux »), so
-- that « velo » would miss the category « Vélos et accessoires ». Documents and queries go
-- through this first: lower case, no accents, those plurals made singular.
CREATE OR REPLACE FUNCTION shop_search_singular(words text)
RETURNS text LANGUAGE sql STABLE PARALLEL SAFE AS $$
    SELECT regexp_replace(
        regexp_replace(lower(unaccent(coalesce($1, ''))), '([aiou])s\M', '\1', 'g'),
        '(eu|ou)x\M', '\1', 'g')
$$;

CREATE OR REPLACE FUNCTION shop_product_search_vector_of(
    title text, description text, category text, parent_category text, vendor text
) RETURNS tsvector LANGUAGE sql STABLE PARALLEL SAFE AS $$
    SELECT
        setweight(to_tsvector('french_unaccent', shop_search_singular($1)), 'A') ||
        setweight(to_tsvector('french_unaccent', shop_search_singular(concat_ws(' ', $3, $4))),
            'B') ||
        setweight(to_tsvector('french_unaccent', shop_search_singular($5)), 'C') ||
        setweight(to_tsvector('french_unaccent', shop_search_singular(
            regexp_replace(coalesce($2, ''), '<[^>]+>', ' ', 'g'))), 'D')
$$;

CREATE OR REPLACE FUNCTION shop_product_search_text_of(
    title text, category text, parent_category text
) RETURNS text LANGUAGE sql STABLE PARALLEL SAFE AS $$
    SELECT lower(unaccent(concat_ws(' ', $1, $2, $3)))
$$;

CREATE OR REPLACE FUNCTION shop_product_search_vector() RETURNS trigger AS $$
DECLARE
    category_name text;
    parent_name text;
    vendor_name text;
BEGIN
    SELECT c.name, p.name INTO category_name, parent_name
        FROM shop_category c LEFT JOIN shop_category p ON p.id = c.parent_id
        WHERE c.id = NEW.category_id;
    SELECT v.name INTO vendor_name FROM vendors_vendor v WHERE v.id = NEW.vendor_id;
    NEW.search_vector := shop_product_search_vector_of(
        NEW.title, NEW.description, category_name, parent_name, vendor_name);
    NEW.search_text := shop_product_search_text_of(NEW.title, category_name, parent_name);
    RETURN NEW;
END
$$ LANGUAGE plpgsql;

DROP TRIGGER IF EXISTS shop_product_search_vector_update ON shop_product;
CREATE TRIGGER shop_product_search_vector_update
    BEFORE INSERT OR UPDATE OF title, description, category_id, vendor_id ON shop_product
    FOR EACH ROW EXECUTE FUNCTION shop_product_search_vector();

-- A category's products and those of its subcategories, in one statement.
CREATE OR REPLACE FUNCTION shop_category_search_refresh() RETURNS trigger AS $$
BEGIN
    UPDATE shop_product product SET
        search_vector = shop_product_search_vector_of(
            product.title, product.description, c.name, p.name, v.name),
        search_text = shop_product_search_text_of(product.title, c.name, p.name)
    FROM shop_category c
        LEFT JOIN shop_category p ON p.id = c.parent_id, vendors_vendor v
    WHERE c.id = product.category_id AND v.id = product.vendor_id
        AND (c.id = NEW.id OR c.parent_id = NEW.id);
    RETURN NULL;
END
$$ LANGUAGE plpgsql;

DROP TRIGGER IF EXISTS shop_category_search_refresh ON shop_category;
CREATE TRIGGER shop_category_search_refresh
    AFTER UPDATE OF name, parent_id ON shop_category
    FOR EACH ROW
    WHEN (OLD.name IS DISTINCT FROM NEW.name OR OLD.parent_id IS DISTINCT FROM NEW.parent_id)
    EXECUTE FUNCTION shop_category_search_refresh();

CREATE OR REPLACE FUNCTION shop_vendor_search_refresh() RETURNS trigger AS $$
BEGIN
    UPDATE shop_product product SET
        search_vector = shop_product_search_vector_of(
            product.title, product.description, c.name, p.name, NEW.name)
    FROM shop_category c LEFT JOIN shop_category p ON p.id = c.parent_id
    WHERE c.id = product.category_id AND product.vendor_id = NEW.id;
    RETURN NULL;
END
$$ LANGUAGE plpgsql;

DROP TRIGGER IF EXISTS shop_vendor_search_refresh ON vendors_vendor;
CREATE TRIGGER shop_vendor_search_refresh
    AFTER UPDATE OF name ON vendors_vendor
    FOR EACH ROW WHEN (OLD.name IS DISTINCT FROM NEW.name)
    EXECUTE FUNCTION shop_vendor_search_refresh();

UPDATE shop_product product SET
    search_vector = shop_product_search_vector_of(
        product.title, product.description, c.name, p.name, v.name),
    search_text = shop_product_search_text_of(product.title, c.name, p.name)
FROM shop_category c LEFT JOIN shop_category p ON p.id = c.parent_id, vendors_vendor v
WHERE c.id = product.category_id AND v.id = product.vendor_id;

CREATE INDEX IF NOT EXISTS product_search_text_trgm
    ON shop_product USING gin (search_text gin_trgm_ops);
"""

# Back to migration 0003: title (A) and description (B), kept by the product trigger alone.
BACKWARD = r"""
DROP INDEX IF EXISTS product_search_text_trgm;
DROP TRIGGER IF EXISTS shop_vendor_search_refresh ON vendors_vendor;
DROP FUNCTION IF EXISTS shop_vendor_search_refresh();
DROP TRIGGER IF EXISTS shop_category_search_refresh ON shop_category;
DROP FUNCTION IF EXISTS shop_category_search_refresh();

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

DROP FUNCTION IF EXISTS shop_product_search_text_of(text, text, text);
DROP FUNCTION IF EXISTS shop_product_search_vector_of(text, text, text, text, text);
DROP FUNCTION IF EXISTS shop_search_singular(text);

UPDATE shop_product SET title = title;
"""


def forward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(FORWARD)


def backward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(BACKWARD)


class Migration(migrations.Migration):
    dependencies = [
        ("shop", "0008_christmas_category"),
        ("vendors", "0001_initial"),
    ]

    operations = [
        TrigramExtension(),
        migrations.AddField(
            model_name="product",
            name="search_text",
            field=models.TextField(editable=False, null=True),
        ),
        migrations.RunPython(forward, backward),
    ]
