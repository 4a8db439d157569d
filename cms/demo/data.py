"""The demo's invented organisers, markets, solidarity projects and vendors.

Every name, number and address is invented; SIRET numbers pass the Luhn check and RNA
numbers follow the W + 9 digits format. Dates are offsets from today, in days, so the
open market stays open whenever the demo is loaded.
"""

from dataclasses import dataclass

HOME_INTRO = (
    "<p>Les <b>Marchés solidaires</b> réunissent chaque saison les ressourceries, "
    "associations, coopératives et structures d'insertion de Loire-Atlantique. "
    "Remplissez un seul panier chez plusieurs exposants, payez une fois, retirez vos "
    "achats sur place ou faites-vous livrer : une part de chaque vente soutient un "
    "projet solidaire.</p>"
)


@dataclass(frozen=True)
class OrganiserData:
    slug: str
    name: str
    territory: str
    contact_email: str
    index_title: str
    index_slug: str
    intro: str
    username: str


@dataclass(frozen=True)
class ProjectData:
    slug: str
    organiser: str
    title: str
    beneficiary: str
    summary: str
    story: str
    goal_cents: int


@dataclass(frozen=True)
class PickupData:
    name: str
    address: str
    postcode: str
    city: str
    opening_hours: str


@dataclass(frozen=True)
class MarketData:
    slug: str
    organiser: str
    title: str
    intro: str
    opens_in_days: int
    closes_in_days: int
    commission_bps: int
    shipping_allowed: bool
    projects: tuple[str, ...]
    # vendor slug → participation state
    participations: dict[str, str]
    pickup_points: tuple[PickupData, ...] = ()
    accent_color: str = ""


@dataclass(frozen=True)
class VendorData:
    slug: str
    name: str
    legal_form: str
    city: str
    postcode: str
    address: str
    description: str
    siret: str = ""
    rna: str = ""
    is_professional: bool = False
    vat_number: str = ""  # subject to VAT when given
    ships: bool = False
    shipping_fee_cents: int = 0
    default_solidarity_bps: int = 0
    default_project: str = ""
    status: str = "approved"
    phone: str = ""
    website: str = ""

    @property
    def email(self) -> str:
        return f"contact@{self.slug}.example.org"


ORGANISERS = (
    OrganiserData(
        slug="les-ecossolies-solidaires",
        name="Les Écossolies solidaires",
        territory="Nantes Métropole",
        contact_email="marches@ecossolies-solidaires.example.org",
        index_title="Les Écossolies solidaires",
        index_slug="ecossolies",
        intro=(
            "<p>Le réseau nantais de l'économie sociale et solidaire organise chaque "
            "année ses marchés du réemploi et de Noël avec une centaine de structures "
            "locales.</p>"
        ),
        username="orga",
    ),
    OrganiserData(
        slug="reseau-des-ressourceries-de-l-estuaire",
        name="Réseau des ressourceries de l'Estuaire",
        territory="Saint-Nazaire et presqu'île guérandaise",
        contact_email="bonjour@ressourceries-estuaire.example.org",
        index_title="Ressourceries de l'Estuaire",
        index_slug="ressourceries-estuaire",
        intro=(
            "<p>Six ressourceries et recycleries de l'estuaire de la Loire s'associent "
            "pour un marché de Noël du réemploi à Saint-Nazaire.</p>"
        ),
        username="orga-2",
    ),
)

PROJECTS = (
    ProjectData(
        slug="un-toit-pour-l-hiver",
        organiser="les-ecossolies-solidaires",
        title="Un toit pour l'hiver",
        beneficiary="Association Abri solidaire nantais",
        summary="Financer vingt places d'hébergement d'urgence pendant les grands froids.",
        story=(
            "<p>Chaque hiver, l'association ouvre un accueil de nuit dans l'ancienne école "
            "du quartier Malakoff. Vos achats paient le chauffage, les repas chauds et "
            "l'accompagnement social des personnes accueillies.</p>"
        ),
        goal_cents=1_200_000,
    ),
    ProjectData(
        slug="jardins-partages-de-bellevue",
        organiser="les-ecossolies-solidaires",
        title="Des jardins partagés à Bellevue",
        beneficiary="Collectif Bellevue en vert",
        summary="Aménager trois jardins partagés au pied des immeubles.",
        story=(
            "<p>Les habitants du quartier Bellevue veulent cultiver ensemble : bacs "
            "surélevés accessibles en fauteuil, récupérateurs d'eau de pluie, outils "
            "partagés et ateliers pour les enfants le mercredi.</p>"
        ),
        goal_cents=450_000,
    ),
    ProjectData(
        slug="velos-pour-l-insertion",
        organiser="les-ecossolies-solidaires",
        title="Des vélos pour l'insertion",
        beneficiary="Atelier Roue libre",
        summary="Prêter des vélos révisés aux personnes qui reprennent un emploi.",
        story=(
            "<p>Sans voiture, un premier emploi en horaires décalés est souvent hors "
            "d'atteinte. L'atelier prête pour six mois un vélo révisé, un antivol et un "
            "éclairage, et apprend à l'entretenir.</p>"
        ),
        goal_cents=600_000,
    ),
    ProjectData(
        slug="cartables-pour-tous",
        organiser="reseau-des-ressourceries-de-l-estuaire",
        title="Des cartables pour tous",
        beneficiary="Secours solidaire de l'Estuaire",
        summary="Équiper 150 écoliers nazairiens pour la rentrée.",
        story=(
            "<p>Cartables réemployés, fournitures neuves et trousses cousues dans les "
            "ateliers d'insertion : un kit complet pour chaque enfant des familles "
            "accompagnées.</p>"
        ),
        goal_cents=300_000,
    ),
)

