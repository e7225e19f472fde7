"""What the demo dataset is made of: names, pools, demo users, and the weights that shape the roster.

Plain data, read by demo.py; changing it changes the (still deterministic) demo data.
"""

from dividend.pools.models import Role

# ---------------------------------------------------------------------------------------------
# Names. Six origins; the pools are German, so the "diaspora" group and the home language are German.
# ---------------------------------------------------------------------------------------------

NAMES = {
    "de": (
        "Anna Maria Julia Laura Lena Sarah Katharina Lisa Johanna Sophie Hannah Lea Christina Sabine Petra "
        "Claudia Andrea Stefanie Nicole Melanie Susanne Kerstin Birgit Anja Tanja Silke Heike Nadine Jana "
        "Franziska Miriam Carolin Theresa Vanessa Jasmin Kathrin Ines Ulrike Monika Martina Annika Svenja "
        "Verena Daniela Simone Nina Larissa Bettina",
        "Thomas Michael Andreas Stefan Christian Markus Frank Jürgen Matthias Alexander Daniel Sebastian "
        "Tobias Florian Jan Lukas Jonas Felix Maximilian Philipp Dirk Uwe Ralf Holger Torsten Sven Jens Kai "
        "Oliver Patrick Benjamin Simon Moritz Niklas Dominik Marco Björn Carsten Heiko Volker Timo Rainer "
        "Wolfgang Bernd Klaus Martin Johannes Tim",
        "Müller,Schmidt,Schneider,Fischer,Weber,Meyer,Wagner,Becker,Schulz,Hoffmann,Schäfer,Koch,Bauer,"
        "Richter,Klein,Wolf,Schröder,Neumann,Schwarz,Zimmermann,Braun,Krüger,Hofmann,Hartmann,Lange,Schmitt,"
        "Werner,Schmitz,Krause,Meier,Lehmann,Schmid,Schulze,Maier,Köhler,Herrmann,König,Walter,Mayer,Huber,"
        "Kaiser,Fuchs,Peters,Lang,Scholz,Möller,Weiß,Jung,Hahn,Schubert,Vogel,Friedrich,Keller,Günther,"
        "Frank,Berger,Winkler,Roth,Beck,Lorenz,Baumann,Franke,Albrecht,Schuster,Simon,Ludwig,Böhm,Winter,"
        "Kraus,Martin,Schumacher,Krämer,Vogt,Stein,Jäger,Otto,Sommer,Groß,Seidel,Heinrich,Brandt,Haas",
    ),
    "nl": (
        "Emma Sanne Lotte Fleur Anouk Femke Eline Lieke Marloes Inge Ilse Mieke Annelies Els Griet Hilde Kaat "
        "Lien Nele Sofie Veerle Wendy An Katrien Liesbeth Marieke Joke Ingrid Saskia Esther Evelien Charlotte "
        "Tine Elke Jolien Leen Roos Noor Yasmina Fatima Ellen Kim Anke",
        "Jeroen Bram Sander Thijs Ruben Joost Pieter Maarten Wouter Bart Koen Tom Stijn Dries Jef Wim Geert "
        "Luc Dirk Jan Kees Hendrik Johan Erik Gert Rik Niels Jasper Lars Sven Arne Tim Robbe Mathias Yannick "
        "Kristof Filip Mohamed Youssef Ward Sam Toon",
        "de Jong,Jansen,de Vries,van den Berg,van Dijk,Bakker,Janssen,Visser,Smit,Meijer,de Boer,Mulder,"
        "de Groot,Bos,Vos,Peters,Hendriks,van Leeuwen,Dekker,Brouwer,de Wit,Dijkstra,Smits,de Graaf,"
        "van der Meer,Peeters,Maes,Jacobs,Mertens,Willems,Claes,Goossens,Wouters,De Smet,Vermeulen,"
        "Van de Velde,Desmet,Verstraete,De Clercq,Van Damme,Lambrecht,Claeys,Hermans,Aerts,Michiels,Coppens,"
        "Segers,Verhoeven,Van Acker,De Backer,Vandenberghe,Martens,Cools,Verbeke,Bogaert,Stevens,Pauwels,"
        "Van Hecke,Lemmens,Van den Broeck,Timmermans,Kuipers,van Wijk,Koster,Prins",
    ),
    "fr": (
        "Marie Camille Julie Claire Sophie Céline Aurélie Émilie Nathalie Isabelle Sandrine Stéphanie Valérie "
        "Caroline Élodie Mathilde Pauline Manon Chloé Léa Inès Juliette Margaux Océane Audrey Virginie "
        "Laetitia Delphine Hélène Anne Cécile Sylvie Catherine Charlotte Amandine Lucie Elise Noémie Justine "
        "Agathe Coralie Morgane",
        "Nicolas Julien Thomas Pierre Jean Philippe François Laurent Olivier Sébastien Guillaume Antoine "
        "Maxime Romain Alexandre Vincent Christophe Frédéric Stéphane Cédric David Jérôme Benoît Mathieu "
        "Arnaud Damien Fabrice Grégory Hugo Louis Lucas Quentin Thibault Yves Bruno Didier Emmanuel Gilles "
        "Marc Raphaël Xavier Loïc",
        "Martin,Bernard,Dubois,Thomas,Robert,Richard,Petit,Durand,Leroy,Moreau,Simon,Laurent,Lefebvre,Michel,"
        "Garcia,David,Bertrand,Roux,Vincent,Fournier,Morel,Girard,André,Lefèvre,Mercier,Dupont,Lambert,"
        "Bonnet,François,Martinez,Legrand,Garnier,Faure,Rousseau,Blanc,Guérin,Muller,Henry,Roussel,Nicolas,"
        "Perrin,Morin,Mathieu,Clément,Gauthier,Dumont,Lopez,Fontaine,Chevalier,Robin,Renard,Lejeune,Dupuis,"
        "Leclercq,Collignon,Jacquet,Delvaux,Lemaire,Gilson,Wauters,Masson,Marchal,Hubert,Noël",
    ),
    "fi": (
        "Aino Anna Anne Eeva Elina Emilia Hanna Heidi Jenni Johanna Kaisa Katja Kirsi Laura Leena Liisa "
        "Maria Marjo Minna Niina Noora Outi Päivi Pia Riikka Sanna Satu Suvi Tiina Tuula Ulla Venla Essi "
        "Saara Milla Iida Jaana Merja Sari Hilkka",
        "Antti Juha Jukka Mikko Matti Timo Pekka Kari Jari Sami Janne Ville Tuomas Jussi Petri Markku Heikki "
        "Harri Jarmo Joni Lauri Olli Pasi Teemu Tommi Toni Veli Aleksi Eero Ilkka Jyrki Kimmo Marko Niko "
        "Otto Risto Samuli Tapio Vesa Arto",
        "Korhonen,Virtanen,Mäkinen,Nieminen,Mäkelä,Hämäläinen,Laine,Heikkinen,Koskinen,Järvinen,Lehtonen,"
        "Lehtinen,Saarinen,Salminen,Heinonen,Niemi,Heikkilä,Kinnunen,Salonen,Turunen,Salo,Laitinen,Tuominen,"
        "Rantanen,Karjalainen,Jokinen,Mattila,Savolainen,Lahtinen,Ahonen,Hiltunen,Leinonen,Kallio,Hirvonen,"
        "Miettinen,Pitkänen,Manninen,Väisänen,Lindholm,Ojala,Koivisto,Aaltonen,Harju,Lappalainen,Räsänen,"
        "Peltonen,Kärkkäinen,Suominen,Toivonen,Vainio",
    ),
    "sv": (
        "Anna Eva Maria Karin Sara Kristina Lena Emma Kerstin Ingrid Linnea Elin Ida Malin Johanna Sofia "
        "Hanna Frida Lisa Jenny Maja Ebba Astrid Matilda Annika Helena Camilla Therese Cecilia Louise Åsa "
        "Birgitta Ulrika Josefin Moa Klara Agnes Alva Tove Petra",
        "Lars Anders Johan Per Erik Karl Peter Mikael Jan Hans Fredrik Daniel Magnus Mattias Jonas Niklas "
        "Henrik Oskar Gustav Viktor Axel Emil Filip Linus Olof Björn Gunnar Stefan Mats Ulf Joakim Rasmus "
        "Tobias Andreas Christoffer Marcus Patrik Robin Sebastian Alexander",
        "Andersson,Johansson,Karlsson,Nilsson,Eriksson,Larsson,Olsson,Persson,Svensson,Gustafsson,Pettersson,"
        "Jonsson,Jansson,Hansson,Bengtsson,Jönsson,Lindberg,Jakobsson,Magnusson,Olofsson,Lindström,Lindqvist,"
        "Lindgren,Berg,Axelsson,Bergström,Lundberg,Lind,Lundgren,Lundqvist,Mattsson,Berglund,Fredriksson,"
        "Sandberg,Henriksson,Forsberg,Sjöberg,Wallin,Engström,Eklund,Danielsson,Lundin,Håkansson,Björk,"
        "Bergman,Gunnarsson,Holm,Wikström,Samuelsson,Isaksson",
    ),
    "diaspora": (
        "Ayşe Elif Zeynep Fatma Yasemin Leyla Amina Meryem Derya Esra Selin Nour Samira Hanan Melek Dilara",
        "Mehmet Ahmet Murat Emre Can Ali Hakan Karim Omar Bilal Serkan Deniz Tarek Yusuf Kemal Burak",
        "Yılmaz,Kaya,Demir,Şahin,Çelik,Öztürk,Aydın,Arslan,Doğan,Kılıç,Yıldız,Koç,El Amrani,Benali,Haddad,"
        "Mansour,Khalil,Saleh,Nasser,Rahimi,Haidari,Popescu,Nowak,Kowalski,Wiśniewski,Petrović,Jovanović,Hoxha",
    ),
}
ORIGINS = ["de", "nl", "fr", "fi", "sv", "diaspora"]
ORIGIN_WEIGHTS = [45, 14, 14, 9, 10, 8]
# Language an officer of each origin speaks natively; the pools' working language is German.
NATIVE_LANGUAGE = {"de": "de", "nl": "nl", "fr": "fr", "fi": "fi", "sv": "sv", "diaspora": "de"}
HOME_LANGUAGE = "de"
# The demo is one country: German pools, names and working language (settings.DIVIDEND_HOME_COUNTRY).
HOME_COUNTRY = "DEU"

