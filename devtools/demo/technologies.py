"""Demo catalogue: 30 fictional sustainable industrial technologies, at every stage of the
listing workflow, created through the services exactly as members and staff would.

Every organisation and person here is invented; any resemblance to a real company is
unintended. `load_demo_technologies` queues the emails the workflow implies (as rows in
the current transaction) and sends nothing itself.
"""

from django.contrib.auth import get_user_model
from django.utils.text import slugify

from accounts.models import StakeholderType
from accounts.services import organisation_get_or_create
from common.reference.models import CooperationType, Sector, SustainableDevelopmentGoal
from technologies import services
from technologies.models import IPStatus, Technology

# The first entries belong to the demo innovator (their organisation replaces the one named
# here); the rest to one fictional member per organisation.
INNOVATOR_ENTRIES = 6

WORKFLOWS = ("published_nag", "published", "submitted", "in_review", "changes_requested", "draft")

DEMO_TECHNOLOGIES: list[dict] = [
    # --- The demo innovator's listings: one at each stage of the workflow ----------------
    {
        "title": "Halogen-free flame retardant from rice-husk silica",
        "summary": (
            "A flame retardant for polymers and coatings made from the silica in rice-husk ash, replacing "
            "brominated additives. It turns a milling residue into a high-value filler."
        ),
        "description": (
            "Rice husk is burnt in large quantities at rice mills and its ash is usually landfilled. Our process "
            "extracts amorphous silica from the ash at low temperature and grafts a phosphorus-nitrogen "
            "compound onto it, giving a fine powder that makes polypropylene, EVA and intumescent coatings "
            "self-extinguishing.\n\n"
            "- Reaches UL 94 V-0 in 3 mm polypropylene at 25 % loading\n"
            "- No halogens, no antimony trioxide\n"
            "- Runs on standard mixing and drying equipment\n\n"
            "A 2,000 t/year line has supplied cable and appliance makers since 2019."
        ),
        "advantages": (
            "Halogen-free, so no corrosive or toxic smoke in a fire, and compliant with RoHS and REACH. The raw "
            "material is a waste, which keeps the cost below that of imported phosphorus retardants."
        ),
        "sector": "advanced-materials",
        "sdgs": [9, 12],
        "trl": 8,
        "ip_status": IPStatus.PATENT_GRANTED,
        "country_developed": "CN",
        "countries_deployed": ["CN", "VN", "TH"],
        "cooperation": ["licensing", "joint-venture"],
        "organisation": "Suzhou Green Materials Co. (fictional)",
        "workflow": "published_nag",
    },
    {
        "title": "Nanofiltration recovery of reactive dyes and salt from textile effluent",
        "summary": (
            "A membrane system that separates unfixed dye from the salty rinse water of textile dyehouses, so "
            "both the water and the salt can be reused in the next dye bath."
        ),
        "description": (
            "Reactive dyeing of cotton uses up to 80 g of salt per litre and leaves coloured, saline effluent "
            "that conventional treatment cannot make reusable. The system combines a loose nanofiltration "
            "membrane, which retains the dye, with a brine loop that returns the salt to the dye kitchen.\n\n"
            "The skid is containerised and treats 200 to 1,000 m³ a day. Dye concentrate is sent to a small "
            "evaporator, leaving a solid residue of a few kilograms per tonne of fabric."
        ),
        "advantages": (
            "Recovers 85 % of the water and 90 % of the salt, cutting both intake and discharge fees. The "
            "membranes resist the high pH of dye baths and last about three years."
        ),
        "sector": "textiles-leather",
        "sdgs": [6, 12, 14],
        "trl": 8,
        "ip_status": IPStatus.PATENT_PENDING,
        "country_developed": "CN",
        "countries_deployed": ["CN", "BD", "VN"],
        "cooperation": ["licensing", "sale-transfer"],
        "organisation": "Suzhou Green Materials Co. (fictional)",
        "workflow": "published",
    },
    {
        "title": "Recovery of glass fibre from decommissioned wind turbine blades",
        "summary": (
            "A solvolysis process that dissolves the resin of old wind turbine blades and recovers clean, long "
            "glass fibres for reuse in composites."
        ),
        "description": (
            "Thousands of turbine blades reach the end of their life every year and most are landfilled or cut "
            "up for cement kilns. We shred blades into coarse pieces and treat them with a recyclable glycol "
            "solvent at moderate temperature, which breaks down epoxy and polyester resins.\n\n"
            "The recovered fibres keep about 90 % of their tensile strength and can be made into non-woven mats "
            "or compounded into thermoplastics. The solvent is distilled and reused."
        ),
        "advantages": (
            "Recovers fibre of a much higher value than mechanical grinding does, at a lower energy use than "
            "pyrolysis. The resin fraction yields an oil usable as a chemical feedstock."
        ),
        "sector": "waste-circular-economy",
        "sdgs": [7, 12, 13],
        "trl": 5,
        "ip_status": IPStatus.PATENT_PENDING,
        "country_developed": "CN",
        "countries_deployed": [],
        "cooperation": ["joint-venture", "technical-cooperation"],
        "organisation": "Suzhou Green Materials Co. (fictional)",
        "workflow": "submitted",
    },
    {
        "title": "Low-clinker cement binder from steel slag",
        "summary": (
            "A blended cement in which up to 60 % of the clinker is replaced by activated steel-making slag, "
            "lowering the CO₂ of concrete by about half."
        ),
        "description": (
            "Converter slag is a by-product of every steel plant and is difficult to use because of its free "
            "lime and slow reactivity. Our treatment combines rapid cooling, fine grinding and a mild chemical "
            "activator, after which the slag behaves as a reliable supplementary binder.\n\n"
            "- Strength class 42.5 reached at 28 days\n"
            "- Tested for volume stability and heavy-metal leaching\n"
            "- Suitable for blocks, pavements and ready-mix concrete"
        ),
        "advantages": (
            "Cuts the clinker content, the main source of cement emissions, while using a residue that steel "
            "plants pay to store. Production needs only a grinding plant near the steel works."
        ),
        "sector": "construction-materials",
        "sdgs": [9, 11, 13],
        "trl": 6,
        "ip_status": IPStatus.PATENT_GRANTED,
        "country_developed": "CN",
        "countries_deployed": ["CN"],
        "cooperation": ["licensing", "technical-cooperation"],
        "organisation": "Suzhou Green Materials Co. (fictional)",
        "workflow": "in_review",
    },
    {
        "title": "Biodegradable mulch film from starch and polyester blends",
        "summary": (
            "An agricultural mulch film that is ploughed into the soil after harvest and biodegrades there, "
            "avoiding the plastic residues left by polyethylene films."
        ),
        "description": (
            "Polyethylene mulch raises yields of vegetables and cotton, but fragments stay in the soil for "
            "decades. Our film blends thermoplastic starch with a biodegradable polyester and is blown on "
            "ordinary film lines at 10 to 12 µm.\n\n"
            "Field trials over three seasons showed yields equal to polyethylene film, with the film breaking "
            "down within about a year after being ploughed in."
        ),
        "advantages": (
            "Removes the labour of collecting used film and the microplastic load on farmland. Its lifetime in "
            "the field can be tuned to the crop cycle."
        ),
        "sector": "advanced-materials",
        "sdgs": [2, 12, 15],
        "trl": 7,
        "ip_status": IPStatus.PATENT_PENDING,
        "country_developed": "CN",
        "countries_deployed": ["CN"],
        "cooperation": ["licensing", "distribution"],
        "organisation": "Suzhou Green Materials Co. (fictional)",
        "workflow": "changes_requested",
        "review_message": (
            "Thank you for this listing. Please name the standard used for the biodegradation tests (for "
            "example EN 17033) with the results, and say whether the film has been trialled outside China, "
            "in which climates."
        ),
    },
    {
        "title": "Recovered carbon black from end-of-life tyres",
        "summary": (
            "A continuous pyrolysis and refining process that turns scrap tyres into a carbon black good enough "
            "for rubber goods, plus oil and steel wire."
        ),
        "description": (
            "Scrap tyres are a growing waste stream in fast-motorising countries. Shredded tyres are pyrolysed "
            "in an indirectly heated rotary kiln; the char is then milled, de-ashed and pelletised.\n\n"
            "The recovered carbon black replaces part of the virgin N550 and N660 grades in hoses, belts and "
            "mouldings. The pyrolysis gas heats the kiln."
        ),
        "advantages": (
            "Each tonne of recovered carbon black avoids about 2 t of CO₂ compared with virgin furnace black. "
            "The plant is self-sufficient in heat after start-up."
        ),
        "sector": "waste-circular-economy",
        "sdgs": [12, 13],
        "trl": 6,
        "ip_status": IPStatus.TRADE_SECRET,
        "country_developed": "CN",
        "countries_deployed": [],
        "cooperation": ["joint-venture", "investment"],
        "organisation": "Suzhou Green Materials Co. (fictional)",
        "workflow": "draft",
    },
    # --- Other members' listings ---------------------------------------------------------
    {
        "title": "Solar-assisted tunnel dryer for fruit and cassava",
        "summary": (
            "A modular solar tunnel dryer with a biomass back-up heater that dries mango, pineapple and cassava "
            "chips hygienically, with a fraction of the losses of open-air drying."
        ),
        "description": (
            "Smallholders lose up to 40 % of their fruit harvest because it cannot be sold fresh in time. The "
            "dryer is a polycarbonate tunnel with a black absorber, solar-powered fans and a small biomass "
            "burner for cloudy days and nights.\n\n"
            "- Capacity: 300 to 1,000 kg of fresh produce per batch\n"
            "- Drying time: 2 to 3 days instead of 5 to 7 in open air\n"
            "- Food-grade trays and insect screens\n\n"
            "The units are built locally from a kit and have been installed at more than 60 farmer "
            "cooperatives."
        ),
        "advantages": (
            "Dried products meet export standards for colour and moisture, so cooperatives earn more per "
            "kilogram. No grid connection and no fuel purchase are needed on sunny days."
        ),
        "sector": "agro-food-processing",
        "sdgs": [2, 5, 7, 8],
        "trl": 9,
        "ip_status": IPStatus.PATENT_PENDING,
        "country_developed": "KE",
        "countries_deployed": ["KE", "TZ", "UG"],
        "cooperation": ["distribution", "investment"],
        "organisation": "Nairobi SunHarvest Agritech Ltd (fictional)",
        "workflow": "published_nag",
    },
    {
        "title": "Biogas from cashew and groundnut processing residues",
        "summary": (
            "A two-stage anaerobic digester designed for the fibrous, acidic residues of cashew and groundnut "
            "processing, supplying heat and power to the processing plant."
        ),
        "description": (
            "Cashew apples and groundnut shells are abundant around processing plants in West Africa and are "
            "mostly left to rot or burnt in the open. Our digester first hydrolyses the residue in an acid "
            "stage, then produces methane in a second stage whose pH is held stable.\n\n"
            "The biogas runs a combined heat and power unit; the digestate is sold as organic fertiliser to "
            "nearby farms. A standard unit treats 10 t of residue a day."
        ),
        "advantages": (
            "Covers most of a plant's energy demand and replaces diesel generation. The design tolerates the "
            "seasonal changes in residue that defeat single-stage digesters."
        ),
        "sector": "renewable-energy",
        "sdgs": [7, 12, 13],
        "trl": 8,
        "ip_status": IPStatus.OPEN,
        "country_developed": "SN",
        "countries_deployed": ["SN", "GM", "ML"],
        "cooperation": ["technical-cooperation", "investment"],
        "organisation": "Thiès BioÉnergie SARL (fictional)",
        "workflow": "published_nag",
    },
    {
        "title": "Ceramic pot filter with silver for household drinking water",
        "summary": (
            "A locally fired clay filter, impregnated with silver, that removes bacteria and turbidity from "
            "household water without electricity or chemicals."
        ),
        "description": (
            "The filter is pressed from local clay mixed with sawdust, fired in a small kiln and coated with "
            "colloidal silver. It sits in a plastic bucket with a tap and filters 2 to 3 litres an hour.\n\n"
            "Our production method includes quality control of every filter (flow rate and bubble test) and "
            "trains local potters to run a workshop of 5,000 filters a month."
        ),
        "advantages": (
            "Removes more than 99 % of E. coli at a cost per family of a few dollars a year. Production creates "
            "skilled jobs in the community and uses no imported parts apart from the tap."
        ),
        "sector": "water-wastewater",
        "sdgs": [3, 6],
        "trl": 9,
        "ip_status": IPStatus.OPEN,
        "country_developed": "ET",
        "countries_deployed": ["ET", "KE", "SO"],
        "cooperation": ["distribution", "investment"],
        "organisation": "Addis Clean Water Works PLC (fictional)",
        "workflow": "published",
    },
    {
        "title": "Zig-zag firing retrofit for fixed-chimney brick kilns",
        "summary": (
            "A retrofit that changes the air flow of traditional brick kilns into a zig-zag path, saving about a "
            "fifth of the coal and cutting black carbon emissions sharply."
        ),
        "description": (
            "Fixed-chimney Bull's trench kilns produce most of South Asia's bricks and are a major source of "
            "air pollution. The retrofit rebuilds the kiln's internal flue walls so that hot gases follow a "
            "longer zig-zag route, and adds an induced-draught fan.\n\n"
            "- Coal use down 15 to 25 %\n"
            "- Particulate emissions down by up to 70 %\n"
            "- More first-class bricks per firing\n\n"
            "We provide the design, train the firemen and help owners apply for green finance."
        ),
        "advantages": (
            "Uses the existing kiln, so the conversion pays back within one or two seasons. Better working "
            "conditions and cleaner air around the kiln cluster."
        ),
        "sector": "energy-efficiency",
        "sdgs": [3, 11, 13],
        "trl": 9,
        "ip_status": IPStatus.OPEN,
        "country_developed": "IN",
        "countries_deployed": ["IN", "NP", "BD"],
        "cooperation": ["technical-cooperation", "licensing"],
        "organisation": "Ganga Kiln Efficiency Pvt Ltd (fictional)",
        "workflow": "published_nag",
    },
    {
        "title": "Wireless vibration sensors for predictive maintenance of pumps and motors",
        "summary": (
            "Battery-powered sensors and an analytics service that detect bearing wear, misalignment and "
            "cavitation in rotating machines weeks before they fail."
        ),
        "description": (
            "The sensors clip onto motors, pumps, fans and gearboxes and send vibration spectra and temperature "
            "every few minutes over a low-power radio network. A gateway forwards the data to an on-premises "
            "or cloud server.\n\n"
            "Machine-learning models trained on more than 20,000 machines flag developing faults and suggest "
            "the likely cause. Plants use it to plan repairs during scheduled stops."
        ),
        "advantages": (
            "Installation takes minutes per machine and needs no cabling. Unplanned downtime typically falls "
            "by a third, and energy is saved by correcting misaligned drives."
        ),
        "sector": "industrial-digital",
        "sdgs": [8, 9, 12],
        "trl": 9,
        "ip_status": IPStatus.PATENT_GRANTED,
        "country_developed": "DE",
        "countries_deployed": ["DE", "PL", "CN", "VN"],
        "cooperation": ["distribution", "licensing"],
        "organisation": "Rheinland Sensorik GmbH (fictional)",
        "workflow": "published",
    },
    {
        "title": "Lignin-based adhesive replacing formaldehyde resins in plywood",
        "summary": (
            "A wood adhesive in which lignin from pulp mills replaces most of the phenol and all added "
            "formaldehyde, for plywood and laminated veneer lumber."
        ),
        "description": (
            "Lignin is the second most abundant natural polymer and is mostly burnt at pulp mills. We "
            "depolymerise kraft lignin and cross-link it with a bio-based hardener, giving a resin that cures "
            "in standard hot presses.\n\n"
            "Boards made with it meet the bond quality requirements for exterior use, with formaldehyde "
            "emissions at the level of natural wood."
        ),
        "advantages": (
            "Healthier indoor air and a lower carbon footprint than phenol-formaldehyde glues, at a similar "
            "cost. Plywood mills keep their presses and their process."
        ),
        "sector": "chemicals",
        "sdgs": [3, 12, 15],
        "trl": 7,
        "ip_status": IPStatus.PATENT_GRANTED,
        "country_developed": "SE",
        "countries_deployed": ["SE", "FI"],
        "cooperation": ["licensing", "joint-venture"],
        "organisation": "Norrland Biorefinery AB (fictional)",
        "workflow": "published_nag",
    },
    {
        "title": "Electrocoagulation treatment of tannery wastewater",
        "summary": (
            "A compact electrochemical unit that removes chromium, sulphides and suspended solids from tannery "
            "effluent, with less sludge than chemical treatment."
        ),
        "description": (
            "Small and medium tanneries often discharge untreated effluent because chemical treatment plants "
            "are costly to run. Our unit passes the effluent between iron and aluminium electrodes; the "
            "dissolved metal coagulates pollutants, which float and are skimmed off.\n\n"
            "A 50 m³/day unit fits in a shipping container and can serve a group of tanneries in a common "
            "treatment facility."
        ),
        "advantages": (
            "Removes over 98 % of total chromium and reduces the sludge volume by half compared with lime "
            "treatment. No chemicals to buy and store."
        ),
        "sector": "water-wastewater",
        "sdgs": [6, 12, 14],
        "trl": 7,
        "ip_status": IPStatus.PATENT_PENDING,
        "country_developed": "MA",
        "countries_deployed": ["MA", "TN"],
        "cooperation": ["technical-cooperation", "sale-transfer"],
        "organisation": "Fès Tannery Solutions SARL (fictional)",
        "workflow": "published",
    },
    {
        "title": "Cassava-starch bioplastic for food packaging",
        "summary": (
            "Compostable trays, cups and films made from cassava starch and natural fibres, processed on "
            "conventional thermoforming and injection lines."
        ),
        "description": (
            "The material combines cassava starch with plasticisers from vegetable oils and short sugar-cane "
            "fibres. It is supplied as pellets that converters process with minor changes to temperature "
            "settings.\n\n"
            "Products are certified compostable at industrial scale and have a shelf life suited to fresh "
            "produce and take-away food."
        ),
        "advantages": (
            "Made from a crop grown by smallholders, it replaces polystyrene and PET in single-use packaging. "
            "It costs less than most imported bioplastics."
        ),
        "sector": "advanced-materials",
        "sdgs": [12, 14, 15],
        "trl": 8,
        "ip_status": IPStatus.PATENT_PENDING,
        "country_developed": "BR",
        "countries_deployed": ["BR", "PY"],
        "cooperation": ["licensing", "investment"],
        "organisation": "Cerrado Bioplásticos Ltda (fictional)",
        "workflow": "published",
    },
    {
        "title": "Solar-powered cold storage for small-scale fisheries",
        "summary": (
            "A containerised cold room run on solar panels and a thermal ice battery, for fishing villages "
            "without a reliable grid."
        ),
        "description": (
            "Up to a third of the fish landed by small-scale fishers spoils before it reaches a buyer. Our cold "
            "room stores energy as ice during the day, so it keeps 0 to 4 °C through the night without "
            "batteries.\n\n"
            "Fishers pay per crate stored through a mobile-money app, and a remote monitoring system alerts the "
            "operator to any temperature deviation."
        ),
        "advantages": (
            "No diesel and no lead-acid batteries, so running costs are low and predictable. The pay-per-use "
            "model puts cold storage within reach of individual fishers."
        ),
        "sector": "renewable-energy",
        "sdgs": [2, 7, 14],
        "trl": 8,
        "ip_status": IPStatus.PATENT_PENDING,
        "country_developed": "ID",
        "countries_deployed": ["ID", "PH"],
        "cooperation": ["investment", "distribution"],
        "organisation": "Nusantara Cold Chain PT (fictional)",
        "workflow": "published_nag",
    },
    {
        "title": "Non-wood pulp from rice straw for packaging paper",
        "summary": (
            "A low-chemical pulping process that turns rice straw, usually burnt in the field, into pulp for "
            "corrugated board and moulded packaging."
        ),
        "description": (
            "Burning rice straw after harvest causes severe seasonal air pollution. Our process uses a mild "
            "alkaline cook with chemical recovery adapted to the high silica content of straw, which has "
            "long hampered straw pulping.\n\n"
            "- Mill size from 30 t of pulp a day\n"
            "- Silica recovered as a by-product\n"
            "- Pulp blends with recycled fibre for board"
        ),
        "advantages": (
            "Gives farmers an income for straw and reduces open burning. The mill needs far less water and "
            "chemicals than older straw pulping methods."
        ),
        "sector": "waste-circular-economy",
        "sdgs": [12, 13, 15],
        "trl": 7,
        "ip_status": IPStatus.TRADE_SECRET,
        "country_developed": "VN",
        "countries_deployed": ["VN", "KH"],
        "cooperation": ["joint-venture", "investment"],
        "organisation": "Mekong Fibre Co., Ltd (fictional)",
        "workflow": "published",
    },
    {
        "title": "Battery swapping network for electric three-wheelers",
        "summary": (
            "Standardised battery packs and automated swap stations that let electric auto-rickshaw drivers "
            "exchange a flat battery for a full one in two minutes."
        ),
        "description": (
            "Drivers of electric three-wheelers lose hours charging and cannot afford spare batteries. Our "
            "swap stations hold charged packs and are placed at markets and fuel stations; drivers pay per swap "
            "through an app.\n\n"
            "The packs report their state of health to a fleet platform, which balances charging with grid "
            "tariffs and rooftop solar."
        ),
        "advantages": (
            "Lower upfront cost for drivers, who buy the vehicle without the battery. Longer battery life "
            "thanks to controlled charging."
        ),
        "sector": "transport-mobility",
        "sdgs": [7, 11, 13],
        "trl": 8,
        "ip_status": IPStatus.TRADE_SECRET,
        "country_developed": "IN",
        "countries_deployed": ["IN", "LK"],
        "cooperation": ["investment", "joint-venture"],
        "organisation": "Pune Swap Mobility Pvt Ltd (fictional)",
        "workflow": "published",
    },
    {
        "title": "Fog-harvesting mesh collectors for arid coastal hills",
        "summary": (
            "Large mesh panels that capture water droplets from coastal fog, supplying villages and reforestation "
            "projects where it almost never rains."
        ),
        "description": (
            "On desert coasts, dense fog forms for much of the year. Our collectors use a three-dimensional "
            "polymer mesh that captures more water than the classic Raschel netting and withstands strong "
            "winds.\n\n"
            "A 40 m² collector yields 200 to 400 litres a day during the fog season, stored in tanks and "
            "distributed by gravity."
        ),
        "advantages": (
            "No energy or moving parts; communities maintain the collectors themselves. Supports the "
            "restoration of native fog-dependent vegetation."
        ),
        "sector": "water-wastewater",
        "sdgs": [6, 13, 15],
        "trl": 9,
        "ip_status": IPStatus.OPEN,
        "country_developed": "PE",
        "countries_deployed": ["PE", "CL"],
        "cooperation": ["technical-cooperation", "distribution"],
        "organisation": "Lomas Agua Andina SAC (fictional)",
        "workflow": "published_nag",
    },
    {
        "title": "Low-cost air quality sensor network for industrial zones",
        "summary": (
            "Calibrated low-cost sensors for particulates, NO₂ and ozone, with an open data platform that lets "
            "authorities and industrial parks map pollution in real time."
        ),
        "description": (
            "Reference monitoring stations are too expensive to cover whole cities and industrial areas. Our "
            "sensor nodes cost a fraction of a station; their readings are corrected against a reference "
            "instrument with a calibration model that adapts to humidity and temperature.\n\n"
            "Data are published on an open dashboard and can trigger alerts when a site exceeds its limits."
        ),
        "advantages": (
            "Dense monitoring at low cost, revealing hotspots that a few stations miss. Open interfaces allow "
            "integration with existing environmental information systems."
        ),
        "sector": "environmental-monitoring",
        "sdgs": [3, 11],
        "trl": 8,
        "ip_status": IPStatus.PATENT_GRANTED,
        "country_developed": "FR",
        "countries_deployed": ["FR", "SN", "CI"],
        "cooperation": ["licensing", "technical-cooperation"],
        "organisation": "Lumière Capteurs SAS (fictional)",
        "workflow": "published",
    },
    {
        "title": "Waste-heat recovery heat pump for dairy pasteurisation",
        "summary": (
            "A high-temperature heat pump that recovers heat from refrigeration and cleaning water in dairies "
            "and supplies hot water at 90 °C for pasteurisation."
        ),
        "description": (
            "Dairies run boilers to heat milk and chillers to cool it, often side by side. Our heat pump uses a "
            "natural refrigerant to lift waste heat from the chillers to pasteurisation temperature.\n\n"
            "The unit is skid-mounted and integrates with existing hot water circuits, with controls that "
            "follow the production schedule."
        ),
        "advantages": (
            "Cuts fuel for process heat by 40 to 60 % and uses a refrigerant with negligible global warming "
            "potential. Payback is typically under four years."
        ),
        "sector": "energy-efficiency",
        "sdgs": [7, 9, 13],
        "trl": 8,
        "ip_status": IPStatus.PATENT_PENDING,
        "country_developed": "GB",
        "countries_deployed": ["GB", "IE"],
        "cooperation": ["licensing", "distribution"],
        "organisation": "Pennine Heat Recovery Ltd (fictional)",
        "workflow": "published",
    },
    {
        "title": "Heap bioleaching of copper from low-grade ore and tailings",
        "summary": (
            "A bacterial leaching process that extracts copper from ores and old tailings too poor for "
            "conventional flotation, without smelting."
        ),
        "description": (
            "Native iron- and sulphur-oxidising bacteria, selected for high altitude and low temperatures, are "
            "grown on site and sprayed onto heaps of crushed ore. The copper dissolves and is recovered by "
            "solvent extraction and electrowinning.\n\n"
            "Treating old tailings also reduces the risk of acid drainage from abandoned deposits."
        ),
        "advantages": (
            "Makes low-grade resources economic with much lower energy use and emissions than smelting. Suited "
            "to small and medium mines."
        ),
        "sector": "mining-metals",
        "sdgs": [6, 9, 12, 15],
        "trl": 6,
        "ip_status": IPStatus.PATENT_PENDING,
        "country_developed": "PE",
        "countries_deployed": ["PE"],
        "cooperation": ["joint-venture", "technical-cooperation"],
        "organisation": "Arequipa BioMinería SAC (fictional)",
        "workflow": "published",
    },
    {
        "title": "Silver and silicon recovery from end-of-life solar panels",
        "summary": (
            "A process that separates the glass, aluminium, silicon and silver of crystalline photovoltaic "
            "panels, recovering more than 95 % of the panel's mass."
        ),
        "description": (
            "Solar panels installed in the 2000s are now being retired in large numbers. Our line removes the "
            "frame and junction box, delaminates the panel thermally and recovers silver and silicon from the "
            "cells by selective leaching.\n\n"
            "- Glass and aluminium returned to their industries\n"
            "- High-purity silicon for metallurgy\n"
            "- Silver recovered as a saleable salt"
        ),
        "advantages": (
            "Recovers the most valuable materials, which shredding-based recycling loses. Helps manufacturers "
            "meet extended producer responsibility rules."
        ),
        "sector": "waste-circular-economy",
        "sdgs": [7, 12],
        "trl": 6,
        "ip_status": IPStatus.PATENT_GRANTED,
        "country_developed": "CN",
        "countries_deployed": ["CN"],
        "cooperation": ["licensing", "joint-venture"],
        "organisation": "Hefei PV Circular Technology Co. (fictional)",
        "workflow": "published",
    },
    {
        "title": "Digital twin for energy optimisation of spinning mills",
        "summary": (
            "A software model of a cotton spinning mill that uses machine and energy meter data to find the "
            "settings that save energy without affecting yarn quality."
        ),
        "description": (
            "Spinning is the most energy-intensive step of textile production. The digital twin connects to "
            "machine controllers and meters, models the mill's compressed air, humidification and spindle "
            "drives, and recommends setpoints every shift.\n\n"
            "Mill engineers see the savings achieved on a dashboard, and the model learns from each accepted "
            "recommendation."
        ),
        "advantages": (
            "Typical savings of 8 to 12 % of electricity with no new machines. Works with the mixed, older "
            "machinery found in most mills."
        ),
        "sector": "industrial-digital",
        "sdgs": [8, 9, 12],
        "trl": 7,
        "ip_status": IPStatus.TRADE_SECRET,
        "country_developed": "EG",
        "countries_deployed": ["EG"],
        "cooperation": ["technical-cooperation", "investment"],
        "organisation": "Nile Delta Smart Textiles (fictional)",
        "workflow": "published",
    },
    {
        "title": "Paper-based rapid test for malaria and anaemia",
        "summary": (
            "A low-cost paper microfluidic test that detects malaria antigens and measures haemoglobin from "
            "one drop of blood in 15 minutes."
        ),
        "description": (
            "Rural health posts often lack a laboratory. The test strip is printed with wax channels and "
            "reagents on paper, and results are read by eye or with a phone camera app that records them.\n\n"
            "Strips are produced on a roll-to-roll printing line that can be set up with modest investment "
            "close to the markets served."
        ),
        "advantages": (
            "Two diagnoses in one test, at a lower cost than separate rapid tests. Local manufacturing shortens "
            "supply chains for essential diagnostics."
        ),
        "sector": "pharma-health",
        "sdgs": [3],
        "trl": 7,
        "ip_status": IPStatus.PATENT_PENDING,
        "country_developed": "KE",
        "countries_deployed": ["KE", "UG"],
        "cooperation": ["licensing", "investment"],
        "organisation": "Kisumu Diagnostics Ltd (fictional)",
        "workflow": "published",
    },
    {
        "title": "Vision-guided cashew nut shelling machine",
        "summary": (
            "A shelling machine that measures each raw cashew nut with a camera and adjusts its blades, "
            "producing more whole kernels than manual or fixed-blade shelling."
        ),
        "description": (
            "Whole kernels fetch much higher prices than broken ones, but mechanical shelling usually breaks "
            "many nuts. Our machine grades nuts by size and shape and sets the cutting blades for each one.\n\n"
            "- 100 kg of raw nuts per hour per machine\n"
            "- Whole kernel rate above 90 %\n"
            "- Designed for processing in producing countries"
        ),
        "advantages": (
            "Lets producing countries process their own cashew instead of exporting raw nuts. It also removes "
            "workers' exposure to the caustic shell liquid."
        ),
        "sector": "advanced-manufacturing",
        "sdgs": [8, 9],
        "trl": 8,
        "ip_status": IPStatus.PATENT_PENDING,
        "country_developed": "VN",
        "countries_deployed": ["VN", "CI", "GH"],
        "cooperation": ["sale-transfer", "distribution"],
        "organisation": "Binh Duong Automation JSC (fictional)",
        "workflow": "published_nag",
    },
    {
        "title": "Manual press for stabilised compressed earth blocks",
        "summary": (
            "A robust manual press and mix design for building with compressed earth blocks stabilised with a "
            "little lime or cement, using soil from the building site."
        ),
        "description": (
            "Fired bricks and cement blocks have a high carbon footprint and are costly in rural areas. Earth "
            "blocks pressed on site with 5 to 8 % stabiliser are strong enough for two-storey buildings and "
            "keep interiors cool.\n\n"
            "We supply the press, a simple soil testing kit and a training course for masons, with a building "
            "guide approved by local engineers."
        ),
        "advantages": (
            "Cuts the embodied carbon of walls by up to 80 % and the cost by about a third. Creates local "
            "construction jobs and needs no electricity."
        ),
        "sector": "construction-materials",
        "sdgs": [8, 11, 13],
        "trl": 9,
        "ip_status": IPStatus.OPEN,
        "country_developed": "MA",
        "countries_deployed": ["MA", "SN", "MR"],
        "cooperation": ["technical-cooperation", "sale-transfer"],
        "organisation": "Atlas Terre Crue SARL (fictional)",
        "workflow": "published",
    },
    {
        "title": "Hermetic grain storage bags with moisture and insect sensing",
        "summary": (
            "Airtight storage bags for maize and beans with a low-cost sensor tag that warns farmers by text "
            "message if moisture or insect activity rises."
        ),
        "description": (
            "Hermetic bags starve storage pests of oxygen and have cut post-harvest losses for many farmers. "
            "Our bags add a disposable sensor tag measuring humidity, temperature and carbon dioxide, read by a "
            "phone or a village gateway.\n\n"
            "Aggregators use the data to decide when to collect grain and to offer storage-backed credit."
        ),
        "advantages": (
            "Early warning stops small problems from spoiling a whole store. Data on stored quality help "
            "farmers get better prices and loans."
        ),
        "sector": "agro-food-processing",
        "sdgs": [1, 2, 12],
        "trl": 6,
        "ip_status": IPStatus.PATENT_PENDING,
        "country_developed": "KE",
        "countries_deployed": ["KE"],
        "cooperation": ["investment", "distribution"],
        "organisation": "Nairobi SunHarvest Agritech Ltd (fictional)",
        "workflow": "submitted",
    },
    {
        "title": "Activated carbon from sugarcane bagasse",
        "summary": (
            "A steam activation process that makes activated carbon for water treatment from the bagasse left "
            "over at sugar mills."
        ),
        "description": (
            "Sugar mills burn most of their bagasse in low-efficiency boilers. Our process carbonises part of "
            "it and activates the char with steam from the mill, giving a granular carbon for drinking water "
            "and effluent treatment.\n\n"
            "The plant is integrated with the mill's energy system and runs during the crushing season."
        ),
        "advantages": (
            "Replaces activated carbon made from coal or imported coconut shells. Adds a high-value product to "
            "the mill without new fuel."
        ),
        "sector": "chemicals",
        "sdgs": [6, 12],
        "trl": 5,
        "ip_status": IPStatus.TRADE_SECRET,
        "country_developed": "BR",
        "countries_deployed": [],
        "cooperation": ["joint-venture", "technical-cooperation"],
        "organisation": "Ribeirão Carbono Verde Ltda (fictional)",
        "workflow": "in_review",
    },
    {
        "title": "Seaweed biostimulant for smallholder horticulture",
        "summary": (
            "A liquid biostimulant extracted from farmed seaweed that improves drought tolerance and yields of "
            "vegetables, made by a cold process that keeps the active compounds."
        ),
        "description": (
            "The extract is produced from seaweed farmed by coastal cooperatives, using enzymatic hydrolysis at "
            "low temperature instead of hot alkaline extraction.\n\n"
            "Trials on tomato and pepper showed yield increases of 10 to 20 % under water stress, at application "
            "rates of a few litres per hectare."
        ),
        "advantages": (
            "Reduces the need for chemical fertiliser and irrigation water. Creates income for seaweed farming "
            "communities, many of them women."
        ),
        "sector": "chemicals",
        "sdgs": [2, 5, 14, 15],
        "trl": 6,
        "ip_status": IPStatus.PATENT_PENDING,
        "country_developed": "MA",
        "countries_deployed": ["MA"],
        "cooperation": ["licensing", "distribution"],
        "organisation": "Agadir Algae Biotech SARL (fictional)",
        "workflow": "changes_requested",
        "review_message": (
            "The trial results are promising. Please add the number of trial sites and seasons, the control "
            "used, and the registration status of the product as a fertiliser or biostimulant in Morocco."
        ),
    },
    {
        "title": "Smart controller for solar mini-grids",
        "summary": (
            "A controller that manages solar, batteries and a back-up generator in village mini-grids, with "
            "prepaid metering and remote monitoring."
        ),
        "description": (
            "Mini-grid operators struggle with battery failures and unpaid bills. Our controller forecasts "
            "solar output and demand, schedules the generator only when needed and limits battery depth of "
            "discharge.\n\n"
            "Prepaid smart meters connect to the controller over power-line communication, so no extra wiring "
            "is needed in the village."
        ),
        "advantages": (
            "Longer battery life and less diesel. Operators see every site from one dashboard and can serve "
            "more villages with the same staff."
        ),
        "sector": "electronics",
        "sdgs": [7, 9],
        "trl": 6,
        "ip_status": IPStatus.PATENT_PENDING,
        "country_developed": "ET",
        "countries_deployed": [],
        "cooperation": ["investment", "technical-cooperation"],
        "organisation": "Adama Power Electronics PLC (fictional)",
        "workflow": "draft",
    },
]

