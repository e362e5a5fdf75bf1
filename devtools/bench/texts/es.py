"""Spanish texts of generated listings, parallel to the English lists (en.py).

A thing is (text, gender); the adjective follows it and agrees with its head noun."""

from typing import TYPE_CHECKING

from .helpers import sentence

if TYPE_CHECKING:
    from .concept import Concept

M, F = "m", "f"

SECTOR_WORDS: dict[str, tuple[list[tuple[str, str]], list[str]]] = {
    "agro-food-processing": (
        [("secador solar", M), ("unidad de cadena de frío", F), ("línea de molienda", F),
         ("silo hermético", M), ("reactor de fermentación", M), ("prensa de aceite", F)],
        ["la yuca", "el mango", "los granos de cacao", "las cerezas de café",
         "los puntos de desembarque pesquero", "las cooperativas lecheras"],
    ),
    "renewable-energy": (
        [("biodigestor", M), ("bomba solar", F), ("microturbina hidráulica", F),
         ("gasificador de biomasa", M), ("sistema híbrido eólico-solar", M), ("minirred fotovoltaica", F)],
        ["los residuos agroindustriales", "el riego rural", "las aldeas sin conexión a la red", "los aserraderos",
         "las fábricas de té", "las clínicas"],
    ),
    "energy-efficiency": (
        [("sistema de recuperación de calor", M), ("kit de modernización de hornos", M),
         ("variador de velocidad", M), ("monitor de purgadores de vapor", M), ("bomba de calor", F),
         ("kit de iluminación LED", M)],
        ["los hornos de ladrillo", "las salas de calderas", "las fundiciones", "las centrales lecheras",
         "las redes de aire comprimido", "las tintorerías textiles"],
    ),
    "water-wastewater": (
        [("filtro de membrana", M), ("humedal artificial", M), ("unidad de electrocoagulación", F),
         ("unidad de desinfección UV", F), ("atrapanieblas", M)],
        ["los efluentes de curtiembre", "el agua potable de los hogares",
         "los efluentes de las extractoras de aceite de palma", "las aguas residuales municipales",
         "las aldeas de zonas áridas"],
    ),
    "waste-circular-economy": (
        [("planta de pirólisis", F), ("línea de clasificación", F), ("sistema de compostaje", M),
         ("proceso de solvólisis", M), ("proceso de suprarreciclaje", M)],
        ["los neumáticos fuera de uso", "los envases de plástico", "los residuos electrónicos",
         "los residuos de mercado", "la paja de arroz", "las palas de aerogeneradores"],
    ),
    "advanced-materials": (
        [("compuesto de origen biológico", M), ("recubrimiento de nanocelulosa", M), ("carga de sílice", F),
         ("resina bioplástica", F), ("aislamiento de aerogel", M)],
        ["los envases de alimentos", "las piezas de automóvil", "el aislamiento de cables",
         "los paneles de construcción", "las películas agrícolas"],
    ),
    "chemicals": (
        [("proceso enzimático", M), ("disolvente verde", M), ("adhesivo de origen biológico", M),
         ("convertidor catalítico", M), ("bioestimulante", M)],
        ["las fábricas de contrachapado", "los intermedios farmacéuticos", "las explotaciones hortícolas",
         "los fabricantes de pintura", "el curtido del cuero"],
    ),
    "advanced-manufacturing": (
        [("robot colaborativo", M), ("clasificadora con visión artificial", F), ("célula de impresión 3D", F),
         ("kit de modernización CNC", M), ("unidad de recubrimiento por láser", F)],
        ["el descascarado de anacardos", "la confección de prendas", "la reparación de repuestos",
         "los pequeños talleres mecánicos", "el montaje electrónico"],
    ),
    "industrial-digital": (
        [("plataforma de mantenimiento predictivo", F), ("gemelo digital", M),
         ("panel de control energético", M), ("kit de sensores IoT", M), ("MES para pymes", M)],
        ["las máquinas rotativas", "las hilanderías", "las cementeras", "las fábricas de alimentos",
         "las empresas de agua"],
    ),
    "transport-mobility": (
        [("estación de intercambio de baterías", F), ("triciclo eléctrico", M), ("optimizador de rutas", M),
         ("pila de combustible de hidrógeno", F), ("kit de bicicleta eléctrica", M)],
        ["los repartos urbanos", "el transporte público", "la logística de última milla",
         "las operaciones portuarias", "el transporte escolar"],
    ),
    "construction-materials": (
        [("prensa de bloques de tierra", F), ("aglomerante bajo en clínker", M), ("panel de bambú", M),
         ("árido reciclado", M), ("revoque aislante", M)],
        ["la vivienda asequible", "las escuelas rurales", "la construcción de carreteras", "los climas cálidos",
         "los refugios tras desastres"],
    ),
    "textiles-leather": (
        [("sistema de recuperación de tintes", M), ("máquina de teñido sin agua", F),
         ("curtido sin cromo", M), ("línea de reciclaje de fibras", F)],
        ["los tejidos de punto de algodón", "el acabado del denim", "los artículos de cuero",
         "los retales de confección", "el lavado de la lana"],
    ),
    "pharma-health": (
        [("prueba rápida en papel", F), ("concentrador de oxígeno", M), ("caja fría para vacunas", F),
         ("unidad de esterilización", F), ("parche de telemetría", M)],
        ["los puestos de salud rurales", "la atención materna", "la detección de la malaria",
         "los hospitales de distrito", "las clínicas móviles"],
    ),
    "environmental-monitoring": (
        [("red de sensores de calidad del aire", F), ("detector de fugas de metano", M),
         ("sonda de calidad del agua", F), ("sistema de mapeo de ruido", M)],
        ["los parques industriales", "los vertederos", "los ríos y lagos", "las zonas mineras",
         "los centros urbanos"],
    ),
    "mining-metals": (
        [("proceso de biolixiviación", M), ("unidad de deshidratación de relaves", F),
         ("concentrador de oro sin mercurio", M), ("proceso de valorización de escorias", M)],
        ["el mineral de cobre de baja ley", "la minería artesanal de oro", "las acerías",
         "los antiguos depósitos de relaves", "los residuos de bauxita"],
    ),
    "electronics": (
        [("contador inteligente", M), ("controlador de minirred", M), ("inversor solar", M),
         ("sistema de gestión de baterías", M), ("módem PLC", M)],
        ["las minirredes rurales", "las instalaciones solares en tejados", "las torres de telecomunicaciones",
         "las cámaras frigoríficas", "los vehículos eléctricos"],
    ),
}  # fmt: skip
GENERIC_WORDS = (
    [("sistema modular", M), ("proceso", M), ("unidad compacta", F), ("kit de monitoreo", M)],
    ["las pequeñas y medianas empresas", "los parques industriales", "las economías en desarrollo"],
)
ADJECTIVES = [  # (masculine, feminine), placed after the noun
    ("de bajo coste", "de bajo coste"),
    ("modular", "modular"),
    ("alimentado por energía solar", "alimentada por energía solar"),
    ("compacto", "compacta"),
    ("en contenedor", "en contenedor"),
    ("de alta eficiencia", "de alta eficiencia"),
    ("bajo en carbono", "baja en carbono"),
    ("inteligente", "inteligente"),
    ("portátil", "portátil"),
    ("de código abierto", "de código abierto"),
    ("ahorrador de agua", "ahorradora de agua"),
    ("escalable", "escalable"),
]
BENEFITS = [
    "reduce el consumo de energía en un {n} %",
    "reduce el consumo de agua en un {n} %",
    "rebaja los costes de operación en un {n} %",
    "reduce a la mitad los residuos que van al vertedero",
    "evita la emisión de {n} t de CO₂ al año por unidad",
    "aumenta los rendimientos en un {n} %",
    "se amortiza en menos de {y} años",
    "crea empleo local en mantenimiento y montaje",
]
FEATURES = [  # the technology is the subject
    "se fabrica con piezas disponibles localmente",
    "se maneja tras dos días de formación",
    "se supervisa a distancia desde el teléfono móvil",
    "cumple las normas internacionales",
    "se instala en menos de una semana",
    "resiste climas cálidos y polvorientos",
    "funciona sin conexión a la red eléctrica",
    "se mantiene con técnicos locales",
]