# (code, name, kind, headcount, e-mail domain, service-number prefix)
POOLS = [
    ("bpol", "Bundespolizei", "federal_police", 51000, "polizei.bund.de", "BP"),
    ("pol-by", "Bayerische Polizei", "state_police", 44000, "polizei.bayern.de", "BY"),
    ("pol-nw", "Polizei Nordrhein-Westfalen", "state_police", 41000, "polizei.nrw.de", "NW"),
    ("pol-bw", "Polizei Baden-Württemberg", "state_police", 25000, "polizei.bwl.de", "BW"),
    ("pol-ni", "Polizei Niedersachsen", "state_police", 19600, "polizei.niedersachsen.de", "NI"),
    ("pol-he", "Polizei Hessen", "state_police", 19000, "polizei.hessen.de", "HE"),
    ("pol-be", "Polizei Berlin", "state_police", 18000, "polizei.berlin.de", "BE"),
    ("pol-sn", "Polizei Sachsen", "state_police", 14000, "polizei.sachsen.de", "SN"),
    ("pol-rp", "Polizei Rheinland-Pfalz", "state_police", 10000, "polizei.rlp.de", "RP"),
    ("pol-hh", "Polizei Hamburg", "state_police", 8300, "polizei.hamburg.de", "HH"),
    ("pol-bb", "Polizei Brandenburg", "state_police", 8200, "polizei.brandenburg.de", "BB"),
    ("pol-sh", "Landespolizei Schleswig-Holstein", "state_police", 7900, "polizei.landsh.de", "SH"),
    ("pol-st", "Polizei Sachsen-Anhalt", "state_police", 6100, "polizei.sachsen-anhalt.de", "ST"),
    ("pol-th", "Thüringer Polizei", "state_police", 6000, "polizei.thueringen.de", "TH"),
    ("pol-mv", "Landespolizei Mecklenburg-Vorpommern", "state_police", 5800, "polizei.mvnet.de", "MV"),
    ("pol-hb", "Polizei Bremen", "state_police", 2900, "polizei.bremen.de", "HB"),
    ("pol-sl", "Polizei Saarland", "state_police", 2800, "polizei.saarland.de", "SL"),
    ("zoll", "Zoll – Vollzugsdienst", "customs", 14000, "zoll.de", "ZV"),
    ("feldjaeger", "Feldjägertruppe (military police)", "gendarmerie", 3000, "bundeswehr.org", "FJ"),
]
HOME_POOL = "bpol"  # the pool of the pool-level demo users (coordinator, secondee, hr)