OPEN_MARKET = "marche-de-noel-solidaire"

PICKUP_POINTS = (
    PickupData(
        name="Halle solidaire de l'Île",
        address="12 quai des Antilles",
        postcode="44200",
        city="Nantes",
        opening_hours="Du mercredi au samedi, 11 h – 19 h ; le dimanche, 10 h – 18 h.",
    ),
    PickupData(
        name="Tiers-lieu La Fabrique de Rezé",
        address="5 rue Jean-Jaurès",
        postcode="44400",
        city="Rezé",
        opening_hours="Le vendredi, 16 h – 20 h ; le samedi, 10 h – 18 h.",
    ),
)

MARKETS = (
    MarketData(
        slug=OPEN_MARKET,
        organiser="les-ecossolies-solidaires",
        title="Marché de Noël solidaire",
        intro=(
            "<p>Cadeaux de seconde main, créations upcyclées, épicerie solidaire et "
            "électronique reconditionnée : le marché de Noël des structures de l'ESS "
            "nantaise, en ligne et sur deux points de retrait.</p>"
        ),
        opens_in_days=-7,
        closes_in_days=30,
        commission_bps=500,
        shipping_allowed=True,
        projects=("un-toit-pour-l-hiver", "jardins-partages-de-bellevue", "velos-pour-l-insertion"),
        participations={
            "ressourcerie-de-l-ile": "approved",
            "compagnons-du-reemploi": "approved",
            "velocite-solidaire": "approved",
            "recyclerie-numerique-de-l-estuaire": "approved",
            "la-bouquinerie-solidaire": "approved",
            "coop-epicerie-des-quais": "approved",
            "fil-et-trame": "approved",
            "ludotheque-les-petits-pions": "approved",
            "la-malle-aux-fringues": "approved",
            "menuiserie-bois-debout": "approved",
            "savonnerie-cooperative-de-l-erdre": "applied",
            "brocante-solidaire-du-vignoble": "approved",
        },
        pickup_points=PICKUP_POINTS, accent_color="#8a1c1c",
    ),
    MarketData(
        slug="marche-du-reemploi-de-printemps",
        organiser="les-ecossolies-solidaires",
        title="Marché du réemploi de printemps",
        intro=(
            "<p>Vélos révisés, outils de jardin, mobilier restauré : préparez le "
            "printemps avec les ressourceries de la métropole.</p>"
        ),
        opens_in_days=120,
        closes_in_days=134,
        commission_bps=500,
        shipping_allowed=False,
        projects=("jardins-partages-de-bellevue", "velos-pour-l-insertion"),
        participations={
            "velocite-solidaire": "approved",
            "menuiserie-bois-debout": "approved",
            "ressourcerie-de-l-ile": "approved",
            "compagnons-du-reemploi": "invited",
            "savonnerie-cooperative-de-l-erdre": "applied",
        },
    ),
    MarketData(
        slug="grand-marche-solidaire-d-automne",
        organiser="les-ecossolies-solidaires",
        title="Grand marché solidaire d'automne",
        intro=(
            "<p>La rentrée du réemploi : vêtements chauds, livres et fournitures, "
            "informatique reconditionnée pour les étudiants.</p>"
        ),
        opens_in_days=-75,
        closes_in_days=-61,
        commission_bps=400,
        shipping_allowed=True,
        projects=("un-toit-pour-l-hiver",),
        participations={
            "la-malle-aux-fringues": "approved",
            "la-bouquinerie-solidaire": "approved",
            "recyclerie-numerique-de-l-estuaire": "approved",
            "ressourcerie-de-l-ile": "approved",
            "fil-et-trame": "refused",
        },
    ),
    MarketData(
        slug="marche-de-noel-du-reemploi-de-saint-nazaire",
        organiser="reseau-des-ressourceries-de-l-estuaire",
        title="Marché de Noël du réemploi de Saint-Nazaire",
        intro=(
            "<p>Dans l'alvéole 12 de la base sous-marine, les ressourceries de "
            "l'estuaire proposent jouets, vaisselle et vêtements de seconde main.</p>"
        ),
        opens_in_days=14,
        closes_in_days=40,
        commission_bps=300,
        shipping_allowed=False,
        projects=("cartables-pour-tous",),
        participations={
            "la-malle-aux-fringues": "approved",
            "recyclerie-numerique-de-l-estuaire": "approved",
            "ludotheque-les-petits-pions": "approved",
            "compagnons-du-reemploi": "applied",
        },
        pickup_points=(
            PickupData(
                name="Base sous-marine, alvéole 12",
                address="Boulevard de la Légion d'honneur",
                postcode="44600",
                city="Saint-Nazaire",
                opening_hours="Du jeudi au dimanche, 10 h – 19 h.",
            ),
        ),
    ),
)
