"""The reference data as loaded by migration 0002, and the strings for translators.

The migration copies these literals at the time it was written, so editing this module
later never rewrites history; a change of reference data is a new data migration.
`gettext_noop` marks each name for the message catalogue; models translate on display.
"""

from django.utils.translation import gettext_noop

SECTORS = [
    ("agro-food-processing", gettext_noop("Agro-food processing")),
    ("renewable-energy", gettext_noop("Renewable energy")),
    ("energy-efficiency", gettext_noop("Energy efficiency")),
    ("water-wastewater", gettext_noop("Water and wastewater")),
    ("waste-circular-economy", gettext_noop("Waste management and circular economy")),
    ("advanced-materials", gettext_noop("Advanced materials")),
    ("chemicals", gettext_noop("Chemicals and process industries")),
    ("advanced-manufacturing", gettext_noop("Advanced manufacturing and robotics")),
    ("industrial-digital", gettext_noop("Industrial internet and digital technologies")),
    ("transport-mobility", gettext_noop("Transport and clean mobility")),
    ("construction-materials", gettext_noop("Construction and building materials")),
    ("textiles-leather", gettext_noop("Textiles and leather")),
    ("pharma-health", gettext_noop("Pharmaceuticals and health technologies")),
    ("environmental-monitoring", gettext_noop("Environmental monitoring and pollution control")),
    ("mining-metals", gettext_noop("Mining and metals")),
    ("electronics", gettext_noop("Electronics and electrical equipment")),
]

# Official names (short titles) and colours published by the United Nations.
SDGS = [
    (1, gettext_noop("No poverty"), "#E5243B"),
    (2, gettext_noop("Zero hunger"), "#DDA63A"),
    (3, gettext_noop("Good health and well-being"), "#4C9F38"),
    (4, gettext_noop("Quality education"), "#C5192D"),
    (5, gettext_noop("Gender equality"), "#FF3A21"),
    (6, gettext_noop("Clean water and sanitation"), "#26BDE2"),
    (7, gettext_noop("Affordable and clean energy"), "#FCC30B"),
    (8, gettext_noop("Decent work and economic growth"), "#A21942"),
    (9, gettext_noop("Industry, innovation and infrastructure"), "#FD6925"),
    (10, gettext_noop("Reduced inequalities"), "#DD1367"),
    (11, gettext_noop("Sustainable cities and communities"), "#FD9D24"),
    (12, gettext_noop("Responsible consumption and production"), "#BF8B2E"),
    (13, gettext_noop("Climate action"), "#3F7E44"),
    (14, gettext_noop("Life below water"), "#0A97D9"),
    (15, gettext_noop("Life on land"), "#56C02B"),
    (16, gettext_noop("Peace, justice and strong institutions"), "#00689D"),
    (17, gettext_noop("Partnerships for the goals"), "#19486A"),
]

COOPERATION_TYPES = [
    ("licensing", gettext_noop("Licensing")),
    ("joint-venture", gettext_noop("Joint venture")),
    ("investment", gettext_noop("Investment")),
    ("sale-transfer", gettext_noop("Sale or transfer")),
    ("distribution", gettext_noop("Distribution")),
    ("technical-cooperation", gettext_noop("Technical cooperation")),
]