# (username, role, national, pool-level?, first name, last name, staff+superuser)
DEMO_USERS = [
    ("coordinator", Role.COORDINATOR, False, True, "Claudia", "Brandt", False),
    ("coordinator_national", Role.COORDINATOR, True, False, "Pieter", "Claes", False),
    ("panel", Role.PANEL_MEMBER, True, False, "Kaisa", "Lehtonen", False),
    ("analyst", Role.ANALYST, True, False, "Mats", "Lindqvist", False),
    # A second analyst: approves what `analyst` composes (author ≠ approver) and the other way round.
    ("analyst2", Role.ANALYST, True, False, "Sofia", "Marques", False),
    ("secondee", Role.SECONDEE, False, True, "", "", False),  # names come from the linked officer
    ("hr", Role.HR_MANAGER, False, True, "Sabine", "Krüger", False),
    ("policy", Role.POLICY_OFFICER, True, False, "Hélène", "Dupont", False),
    ("admin", Role.ADMINISTRATOR, True, False, "Jens", "Vogel", True),
    ("auditor", Role.AUDITOR, True, False, "Inge", "de Vries", False),
    # Reads the consolidated figures for the foreign ministry; no personal data.
    ("liaison", Role.MINISTRY_LIAISON, True, False, "Marc", "Lambert", False),
]
DEMO_USERNAMES = [row[0] for row in DEMO_USERS]

