"""Demo matchmaking: technology needs, answers to them, cooperation inquiries with their
outcomes, and a year of listing views, so that the needs pages, the members' inquiry
pages and the staff reports look like those of a platform in use.

Needs, answers, inquiries, outcomes and staff confirmations go through the services as
members and staff would; the services stamp "now", so the dates are then moved back over
the past year with queryset updates. The published demo technologies are spread the same
way over the past thirteen months, so that nothing is viewed or asked about before it was
listed. Every organisation and person here is invented and marked "(fictional)"; the same
`today` always gives the same data. Runs inside the caller's transaction and leaves the
emails the services queue to the caller.
"""

import math
import random
from datetime import date, datetime, time, timedelta

from django.contrib.auth import get_user_model
from django.db.models import F
from django.utils import timezone
from django_countries import countries

from accounts.models import StakeholderType
from accounts.services import organisation_get_or_create
from common.reference.models import CooperationType, Sector, SustainableDevelopmentGoal
from devtools.demo.technologies import _member_email
from needs import services as need_services
from technologies import services
from technologies.models import (
    DeclineReason,
    Inquiry,
    ListingViewDay,
    Need,
    NeedStatus,
    NeedTransition,
    Outcome,
    Technology,
    TechnologyTransition,
)

# The demo accounts in the tables below: the member Amina Diallo and the innovator Chen Jie.
MANUFACTURER = "manufacturer"
INNOVATOR = "innovator"

# --- Fictional members who post needs and send inquiries ----------------------------------

# key: organisation, contact, country, stakeholder type, sectors of interest (profile); a
# first-person sentence that opens their inquiries; what their generated inquiries are
# about (sector slugs, or words of a technology's title) and the cooperation they seek.
MEMBERS: dict[str, dict] = {
    "kisumu": {
        "organisation": "Kisumu Lakeside Fish Traders Cooperative (fictional)",
        "name": "Rose Akinyi",
        "job_title": "Cooperative manager",
        "country": "KE",
        "type": StakeholderType.INDUSTRIAL_MANUFACTURER,
        "sectors": ["renewable-energy", "agro-food-processing"],
        "intro": "Our cooperative of 140 fish traders works at Dunga beach on Lake Victoria, in Kisumu.",
        "asks_about": ["renewable-energy"],
        "seeks": ["sale-transfer", "joint-venture", "technical-cooperation"],
    },
    "cantho": {
        "organisation": "Cần Thơ Rice Milling JSC (fictional)",
        "name": "Lê Văn Tâm",
        "job_title": "Deputy director",
        "country": "VN",
        "type": StakeholderType.INDUSTRIAL_MANUFACTURER,
        "sectors": ["waste-circular-economy", "agro-food-processing", "energy-efficiency"],
        "intro": "We run three rice mills in Cần Thơ and buy paddy from about 6,000 farming households.",
        "asks_about": ["rice"],
        "seeks": ["joint-venture", "technical-cooperation", "licensing", "sale-transfer"],
    },
    "modjo": {
        "organisation": "Modjo Leather Industries PLC (fictional)",
        "name": "Hailu Gebremedhin",
        "job_title": "Technical manager",
        "country": "ET",
        "type": StakeholderType.INDUSTRIAL_MANUFACTURER,
        "sectors": ["water-wastewater", "textiles-leather", "chemicals"],
        "intro": "We process sheep and goat skins into finished leather for export at our tannery in Modjo.",
        "asks_about": ["tannery", "textile effluent"],
        "seeks": ["technical-cooperation", "sale-transfer", "licensing"],
    },
    "faisalabad": {
        "organisation": "Faisalabad Knit Processing (Pvt) Ltd (fictional)",
        "name": "Imran Qureshi",
        "job_title": "Director of operations",
        "country": "PK",
        "type": StakeholderType.INDUSTRIAL_MANUFACTURER,
        "sectors": ["textiles-leather", "water-wastewater", "industrial-digital", "energy-efficiency"],
        "intro": "We dye and finish cotton knit fabric for European and American clothing brands in Faisalabad.",
        "asks_about": ["textiles-leather", "industrial-digital"],
        "seeks": ["licensing", "sale-transfer", "technical-cooperation"],
    },
    "surabaya": {
        "organisation": "Surabaya Snack Foods PT (fictional)",
        "name": "Rina Wulandari",
        "job_title": "Head of export and packaging",
        "country": "ID",
        "type": StakeholderType.GLOBALISATION_USER,
        "sectors": ["advanced-materials", "agro-food-processing"],
        "intro": "We make cassava and banana chips in East Java and export them to Japan, Australia and Europe.",
        "asks_about": ["bioplastic"],
        "seeks": ["licensing", "sale-transfer"],
    },
    "delta": {
        "organisation": "Delta Dairy Industries SAE (fictional)",
        "name": "Ahmed Soliman",
        "job_title": "Plant engineering manager",
        "country": "EG",
        "type": StakeholderType.INDUSTRIAL_MANUFACTURER,
        "sectors": ["energy-efficiency", "agro-food-processing", "industrial-digital"],
        "intro": "We process milk into pasteurised milk, yoghurt and white cheese at our plant in Tanta.",
        "asks_about": ["dairy", "vibration"],
        "seeks": ["licensing", "sale-transfer", "technical-cooperation"],
    },
    "condor": {
        "organisation": "Minera Cóndor del Sur SAC (fictional)",
        "name": "Jorge Mamani",
        "job_title": "Environment and processing manager",
        "country": "PE",
        "type": StakeholderType.INDUSTRIAL_MANUFACTURER,
        "sectors": ["mining-metals", "water-wastewater"],
        "intro": "We operate a small copper mine in the Arequipa region of Peru.",
        "asks_about": ["mining-metals", "fog"],
        "seeks": ["joint-venture", "technical-cooperation"],
    },
    "tamale": {
        "organisation": "Tamale Builders Cooperative (fictional)",
        "name": "Abdul-Rahman Iddrisu",
        "job_title": "Secretary",
        "country": "GH",
        "type": StakeholderType.INDUSTRIAL_MANUFACTURER,
        "sectors": ["construction-materials", "energy-efficiency"],
        "intro": "Our cooperative of masons and small contractors builds homes and schools in Northern Ghana.",
        "asks_about": ["construction-materials", "kiln"],
        "seeks": ["technical-cooperation", "sale-transfer"],
    },
    # Members who only send inquiries.
    "lagos": {
        "organisation": "Lagos Agro Allied Processors Ltd (fictional)",
        "name": "Chinedu Okeke",
        "job_title": "Managing director",
        "country": "NG",
        "type": StakeholderType.INDUSTRIAL_MANUFACTURER,
        "sectors": ["agro-food-processing", "renewable-energy", "advanced-manufacturing", "waste-circular-economy"],
        "intro": "We process cassava, cashew and fruit for Nigerian supermarkets and for export, near Lagos.",
        "asks_about": ["agro-food-processing", "renewable-energy", "advanced-manufacturing", "bioplastic"],
        "seeks": ["sale-transfer", "licensing", "joint-venture", "distribution"],
    },
    "dhaka": {
        "organisation": "Savar Leather and Textile Services Ltd (fictional)",
        "name": "Farhana Islam",
        "job_title": "Environmental compliance lead",
        "country": "BD",
        "type": StakeholderType.INDUSTRIAL_MANUFACTURER,
        "sectors": ["textiles-leather", "water-wastewater", "chemicals"],
        "intro": "We run effluent treatment and chemical supply services for tanneries and dyehouses near Dhaka.",
        "asks_about": ["textiles-leather", "tannery"],
        "seeks": ["licensing", "technical-cooperation", "distribution"],
    },
    "borneo": {
        "organisation": "Borneo Plywood Mills PT (fictional)",
        "name": "Agus Santoso",
        "job_title": "Technical director",
        "country": "ID",
        "type": StakeholderType.INDUSTRIAL_MANUFACTURER,
        "sectors": ["chemicals", "advanced-materials", "energy-efficiency", "industrial-digital"],
        "intro": "We make plywood and laminated boards for building and furniture in Samarinda, East Kalimantan.",
        "asks_about": ["chemicals", "industrial-digital", "flame retardant"],
        "seeks": ["licensing", "sale-transfer", "technical-cooperation"],
    },
    "hanoi": {
        "organisation": "Red River Industrial Parks JSC (fictional)",
        "name": "Đỗ Quang Huy",
        "job_title": "Head of environment and utilities",
        "country": "VN",
        "type": StakeholderType.TECHNICAL_PARTNER,
        "sectors": [
            "environmental-monitoring",
            "energy-efficiency",
            "industrial-digital",
            "waste-circular-economy",
            "construction-materials",
        ],
        "intro": "We develop and operate two industrial parks north of Hanoi, with about 120 tenant factories.",
        "asks_about": [
            "environmental-monitoring",
            "energy-efficiency",
            "industrial-digital",
            "waste-circular-economy",
            "construction-materials",
        ],
        "seeks": ["technical-cooperation", "licensing", "joint-venture"],
    },
    "andes": {
        "organisation": "Andean Export Partners SAC (fictional)",
        "name": "Valeria Rojas",
        "job_title": "Partner",
        "country": "PE",
        "type": StakeholderType.GLOBALISATION_USER,
        "sectors": ["water-wastewater", "agro-food-processing", "mining-metals", "environmental-monitoring"],
        "intro": "We help technology suppliers enter the Peruvian and Bolivian markets, from Lima.",
        "asks_about": ["water-wastewater", "agro-food-processing", "mining-metals", "environmental-monitoring"],
        "seeks": ["distribution", "licensing", "joint-venture"],
    },
    "kampala": {
        "organisation": "Kampala Health Supplies Ltd (fictional)",
        "name": "Ruth Nakato",
        "job_title": "Commercial director",
        "country": "UG",
        "type": StakeholderType.GLOBALISATION_USER,
        "sectors": ["pharma-health", "water-wastewater"],
        "intro": "We distribute medical supplies and water-treatment products to clinics and shops across Uganda.",
        "asks_about": ["pharma-health", "ceramic"],
        "seeks": ["distribution", "licensing"],
    },
    "addis": {
        "organisation": "Addis Metal and Engineering PLC (fictional)",
        "name": "Meron Alemu",
        "job_title": "Business development manager",
        "country": "ET",
        "type": StakeholderType.INDUSTRIAL_MANUFACTURER,
        "sectors": ["advanced-manufacturing", "electronics", "industrial-digital", "agro-food-processing"],
        "intro": "We fabricate processing machinery and steel structures for Ethiopian industry in Addis Ababa.",
        "asks_about": ["advanced-manufacturing", "industrial-digital", "agro-food-processing"],
        "seeks": ["licensing", "joint-venture", "sale-transfer", "distribution"],
    },
    "karachi": {
        "organisation": "Indus Cables and Polymers (Pvt) Ltd (fictional)",
        "name": "Sana Malik",
        "job_title": "Head of materials development",
        "country": "PK",
        "type": StakeholderType.INDUSTRIAL_MANUFACTURER,
        "sectors": ["advanced-materials", "electronics"],
        "intro": "We make building wire, power cables and PVC compounds in Karachi.",
        "asks_about": ["flame retardant"],
        "seeks": ["licensing", "joint-venture", "sale-transfer"],
    },
    "mombasa": {
        "organisation": "Mombasa Green Growth Fund (fictional)",
        "name": "Halima Abdalla",
        "job_title": "Investment associate",
        "country": "KE",
        "type": StakeholderType.FINANCE_PROVIDER,
        "sectors": ["renewable-energy", "water-wastewater", "transport-mobility", "agro-food-processing"],
        "intro": "We invest in growing clean-technology companies serving East African markets.",
        "asks_about": ["renewable-energy", "water-wastewater", "transport-mobility", "agro-food-processing"],
        "seeks": ["investment"],
    },
    "casablanca": {
        "organisation": "Casablanca Cleantech Ventures (fictional)",
        "name": "Yasmine Alaoui",
        "job_title": "Principal",
        "country": "MA",
        "type": StakeholderType.FINANCE_PROVIDER,
        "sectors": [],  # every sector
        "intro": "We are an early-stage fund investing in industrial technologies for African markets.",
        "asks_about": [],
        "seeks": ["investment"],
    },
}

