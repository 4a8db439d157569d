"""Wagtail's own French for the admin leaves a word in English (« Status : ») and builds
sentences from a model's name with gendered placeholders (« Ajouter un(e) produit »,
« Nouvel(le) : Produit », « Utilisé(e) 0 fois »). `locale/fr/LC_MESSAGES/django.po`
translates these messages again in neutral French, and the project's catalogue wins over
Wagtail's. They are listed here so that `makemessages` keeps them in that catalogue.
Views the vendors use most also say it in full (« Ajouter un produit », « Nouveau
produit »)."""

from django.utils.translation import gettext_noop, ngettext_lazy

WAGTAIL_MESSAGES = [
    gettext_noop("Status: "),  # left in English by Wagtail
    gettext_noop("Add %(model_name)s"),
    gettext_noop("Add %(label)s"),
    gettext_noop("New: %(model_name)s"),
    gettext_noop("Create a new %(model_name)s"),
    gettext_noop("No %(model_name)s match your query."),
    ngettext_lazy("Used %(usage_count)s time", "Used %(usage_count)s times", "usage_count"),
]