# Rank ladder (order 1–7): many constables, few commissioners; senior ranks need some years.
RANK_WEIGHTS = [30, 27, 20, 12, 7, 3, 1]
RANK_MIN_AGE = [25, 27, 29, 33, 38, 42, 46]

SKILL_WEIGHTS = {
    "criminal_investigation": 10, "community_policing": 9, "public_order": 8, "border_management": 6,
    "training": 6, "mentoring_advising": 5, "organised_crime": 5, "drugs": 5, "intelligence_analysis": 4,
    "forensics": 3, "cybercrime": 3, "financial_investigation": 3, "trafficking_in_human_beings": 3,
    "migrant_smuggling": 3, "counter_terrorism": 3, "strategic_planning": 2, "human_rights": 2,
    "gender_advising": 2, "project_management": 3, "close_protection": 2,
    "leadership": 6, "intercultural_competence": 6, "negotiation": 4, "communication": 7,
    "responsibility": 6, "stress_resilience": 5,
}
SKILL_LEVEL_WEIGHTS = [25, 45, 25, 5]  # levels 1–4: expert (4) is rare
SKILL_COUNT_WEIGHTS = {2: 20, 3: 30, 4: 25, 5: 15, 6: 10}
# Skills that suggest a declared thematic expertise.
SKILL_THEME = {
    "trafficking_in_human_beings": "trafficking_in_human_beings",
    "migrant_smuggling": "migrant_smuggling_irregular_migration", "counter_terrorism": "terrorism_violent_extremism",
    "drugs": "drugs", "organised_crime": "organised_crime", "cybercrime": "cybercrime",
    "financial_investigation": "financial_crime", "border_management": "border_management",
    "community_policing": "community_policing", "strategic_planning": "police_reform",
}
OTHER_LANGUAGES = ["es", "it", "ru", "ar", "tr", "pl", "pt", "uk", "sq", "sr", "fa", "nl", "sv", "da"]

# Countries officers declare expertise in (besides the host countries of missions).
EXPERTISE_ISO3 = [
    "UKR", "GEO", "MDA", "ARM", "XKX", "BIH", "SRB", "ALB", "MKD", "TUR", "IRQ", "SYR", "AFG", "LBY", "TUN",
    "MAR", "NGA", "MLI", "NER", "SOM", "COD", "CAF", "SSD", "SDN", "HTI", "COL", "PSE", "LBN", "MOZ", "ETH",
]
FRANCOPHONE_ISO3 = {
    "MLI", "NER", "CAF", "COD", "HTI", "TCD", "BFA", "CIV", "SEN", "GIN", "BEN", "TGO", "CMR", "MRT", "DJI",
    "BDI", "RWA", "MAR", "TUN", "DZA", "GAB", "COG", "MDG", "LBN",
}
CLEARANCE_LEVELS = ["restricted", "confidential", "secret"]
# Seven entries as before, so the generator's random stream (and the demo) stays the same.
UNAVAILABLE_REASONS = ["leave", "training", "leave", "operational", "court", "leave", "training"]