# The same for the demo member account (Amina Diallo, Dakar Agro-Processing SA).
MANUFACTURER_PROFILE = {
    "intro": "We dry and package mango, onion and millet products for Senegalese and export markets.",
    "asks_about": ["agro-food-processing", "renewable-energy"],
    "seeks": ["sale-transfer", "technical-cooperation", "distribution", "licensing"],
}

# --- Technology needs -----------------------------------------------------------------------

# workflow: draft, submitted, returned, published or fulfilled. `days` are days before
# today: when the need was created, submitted, published (and fulfilled).
DEMO_NEEDS: list[dict] = [
    {
        "key": "solar-drying",
        "owner": MANUFACTURER,
        "title": "Solar drying for mango, onion and millet at an agro-processing plant in Senegal",
        "problem": (
            "Dakar Agro-Processing (fictional) dries mango, onion and millet-based products for Senegalese "
            "supermarkets and for export to France and Morocco. During the mango season, from May to August, we "
            "could buy about 400 tonnes of fresh fruit from growers in the Thiès region and Casamance, but our "
            "two gas-fired cabinet dryers process only a third of that. The growers sell the rest at a loss or "
            "watch it spoil, and our gas bill rises every year.\n\n"
            "We are looking for a **solar or solar-assisted drying technology** that:\n\n"
            "- dries 2 to 3 tonnes of fresh fruit a day to below 15 % moisture, with the even colour export "
            "buyers expect;\n"
            "- uses gas or biomass only as a back-up on cloudy days, so that our fuel use falls by at least "
            "half;\n"
            "- can be built or assembled in Senegal and maintained by local metal workshops;\n"
            "- meets food-safety requirements: food-grade contact surfaces, insect screens, traceable batches.\n\n"
            "We offer a 2,000 m² site next to our plant in Rufisque, staff to run a pilot and co-financing of the "
            "first units. We would also consider distributing the dryers to the women's groups who supply us, "
            "several of which still dry fruit in the open air."
        ),
        "sector": "agro-food-processing",
        "sdgs": [2, 7, 8],
        "country": "SN",
        "trl_min": 7,
        "cooperation": ["sale-transfer", "technical-cooperation", "distribution"],
        "valid_days": 160,
        "workflow": "published",
        "days": {"created": 196, "submitted": 194, "published": 190},
    },
    {
        "key": "mango-waste",
        "owner": MANUFACTURER,
        "title": "Energy from mango peels and stones at a fruit-processing plant",
        "problem": (
            "Peeling and stoning leave us with about 150 tonnes of wet mango waste each season. Today it is "
            "trucked to a landfill outside Dakar at our cost, while we buy gas to heat our dryers and "
            "electricity for our cold rooms.\n\n"
            "We would like to turn this waste into biogas or heat on site, ideally together with the groundnut "
            "shells we can buy nearby, and use the digestate as fertiliser for our growers. We are still "
            "collecting figures on the daily quantities and their moisture."
        ),
        "sector": "renewable-energy",
        "sdgs": [7, 12, 13],
        "country": "SN",
        "trl_min": 6,
        "cooperation": ["technical-cooperation", "investment"],
        "valid_days": 240,
        "workflow": "draft",
        "days": {"created": 6},
    },
    {
        "key": "fish-cold-storage",
        "owner": "kisumu",
        "title": "Off-grid cold storage for fish at a Lake Victoria landing beach",
        "problem": (
            "The 140 members of our cooperative land and trade tilapia and omena at Dunga beach in Kisumu. "
            "Without ice or refrigeration, fish must be sold within hours of landing at whatever price traders "
            "offer; what is left is smoked over firewood or lost. We estimate that a quarter of the catch loses "
            "most of its value before it is sold.\n\n"
            "The beach has no reliable grid connection. We need **cold storage powered by solar energy**:\n\n"
            "- a cold room of 10 to 20 m³ holding fish at 0 to 4 °C, through the night and two cloudy days;\n"
            "- ice for the traders who carry fish to Kisumu market;\n"
            "- simple enough to be run by trained members, with local after-sales service;\n"
            "- paid off from storage fees members can afford: a fee per crate would suit us.\n\n"
            "We offer a site on the beach with a long-term lease, the members' storage fees, and help in "
            "approaching county and development programmes that co-finance fisheries infrastructure."
        ),
        "sector": "renewable-energy",
        "sdgs": [2, 7, 14],
        "country": "KE",
        "trl_min": 7,
        "cooperation": ["joint-venture", "sale-transfer", "investment"],
        "valid_days": 95,
        "workflow": "fulfilled",
        "days": {"created": 318, "submitted": 316, "published": 314, "fulfilled": 205},
    },
    {
        "key": "rice-straw",
        "owner": "cantho",
        "title": "A market for rice straw instead of burning it in the Mekong Delta",
        "problem": (
            "Farmers around our mills in Cần Thơ harvest up to three rice crops a year and burn most of the "
            "straw in the fields. The smoke is a health problem in the towns, the nutrients are lost, and buyers "
            "of our rice increasingly ask about the emissions of our supply chain.\n\n"
            "Through the 6,000 households who sell us paddy, we could organise the baling and collection of "
            "about 30,000 tonnes of straw a year. We are looking for a **proven process that turns rice straw "
            "into a product with a market**: pulp and packaging paper, board, animal feed or fuel pellets. It "
            "should:\n\n"
            "- cope with straw that is wet during the rainy season and contains silica;\n"
            "- need little fresh water and treat its own effluent;\n"
            "- run at the scale of 50 to 100 tonnes of straw a day.\n\n"
            "We offer land on our industrial site beside the Hậu River, the collection network and a share in "
            "a joint venture."
        ),
        "sector": "waste-circular-economy",
        "sdgs": [12, 13, 15],
        "country": "VN",
        "trl_min": 6,
        "cooperation": ["joint-venture", "technical-cooperation", "licensing"],
        "valid_days": 210,
        "workflow": "published",
        "days": {"created": 221, "submitted": 219, "published": 215},
    },
    {
        "key": "tannery-effluent",
        "owner": "modjo",
        "title": "Treating chrome-tanning effluent at a leather plant in Ethiopia",
        "problem": (
            "Our tannery in Modjo processes about 3,000 sheep and goat skins a day and discharges some 400 m³ of "
            "effluent containing chromium, sulphide and a high organic load. The shared treatment plant of the "
            "area is overloaded, and the environmental authority has asked every tannery to meet the national "
            "discharge limits on its own site within two years.\n\n"
            "We need a **compact treatment line** that:\n\n"
            "- recovers chromium from the spent tanning liquor so that it can be reused;\n"
            "- removes sulphide and most of the COD before discharge to the river;\n"
            "- produces as little sludge as possible, in a form that can be disposed of safely;\n"
            "- can be run and maintained by our own technicians after training.\n\n"
            "We can host a pilot, share two years of effluent analyses and buy the full-scale equipment if the "
            "pilot meets the limits."
        ),
        "sector": "water-wastewater",
        "sdgs": [6, 12],
        "country": "ET",
        "trl_min": 7,
        "cooperation": ["technical-cooperation", "sale-transfer"],
        "valid_days": 130,
        "workflow": "published",
        "days": {"created": 251, "submitted": 249, "published": 245},
    },
    {
        "key": "dyehouse-water",
        "owner": "faisalabad",
        "title": "Recovering water and salt from the reactive dyeing of cotton knitwear",
        "problem": (
            "We dye about 25 tonnes of cotton knit fabric a day in Faisalabad and draw some 1,200 m³ of water a "
            "day from our own tube wells, whose level falls every year. Reactive dyeing needs 60 to 80 g of salt "
            "per litre, so our effluent is both coloured and saline, and our brand customers now audit it "
            "against their wastewater guidelines.\n\n"
            "We are looking for a technology to **recover at least 70 % of the water and most of the salt** from "
            "the dyeing and rinsing baths, for reuse in the next batch without shade problems. It must resist "
            "the high pH and temperature of the baths, fit into an existing effluent plant, and be serviceable "
            "from Pakistan.\n\n"
            "We would license the technology or buy a complete system, and can host the first full-scale unit "
            "as a reference site for other mills in Punjab."
        ),
        "sector": "textiles-leather",
        "sdgs": [6, 12],
        "country": "PK",
        "trl_min": 7,
        "cooperation": ["licensing", "sale-transfer", "technical-cooperation"],
        "valid_days": 120,
        "workflow": "published",
        "days": {"created": 285, "submitted": 283, "published": 280},
    },
    {
        "key": "snack-packaging",
        "owner": "surabaya",
        "title": "Compostable packaging for export snack foods",
        "problem": (
            "Our cassava and banana chips are packed in metallised multilayer plastic, which cannot be recycled "
            "in Indonesia and too often ends up in rivers and on beaches. Buyers in Japan, Australia and Europe "
            "now ask for packaging that is compostable or recyclable, and some will stop listing products that "
            "are neither.\n\n"
            "We need a **bio-based, compostable flexible film** that:\n\n"
            "- keeps moisture and oil barriers good enough for a shelf life of six months;\n"
            "- seals on our existing vertical form-fill-seal machines;\n"
            "- is certified compostable, and can be printed;\n"
            "- ideally uses raw materials grown in Indonesia, such as cassava starch.\n\n"
            "We can run trials on our packing lines, commit to volumes for the first year and work with a local "
            "film converter on licensed production."
        ),
        "sector": "advanced-materials",
        "sdgs": [12, 14],
        "country": "ID",
        "trl_min": 7,
        "cooperation": ["licensing", "distribution", "sale-transfer"],
        "valid_days": 250,
        "workflow": "published",
        "days": {"created": 189, "submitted": 188, "published": 185},
    },
    {
        "key": "dairy-heat",
        "owner": "delta",
        "title": "Recovering waste heat at a dairy plant in the Nile Delta",
        "problem": (
            "Our plant in Tanta processes 150,000 litres of milk a day. Gas-fired boilers supply hot water and "
            "steam for pasteurisation and cleaning-in-place, while the ammonia refrigeration plant rejects its "
            "heat to cooling towers on the roof. Energy is now close to a fifth of our costs and gas prices keep "
            "rising.\n\n"
            "We are looking for a **heat pump or heat-recovery system** that takes the heat rejected by the "
            "refrigeration plant and delivers hot water at 70 to 85 °C for cleaning and pre-heating the milk. It "
            "must work with our existing ammonia system, meet food-hygiene rules and pay back within four "
            "years.\n\n"
            "We can share a year of metered energy data, host a site survey and buy or license the system. Our "
            "engineers would welcome training to operate and maintain it."
        ),
        "sector": "energy-efficiency",
        "sdgs": [7, 9, 13],
        "country": "EG",
        "trl_min": 7,
        "cooperation": ["licensing", "sale-transfer", "technical-cooperation"],
        "valid_days": 180,
        "workflow": "published",
        "days": {"created": 204, "submitted": 202, "published": 200},
    },
    {
        "key": "copper-tailings",
        "owner": "condor",
        "title": "Recovering copper from old tailings at a small mine in southern Peru",
        "problem": (
            "Past operations at our mine in the Arequipa region left about two million tonnes of tailings that "
            "still contain 0.3 to 0.4 % copper. Our closure plan requires us to stabilise them, and part of the "
            "dump already generates acid drainage after the rare rains.\n\n"
            "We are looking for a process that **recovers the copper and leaves tailings that no longer generate "
            "acid**, using very little water (the site is in the desert) and no cyanide or other hazardous "
            "reagents. Bioleaching or other low-energy processes are of particular interest.\n\n"
            "We offer the site, our laboratory and a joint venture to process the tailings, and possibly those "
            "of neighbouring small mines."
        ),
        "sector": "mining-metals",
        "sdgs": [6, 12, 15],
        "country": "PE",
        "trl_min": 6,
        "cooperation": ["joint-venture", "technical-cooperation"],
        "valid_days": 270,
        "workflow": "submitted",
        "days": {"created": 5, "submitted": 3},
    },
    {
        "key": "earth-blocks",
        "owner": "tamale",
        "title": "Low-carbon building blocks for housing in Northern Ghana",
        "problem": (
            "Our members build homes and schools with sandcrete blocks, which need a lot of imported cement "
            "and make buildings hot inside. We would like to use the local laterite soil instead.\n\n"
            "We are looking for presses or a block-making process and training for our masons."
        ),
        "sector": "construction-materials",
        "sdgs": [11, 13],
        "country": "GH",
        "trl_min": 7,
        "cooperation": ["technical-cooperation", "sale-transfer"],
        "valid_days": 200,
        "workflow": "returned",
        "return_message": (
            "Thank you for this need. Before we publish it, please add what innovators need to answer it: how "
            "many buildings or blocks you plan a year, the soils available (laterite, clay, sand), whether you "
            "want to buy presses, a block-making plant or training only, and your time frame."
        ),
        "days": {"created": 18, "submitted": 16, "returned": 12},
    },
]

