"""« Décorations de Noël » under « Maison »: crèches, garlands and baubles of the season."""

from django.db import migrations

SLUG = "decorations-noel"


def seed(apps, schema_editor):
    Category = apps.get_model("shop", "Category")
    parent = Category.objects.filter(slug="maison").first()
    position = Category.objects.filter(parent=parent).count()
    Category.objects.update_or_create(
        slug=SLUG,
        defaults={"name": "Décorations de Noël", "parent": parent, "position": position},
    )


def unseed(apps, schema_editor):
    apps.get_model("shop", "Category").objects.filter(slug=SLUG, products__isnull=True).delete()


class Migration(migrations.Migration):
    dependencies = [("shop", "0007_pickup_slot")]

    operations = [migrations.RunPython(seed, unseed)]