# The contact person of each fictional organisation (a made-up name usual in its country).
DEMO_CONTACTS: dict[str, str] = {
    "Nairobi SunHarvest Agritech Ltd (fictional)": "Wanjiru Kamau",
    "Thiès BioÉnergie SARL (fictional)": "Moussa Ndiaye",
    "Addis Clean Water Works PLC (fictional)": "Selamawit Tesfaye",
    "Ganga Kiln Efficiency Pvt Ltd (fictional)": "Rajesh Verma",
    "Rheinland Sensorik GmbH (fictional)": "Katrin Hoffmann",
    "Norrland Biorefinery AB (fictional)": "Erik Lindqvist",
    "Fès Tannery Solutions SARL (fictional)": "Youssef El Amrani",
    "Cerrado Bioplásticos Ltda (fictional)": "Ana Paula Ferreira",
    "Nusantara Cold Chain PT (fictional)": "Dewi Lestari",
    "Mekong Fibre Co., Ltd (fictional)": "Nguyễn Thị Hoa",
    "Pune Swap Mobility Pvt Ltd (fictional)": "Priya Deshpande",
    "Lomas Agua Andina SAC (fictional)": "Carlos Quispe",
    "Lumière Capteurs SAS (fictional)": "Claire Moreau",
    "Pennine Heat Recovery Ltd (fictional)": "James Whitfield",
    "Arequipa BioMinería SAC (fictional)": "Lucía Huamán",
    "Hefei PV Circular Technology Co. (fictional)": "Wang Lei",
    "Nile Delta Smart Textiles (fictional)": "Mona Abdelrahman",
    "Kisumu Diagnostics Ltd (fictional)": "Otieno Odhiambo",
    "Binh Duong Automation JSC (fictional)": "Trần Văn Minh",
    "Atlas Terre Crue SARL (fictional)": "Fatima Zahra Benali",
    "Ribeirão Carbono Verde Ltda (fictional)": "Rafael Oliveira",
    "Agadir Algae Biotech SARL (fictional)": "Karim Bennani",
    "Adama Power Electronics PLC (fictional)": "Dawit Bekele",
}