# --- Answers to needs: technology owners propose their technology -------------------------

# `after`: days after both the need and the technology were published. Outcome plans are
# described at `_record_outcome`.
DEMO_ANSWERS: list[dict] = [
    {
        "need": "fish-cold-storage",
        "technology": "Solar-powered cold storage for small-scale fisheries",
        "cooperation": "joint-venture",
        "after": 14,
        "message": (
            "Dear Ms Akinyi,\n\n"
            "Our solar cold rooms keep fish at 0 to 4 °C for fishing communities in Indonesia and the "
            "Philippines, with thermal storage that carries them through the night and cloudy days. A 15 m³ "
            "room with a 500 kg/day ice maker would match what you describe, and our app already handles "
            "payment per crate by mobile money.\n\n"
            "Rather than shipping complete rooms, we propose a joint venture with a local workshop in Kisumu to "
            "assemble the insulated panels, so that service stays close to the beach. Could we arrange a call "
            "with your board?\n\n"
            "Best regards,\nDewi Lestari"
        ),
        "outcome": {
            "outcome": Outcome.AGREEMENT,
            "agreement_type": "joint-venture",
            "discussed": 9,
            "settled": 62,
            "note": "Joint-venture agreement signed for local assembly; first cold room installed at Dunga beach.",
            "story": (
                "Kisumu Lakeside Fish Traders Cooperative (fictional) and Nusantara Cold Chain (fictional) formed "
                "a joint venture that assembles solar-powered cold rooms in Kisumu. The first room at Dunga beach "
                "keeps the catch of 140 fishers and traders fresh until it is sold, paid for by a fee per crate."
            ),
            "confirm": 6,
            "success_story": True,
        },
    },
    {
        "need": "dyehouse-water",
        "technology": "Nanofiltration recovery of reactive dyes and salt from textile effluent",
        "cooperation": "licensing",
        "after": 12,
        "message": (
            "Dear Mr Qureshi,\n\n"
            "Our loose nanofiltration system was designed for exactly this case: it separates unfixed reactive "
            "dye from the salty rinse water, so that about 85 % of the water and 90 % of the salt go back to "
            "the dye kitchen. The membranes tolerate the pH of dye baths, and the skids treat 200 to 1,000 m³ a "
            "day.\n\n"
            "We license the process to mills that build the skids locally, and train their engineers. We would "
            "be glad to run a two-week test on your effluent with a mobile unit before you decide.\n\n"
            "Kind regards,\nChen Jie"
        ),
        "outcome": {
            "outcome": Outcome.AGREEMENT,
            "agreement_type": "licensing",
            "discussed": 6,
            "settled": 85,
            "note": "Licence for Pakistan signed after a two-week test with the mobile unit.",
            "story": (
                "Faisalabad Knit Processing (fictional) licensed the nanofiltration process of Suzhou Green "
                "Materials (fictional). Its first 600 m³-a-day unit returns most of the dyehouse's rinse water "
                "and salt to the next dye bath."
            ),
            "confirm": 10,
            "success_story": True,
        },
    },
    {
        "need": "tannery-effluent",
        "technology": "Electrocoagulation treatment of tannery wastewater",
        "cooperation": "technical-cooperation",
        "after": 9,
        "message": (
            "Dear Mr Gebremedhin,\n\n"
            "Our electrocoagulation units treat tannery effluent in Morocco and Tunisia. They remove chromium "
            "and most of the sulphide and COD without lime or ferrous sulphate, and leave about a third of the "
            "sludge of chemical treatment. Chrome recovery from the spent liquor can be added upstream.\n\n"
            "We suggest starting with a three-month pilot on a side stream of 20 m³ a day at your site, run "
            "with your technicians, before sizing the full line.\n\n"
            "Sincerely,\nYoussef El Amrani"
        ),
        "outcome": {
            "outcome": Outcome.AGREEMENT,
            "agreement_type": "technical-cooperation",
            "discussed": 5,
            "settled": 70,
            "note": "Technical cooperation agreement for a three-month pilot on 20 m³ a day.",
            "confirm": 8,
        },
    },
    {
        "need": "rice-straw",
        "technology": "Non-wood pulp from rice straw for packaging paper",
        "cooperation": "joint-venture",
        "after": 15,
        "message": (
            "Dear Mr Tâm,\n\n"
            "We pulp rice straw into packaging paper in the Mekong Delta and in Cambodia, with a soda process "
            "that recovers its chemicals and handles the silica. A line for 60 tonnes of straw a day would fit "
            "the volumes you mention.\n\n"
            "We are looking for partners who secure the straw supply, and would welcome a joint venture on your "
            "site. May we visit you in Cần Thơ?\n\n"
            "Best wishes,\nNguyễn Thị Hoa"
        ),
        "outcome": {
            "outcome": Outcome.IN_DISCUSSION,
            "discussed": 10,
            "note": "Site visit done; feasibility study under way.",
        },
    },
    {
        "need": "dairy-heat",
        "technology": "Waste-heat recovery heat pump for dairy pasteurisation",
        "cooperation": "licensing",
        "after": 15,
        "message": (
            "Dear Mr Soliman,\n\n"
            "Our heat pumps recover heat from the refrigeration plants of dairies and deliver water at up to "
            "90 °C for pasteurisation and cleaning. Installed alongside existing ammonia systems in the United "
            "Kingdom and Ireland, they have paid back in two to four years.\n\n"
            "With your metered data we can size the system and estimate the savings. We are also looking for a "
            "licensee to build and service the units in Egypt.\n\n"
            "Regards,\nJames Whitfield"
        ),
        "outcome": {
            "outcome": Outcome.IN_DISCUSSION,
            "discussed": 12,
            "note": "Energy data shared; sizing study in progress.",
        },
    },
    {
        "need": "solar-drying",
        "technology": "Solar-assisted tunnel dryer for fruit and cassava",
        "cooperation": "distribution",
        "after": 14,
        "message": (
            "Dear Ms Diallo,\n\n"
            "Our solar-assisted tunnel dryers have dried mango, pineapple and cassava for processors in Kenya, "
            "Tanzania and Uganda since 2017. One 18-metre tunnel dries about 600 kg of fresh mango slices a "
            "day, so four tunnels with the biomass back-up burner would cover your 2 to 3 tonnes. All food-"
            "contact parts are stainless steel, and local workshops can build the frames from our drawings.\n\n"
            "We can share data from a Kenyan mango exporter and would like to discuss a pilot tunnel in "
            "Rufisque, with training for your staff and two local fabricators. We are also looking for a "
            "distributor in West Africa.\n\n"
            "Best regards,\nWanjiru Kamau"
        ),
        "outcome": {"outcome": Outcome.IN_DISCUSSION, "discussed": 6, "note": "Call held; pilot tunnel being priced."},
    },
    {
        "need": "solar-drying",
        "technology": "Biogas from cashew and groundnut processing residues",
        "cooperation": "technical-cooperation",
        "days_ago": 40,
        "message": (
            "Dear Ms Diallo,\n\n"
            "A dryer's back-up burner can run on biogas. Our digesters in Senegal turn cashew and groundnut "
            "residues into biogas for heat and power, and fruit waste digests even more easily. With the peels "
            "and stones from your own line, a digester could replace most of the gas you still need on cloudy "
            "days.\n\n"
            "We are based in Thiès and could visit your plant in Rufisque.\n\n"
            "Best regards,\nMoussa Ndiaye"
        ),
    },
    {
        "need": "snack-packaging",
        "technology": "Cassava-starch bioplastic for food packaging",
        "cooperation": "licensing",
        "days_ago": 25,
        "message": (
            "Dear Ms Wulandari,\n\n"
            "Our cassava-starch films are certified compostable and are used for snacks and dried fruit in "
            "Brazil and Paraguay. A laminate with a thin bio-based barrier layer reaches the shelf life you "
            "need and seals on standard form-fill-seal machines.\n\n"
            "Indonesia grows plenty of cassava, so licensed production with your film converter makes sense. "
            "We can send samples for trials on your lines.\n\n"
            "Kind regards,\nAna Paula Ferreira"
        ),
    },
]

