"""The demo's terms of sale: a standard page, linked from the checkout via ShopSettings."""

from wagtail.models import Site

from cms.models import ShopSettings, StandardPage

SLUG = "conditions-generales-de-vente"
BODY = [
    ("paragraph", "<p>Les présentes conditions régissent les achats faits sur les marchés "
                  "solidaires de ce site. Chaque article est vendu par l'exposant indiqué sur "
                  "sa fiche, qui reste seul vendeur ; l'organisateur du marché met en relation "
                  "acheteurs et exposants et encaisse le paiement pour leur compte.</p>"),
    ("heading", "Prix et paiement"),
    ("paragraph", "<p>Les prix sont indiqués en euros, toutes taxes comprises. Le paiement se "
                  "fait en une fois pour tout le panier ; chaque exposant reçoit sa propre "
                  "commande. Une part du prix peut être reversée à un projet solidaire : elle "
                  "est indiquée sur la fiche de l'article et dans le récapitulatif.</p>"),
    ("heading", "Retrait et livraison"),
    ("paragraph", "<p>Les articles se retirent au point de retrait choisi, aux horaires "
                  "indiqués, sur présentation de l'e-mail de confirmation, ou sont expédiés "
                  "par l'exposant quand il le propose, au forfait affiché.</p>"),
    ("heading", "Droit de rétractation"),
    ("paragraph", "<p>Lorsque l'exposant est un professionnel, vous disposez d'un délai de "
                  "14 jours à compter de la réception pour vous rétracter, sans avoir à vous "
                  "justifier (articles L221-18 et suivants du Code de la consommation). Les "
                  "ventes entre particuliers et les dons ne sont pas concernés.</p>"),
    ("heading", "Objets de seconde main"),
    ("paragraph", "<p>Les objets de réemploi sont vendus dans l'état décrit sur leur fiche. "
                  "Les appareils reconditionnés bénéficient de la garantie légale de "
                  "conformité.</p>"),
]


def build_terms_page(home) -> StandardPage:
    """Create the page once (an editor may change it afterwards) and point the shop's
    settings to it unless they already name a terms page."""
    page = StandardPage.objects.child_of(home).filter(slug=SLUG).first()
    if page is None:
        page = StandardPage(title="Conditions générales de vente", slug=SLUG)
        page.body = [(kind, value) for kind, value in BODY]
        home.add_child(instance=page)
        page.save_revision().publish()
    settings = ShopSettings.for_site(Site.objects.get(is_default_site=True))
    if settings.terms_page_id is None:
        settings.terms_page = page
        settings.save()
    return page