NAG_MESSAGE = (
    "Evaluated by the WiiTs National Advisory Group, which recommended the technology for its maturity and its "
    "contribution to sustainable industrial development."
)


def _member_email(organisation_name: str) -> str:
    return f"demo.{slugify(organisation_name.replace('(fictional)', ''))}@wiits.example"


def _demo_member(entry: dict):
    """The fictional innovator of `entry`'s organisation, created the first time."""
    User = get_user_model()
    email = _member_email(entry["organisation"])
    member = User.objects.filter(email=email).first()
    if member is None:
        member = User(
            email=email,
            name=DEMO_CONTACTS.get(entry["organisation"], "Demo innovator"),
            organisation=organisation_get_or_create(name=entry["organisation"]),
            stakeholder_type=StakeholderType.TECHNOLOGY_INNOVATOR,
            country=entry["country_developed"],
        )
        member.set_unusable_password()
        member.save()
    return member


def _create_listing(entry: dict, *, owner, sectors, sdgs, cooperation) -> Technology:
    fields = {
        "title": entry["title"],
        "summary": entry["summary"],
        "description": entry["description"],
        "advantages": entry["advantages"],
        "sector": sectors[entry["sector"]],
        "trl": entry["trl"],
        "ip_status": entry["ip_status"],
        "country_developed": entry["country_developed"],
        "countries_deployed": entry["countries_deployed"],
    }
    return services.technology_create(
        owner=owner,
        fields=fields,
        sdgs=[sdgs[number] for number in entry["sdgs"]],
        cooperation=[cooperation[slug] for slug in entry["cooperation"]],
    )