# --- Ordinary inquiries about published technologies -----------------------------------------

# Inquiries written out in full, from the demo accounts' point of view: the demo member asks
# about technologies, and the demo innovator's listings receive some. `outcome` as above.
DEMO_INQUIRIES: list[dict] = [
    {
        "sender": MANUFACTURER,
        "technology": "Biogas from cashew and groundnut processing residues",
        "cooperation": "technical-cooperation",
        "days_ago": 150,
        "message": (
            "Dear Mr Ndiaye,\n\n"
            "Dakar Agro-Processing (fictional) dries mango, onion and millet near Dakar. Each season we send "
            "about 150 tonnes of mango peels and stones to landfill, and we would much rather turn them into "
            "heat for our dryers. Could your digesters handle fruit waste, alone or mixed with groundnut "
            "shells? We would welcome a visit to one of your sites in Thiès.\n\n"
            "Kind regards,\nAmina Diallo"
        ),
        "outcome": {
            "outcome": Outcome.IN_DISCUSSION,
            "discussed": 8,
            "note": "Visited Dakar plant; waste analysis ordered.",
        },
    },
    {
        "sender": MANUFACTURER,
        "technology": "Vision-guided cashew nut shelling machine",
        "cooperation": "sale-transfer",
        "days_ago": 95,
        "message": (
            "Dear Mr Minh,\n\n"
            "We are planning a small cashew processing line for nuts from Casamance, which today are almost all "
            "exported raw. Could you send us a quotation for one shelling machine, with the delivery time to "
            "Dakar, the training you provide and how spare parts and service would be handled in Senegal?\n\n"
            "Kind regards,\nAmina Diallo"
        ),
        "outcome": {
            "outcome": Outcome.DECLINED,
            "decline_reason": DeclineReason.TERMS,
            "discussed": 7,
            "settled": 30,
            "note": "We could not offer service in Senegal at the price asked; we will write again once our "
            "service centre in Côte d'Ivoire opens.",
        },
    },
    {
        "sender": "borneo",
        "technology": "Halogen-free flame retardant from rice-husk silica",
        "cooperation": "licensing",
        "days_ago": 12,
        "message": (
            "Dear Mr Chen,\n\n"
            "We make plywood and laminated boards in East Kalimantan and want to offer a fire-retardant grade "
            "for public buildings without brominated additives. Could your retardant be used in a surface "
            "coating or in the glue line of plywood? If so, we would like to discuss a licence for Indonesia, "
            "where rice husk is plentiful.\n\n"
            "Best regards,\nAgus Santoso"
        ),
    },
    {
        "sender": "dhaka",
        "technology": "Nanofiltration recovery of reactive dyes and salt from textile effluent",
        "cooperation": "licensing",
        "days_ago": 58,
        "message": (
            "Dear Mr Chen,\n\n"
            "We operate effluent treatment for several dyehouses near Dhaka, where groundwater is falling fast. "
            "A shared nanofiltration plant returning water and salt to the mills could interest our clients. "
            "Would you license the process to a service company like ours rather than to each mill?\n\n"
            "Kind regards,\nFarhana Islam"
        ),
        "outcome": {"outcome": Outcome.IN_DISCUSSION, "discussed": 9, "note": "Effluent samples sent for testing."},
    },
    {
        "sender": INNOVATOR,
        "technology": "Lignin-based adhesive replacing formaldehyde resins in plywood",
        "cooperation": "technical-cooperation",
        "days_ago": 70,
        "message": (
            "Dear Mr Lindqvist,\n\n"
            "Suzhou Green Materials (fictional) makes a halogen-free flame retardant from rice-husk silica. "
            "Plywood makers ask us for fire-rated boards that are also free of formaldehyde, and your lignin "
            "adhesive could be the other half of that product. Would you be open to joint trials, adding our "
            "retardant to your glue line, with a view to a joint offer to board makers in Asia?\n\n"
            "Best regards,\nChen Jie"
        ),
        "outcome": {"outcome": Outcome.IN_DISCUSSION, "discussed": 11, "note": "Joint trials planned in Sweden."},
    },
]

