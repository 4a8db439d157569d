"""The legal pages every page's footer links to: the legal notice and the privacy page
(sensible French defaults, the bracketed parts for the site's publisher to fill in), and the
terms of sale (`terms.py`). Each page is created once: editors change it afterwards."""

from wagtail.models import Site

from cms.models import LegalPage, ShopSettings

from .terms import build_terms_page

LEGAL_NOTICE = (
    "mentions-legales", "Mentions légales",
    "<p><i>Les passages entre crochets sont à compléter par l'éditeur du site.</i></p>"
    "<h2>Éditeur du site</h2>"
    "<p>Ce site est édité par [nom de la structure qui exploite la plateforme], "
    "[forme juridique], dont le siège est situé [adresse], [numéro SIRET ou RNA]. "
    "Contact : [adresse e-mail], [téléphone].</p>"
    "<p>Directrice ou directeur de la publication : [nom], [fonction].</p>"
    "<h2>Hébergement</h2>"
    "<p>Le site est hébergé par [nom de l'hébergeur], [adresse], [téléphone].</p>"
    "<h2>Les vendeurs</h2>"
    "<p>Chaque article est vendu par l'exposant indiqué sur sa fiche. Son nom, sa forme "
    "juridique, son adresse et son numéro SIRET ou RNA figurent sur sa page d'exposant et sur "
    "le reçu de chaque commande, avec sa situation au regard de la TVA. L'organisateur de "
    "chaque marché est indiqué sur la page du marché.</p>"
    "<h2>Propriété intellectuelle</h2>"
    "<p>Les textes et les photos des articles appartiennent aux exposants qui les publient. "
    "Le logiciel de la plateforme est un logiciel libre, publié sous licence AGPL-3.0.</p>"
    "<h2>Signaler un contenu</h2>"
    "<p>Pour signaler un contenu illicite ou une erreur, écrivez à [adresse e-mail].</p>",
)

PRIVACY = (
    "confidentialite", "Confidentialité",
    "<h2>Qui traite vos données</h2>"
    "<p>Le responsable du traitement est l'éditeur du site (voir les mentions légales). Pour "
    "chaque commande, l'exposant qui vous vend et l'organisateur du marché reçoivent ce qui "
    "leur est nécessaire pour la préparer, vous la remettre et la comptabiliser. Vos données "
    "ne sont ni vendues, ni prêtées, ni utilisées pour de la publicité.</p>"
    "<h2>Ce que nous conservons</h2>"
    "<ul>"
    "<li><b>Vos commandes</b> : articles, prix, date, montant payé, remboursements, part "
    "solidaire et nom de l'acheteur, pour exécuter la vente et tenir la comptabilité des "
    "exposants et des organisateurs.</li>"
    "<li><b>Vos coordonnées</b> : adresse e-mail, téléphone et, si vous vous faites livrer, "
    "adresse de livraison, pour confirmer la commande, vous prévenir quand elle est prête et "
    "vous la livrer.</li>"
    "<li><b>Le paiement</b> : votre carte est saisie chez notre prestataire de paiement "
    "(Stripe). Nous ne voyons ni ne conservons jamais son numéro, seulement la référence du "
    "paiement et son montant.</li>"
    "<li><b>Les journaux techniques</b> du serveur (adresse IP, date, page demandée), pour la "
    "sécurité du site.</li>"
    "<li><b>Les comptes des exposants et des organisateurs</b> : identité de la structure, "
    "coordonnées, identifiant de connexion.</li>"
    "</ul>"
    "<h2>Combien de temps</h2>"
    "<ul>"
    "<li>Les données comptables des commandes (articles, montants, dates, reçus) : "
    "<b>10 ans</b> à compter de la clôture de l'exercice, comme l'impose l'article L123-22 "
    "du Code de commerce.</li>"
    "<li>Vos coordonnées : le temps nécessaire au retrait ou à la livraison de la commande "
    "et au traitement d'une éventuelle réclamation, et au plus 3 ans après votre dernière "
    "commande.</li>"
    "<li>Les journaux techniques : 12 mois au plus.</li>"
    "<li>Les comptes des exposants et des organisateurs : tant qu'ils sont actifs, puis "
    "3 ans.</li>"
    "</ul>"
    "<h2>Aucun traceur</h2>"
    "<p>Ce site ne dépose aucun cookie de publicité ni de mesure d'audience et n'appelle aucun "
    "service tiers de suivi. Il n'utilise que les cookies nécessaires à son fonctionnement, "
    "qui ne demandent pas votre consentement : la session (votre panier, votre connexion), "
    "la protection des formulaires et votre choix de langue. Sur la page de paiement "
    "seulement, le module de notre prestataire de paiement dépose ceux dont il a besoin "
    "contre la fraude.</p>"
    "<h2>Vos droits</h2>"
    "<p>Vous pouvez accéder à vos données, les faire rectifier ou effacer (dans la limite "
    "des obligations comptables), vous opposer à leur traitement, en limiter l'usage et en "
    "recevoir une copie : depuis la page « Mes commandes » de ce site (télécharger ou "
    "effacer vos données), ou en écrivant à l'adresse indiquée dans les mentions légales. Si vous "
    "estimez que vos droits ne sont pas respectés, vous pouvez adresser une réclamation à la "
    "CNIL (cnil.fr).</p>",
)


def _legal_page(home, slug: str, title: str, body: str) -> LegalPage:
    page = LegalPage.objects.child_of(home).filter(slug=slug).first()
    if page is None:
        page = LegalPage(title=title, slug=slug, body=body)
        home.add_child(instance=page)
        page.save_revision().publish()
    return page


def build_legal_pages(home) -> None:
    """The three pages, and the shop settings pointing to them where nothing is chosen."""
    build_terms_page(home)
    settings = ShopSettings.for_site(Site.objects.get(is_default_site=True))
    unset = [field for field in ("legal_notice_page", "privacy_page")
             if getattr(settings, f"{field}_id") is None]
    for field, (slug, title, body) in (("legal_notice_page", LEGAL_NOTICE),
                                       ("privacy_page", PRIVACY)):
        page = _legal_page(home, slug, title, body)
        if field in unset:
            setattr(settings, field, page)
    if unset:
        settings.save()
