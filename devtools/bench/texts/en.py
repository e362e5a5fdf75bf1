"""English texts of generated listings (the reference lists: every language runs parallel)."""

from typing import TYPE_CHECKING

from .helpers import sentence

if TYPE_CHECKING:
    from .concept import Concept

# Per sector: what the technology is, and what it is for.
SECTOR_WORDS: dict[str, tuple[list[str], list[str]]] = {
    "agro-food-processing": (
        ["solar dryer", "cold-chain unit", "milling line", "hermetic silo", "fermentation reactor", "oil press"],
        ["cassava", "mango", "cocoa beans", "coffee cherries", "fish landing sites", "dairy cooperatives"],
    ),
    "renewable-energy": (
        [
            "biogas digester",
            "solar pump",
            "micro-hydro turbine",
            "biomass gasifier",
            "wind-solar hybrid",
            "PV mini-grid",
        ],
        ["agro-industrial residues", "rural irrigation", "off-grid villages", "sawmills", "tea factories", "clinics"],
    ),
    "energy-efficiency": (
        [
            "heat recovery system",
            "kiln retrofit",
            "variable-speed drive",
            "steam trap monitor",
            "heat pump",
            "LED retrofit",
        ],
        ["brick kilns", "boiler houses", "foundries", "dairies", "compressed-air networks", "textile dyehouses"],
    ),
    "water-wastewater": (
        ["membrane filter", "constructed wetland", "electrocoagulation unit", "UV disinfection unit", "fog collector"],
        [
            "tannery effluent",
            "household drinking water",
            "palm oil mill effluent",
            "municipal sewage",
            "arid villages",
        ],
    ),
    "waste-circular-economy": (
        ["pyrolysis plant", "sorting line", "composting system", "solvolysis process", "upcycling process"],
        ["end-of-life tyres", "plastic packaging", "e-waste", "market waste", "rice straw", "wind turbine blades"],
    ),
    "advanced-materials": (
        ["bio-based composite", "nanocellulose coating", "silica filler", "bioplastic resin", "aerogel insulation"],
        ["food packaging", "automotive parts", "cable insulation", "building panels", "agricultural films"],
    ),
    "chemicals": (
        ["enzymatic process", "green solvent", "bio-based adhesive", "catalytic converter", "biostimulant"],
        ["plywood mills", "pharmaceutical intermediates", "vegetable farms", "paint makers", "leather tanning"],
    ),
    "advanced-manufacturing": (
        ["collaborative robot", "vision-guided sorter", "3D-printing cell", "CNC retrofit kit", "laser cladding unit"],
        ["cashew shelling", "garment sewing", "spare-part repair", "small machine shops", "electronics assembly"],
    ),
    "industrial-digital": (
        ["predictive maintenance platform", "digital twin", "energy dashboard", "IoT sensor kit", "MES for SMEs"],
        ["rotating machines", "spinning mills", "cement plants", "food factories", "water utilities"],
    ),
    "transport-mobility": (
        ["battery swapping station", "electric three-wheeler", "route optimiser", "hydrogen fuel cell", "e-bike kit"],
        ["urban deliveries", "public transport", "last-mile logistics", "port operations", "school transport"],
    ),
    "construction-materials": (
        ["earth block press", "low-clinker binder", "bamboo panel", "recycled aggregate", "insulating plaster"],
        ["affordable housing", "rural schools", "road building", "hot climates", "post-disaster shelters"],
    ),
    "textiles-leather": (
        ["dye recovery system", "waterless dyeing machine", "chrome-free tanning", "fibre recycling line"],
        ["cotton knits", "denim finishing", "leather goods", "garment offcuts", "wool scouring"],
    ),
    "pharma-health": (
        ["paper-based rapid test", "oxygen concentrator", "vaccine cold box", "sterilisation unit", "telemetry patch"],
        ["rural health posts", "maternal care", "malaria screening", "district hospitals", "mobile clinics"],
    ),
    "environmental-monitoring": (
        ["air quality sensor network", "methane leak detector", "water quality probe", "noise mapping system"],
        ["industrial parks", "landfills", "rivers and lakes", "mining areas", "city centres"],
    ),
    "mining-metals": (
        ["bioleaching process", "tailings dewatering unit", "mercury-free gold concentrator", "slag valorisation"],
        ["low-grade copper ore", "artisanal gold mining", "steel plants", "old tailings dams", "bauxite residue"],
    ),
    "electronics": (
        ["smart meter", "mini-grid controller", "solar inverter", "battery management system", "power-line modem"],
        ["village mini-grids", "rooftop solar", "telecom towers", "cold rooms", "electric vehicles"],
    ),
}
GENERIC_WORDS = (
    ["modular system", "process", "compact unit", "monitoring kit"],
    ["small and medium enterprises", "industrial parks", "developing economies"],
)
ADJECTIVES = [
    "Low-cost",
    "Modular",
    "Solar-powered",
    "Compact",
    "Containerised",
    "High-efficiency",
    "Low-carbon",
    "Smart",
    "Portable",
    "Open-source",
    "Water-saving",
    "Scalable",
]
BENEFITS = [
    "cuts energy use by {n} %",
    "reduces water consumption by {n} %",
    "lowers operating costs by {n} %",
    "halves the waste sent to landfill",
    "avoids {n} t of CO₂ a year per unit",
    "raises yields by {n} %",
    "pays back in under {y} years",
    "creates local jobs in maintenance and assembly",
]
FEATURES = [
    "built from locally available parts",
    "operated after two days of training",
    "monitored remotely by mobile phone",
    "certified to international standards",
    "installed in less than a week",
    "designed for hot and dusty climates",
    "able to run without a grid connection",
    "maintained by local technicians",
]


def _plural(n: int, one: str, many: str) -> str:
    return f"{n} {one if n == 1 else many}"


def render(c: "Concept") -> dict[str, str]:
    things, uses = SECTOR_WORDS.get(c.sector, GENERIC_WORDS)
    thing, use = things[c.thing], uses[c.use]
    benefit_a, benefit_b = (BENEFITS[index].format(n=n, y=y) for index, n, y in c.benefits)
    feature_a, feature_b, feature_c = (FEATURES[index] for index in c.features)
    return {
        "title": f"{ADJECTIVES[c.adjective]} {thing} for {use}",
        "summary": f"{sentence(thing)} for {use} that {benefit_a}. It is {feature_a}.",
        "description": (
            f"Most solutions for {use} are costly, energy-hungry or imported. This {thing} "
            f"{benefit_a} and {benefit_b}.\n\n"
            f"- {sentence(feature_a)}\n- {sentence(feature_b)}\n- {sentence(feature_c)}\n\n"
            f"Pilots have run for {_plural(c.pilot_years, 'year', 'years')} at {c.pilot_sites} sites."
        ),
        "advantages": f"Compared with conventional solutions, it {benefit_b}. It is {feature_c}.",
    }