# Ordinary inquiries generated from a fixed seed, per 30-day period, oldest first: the
# platform grows toward recent months.
GENERATED_PER_MONTH = [1, 1, 2, 2, 3, 3, 3, 4, 4, 5, 5, 6]

OPENINGS = [
    'We read your listing "{title}" on WiiTs with great interest.',
    'Your listing "{title}" caught our attention.',
    'A colleague pointed us to your listing "{title}".',
    'We came across "{title}" while looking for solutions on WiiTs.',
]

ASKS = {
    "licensing": (
        "Would you consider a licence for {country}? We would like to understand the terms you usually propose "
        "(fees, royalties, exclusivity) and the technical support that comes with it."
    ),
    "joint-venture": (
        "We would be interested in a joint venture to produce and sell it in {country}: we can bring a site, "
        "local staff and customers. Could we arrange a call to see whether this fits your plans?"
    ),
    "investment": (
        "We are looking at companies scaling technologies like yours. Could you share your current financing "
        "needs, a summary of your business plan and your results to date?"
    ),
    "sale-transfer": (
        "Could you send us a quotation for a first unit, with the delivery time, the installation and training "
        "you provide, and references of similar sites?"
    ),
    "distribution": (
        "Are you looking for a distributor in {country}? We have a sales and service team that knows the "
        "customers in this field well."
    ),
    "technical-cooperation": (
        "Would your team be open to a technical cooperation, starting with a feasibility study or a small pilot "
        "at our site? We can share our process data."
    ),
}