def _advance(technology: Technology, workflow: str, *, owner, staff, message: str = "") -> None:
    """Move a new draft to the stage named by `workflow`, one service call per step."""
    if workflow == "draft":
        return
    services.technology_submit(technology=technology, by=owner)
    if workflow == "submitted":
        return
    if workflow == "changes_requested":
        services.technology_request_changes(technology=technology, by=staff, message=message)
        return
    services.technology_screen(technology=technology, by=staff)
    if workflow == "in_review":
        return
    nag = workflow == "published_nag"
    services.technology_publish(technology=technology, by=staff, nag_evaluated=nag, message=NAG_MESSAGE if nag else "")


def load_demo_technologies(*, staff, innovator) -> int:
    """Create the demo catalogue through the services; return how many listings were made.

    The first INNOVATOR_ENTRIES listings belong to `innovator`; each other one to a fictional
    member of its organisation (created once, with no usable password). Runs inside the
    caller's transaction; the emails the workflow queues are left to the caller.
    """
    sectors = {sector.slug: sector for sector in Sector.objects.all()}
    sdgs = {goal.number: goal for goal in SustainableDevelopmentGoal.objects.all()}
    cooperation = {kind.slug: kind for kind in CooperationType.objects.all()}
    created = 0
    for index, entry in enumerate(DEMO_TECHNOLOGIES):
        owner = innovator if index < INNOVATOR_ENTRIES else _demo_member(entry)
        technology = _create_listing(entry, owner=owner, sectors=sectors, sdgs=sdgs, cooperation=cooperation)
        _advance(technology, entry["workflow"], owner=owner, staff=staff, message=entry.get("review_message", ""))
        created += 1
    return created
