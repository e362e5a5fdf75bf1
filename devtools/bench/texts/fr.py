"""French texts of generated listings, parallel to the English lists (en.py).

A thing is (text, gender); the adjective follows it and agrees with its head noun."""

from typing import TYPE_CHECKING

from .helpers import sentence

if TYPE_CHECKING:
    from .concept import Concept

M, F = "m", "f"

SECTOR_WORDS: dict[str, tuple[list[tuple[str, str]], list[str]]] = {
    "agro-food-processing": (
        [("séchoir solaire", M), ("unité de chaîne du froid", F), ("ligne de mouture", F),
         ("silo hermétique", M), ("réacteur de fermentation", M), ("presse à huile", F)],
        ["le manioc", "la mangue", "les fèves de cacao", "les cerises de café",
         "les sites de débarquement du poisson", "les coopératives laitières"],
    ),
    "renewable-energy": (
        [("digesteur de biogaz", M), ("pompe solaire", F), ("microturbine hydroélectrique", F),
         ("gazéifieur de biomasse", M), ("système hybride éolien-solaire", M), ("mini-réseau photovoltaïque", M)],
        ["les résidus agro-industriels", "l'irrigation rurale", "les villages hors réseau", "les scieries",
         "les usines de thé", "les dispensaires"],
    ),
    "energy-efficiency": (
        [("système de récupération de chaleur", M), ("kit de modernisation de fours", M),
         ("variateur de vitesse", M), ("moniteur de purgeurs de vapeur", M), ("pompe à chaleur", F),
         ("kit de relampage LED", M)],
        ["les briqueteries", "les chaufferies", "les fonderies", "les laiteries", "les réseaux d'air comprimé",
         "les teintureries textiles"],
    ),
    "water-wastewater": (
        [("filtre à membrane", M), ("zone humide artificielle", F), ("unité d'électrocoagulation", F),
         ("unité de désinfection UV", F), ("capteur de brouillard", M)],
        ["les effluents de tannerie", "l'eau potable des ménages", "les effluents d'huileries de palme",
         "les eaux usées municipales", "les villages arides"],
    ),
    "waste-circular-economy": (
        [("unité de pyrolyse", F), ("ligne de tri", F), ("système de compostage", M),
         ("procédé de solvolyse", M), ("procédé de surcyclage", M)],
        ["les pneus usagés", "les emballages plastiques", "les déchets électroniques", "les déchets de marché",
         "la paille de riz", "les pales d'éoliennes"],
    ),
    "advanced-materials": (
        [("composite biosourcé", M), ("revêtement en nanocellulose", M), ("charge de silice", F),
         ("résine bioplastique", F), ("isolant en aérogel", M)],
        ["les emballages alimentaires", "les pièces automobiles", "l'isolation des câbles",
         "les panneaux de construction", "les films agricoles"],
    ),
    "chemicals": (
        [("procédé enzymatique", M), ("solvant vert", M), ("adhésif biosourcé", M),
         ("convertisseur catalytique", M), ("biostimulant", M)],
        ["les usines de contreplaqué", "les intermédiaires pharmaceutiques", "les exploitations maraîchères",
         "les fabricants de peinture", "le tannage du cuir"],
    ),
    "advanced-manufacturing": (
        [("robot collaboratif", M), ("trieuse à guidage visuel", F), ("cellule d'impression 3D", F),
         ("kit de modernisation CNC", M), ("unité de rechargement laser", F)],
        ["le décorticage de la noix de cajou", "la confection de vêtements", "la réparation de pièces détachées",
         "les petits ateliers d'usinage", "l'assemblage électronique"],
    ),
    "industrial-digital": (
        [("plateforme de maintenance prédictive", F), ("jumeau numérique", M),
         ("tableau de bord énergétique", M), ("kit de capteurs IoT", M), ("MES pour PME", M)],
        ["les machines tournantes", "les filatures", "les cimenteries", "les usines agroalimentaires",
         "les services des eaux"],
    ),
    "transport-mobility": (
        [("station d'échange de batteries", F), ("tricycle électrique", M), ("optimiseur d'itinéraires", M),
         ("pile à combustible à hydrogène", F), ("kit de vélo électrique", M)],
        ["les livraisons urbaines", "les transports publics", "la logistique du dernier kilomètre",
         "les opérations portuaires", "le transport scolaire"],
    ),
    "construction-materials": (
        [("presse à blocs de terre", F), ("liant à faible teneur en clinker", M), ("panneau de bambou", M),
         ("granulat recyclé", M), ("enduit isolant", M)],
        ["le logement abordable", "les écoles rurales", "la construction routière", "les climats chauds",
         "les abris d'urgence après une catastrophe"],
    ),
    "textiles-leather": (
        [("système de récupération des colorants", M), ("machine de teinture sans eau", F),
         ("tannage sans chrome", M), ("ligne de recyclage des fibres", F)],
        ["les tricots de coton", "la finition du denim", "la maroquinerie", "les chutes de confection",
         "le lavage de la laine"],
    ),
    "pharma-health": (
        [("test rapide sur papier", M), ("concentrateur d'oxygène", M), ("glacière à vaccins", F),
         ("unité de stérilisation", F), ("patch de télémesure", M)],
        ["les postes de santé ruraux", "les soins maternels", "le dépistage du paludisme",
         "les hôpitaux de district", "les cliniques mobiles"],
    ),
    "environmental-monitoring": (
        [("réseau de capteurs de qualité de l'air", M), ("détecteur de fuites de méthane", M),
         ("sonde de qualité de l'eau", F), ("système de cartographie du bruit", M)],
        ["les parcs industriels", "les décharges", "les rivières et les lacs", "les zones minières",
         "les centres-villes"],
    ),
    "mining-metals": (
        [("procédé de biolixiviation", M), ("unité d'assèchement des résidus miniers", F),
         ("concentrateur d'or sans mercure", M), ("procédé de valorisation des scories", M)],
        ["le minerai de cuivre à faible teneur", "l'orpaillage artisanal", "les aciéries",
         "les anciennes digues à résidus", "les résidus de bauxite"],
    ),
    "electronics": (
        [("compteur intelligent", M), ("contrôleur de mini-réseau", M), ("onduleur solaire", M),
         ("système de gestion de batteries", M), ("modem CPL", M)],
        ["les mini-réseaux villageois", "le solaire en toiture", "les tours de télécommunication",
         "les chambres froides", "les véhicules électriques"],
    ),
}  # fmt: skip
GENERIC_WORDS = (
    [("système modulaire", M), ("procédé", M), ("unité compacte", F), ("kit de surveillance", M)],
    ["les petites et moyennes entreprises", "les parcs industriels", "les économies en développement"],
)
ADJECTIVES = [  # (masculine, feminine), placed after the noun
    ("à bas coût", "à bas coût"),
    ("modulaire", "modulaire"),
    ("alimenté à l'énergie solaire", "alimentée à l'énergie solaire"),
    ("compact", "compacte"),
    ("conteneurisé", "conteneurisée"),
    ("à haut rendement", "à haut rendement"),
    ("bas carbone", "bas carbone"),
    ("intelligent", "intelligente"),
    ("portable", "portable"),
    ("open source", "open source"),
    ("économe en eau", "économe en eau"),
    ("évolutif", "évolutive"),
]
BENEFITS = [
    "réduit la consommation d'énergie de {n} %",
    "réduit la consommation d'eau de {n} %",
    "diminue les coûts d'exploitation de {n} %",
    "divise par deux les déchets mis en décharge",
    "évite l'émission de {n} t de CO₂ par an et par unité",
    "augmente les rendements de {n} %",
    "se rentabilise en moins de {y} ans",
    "crée des emplois locaux dans la maintenance et l'assemblage",
]
FEATURES = [  # the technology is the subject
    "se fabrique à partir de pièces disponibles localement",
    "se prend en main après deux jours de formation",
    "se pilote à distance depuis un téléphone mobile",
    "respecte les normes internationales",
    "s'installe en moins d'une semaine",
    "résiste aux climats chauds et poussiéreux",
    "fonctionne sans raccordement au réseau électrique",
    "s'entretient sur place par des techniciens locaux",
]