DISCUSSION_NOTES = [
    "Call held; technical documentation and a draft NDA sent.",
    "Exchanging data before a site visit.",
    "Pilot being scoped with their engineers.",
    "Waiting for their production figures to size a first unit.",
    "Samples sent for testing.",
]

AGREEMENT_NOTES = {
    "licensing": "Licence agreement signed for {country}, with training of the licensee's engineers.",
    "joint-venture": "Joint-venture agreement signed; the company is being registered in {country}.",
    "investment": "Term sheet signed for a first investment.",
    "sale-transfer": "Purchase order for a first unit signed; installation planned.",
    "distribution": "Non-exclusive distribution agreement for {country}, for two years.",
    "technical-cooperation": "Technical cooperation agreement for a pilot at the partner's site.",
}

DECLINE_NOTES = {
    DeclineReason.TOO_EARLY: "Their project is still at feasibility stage; we will talk again once it is financed.",
    DeclineReason.BENEFIT_UNCLEAR: "The volumes involved are too small to justify adapting the technology.",
    DeclineReason.NOT_OUR_FIELD: "The request concerned an application we do not serve; we suggested other listings.",
    DeclineReason.TERMS: "We could not agree on exclusivity for the territory.",
    DeclineReason.OTHER: "The partner chose another supplier.",
}

# What the generated inquiries turn into, among those old enough to have an outcome.
GENERATED_AGREEMENTS = 4
GENERATED_DISCUSSIONS = 7
GENERATED_DECLINES = [
    DeclineReason.TOO_EARLY,
    DeclineReason.TOO_EARLY,
    DeclineReason.BENEFIT_UNCLEAR,
    DeclineReason.BENEFIT_UNCLEAR,
    DeclineReason.NOT_OUR_FIELD,
    DeclineReason.TERMS,
    DeclineReason.OTHER,
]

# --- Dates ----------------------------------------------------------------------------------

CATALOGUE_OLDEST_DAYS = 390  # the first demo technology was published this long ago...
CATALOGUE_NEWEST_DAYS = 30  # ...and the last one this long ago
VIEW_DAYS = 365


class _Clock:
    """Moments before `today` (local time), so nothing lands in the future."""

    def __init__(self, today: date):
        self.today = today
        self.midnight = timezone.make_aware(datetime.combine(today, time.min))

    def days_ago(self, days: float, hour: int = 10, minute: int = 0) -> datetime:
        return self.midnight - timedelta(days=days) + timedelta(hours=hour, minutes=minute)

    def cap(self, moment: datetime) -> datetime:
        """`moment`, or the evening before today if it would be later."""
        return min(moment, self.midnight - timedelta(hours=4))


def _country_name(code) -> str:
    return dict(countries).get(str(code), str(code))


# --- Members --------------------------------------------------------------------------------


def _member(key: str):
    """The fictional member `key` of MEMBERS, created the first time (no usable password)."""
    User = get_user_model()
    profile = MEMBERS[key]
    email = _member_email(profile["organisation"])
    member = User.objects.filter(email=email).first()
    if member is None:
        member = User(
            email=email,
            name=profile["name"],
            job_title=profile["job_title"],
            organisation=organisation_get_or_create(name=profile["organisation"]),
            stakeholder_type=profile["type"],
            country=profile["country"],
        )
        member.set_unusable_password()
        member.save()
        member.sectors.set(Sector.objects.filter(slug__in=profile["sectors"]))
    return member


# --- The catalogue's history ------------------------------------------------------------------


def _spread_catalogue(clock: _Clock) -> list[Technology]:
    """Move the publication of the published technologies back over the past thirteen months,
    NAG-evaluated ones first, with their history; return them oldest first."""
    published = list(
        Technology.objects.published()
        .select_related("owner", "sector")
        .prefetch_related("cooperation")
        .order_by("-nag_evaluated", "pk")
    )
    span = CATALOGUE_OLDEST_DAYS - CATALOGUE_NEWEST_DAYS
    for index, technology in enumerate(published):
        days = CATALOGUE_OLDEST_DAYS - round(index * span / max(len(published) - 1, 1))
        published_at = clock.days_ago(days, hour=9 + index % 8, minute=(index * 13) % 60)
        shift = technology.published_at - published_at
        Technology.objects.filter(pk=technology.pk).update(
            created_at=F("created_at") - shift, submitted_at=F("submitted_at") - shift, published_at=published_at
        )
        TechnologyTransition.objects.filter(technology=technology).update(at=F("at") - shift)
        technology.published_at = published_at
    return published


# --- Needs ----------------------------------------------------------------------------------


def _create_need(entry: dict, *, owner, staff, clock: _Clock, refs: dict) -> Need:
    need = need_services.need_create(
        owner=owner,
        fields={
            "title": entry["title"],
            "problem": entry["problem"],
            "sector": refs["sectors"][entry["sector"]],
            "country": entry["country"],
            "trl_min": entry["trl_min"],
            "valid_until": clock.today + timedelta(days=entry["valid_days"]),
        },
        sdgs=[refs["sdgs"][number] for number in entry["sdgs"]],
        cooperation=[refs["cooperation"][slug] for slug in entry["cooperation"]],
    )
    workflow, days = entry["workflow"], entry["days"]
    if workflow != "draft":
        need_services.need_submit(need=need, by=owner)
    if workflow == "returned":
        need_services.need_return(need=need, by=staff, message=entry["return_message"])
    if workflow in ("published", "fulfilled"):
        need_services.need_publish(need=need, by=staff)
    # Back to the dates of the plan: the row and each step of its history.
    moments = {step: clock.days_ago(day, hour=9 + n * 2, minute=15 * n) for n, (step, day) in enumerate(days.items())}
    Need.objects.filter(pk=need.pk).update(
        created_at=moments["created"],
        submitted_at=moments.get("submitted"),
        published_at=moments.get("published"),
    )
    for step in ("submitted", "returned", "published"):
        if step in moments:
            NeedTransition.objects.filter(need=need, to_status=step).update(at=moments[step])
    need.refresh_from_db()
    return need


# --- Inquiries and their outcomes ----------------------------------------------------------------


def _move_inquiry(inquiry: Inquiry, created_at: datetime) -> Inquiry:
    """Date an inquiry just sent: right away, so the sender's daily limit counts it as past."""
    Inquiry.objects.filter(pk=inquiry.pk).update(created_at=created_at)
    inquiry.created_at = created_at
    return inquiry