def render(c: "Concept") -> dict[str, str]:
    things, uses = SECTOR_WORDS.get(c.sector, GENERIC_WORDS)
    (thing, gender), use = things[c.thing], uses[c.use]
    adjective = ADJECTIVES[c.adjective][0 if gender == M else 1]
    benefit_a, benefit_b = (BENEFITS[index].format(n=n, y=y) for index, n, y in c.benefits)
    feature_a, feature_b, feature_c = (FEATURES[index] for index in c.features)
    this = "este" if gender == M else "esta"
    years = f"{c.pilot_years} año" + ("s" if c.pilot_years > 1 else "")
    return {
        "title": sentence(f"{thing} {adjective} para {use}"),
        "summary": f"{sentence(thing)} para {use} que {benefit_a} y {feature_a}.",
        "description": (
            f"La mayoría de las soluciones para {use} son caras, consumen mucha energía o son importadas. "
            f"{sentence(this)} {thing} {benefit_a} y {benefit_b}.\n\n"
            f"- {sentence(feature_a)}\n- {sentence(feature_b)}\n- {sentence(feature_c)}\n\n"
            f"Hay pilotos en funcionamiento desde hace {years} en {c.pilot_sites} emplazamientos."
        ),
        "advantages": f"Frente a las soluciones convencionales, esta tecnología {benefit_b} y {feature_c}.",
    }
