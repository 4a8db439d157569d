"""The demo's invented vendors: ressourceries, associations, cooperatives, a SIAE."""

from .data import VendorData

VENDORS = (
    VendorData(
        slug="ressourcerie-de-l-ile",
        name="Ressourcerie de l'Île",
        legal_form="association",
        siret="68812634031907",
        rna="W442004187",
        city="Nantes",
        postcode="44200",
        address="18 boulevard de la Prairie-au-Duc",
        phone="02 40 00 11 01",
        description=(
            "<p>Depuis 2009, la ressourcerie collecte, trie et remet en état les objets "
            "dont les Nantais n'ont plus l'usage. Vaisselle, luminaires et linge de maison "
            "y trouvent une seconde vie ; douze salariés en insertion y apprennent un "
            "métier.</p>"
        ),
        default_solidarity_bps=1000,
        default_project="un-toit-pour-l-hiver",
    ),
    VendorData(
        slug="compagnons-du-reemploi",
        name="Communauté des Compagnons du réemploi",
        legal_form="association",
        rna="W442008731",
        city="Rezé",
        postcode="44400",
        address="La Ferme des Trois-Moulins, route de Pont-Rousseau",
        description=(
            "<p>Une communauté de vie et de travail : trente compagnes et compagnons "
            "accueillis sans condition collectent les dons, restaurent les meubles et "
            "tiennent la salle de vente du samedi.</p>"
        ),
        default_solidarity_bps=500,
    ),
    VendorData(
        slug="velocite-solidaire",
        name="Vélocité solidaire",
        legal_form="association",
        rna="W442015522",
        city="Nantes",
        postcode="44000",
        address="7 rue de la Clarté",
        description=(
            "<p>Atelier vélo participatif : nous récupérons les vélos abandonnés, les "
            "révisons entièrement et apprenons à chacun à entretenir le sien.</p>"
        ),
        default_solidarity_bps=1000,
        default_project="velos-pour-l-insertion",
    ),
    VendorData(
        slug="recyclerie-numerique-de-l-estuaire",
        name="Recyclerie numérique de l'Estuaire",
        legal_form="scic",
        siret="12846965515499",
        city="Saint-Herblain",
        postcode="44800",
        address="3 rue de l'Ouche-Quinet",
        website="https://recyclerie-numerique.example.org",
        description=(
            "<p>Société coopérative d'intérêt collectif, nous reconditionnons les "
            "ordinateurs et téléphones des entreprises et collectivités du territoire. "
            "Chaque appareil est testé, effacé selon les règles de l'ANSSI et garanti "
            "un an.</p>"
        ),
        is_professional=True,
        vat_number="FR41128469655",
        ships=True,
        shipping_fee_cents=690,
        default_solidarity_bps=500,
    ),
    VendorData(
        slug="la-bouquinerie-solidaire",
        name="La Bouquinerie solidaire",
        legal_form="siae",
        siret="21819145140560",
        city="Orvault",
        postcode="44700",
        address="22 avenue Alexandre-Goupil",
        description=(
            "<p>Atelier et chantier d'insertion : nous trions les livres donnés aux "
            "bibliothèques et aux déchetteries, et les remettons en rayon. Romans, bandes "
            "dessinées, beaux livres et disques.</p>"
        ),
        is_professional=True,
        ships=True,
        shipping_fee_cents=450,
    ),
    VendorData(
        slug="coop-epicerie-des-quais",
        name="Coop'Épicerie des Quais",
        legal_form="cooperative",
        siret="17733243006050",
        city="Nantes",
        postcode="44000",
        address="41 quai de la Fosse",
        phone="02 40 00 22 45",
        description=(
            "<p>Épicerie coopérative gérée par ses membres : produits locaux, bio ou "
            "équitables, achetés directement aux paysans et artisans de Loire-Atlantique "
            "à un prix juste.</p>"
        ),
        is_professional=True,
        ships=True,
        shipping_fee_cents=890,
        default_solidarity_bps=500,
    ),
    VendorData(
        slug="fil-et-trame",
        name="Fil & Trame",
        legal_form="esus",
        siret="57798237759049",
        city="Saint-Sébastien-sur-Loire",
        postcode="44230",
        address="9 rue des Tisserands",
        website="https://fil-et-trame.example.org",
        description=(
            "<p>Atelier d'upcycling agréé ESUS : bâches publicitaires, chambres à air et "
            "chutes de tissu deviennent sacs, trousses et vêtements, cousus par des "
            "couturières en reconversion.</p>"
        ),
        is_professional=True,
        ships=True,
        shipping_fee_cents=550,
        default_solidarity_bps=1000,
    ),
    VendorData(
        slug="ludotheque-les-petits-pions",
        name="Ludothèque Les Petits Pions",
        legal_form="association",
        rna="W442019034",
        city="Carquefou",
        postcode="44470",
        address="2 place de la Mairie",
        description=(
            "<p>La ludothèque renouvelle ses étagères : jeux vérifiés pièce par pièce, "
            "jouets en bois et matériel de puériculture nettoyé, au profit des jardins "
            "partagés de Bellevue.</p>"
        ),
        default_solidarity_bps=1500,
        default_project="jardins-partages-de-bellevue",
    ),
    VendorData(
        slug="la-malle-aux-fringues",
        name="La Malle aux fringues",
        legal_form="association",
        siret="20309988459369",
        rna="W443002468",
        city="Saint-Nazaire",
        postcode="44600",
        address="15 rue de la Paix",
        description=(
            "<p>Friperie solidaire du centre-ville de Saint-Nazaire : vêtements triés, "
            "lavés et repassés par notre équipe bénévole, pour toute la famille.</p>"
        ),
        ships=True,
        shipping_fee_cents=490,
    ),
    VendorData(
        slug="menuiserie-bois-debout",
        name="Menuiserie solidaire Bois debout",
        legal_form="siae",
        siret="15513906097121",
        city="Bouguenais",
        postcode="44340",
        address="ZA de la Forêt, 6 rue des Charpentiers",
        description=(
            "<p>Entreprise d'insertion : nous restaurons le mobilier ancien et "
            "fabriquons du petit mobilier en bois de récupération. Chaque pièce est "
            "poncée, huilée et signée par son artisan.</p>"
        ),
        is_professional=True,
        default_solidarity_bps=500,
        default_project="jardins-partages-de-bellevue",
    ),
    VendorData(
        slug="savonnerie-cooperative-de-l-erdre",
        name="Savonnerie coopérative de l'Erdre",
        legal_form="cooperative",
        siret="20941410642830",
        city="Sucé-sur-Erdre",
        postcode="44240",
        address="4 chemin de la Gandonnière",
        description=(
            "<p>Savons saponifiés à froid et cosmétiques solides, fabriqués en petites "
            "séries avec des huiles bio et le lait des ânesses de la ferme voisine.</p>"
        ),
        is_professional=True,
        status="applied",
    ),
    VendorData(
        slug="brocante-solidaire-du-vignoble",
        name="Brocante solidaire du Vignoble",
        legal_form="association",
        rna="W442021177",
        city="Clisson",
        postcode="44190",
        address="11 rue du Minage",
        description=(
            "<p>Brocante associative du Vignoble nantais : objets anciens, verrerie et "
            "souvenirs de la vigne.</p>"
        ),
        status="suspended",
    ),
)