def _record_outcome(inquiry: Inquiry, plan: dict, *, recipient, staff, clock: _Clock, refs: dict) -> None:
    """Record `plan` through the services, then date it after the inquiry.

    plan: outcome; discussed (days after the inquiry, when a discussion took place);
    settled (days after the discussion, or after the inquiry if none, when it ended in an
    agreement or a refusal); agreement_type (slug), decline_reason, note; story (the
    recipient consents to have it featured); confirm (days after the agreement, when staff
    confirmed it) and success_story.
    """
    outcome = plan["outcome"]
    discussed = "discussed" in plan
    if discussed and outcome != Outcome.IN_DISCUSSION:
        services.inquiry_record_outcome(inquiry=inquiry, by=recipient, outcome=Outcome.IN_DISCUSSION)
    services.inquiry_record_outcome(
        inquiry=inquiry,
        by=recipient,
        outcome=outcome,
        agreement_type=refs["cooperation"][plan["agreement_type"]] if outcome == Outcome.AGREEMENT else None,
        decline_reason=plan.get("decline_reason", ""),
        note=plan.get("note", ""),
        feature_consent=bool(plan.get("story")),
        story=plan.get("story", ""),
    )
    discussed_at = clock.cap(inquiry.created_at + timedelta(days=plan["discussed"], hours=3)) if discussed else None
    start = discussed_at or inquiry.created_at
    settled_at = clock.cap(start + timedelta(days=plan.get("settled", 0), hours=2)) if "settled" in plan else start
    dates = {"discussed_at": discussed_at, "outcome_at": settled_at}
    if outcome == Outcome.AGREEMENT:
        dates["agreed_at"] = settled_at
    Inquiry.objects.filter(pk=inquiry.pk).update(**dates)
    if plan.get("success_story"):
        # The sender agrees too, from their dashboard.
        services.inquiry_set_partner_consent(inquiry=inquiry, by=inquiry.sender, consent=True)
    if outcome == Outcome.AGREEMENT and "confirm" in plan:
        services.inquiry_confirm_agreement(inquiry=inquiry, by=staff, success_story=plan.get("success_story", False))
        confirmed_at = clock.cap(settled_at + timedelta(days=plan["confirm"], hours=1))
        Inquiry.objects.filter(pk=inquiry.pk).update(agreement_confirmed_at=confirmed_at)


def _answer_needs(*, needs: dict, technologies: dict, staff, clock: _Clock, refs: dict) -> list[Inquiry]:
    answers = []
    for entry in DEMO_ANSWERS:
        need, technology = needs[entry["need"]], technologies[entry["technology"]]
        answer = need_services.need_answer(
            need=need,
            technology=technology,
            sender=technology.owner,
            cooperation=refs["cooperation"][entry["cooperation"]],
            message=entry["message"],
        )
        if "after" in entry:
            created_at = max(need.published_at, technology.published_at) + timedelta(days=entry["after"], hours=2)
        else:
            created_at = clock.days_ago(entry["days_ago"], hour=11, minute=20)
        _move_inquiry(answer, clock.cap(created_at))
        if "outcome" in entry:
            _record_outcome(answer, entry["outcome"], recipient=need.owner, staff=staff, clock=clock, refs=refs)
        answers.append(answer)
    return answers


def _send_written_inquiries(*, members: dict, technologies: dict, staff, clock: _Clock, refs: dict) -> list[Inquiry]:
    inquiries = []
    for entry in DEMO_INQUIRIES:
        sender, technology = members[entry["sender"]], technologies[entry["technology"]]
        inquiry = services.inquiry_create(
            technology=technology,
            sender=sender,
            cooperation=refs["cooperation"][entry["cooperation"]],
            organisation_name=sender.organisation.name,
            message=entry["message"],
        )
        _move_inquiry(inquiry, clock.days_ago(entry["days_ago"], hour=15, minute=5))
        if "outcome" in entry:
            _record_outcome(inquiry, entry["outcome"], recipient=technology.owner, staff=staff, clock=clock, refs=refs)
        inquiries.append(inquiry)
    return inquiries


def _inquiry_message(*, sender, intro: str, technology: Technology, cooperation: str, rng: random.Random) -> str:
    opening = rng.choice(OPENINGS).format(title=technology.title)
    ask = ASKS[cooperation].format(country=_country_name(sender.country))
    return (
        f"Dear {technology.owner.name},\n\n{intro} {opening}\n\n{ask}\n\n"
        f"Kind regards,\n{sender.name}\n{sender.organisation.name}"
    )


def _asks_about(profile: dict, technology: Technology) -> bool:
    """Whether a member of `profile` would ask about `technology`: its sector, or a word of its title."""
    about = profile["asks_about"]
    title = technology.title.lower()
    return not about or any(item == technology.sector.slug or item in title for item in about)


def _send_generated_inquiries(
    *, members: dict, profiles: dict, published: list[Technology], taken: set, clock: _Clock, refs: dict
) -> list[Inquiry]:
    """Inquiries from the demo members about technologies they would care about, for a kind of
    cooperation both sides want, dated over the past twelve months, more each month.
    Deterministic: one seeded generator."""
    rng = random.Random(2021)  # noqa: S311 (reproducible demo data, not cryptography)
    inquiries = []
    for months_ago, count in zip(range(len(GENERATED_PER_MONTH) - 1, -1, -1), GENERATED_PER_MONTH, strict=True):
        for _ in range(count):
            created_at = clock.days_ago(30 * months_ago + rng.randint(1, 29), rng.randint(8, 17), rng.randint(0, 59))
            listed = [t for t in published if t.published_at <= created_at - timedelta(days=3)]
            if not listed:
                continue
            for _attempt in range(20):  # a technology someone would ask about
                technology = rng.choices(listed, weights=[3 if t.nag_evaluated else 1 for t in listed])[0]
                offered = {kind.slug for kind in technology.cooperation.all()}
                candidates = [
                    key
                    for key, member in members.items()
                    if member.pk != technology.owner_id
                    and (key, technology.pk) not in taken
                    and _asks_about(profiles[key], technology)
                    and offered & set(profiles[key]["seeks"])
                ]
                if candidates:
                    break
            else:
                continue
            key = rng.choice(candidates)
            taken.add((key, technology.pk))
            sender = members[key]
            cooperation = rng.choice(sorted(offered & set(profiles[key]["seeks"])))
            inquiry = services.inquiry_create(
                technology=technology,
                sender=sender,
                cooperation=refs["cooperation"][cooperation],
                organisation_name=sender.organisation.name,
                message=_inquiry_message(
                    sender=sender,
                    intro=profiles[key]["intro"],
                    technology=technology,
                    cooperation=cooperation,
                    rng=rng,
                ),
            )
            inquiries.append(_move_inquiry(inquiry, created_at))
    return inquiries


def _generated_outcomes(inquiries: list[Inquiry], *, staff, clock: _Clock, refs: dict) -> None:
    """About half the generated inquiries get an outcome; the most recent have none yet."""
    rng = random.Random(2022)  # noqa: S311 (reproducible demo data, not cryptography)
    old = [inquiry for inquiry in inquiries if inquiry.created_at <= clock.days_ago(120)]
    settled = [inquiry for inquiry in inquiries if inquiry.created_at <= clock.days_ago(21)]
    agreements = rng.sample(old, min(GENERATED_AGREEMENTS, len(old)))
    rest = [inquiry for inquiry in settled if inquiry not in agreements]
    declines = rng.sample(rest, min(len(GENERATED_DECLINES), len(rest)))
    rest = [inquiry for inquiry in rest if inquiry not in declines]
    discussions = rng.sample(rest, min(GENERATED_DISCUSSIONS, len(rest)))
    plans = []
    for n, inquiry in enumerate(sorted(agreements, key=lambda i: i.created_at)):
        kind = inquiry.cooperation.slug
        plan = {
            "outcome": Outcome.AGREEMENT,
            "agreement_type": kind,
            "discussed": rng.randint(4, 14),
            "settled": rng.randint(35, 90),
            "note": AGREEMENT_NOTES[kind].format(country=_country_name(inquiry.sender.country)),
        }
        if n == 0:
            plan["confirm"] = 5  # the oldest agreement is confirmed by staff; the others wait
        plans.append((inquiry, plan))
    for inquiry, reason in zip(sorted(declines, key=lambda i: i.created_at), GENERATED_DECLINES, strict=False):
        plan = {"outcome": Outcome.DECLINED, "decline_reason": reason, "note": DECLINE_NOTES[reason]}
        if reason == DeclineReason.TERMS:
            plan.update(discussed=rng.randint(4, 10), settled=rng.randint(15, 40))
        else:
            plan["settled"] = rng.randint(3, 15)
        plans.append((inquiry, plan))
    for inquiry in discussions:
        plans.append(
            (
                inquiry,
                {
                    "outcome": Outcome.IN_DISCUSSION,
                    "discussed": rng.randint(3, 15),
                    "note": rng.choice(DISCUSSION_NOTES),
                },
            )
        )
    for inquiry, plan in plans:
        _record_outcome(inquiry, plan, recipient=inquiry.technology.owner, staff=staff, clock=clock, refs=refs)


