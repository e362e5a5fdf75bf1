# ruff: noqa: RUF001, RUF003 -- texts in six languages: full-width Chinese punctuation, Cyrillic and Arabic letters
"""Listings and queries of the multilingual search yardstick (test_search_languages.py).

LISTINGS: published technologies written in each of the six languages of the portal
(`original_language`), a third of them translated into one to three other languages
(`<field>_i18n_<lang>` columns; the original's own language stays empty).

QUERIES: what a reader of each language would type, and what they expect:
`must_return` holds every listing that contains the words (or an inflection, an accent-less
spelling, a one-letter typo of them, or their translation), in its title, summary or
description; `must_not_return` holds listings of the same language on another topic.
The language "zh+latin" groups queries that mix Latin and Chinese in one string.
"""

from typing import NamedTuple

LANGUAGE_FIELDS = {"ar": "ar", "zh-hans": "zh_hans", "en": "en", "fr": "fr", "ru": "ru", "es": "es"}


def listing(slug, language, title, summary, description, translations=None):
    """The keyword arguments of TechnologyFactory for one listing.

    `translations` maps a language code to (title, summary, description); a text left
    empty is not translated."""
    fields = {
        "slug": slug,
        "original_language": language,
        "title": title,
        "summary": summary,
        "description": description,
    }
    for code, texts in (translations or {}).items():
        assert code != language, f"{slug}: a translation into the original's own language"
        for field, text in zip(("title", "summary", "description"), texts, strict=True):
            if text:
                fields[f"{field}_i18n_{LANGUAGE_FIELDS[code]}"] = text
    return fields