def _this(thing: str, gender: str) -> str:
    if gender == F:
        return "cette"
    return "cet" if thing[:1].lower() in "aeéèêiouyh" else "ce"


def render(c: "Concept") -> dict[str, str]:
    things, uses = SECTOR_WORDS.get(c.sector, GENERIC_WORDS)
    (thing, gender), use = things[c.thing], uses[c.use]
    adjective = ADJECTIVES[c.adjective][0 if gender == M else 1]
    benefit_a, benefit_b = (BENEFITS[index].format(n=n, y=y) for index, n, y in c.benefits)
    feature_a, feature_b, feature_c = (FEATURES[index] for index in c.features)
    years = f"{c.pilot_years} an" + ("s" if c.pilot_years > 1 else "")
    return {
        "title": sentence(f"{thing} {adjective} pour {use}"),
        "summary": f"{sentence(thing)} pour {use} qui {benefit_a} et {feature_a}.",
        "description": (
            f"La plupart des solutions pour {use} sont coûteuses, énergivores ou importées. "
            f"{sentence(_this(thing, gender))} {thing} {benefit_a} et {benefit_b}.\n\n"
            f"- {sentence(feature_a)}\n- {sentence(feature_b)}\n- {sentence(feature_c)}\n\n"
            f"Des pilotes fonctionnent depuis {years} sur {c.pilot_sites} sites."
        ),
        "advantages": f"Par rapport aux solutions classiques, cette technologie {benefit_b} et {feature_c}.",
    }