# --- Listing views --------------------------------------------------------------------------------


def _load_views(published: list[Technology], *, clock: _Clock) -> tuple[int, int]:
    """Daily view counts of the published technologies over the past year, up to yesterday:
    a burst after publication, fewer at weekends, more for NAG-evaluated listings and more
    as the platform grows. Returns (rows, views)."""
    rng = random.Random(2020)  # noqa: S311 (reproducible demo data, not cryptography)
    first_day = clock.today - timedelta(days=VIEW_DAYS)
    rows = []
    for technology in published:
        base = (6.0 if technology.nag_evaluated else 3.0) * rng.uniform(0.7, 1.4)
        published_on = timezone.localdate(technology.published_at)
        day = max(published_on, first_day)
        while day < clock.today:
            growth = 0.4 + 1.6 * (day - first_day).days / VIEW_DAYS
            weekday = 0.6 if day.weekday() >= 5 else 1.0
            novelty = 1.0 + 2.0 * max(0, 14 - (day - published_on).days) / 14
            mean = base * growth * weekday * novelty
            views = max(0, round(rng.gauss(mean, math.sqrt(mean))))
            if views:
                rows.append(ListingViewDay(technology=technology, day=day, views=views))
            day += timedelta(days=1)
    ListingViewDay.objects.bulk_create(rows, batch_size=1000)
    return len(rows), sum(row.views for row in rows)


# --- Entry point ----------------------------------------------------------------------------------


def load_demo_matchmaking(*, staff, manufacturer, innovator, today: date | None = None) -> dict[str, int]:
    """Create the demo needs, answers, inquiries with outcomes and listing views; return counts.

    Needs the demo catalogue (devtools.demo.technologies.load_demo_technologies, whose published
    listings are spread over the past thirteen months here). `manufacturer` (the demo member)
    owns two needs and sends and receives inquiries; `innovator` (the demo innovator) receives
    inquiries about their published listings, answers a need with one and asks about another
    member's technology. `staff` publishes
    and returns needs and confirms agreements. Runs inside the caller's transaction; the
    emails the services queue are left to the caller.
    """
    clock = _Clock(today or timezone.localdate())
    refs = {
        "sectors": {sector.slug: sector for sector in Sector.objects.all()},
        "sdgs": {goal.number: goal for goal in SustainableDevelopmentGoal.objects.all()},
        "cooperation": {kind.slug: kind for kind in CooperationType.objects.all()},
    }
    published = _spread_catalogue(clock)
    technologies = {technology.title: technology for technology in published}
    members = {MANUFACTURER: manufacturer, **{key: _member(key) for key in MEMBERS}}
    writers = {**members, INNOVATOR: innovator}
    profiles = {MANUFACTURER: MANUFACTURER_PROFILE, **MEMBERS}

    needs = {
        entry["key"]: _create_need(entry, owner=members[entry["owner"]], staff=staff, clock=clock, refs=refs)
        for entry in DEMO_NEEDS
    }
    answers = _answer_needs(needs=needs, technologies=technologies, staff=staff, clock=clock, refs=refs)
    for entry in DEMO_NEEDS:
        if entry["workflow"] == "fulfilled":
            need = needs[entry["key"]]
            need_services.need_fulfil(need=need, by=need.owner)
            fulfilled_at = clock.days_ago(entry["days"]["fulfilled"], hour=16)
            NeedTransition.objects.filter(need=need, to_status=NeedStatus.FULFILLED).update(at=fulfilled_at)

    written = _send_written_inquiries(members=writers, technologies=technologies, staff=staff, clock=clock, refs=refs)
    taken = {(entry["sender"], technologies[entry["technology"]].pk) for entry in DEMO_INQUIRIES}
    generated = _send_generated_inquiries(
        members=members, profiles=profiles, published=published, taken=taken, clock=clock, refs=refs
    )
    _generated_outcomes(generated, staff=staff, clock=clock, refs=refs)
    view_rows, views = _load_views(published, clock=clock)

    demo_inquiries = Inquiry.objects.filter(pk__in=[i.pk for i in (*answers, *written, *generated)])
    return {
        "members": len(MEMBERS),
        "needs": len(needs),
        "answers": len(answers),
        "inquiries": len(written) + len(generated),
        "outcomes": demo_inquiries.exclude(outcome=Outcome.NONE).count(),
        "agreements": demo_inquiries.filter(outcome=Outcome.AGREEMENT).count(),
        "confirmed": demo_inquiries.filter(agreement_confirmed_at__isnull=False).count(),
        "success_stories": demo_inquiries.filter(success_story=True).count(),
        "view_days": view_rows,
        "views": views,
    }


# --- Translations ----------------------------------------------------------------------------

DEMO_TRANSLATIONS = {
    "technology": {
        "Solar-assisted tunnel dryer for fruit and cassava": {
            "fr": {
                "title": "Séchoir tunnel solaire pour fruits et manioc",
                "summary": "Un séchoir tunnel chauffé par le soleil, avec un brûleur à biomasse d'appoint, "
                "qui sèche mangues, ananas et manioc sans gazole et avec une couleur régulière.",
            },
            "zh-hans": {
                "title": "用于水果和木薯的太阳能辅助隧道式干燥机",
                "summary": "以太阳能加热、配备生物质备用燃烧器的隧道式干燥机，无需柴油即可均匀干燥芒果、菠萝和木薯。",  # noqa: RUF001 (Chinese punctuation)
            },
            "ar": {
                "title": "مجفف نفقي بمساعدة الطاقة الشمسية للفواكه والكسافا",
                "summary": "مجفف نفقي يسخنه الشمس مع موقد كتلة حيوية احتياطي، يجفف المانجو والأناناس والكسافا "
                "من دون ديزل وبلون متجانس.",
            },
        },
    },
    "need": {
        "Solar drying for mango, onion and millet at an agro-processing plant in Senegal": {
            "fr": {
                "title": "Séchage solaire de mangue, d'oignon et de mil dans une usine agroalimentaire au Sénégal",
                "problem": "Nous cherchons une technologie de séchage solaire capable de sécher 2 à 3 tonnes de "
                "fruits frais par jour, avec une source d'appoint au gaz ou à la biomasse, fabricable et "
                "entretenue par des ateliers locaux au Sénégal.",
            },
        },
    },
}


def load_demo_translations() -> int:
    """A few translations so a newcomer sees translated content (French, Chinese and
    Arabic pages of the tunnel dryer, a French version of Amina's need). Returns how many
    texts were translated."""
    from common.translated import i18n_field_name

    count = 0
    for model, entries in ((Technology, DEMO_TRANSLATIONS["technology"]), (Need, DEMO_TRANSLATIONS["need"])):
        for title, languages in entries.items():
            obj = model.objects.filter(title=title).first()
            if obj is None:
                continue
            columns = {
                i18n_field_name(field, language): text
                for language, fields in languages.items()
                for field, text in fields.items()
            }
            model.objects.filter(pk=obj.pk).update(**columns)
            count += len(languages)
    services.technologies_update_search_vector(queryset=Technology.objects.all())
    need_services.needs_update_search_vector(queryset=Need.objects.all())
    return count