# Generic posts for active missions: (title, [(skill code, min level)], minimum rank order, armed)
GENERIC_POSITIONS = [
    ("Criminal Investigation Adviser", [("criminal_investigation", 3), ("mentoring_advising", 2)], 3, False),
    ("Border Management Adviser", [("border_management", 3), ("mentoring_advising", 2)], 3, False),
    ("Community Policing Adviser", [("community_policing", 3), ("communication", 2)], 2, False),
    ("Organised Crime Adviser", [("organised_crime", 3), ("intelligence_analysis", 2)], 3, False),
    ("Police Trainer", [("training", 3), ("communication", 2)], 2, False),
    ("Strategic Planning Adviser", [("strategic_planning", 3), ("leadership", 2)], 4, False),
    ("Cybercrime Adviser", [("cybercrime", 3)], 3, False),
    ("Forensics Mentor", [("forensics", 3), ("mentoring_advising", 2)], 2, False),
    ("Public Order Adviser", [("public_order", 3)], 3, False),
    ("Gender and Human Rights Adviser", [("gender_advising", 3), ("human_rights", 2)], 3, False),
    ("Counter-Terrorism Adviser", [("counter_terrorism", 3), ("intelligence_analysis", 2)], 4, False),
    ("Trafficking in Human Beings Investigator", [("trafficking_in_human_beings", 3),
                                                  ("criminal_investigation", 2)], 2, False),
    ("Financial Investigation Adviser", [("financial_investigation", 3)], 3, False),
    ("Individual Police Officer", [("community_policing", 2), ("intercultural_competence", 2)], 1, True),
    ("Project Officer", [("project_management", 2), ("communication", 2)], 2, False),
    ("Head of Field Office", [("leadership", 3), ("negotiation", 2)], 5, False),
    ("Drug Investigation Mentor", [("drugs", 3), ("mentoring_advising", 2)], 2, False),
    ("Close Protection Officer", [("close_protection", 3)], 2, True),
]
# What each generic post works on (its thematic tags): a border-management adviser is not a project
# officer. Read by title, so the generator's random stream stays as it was.
GENERIC_TAGS = {
    "Criminal Investigation Adviser": ("rule_of_law", "organised_crime"),
    "Border Management Adviser": ("border_management", "migrant_smuggling_irregular_migration"),
    "Community Policing Adviser": ("community_policing",),
    "Organised Crime Adviser": ("organised_crime", "drugs"),
    "Police Trainer": ("police_reform",),
    "Strategic Planning Adviser": ("police_reform", "security_sector_reform"),
    "Cybercrime Adviser": ("cybercrime",),
    "Forensics Mentor": ("rule_of_law",),
    "Public Order Adviser": ("police_reform",),
    "Gender and Human Rights Adviser": ("trafficking_in_human_beings", "civilian_oversight"),
    "Counter-Terrorism Adviser": ("terrorism_violent_extremism",),
    "Trafficking in Human Beings Investigator": ("trafficking_in_human_beings",),
    "Financial Investigation Adviser": ("financial_crime", "organised_crime"),
    "Individual Police Officer": ("community_policing",),
    "Head of Field Office": ("police_reform",),
    "Drug Investigation Mentor": ("drugs",),
}
# Duty stations where daily life is hardest (conflict areas in the registry's active missions).
VERY_HARD_ISO3 = {"AFG", "CAF", "COD", "MLI", "SSD", "SOM", "SDN", "YEM", "LBY", "SYR", "HTI", "PSE", "LBN"}


def demo_burden(mission, hosts) -> int:
    """A duty station's burden for the demo, from facts of the mission (no random draw): an OSCE or
    EU mission in Europe is accessible or moderate, a UN peace operation hard, a conflict area very hard."""
    iso3 = {c.iso3 for c in hosts}
    if iso3 & VERY_HARD_ISO3:
        return 4
    if mission.organisation == "un" or mission.mandate_executive:
        return 3
    europe = all(c.region == "Europe" for c in hosts) if hosts else True
    return 1 if europe and mission.organisation == "osce" else (2 if europe else 3)