LISTINGS = [
    # ----------------------------------------------------------------- English originals
    listing(
        "en-biogas-dairy",
        "en",
        "Anaerobic biogas digester for dairy farms",
        "A fixed-dome digester that turns cow manure into biogas for cooking, water heating and milk "
        "cooling, and leaves a nutrient-rich slurry for the fields.",
        "One 50 m³ digester serves a herd of about 100 cows. The biogas fuels a 20 kW generator set and "
        "the farm's milk chillers; the digestate replaces part of the mineral fertiliser. Methane "
        "emissions from open manure lagoons drop by about 70 %.",
        {
            "zh-hans": (
                "用于奶牛场的厌氧沼气池",
                "固定拱顶式沼气池将牛粪转化为沼气，用于炊事、热水和牛奶冷却，剩余的沼液沼渣可作为农田肥料。",
                "一座50立方米的沼气池可满足约100头奶牛的牧场。沼气驱动20千瓦发电机组和牛奶冷却罐；"
                "沼渣可替代部分化肥。与露天粪污塘相比，甲烷排放减少约70%。",
            ),
            "fr": (
                "Digesteur anaérobie de biogaz pour fermes laitières",
                "Un digesteur à dôme fixe transforme le fumier des vaches en biogaz pour la cuisson, l'eau "
                "chaude et le refroidissement du lait ; le digestat fertilise les champs.",
                "Un digesteur de 50 m³ suffit pour un troupeau d'environ 100 vaches. Le biogaz alimente un "
                "groupe électrogène de 20 kW et les refroidisseurs à lait ; le digestat remplace une partie "
                "des engrais minéraux.",
            ),
        },
    ),
    listing(
        "en-tunnel-dryer",
        "en",
        "Solar tunnel dryer for fruit and vegetables",
        "A tunnel dryer covered with UV-stabilised polyethylene; a small photovoltaic panel drives the "
        "fans. Dries mangoes, tomatoes and chillies in two days instead of a week in the open sun.",
        "The tunnel is 18 m long and 2 m wide and holds 400 kg of fresh produce on mesh trays. Air warmed "
        "in the collector section passes over the trays and leaves through a chimney. Insects and dust "
        "stay out, so the dried fruit meets export standards.",
        {
            "zh-hans": (
                "果蔬太阳能隧道干燥机",
                "隧道式干燥机覆盖抗紫外线聚乙烯薄膜，由小型光伏板驱动风机。芒果、番茄和辣椒两天即可晒干，"
                "而露天晾晒需要一周。",
                "隧道长18米、宽2米，网盘上可摆放400公斤新鲜果蔬。集热段加热的空气流经物料后从烟囱排出。"
                "干燥过程隔绝昆虫和灰尘，果干可达到出口标准。",
            ),
        },
    ),
    listing(
        "en-desalination",
        "en",
        "Solar desalination units for island communities",
        "Modular stills that turn sea water into drinking water by solar evaporation and condensation; "
        "each module supplies 500 litres a day without fuel or membranes.",
        "Black basins heat a thin layer of sea water under a sloped glass cover. The vapour condenses on "
        "the glass and runs into a clean-water channel. A village of 300 people needs about twelve "
        "modules. The brine is diluted and returned to the sea.",
        {
            "ar": (
                "وحدات تحلية مياه البحر بالطاقة الشمسية للمجتمعات الجزرية",
                "مقطرات معيارية تحول مياه البحر إلى مياه شرب بالتبخير والتكثيف الشمسي، وتنتج كل وحدة 500 "
                "لتر يوميا دون وقود أو أغشية.",
                "",
            ),
            "es": (
                "Desalinización solar para comunidades insulares",
                "Destiladores modulares que convierten el agua de mar en agua potable mediante evaporación y "
                "condensación solar; cada módulo produce 500 litros al día sin combustible ni membranas.",
                "",
            ),
        },
    ),
    listing(
        "en-ev-charging",
        "en",
        "Solar charging station for electric three-wheelers",
        "A canopy of photovoltaic panels with a battery bank charges up to eight electric auto-rickshaws "
        "at a time, so drivers stop paying for diesel.",
        "The station stores 60 kWh in second-life lithium batteries and swaps depleted packs in under "
        "five minutes. Fleet operators track every battery through a mobile app.",
    ),
    listing(
        "en-dyehouse-heat-recovery",
        "en",
        "Heat recovery from textile dyeing wastewater",
        "A self-cleaning plate heat exchanger recovers heat from hot dyeing wastewater to preheat fresh "
        "process water, cutting the boiler's fuel use by up to 30 %.",
        "The exchanger handles lint-laden effluent at 60–90 °C and is cleaned automatically every hour. "
        "A mid-size dyehouse saves about 2,000 tonnes of steam a year and discharges cooler wastewater "
        "to the treatment plant.",
    ),
    # ----------------------------------------------------------------- Chinese originals
    listing(
        "zh-tunnel-dryer",
        "zh-hans",
        "太阳能辅助隧道式干燥机",
        "以太阳能集热器为主、生物质热风炉为辅，连续干燥辣椒、枸杞和茶叶，能耗比传统燃煤烘房降低六成。",
        "干燥隧道长20米，料车沿轨道依次推进，热风与物料逆向流动。晴天由太阳能集热器供热，"
        "阴雨天自动切换至生物质热风炉，保证干燥品质稳定。",
        {
            "en": (
                "Solar-assisted tunnel dryer",
                "Solar collectors, backed by a biomass hot-air furnace, continuously dry chillies, goji "
                "berries and tea and burn 60 % less fuel than coal-fired drying rooms.",
                "",
            ),
        },
    ),
    listing(
        "zh-pm25-sensor",
        "zh-hans",
        "低成本 PM2.5 传感器空气质量监测站",
        "采用激光散射原理的 PM2.5 传感器，由太阳能板供电，通过 4G 网络每分钟上传一次颗粒物浓度，"
        "适用于工业园区、学校和砖厂周边。",
        "每台监测站同时测量 PM2.5、PM10、温度和湿度，数据经与标准仪器比对校准，误差小于15%。",
    ),
    listing(
        "zh-lora-cold-storage",
        "zh-hans",
        "基于 LoRa 传感器的冷库温度监测系统",
        "在冷库和冷藏车内布置 LoRa 传感器，实时监测温度和湿度，超限时发送短信报警，电池寿命长达五年。",
        "一个网关可覆盖两公里范围内上百个传感器节点，适用于果蔬批发市场和乳品企业的冷链管理。",
        {
            "en": (
                "Cold-storage temperature monitoring with LoRa sensors",
                "LoRa sensors in cold rooms and refrigerated trucks report temperature and humidity in real "
                "time and send a text alert when limits are exceeded; batteries last five years.",
                "",
            ),
            "ru": (
                "Мониторинг температуры в холодильных камерах с датчиками LoRa",
                "Датчики LoRa в холодильных камерах и рефрижераторах передают температуру и влажность в "
                "реальном времени и присылают СМС при выходе за пределы; батареи служат пять лет.",
                "",
            ),
        },
    ),
    listing(
        "zh-rice-husk-gasifier",
        "zh-hans",
        "稻壳气化发电系统",
        "碾米厂的稻壳在下吸式固定床气化炉中转化为可燃气，驱动燃气内燃机发电，既满足碾米厂自身用电，又可向电网售电。",
        "每吨稻壳可发电约800千瓦时。气化后的稻壳灰富含无定形二氧化硅，可出售给水泥厂和钢厂。",
        {
            "en": (
                "Rice husk gasification for power generation",
                "A downdraft fixed-bed gasifier turns the husks of a rice mill into combustible gas that "
                "drives a gas engine; the mill covers its own electricity needs and sells the surplus to "
                "the grid.",
                "",
            ),
        },
    ),
    # ------------------------------------------------------------------ French originals
    listing(
        "fr-grain-dryer",
        "fr",
        "Séchoir solaire à céréales pour coopératives",
        "Un séchoir à convection naturelle qui sèche le maïs, le mil et le sorgho juste après la récolte "
        "et divise par deux les pertes de céréales.",
        "L'air chauffé sous une tôle noire traverse les claies de grains. Le séchoir, construit en bois et "
        "en tôle, traite une tonne de céréales par jour et se répare avec des matériaux locaux.",
        {
            "en": (
                "Solar cereal dryer for cooperatives",
                "A natural-convection dryer that dries maize, millet and sorghum right after harvest and "
                "halves grain losses.",
                "",
            ),
            "es": (
                "Secador solar de cereales para cooperativas",
                "Un secador de convección natural que seca el maíz, el mijo y el sorgo justo después de la "
                "cosecha y reduce a la mitad las pérdidas de cereales.",
                "",
            ),
        },
    ),
    listing(
        "fr-brick-kiln",
        "fr",
        "Four à briques en zigzag à tirage forcé",
        "Le four en zigzag réduit de 40 % la consommation de charbon et de moitié les émissions de "
        "particules fines des briqueteries artisanales.",
        "Un ventilateur crée un tirage forcé qui fait circuler le feu en zigzag entre les rangées de "
        "briques crues. La cuisson est plus homogène : moins de briques cassées, plus de briques de "
        "premier choix.",
    ),
    listing(
        "fr-reed-bed",
        "fr",
        "Épuration des eaux usées par filtres plantés de roseaux",
        "Des filtres plantés de roseaux traitent les eaux usées des villages et des petites fromageries "
        "sans électricité ni produits chimiques.",
        "Les eaux usées traversent deux étages de filtres en gravier plantés de roseaux. Les racines "
        "aèrent le massif et les bactéries dégradent la matière organique. Entretien : un faucardage "
        "par an.",
    ),
    listing(
        "fr-cold-room",
        "fr",
        "Chambre froide solaire pour coopératives maraîchères",
        "Une chambre froide alimentée par des panneaux photovoltaïques conserve fruits et légumes à 4 °C "
        "sans réseau électrique ; l'énergie est stockée sous forme de glace.",
        "Le froid produit pendant la journée est stocké dans des réservoirs de glace qui maintiennent la "
        "température la nuit. Une chambre de 20 m³ évite de perdre la moitié des tomates invendues.",
        {
            "en": (
                "Solar cold room for vegetable cooperatives",
                "A cold room powered by photovoltaic panels keeps fruit and vegetables at 4 °C off the "
                "grid; the energy is stored as ice.",
                "",
            ),
            "es": (
                "Cámara frigorífica solar para cooperativas hortícolas",
                "Una cámara frigorífica alimentada por paneles fotovoltaicos conserva frutas y verduras a "
                "4 °C sin conexión a la red; la energía se almacena en forma de hielo.",
                "",
            ),
        },
    ),
    # ----------------------------------------------------------------- Spanish originals
    listing(
        "es-biodigester-dairy",
        "es",
        "Biodigestor tubular para granjas lecheras",
        "Convierte el estiércol de las vacas en biogás para la caldera de la quesería y en biol, un abono "
        "líquido para los potreros.",
        "El biodigestor de geomembrana se instala en una zanja y recibe cada mañana el estiércol lavado "
        "de los establos. Una explotación de 60 vacas obtiene gas suficiente para pasteurizar la leche y "
        "reduce sus emisiones de metano.",
        {
            "fr": (
                "Biodigesteur tubulaire pour fermes laitières",
                "Transforme le fumier des vaches en biogaz pour la chaudière de la fromagerie et en biol, un "
                "engrais liquide pour les pâturages.",
                "",
            ),
        },
    ),
    listing(
        "es-solar-pumping",
        "es",
        "Bombeo solar para riego por goteo",
        "Una bomba sumergible alimentada con energía solar fotovoltaica riega hasta cinco hectáreas por "
        "goteo sin gasóleo ni conexión a la red.",
        "El controlador ajusta la velocidad de la bomba a la radiación disponible y un depósito elevado "
        "almacena el agua para las horas sin sol. Los agricultores se ahorran el combustible y el "
        "mantenimiento de las motobombas diésel.",
    ),
    listing(
        "es-low-carbon-cement",
        "es",
        "Cemento de bajo carbono con arcilla calcinada y caliza",
        "Sustituye la mitad del clínker por arcilla calcinada y piedra caliza, con lo que las cementeras "
        "reducen hasta un 40 % sus emisiones de CO2 y su consumo de energía.",
        "La arcilla se calcina a 800 °C, muy por debajo de los 1450 °C del clínker, en hornos rotatorios "
        "existentes. El cemento resultante cumple las normas de resistencia para bloques, losas y "
        "morteros.",
    ),
    listing(
        "es-ceramic-filter",
        "es",
        "Filtro de cerámica para agua potable",
        "Filtros de barro cocido impregnados con plata coloidal que eliminan más del 99 % de las bacterias "
        "del agua de consumo en los hogares rurales.",
        "Cada filtro produce de 20 a 30 litros de agua potable al día y dura unos dos años. Talleres "
        "locales los fabrican con barro, aserrín y una prensa manual.",
    ),
    # ----------------------------------------------------------------- Russian originals
    listing(
        "ru-biogas-reactor",
        "ru",
        "Биогазовый реактор для животноводческих ферм",
        "Реактор перерабатывает навоз крупного рогатого скота в горючий газ и жидкое органическое "
        "удобрение; газ отапливает коровники и теплицы.",
        "Реактор с подогревом и перемешиванием рассчитан на ферму на 400 голов. Метан, который раньше "
        "уходил в атмосферу из навозохранилищ, теперь сжигается в котле.",
    ),
    listing(
        "ru-membrane-bioreactor",
        "ru",
        "Мембранный биореактор для очистки сточных вод",
        "Компактная установка очищает сточные воды молочных и мясоперерабатывающих заводов до норм "
        "сброса в водоём; мембраны задерживают бактерии и взвешенные частицы.",
        "Половолоконные мембраны погружены прямо в аэротенк, поэтому установка занимает втрое меньше "
        "места, чем классические очистные сооружения. Очищенную воду используют для мойки оборудования.",
    ),
    listing(
        "ru-electric-tricycle",
        "ru",
        "Электрический грузовой трицикл для городской доставки",
        "Трицикл с литий-железо-фосфатной батареей перевозит до 500 кг груза на 80 км без подзарядки и "
        "заменяет дизельные фургоны на последней миле.",
        "Сменная батарея заряжается за четыре часа от обычной розетки. Служба доставки в Казани "
        "сократила расходы на топливо в шесть раз.",
        {
            "en": (
                "Electric cargo tricycle for urban delivery",
                "A tricycle with a lithium iron phosphate battery carries up to 500 kg for 80 km on one "
                "charge and replaces diesel vans on the last mile.",
                "",
            ),
        },
    ),
    listing(
        "ru-cement-waste-heat",
        "ru",
        "Утилизация сбросного тепла цементных печей",
        "Котёл-утилизатор использует тепло отходящих газов вращающейся печи и вырабатывает до 30 % "
        "электроэнергии, которую потребляет цементный завод.",
        "Пар из котла вращает турбину мощностью 6 МВт. Установка окупается за четыре года и сокращает "
        "выбросы углекислого газа на 40 тысяч тонн в год.",
    ),
    # ------------------------------------------------------------------ Arabic originals
    listing(
        "ar-solar-dryer",
        "ar",
        "مجفف شمسي للتمور والخضروات",
        "مجفف يعمل بالطاقة الشمسية يجفف التمور والطماطم والبامية بسرعة ونظافة، ويخفض الفاقد بعد الحصاد إلى النصف.",
        "يسخن الهواء في مجمع شمسي أسود ثم يمر عبر رفوف شبكية تحمل الثمار. يحمي الغطاء الشفاف المنتج من "
        "الغبار والحشرات، ويصنع المجفف من مواد متوفرة محليا.",
        {
            "fr": (
                "Séchoir solaire pour dattes et légumes",
                "Un séchoir solaire qui sèche rapidement et proprement les dattes, les tomates et le gombo, "
                "et réduit de moitié les pertes après récolte.",
                "",
            ),
        },
    ),
    listing(
        "ar-desalination-ro",
        "ar",
        "وحدة تحلية بالتناضح العكسي تعمل بالطاقة الشمسية",
        "تنتج الوحدة عشرة أمتار مكعبة من مياه الشرب يوميا من المياه الجوفية المالحة أو من مياه البحر، "
        "للقرى الساحلية والنائية.",
        "تعمل مضخات الضغط العالي مباشرة من الألواح الشمسية دون بطاريات، ويستعيد مبادل ضغط جزءا من طاقة "
        "المحلول الملحي المرفوض.",
    ),
    listing(
        "ar-constructed-wetland",
        "ar",
        "معالجة مياه الصرف الصحي بالأراضي الرطبة المشيدة",
        "نظام طبيعي يعالج مياه الصرف الصحي في القرى الصغيرة بالنباتات والحصى دون كهرباء، وتستخدم المياه "
        "المعالجة في ري الأشجار.",
        "تتدفق المياه أفقيا تحت سطح حوض من الحصى مزروع بالقصب، وتحلل البكتيريا العالقة بالجذور المواد "
        "العضوية وتزيل جزءا كبيرا من النيتروجين.",
    ),
    listing(
        "ar-brick-kiln",
        "ar",
        "فرن نفقي موفر للطاقة لحرق الطوب",
        "فرن نفقي مستمر لحرق الطوب الطيني يخفض استهلاك الوقود بنسبة 35٪ ويقلل انبعاثات الدخان الأسود من مصانع الطوب.",
        "تتحرك عربات الطوب داخل نفق طويل عبر مناطق التسخين المسبق والحرق والتبريد، ويستعاد الهواء الساخن "
        "من منطقة التبريد لتسخين هواء الاحتراق.",
    ),
]

