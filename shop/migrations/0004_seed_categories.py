"""The French category list for reuse and solidarity goods, two levels deep."""

from django.db import migrations

CATEGORIES = [
    ("maison", "Maison", [
        ("vaisselle", "Vaisselle et arts de la table"),
        ("decoration", "Décoration"),
        ("linge-de-maison", "Linge de maison"),
        ("luminaires", "Luminaires"),
        ("cuisine", "Ustensiles de cuisine"),
    ]),
    ("mobilier", "Mobilier", [
        ("tables-chaises", "Tables et chaises"),
        ("rangements", "Rangements"),
        ("petit-mobilier", "Petit mobilier"),
    ]),
    ("vetements", "Vêtements et accessoires", [
        ("vetements-femme", "Femme"),
        ("vetements-homme", "Homme"),
        ("vetements-enfant", "Enfant"),
        ("sacs-accessoires", "Sacs et accessoires"),
        ("bijoux", "Bijoux"),
    ]),
    ("livres-culture", "Livres et culture", [
        ("livres", "Livres"),
        ("bandes-dessinees", "Bandes dessinées"),
        ("musique", "Disques et musique"),
        ("films", "Films"),
    ]),
    ("jeux-jouets", "Jeux et jouets", [
        ("jeux-de-societe", "Jeux de société"),
        ("jouets", "Jouets"),
        ("puericulture", "Puériculture"),
    ]),
    ("sport-loisirs", "Sport et loisirs", [
        ("velos", "Vélos et accessoires"),
        ("sport", "Articles de sport"),
        ("instruments", "Instruments de musique"),
    ]),
    ("high-tech", "Électronique reconditionnée", [
        ("informatique", "Informatique"),
        ("telephonie", "Téléphonie"),
        ("son-image", "Son et image"),
        ("electromenager", "Petit électroménager"),
    ]),
    ("artisanat", "Artisanat et créations", [
        ("upcycling", "Upcycling"),
        ("papeterie", "Papeterie"),
        ("cosmetiques", "Cosmétiques et savons"),
    ]),
    ("epicerie", "Épicerie solidaire", [
        ("epicerie-sucree", "Épicerie sucrée"),
        ("epicerie-salee", "Épicerie salée"),
        ("boissons", "Boissons"),
    ]),
    ("jardin", "Jardin et bricolage", [
        ("outillage", "Outillage"),
        ("plantes", "Plantes et graines"),
    ]),
]


def seed(apps, schema_editor):
    Category = apps.get_model("shop", "Category")
    for position, (slug, name, children) in enumerate(CATEGORIES):
        parent, _ = Category.objects.update_or_create(
            slug=slug, defaults={"name": name, "position": position, "parent": None}
        )
        for child_position, (child_slug, child_name) in enumerate(children):
            Category.objects.update_or_create(
                slug=child_slug,
                defaults={"name": child_name, "position": child_position, "parent": parent},
            )


def unseed(apps, schema_editor):
    Category = apps.get_model("shop", "Category")
    children = [child for _, _, pairs in CATEGORIES for child, _ in pairs]
    parents = [slug for slug, _, _ in CATEGORIES]
    Category.objects.filter(slug__in=children).delete()
    Category.objects.filter(slug__in=parents).delete()


class Migration(migrations.Migration):
    dependencies = [("shop", "0003_product_search_postgres")]

    operations = [migrations.RunPython(seed, unseed)]