SLUGS = [fields["slug"] for fields in LISTINGS]
LANGUAGE_OF = {fields["slug"]: fields["original_language"] for fields in LISTINGS}
ORIGINALS = {code: {slug for slug, language in LANGUAGE_OF.items() if language == code} for code in LANGUAGE_FIELDS}


class Query(NamedTuple):
    language: str
    query: str
    must_return: frozenset
    must_not_return: frozenset


def q(language, query, must_return=(), must_not_return=()):
    return Query(language, query, frozenset(must_return), frozenset(must_not_return))


# A wrong result that is a known limit of the analysis (docs/SEARCH.md): the row is checked
# to go wrong exactly so, and a fix shows up here as a failure to remove the entry.
KNOWN_WRONG: dict[str, tuple[set[str], str]] = {}

TUNNEL_DRYERS = {"zh-tunnel-dryer", "en-tunnel-dryer"}
EN, ZH, FR, ES, RU, AR = (ORIGINALS[code] for code in ("en", "zh-hans", "fr", "es", "ru", "ar"))

QUERIES = [
    # ------------------------------------------------------------------------- English
    q("en", "biogas digesters", {"en-biogas-dairy"}, {"en-desalination", "en-ev-charging"}),  # plural
    q("en", "dairy farm", {"en-biogas-dairy"}, {"en-tunnel-dryer"}),  # singular of "farms"
    q("en", "anaerobic digestion", {"en-biogas-dairy"}, {"en-dyehouse-heat-recovery"}),  # digester
    q("en", "tunnel dryers", TUNNEL_DRYERS, {"en-desalination"}),  # one via its English translation
    q("en", "drying vegetables", {"en-tunnel-dryer"}, {"en-biogas-dairy"}),  # dries, dried
    q("en", "desalinaton", {"en-desalination"}, {"en-tunnel-dryer", "en-ev-charging"}),  # typo
    q("en", "sea water", {"en-desalination"}, {"en-dyehouse-heat-recovery"}),
    q("en", "electric three wheeler", {"en-ev-charging"}, {"en-biogas-dairy"}),  # three-wheelers
    q("en", "charging stations", {"en-ev-charging"}, {"en-desalination"}),
    q("en", "textile dyehouses", {"en-dyehouse-heat-recovery"}, {"en-tunnel-dryer"}),
    q("en", "wastewater heat recovery", {"en-dyehouse-heat-recovery"}, {"en-desalination"}),
    q("en", "photovoltaic panel", {"en-tunnel-dryer", "en-ev-charging", "fr-cold-room"}, {"en-biogas-dairy"}),
    q("en", "batteries", {"en-ev-charging", "ru-electric-tricycle", "zh-lora-cold-storage"}, {"en-desalination"}),
    # Only a translation answers these.
    q("en", "cereal dryer", {"fr-grain-dryer"}, {"en-desalination"}),
    q("en", "cold rooms", {"fr-cold-room", "zh-lora-cold-storage"}, {"en-tunnel-dryer"}),
    q("en", "rice husk gasifier", {"zh-rice-husk-gasifier"}, {"en-biogas-dairy"}),
    q("en", "electric tricycles", {"ru-electric-tricycle"}, {"en-desalination"}),
    q("en", "temperture monitoring", {"zh-lora-cold-storage"}, {"en-ev-charging"}),  # typo, translation
    q("en", "wind turbine blades", (), EN),  # nothing about wind
    # ------------------------------------------------------------------------- Chinese
    q("zh", "干燥机", TUNNEL_DRYERS, {"zh-pm25-sensor", "zh-rice-husk-gasifier"}),  # inside 隧道式干燥机
    q("zh", "隧道式干燥", TUNNEL_DRYERS, {"zh-lora-cold-storage"}),
    q("zh", "干燥", TUNNEL_DRYERS, {"zh-pm25-sensor"}),
    q("zh", "隧道", TUNNEL_DRYERS, {"zh-rice-husk-gasifier"}),
    q("zh", "辣椒", TUNNEL_DRYERS, {"zh-lora-cold-storage"}),
    q("zh", "沼气", {"en-biogas-dairy"}, {"zh-rice-husk-gasifier"}),  # 可燃气 is not 沼气
    q("zh", "奶牛场", {"en-biogas-dairy"}, {"zh-lora-cold-storage"}),
    q("zh", "厌氧", {"en-biogas-dairy"}, {"zh-rice-husk-gasifier"}),
    q("zh", "牛粪", {"en-biogas-dairy"}, {"zh-tunnel-dryer"}),
    q("zh", "冷库", {"zh-lora-cold-storage"}, {"zh-tunnel-dryer"}),
    q("zh", "冷藏车", {"zh-lora-cold-storage"}, {"zh-rice-husk-gasifier"}),
    q("zh", "温度监测", {"zh-lora-cold-storage"}, {"zh-tunnel-dryer"}),
    q("zh", "空气质量", {"zh-pm25-sensor"}, {"zh-lora-cold-storage"}),
    q("zh", "稻壳气化", {"zh-rice-husk-gasifier"}, {"zh-pm25-sensor"}),
    q("zh", "稻壳 发电", {"zh-rice-husk-gasifier"}, {"zh-tunnel-dryer"}),
    q("zh", "太阳能", TUNNEL_DRYERS | {"zh-pm25-sensor"}, {"zh-lora-cold-storage", "zh-rice-husk-gasifier"}),
    # Wind turbines: no listing. (The rice-husk power plant shares 发电, "power generation",
    # and may be offered as a partial match; the other Chinese listings may not.)
    q("zh", "风力发电机", (), ZH - {"zh-rice-husk-gasifier"}),
    # ------------------------------------------------------------ Latin and Chinese mixed
    q("zh+latin", "PM2.5 传感器", {"zh-pm25-sensor"}, {"zh-lora-cold-storage"}),
    q("zh+latin", "LoRa 传感器", {"zh-lora-cold-storage"}, {"zh-pm25-sensor"}),
    q("zh+latin", "PM2.5传感器", {"zh-pm25-sensor"}, {"zh-lora-cold-storage"}),
    q("zh+latin", "LoRa传感器", {"zh-lora-cold-storage"}, {"zh-pm25-sensor"}),
    q("zh+latin", "LoRa 冷库", {"zh-lora-cold-storage"}, {"zh-pm25-sensor"}),
    q("zh+latin", "PM2.5 监测站", {"zh-pm25-sensor"}, {"zh-lora-cold-storage"}),
    q("zh+latin", "PM10", {"zh-pm25-sensor"}, {"zh-lora-cold-storage"}),
    q("zh+latin", "LoRa", {"zh-lora-cold-storage"}, {"zh-pm25-sensor"}),
    # -------------------------------------------------------------------------- French
    q("fr", "séchoirs", {"fr-grain-dryer", "ar-solar-dryer"}, {"fr-brick-kiln", "fr-reed-bed"}),  # plural
    q("fr", "sechoir", {"fr-grain-dryer", "ar-solar-dryer"}, {"fr-cold-room"}),  # no accent
    q("fr", "cereale", {"fr-grain-dryer"}, {"fr-cold-room"}),  # céréales
    q("fr", "sechoir cereales", {"fr-grain-dryer"}, {"fr-brick-kiln"}),
    q("fr", "eau usée", {"fr-reed-bed"}, {"fr-cold-room"}),  # eaux usées
    q("fr", "epuration", {"fr-reed-bed"}, {"fr-grain-dryer"}),  # Épuration
    q("fr", "roseau", {"fr-reed-bed"}, {"fr-brick-kiln"}),  # roseaux
    q("fr", "fours à brique", {"fr-brick-kiln"}, {"fr-reed-bed"}),
    q("fr", "briquetterie", {"fr-brick-kiln"}, {"fr-grain-dryer"}),  # typo of briqueteries
    q("fr", "particules fines", {"fr-brick-kiln"}, {"fr-cold-room"}),
    q("fr", "chambres froides", {"fr-cold-room"}, {"fr-brick-kiln"}),  # chambre froide
    q("fr", "panneau photovoltaique", {"fr-cold-room"}, {"fr-brick-kiln"}),  # panneaux photovoltaïques
    q("fr", "coopérative", {"fr-grain-dryer", "fr-cold-room"}, {"fr-reed-bed"}),
    q("fr", "fromagerie", {"fr-reed-bed", "es-biodigester-dairy"}, {"fr-grain-dryer"}),
    # Only a French translation answers these.
    q("fr", "ferme laitière", {"en-biogas-dairy", "es-biodigester-dairy"}, {"fr-cold-room"}),
    q("fr", "biogaz", {"en-biogas-dairy", "es-biodigester-dairy"}, {"fr-reed-bed"}),
    q("fr", "dattes", {"ar-solar-dryer"}, {"fr-grain-dryer"}),
    # ------------------------------------------------------------------------- Spanish
    q("es", "granja lechera", {"es-biodigester-dairy"}, {"es-ceramic-filter"}),  # granjas lecheras
    q("es", "estiercol", {"es-biodigester-dairy"}, {"es-solar-pumping"}),  # estiércol
    q("es", "emisiones de metano", {"es-biodigester-dairy"}, {"es-ceramic-filter"}),
    q("es", "biodijestor", {"es-biodigester-dairy"}, {"es-ceramic-filter"}),  # typo
    q("es", "biogas", {"es-biodigester-dairy", "en-biogas-dairy"}, {"es-low-carbon-cement"}),  # biogás
    q(
        "es",
        "energia",
        {"es-solar-pumping", "es-low-carbon-cement", "fr-cold-room"},
        {"es-ceramic-filter", "es-biodigester-dairy"},
    ),  # energía, once in a translation
    q("es", "bombas sumergibles", {"es-solar-pumping"}, {"es-low-carbon-cement"}),  # bomba sumergible
    q("es", "sumerjible", {"es-solar-pumping"}, {"es-ceramic-filter"}),  # typo (j for g)
    q("es", "cementos", {"es-low-carbon-cement"}, {"es-ceramic-filter"}),
    q("es", "arcillas calcinadas", {"es-low-carbon-cement"}, {"es-solar-pumping"}),
    q("es", "horno", {"es-low-carbon-cement"}, {"es-biodigester-dairy"}),  # hornos
    q("es", "filtros ceramicos", {"es-ceramic-filter"}, {"es-low-carbon-cement"}),  # Filtro de cerámica
    q("es", "agua potable", {"es-ceramic-filter", "en-desalination"}, {"es-low-carbon-cement"}),
    # Only a Spanish translation answers these.
    q("es", "desalinizacion", {"en-desalination"}, {"es-solar-pumping"}),
    q("es", "secadores de cereales", {"fr-grain-dryer"}, {"es-biodigester-dairy"}),
    q("es", "cámaras frigoríficas", {"fr-cold-room"}, {"es-low-carbon-cement"}),
    q("es", "cooperativa hortícola", {"fr-cold-room"}, {"es-ceramic-filter"}),
    # ------------------------------------------------------------------------- Russian
    q("ru", "биогаз", {"ru-biogas-reactor"}, {"ru-electric-tricycle", "ru-membrane-bioreactor"}),  # Биогазовый
    q("ru", "навоза", {"ru-biogas-reactor"}, {"ru-cement-waste-heat"}),
    q("ru", "животноводческая ферма", {"ru-biogas-reactor"}, {"ru-electric-tricycle"}),
    q("ru", "удобрения", {"ru-biogas-reactor"}, {"ru-membrane-bioreactor"}),
    q("ru", "сточные воды", {"ru-membrane-bioreactor"}, {"ru-cement-waste-heat"}),
    q("ru", "очистка сточной воды", {"ru-membrane-bioreactor"}, {"ru-electric-tricycle"}),
    q("ru", "мембрана", {"ru-membrane-bioreactor"}, {"ru-biogas-reactor"}),  # мембраны, Мембранный
    q("ru", "биоректор", {"ru-membrane-bioreactor"}, {"ru-electric-tricycle"}),  # typo
    q("ru", "электрические трициклы", {"ru-electric-tricycle"}, {"ru-membrane-bioreactor"}),
    q("ru", "городская доставка", {"ru-electric-tricycle"}, {"ru-biogas-reactor"}),
    q("ru", "батарея", {"ru-electric-tricycle", "zh-lora-cold-storage"}, {"ru-cement-waste-heat"}),  # батареи
    q("ru", "цементные заводы", {"ru-cement-waste-heat"}, {"ru-membrane-bioreactor"}),
    q("ru", "печь", {"ru-cement-waste-heat"}, {"ru-biogas-reactor"}),  # печей, печи
    q("ru", "котел", {"ru-cement-waste-heat"}, {"ru-electric-tricycle"}),  # Котёл written with е
    q("ru", "котлы", {"ru-cement-waste-heat", "ru-biogas-reactor"}, {"ru-electric-tricycle"}),  # котла, котле
    q("ru", "утелизация тепла", {"ru-cement-waste-heat"}, {"ru-electric-tricycle"}),  # typo
    # Only a Russian translation answers these.
    q("ru", "датчики температуры", {"zh-lora-cold-storage"}, {"ru-cement-waste-heat"}),
    q("ru", "холодильная камера", {"zh-lora-cold-storage"}, {"ru-membrane-bioreactor"}),
    # -------------------------------------------------------------------------- Arabic
    q("ar", "مجففات", {"ar-solar-dryer"}, {"ar-desalination-ro", "ar-brick-kiln"}),  # plural of مجفف
    q("ar", "مجفف", {"ar-solar-dryer"}, {"ar-desalination-ro", "ar-constructed-wetland", "ar-brick-kiln"}),
    q("ar", "المجفف الشمسي", {"ar-solar-dryer"}, {"ar-constructed-wetland"}),  # مجفف شمسي
    q("ar", "تمور", {"ar-solar-dryer"}, {"ar-brick-kiln"}),  # للتمور, التمور
    q(
        "ar",
        "طاقة شمسية",
        {"ar-solar-dryer", "ar-desalination-ro", "en-desalination"},
        {"ar-constructed-wetland", "ar-brick-kiln"},
    ),  # بالطاقة الشمسية
    q("ar", "تحلية مياه البحر", {"ar-desalination-ro", "en-desalination"}, {"ar-solar-dryer"}),
    q("ar", "مياه الشرب", {"ar-desalination-ro", "en-desalination"}, {"ar-brick-kiln"}),  # مياه شرب
    q("ar", "الوقود", {"ar-brick-kiln", "en-desalination"}, {"ar-constructed-wetland"}),  # دون وقود
    q("ar", "صرف صحي", {"ar-constructed-wetland"}, {"ar-desalination-ro"}),  # الصرف الصحي
    q("ar", "معالجة المياه", {"ar-constructed-wetland"}, {"ar-solar-dryer"}),  # معالجة مياه
    q("ar", "النباتات", {"ar-constructed-wetland"}, {"ar-brick-kiln"}),  # بالنباتات
    q("ar", "معالجه مياه الصرف", {"ar-constructed-wetland"}, {"ar-solar-dryer"}),  # typo: ه for ة
    q("ar", "الصرف الصحى", {"ar-constructed-wetland"}, {"ar-brick-kiln"}),  # typo: ى for ي
    q("ar", "الطوب الطيني", {"ar-brick-kiln"}, {"ar-solar-dryer"}),
    q("ar", "الفرن النفقي", {"ar-brick-kiln"}, {"ar-desalination-ro"}),  # فرن نفقي
    q("ar", "انبعاثات", {"ar-brick-kiln"}, {"ar-constructed-wetland"}),
    q("ar", "توربينات الرياح", (), AR),  # wind turbines: no listing
]
