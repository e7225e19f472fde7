"""The reference taxonomies Dividend ships with. Loaded idempotently by `load_reference_data`."""

SKILLS = [
    # (code, name, kind)
    ("criminal_investigation", "Criminal investigation", "hard"),
    ("trafficking_in_human_beings", "Trafficking in human beings", "hard"),
    ("migrant_smuggling", "Migrant smuggling", "hard"),
    ("counter_terrorism", "Counter-terrorism", "hard"),
    ("border_management", "Border management", "hard"),
    ("forensics", "Forensics", "hard"),
    ("cybercrime", "Cybercrime", "hard"),
    ("financial_investigation", "Financial investigation", "hard"),
    ("public_order", "Public order", "hard"),
    ("community_policing", "Community policing", "hard"),
    ("mentoring_advising", "Mentoring and advising", "hard"),
    ("training", "Training", "hard"),
    ("strategic_planning", "Strategic planning", "hard"),
    ("organised_crime", "Organised crime", "hard"),
    ("intelligence_analysis", "Intelligence analysis", "hard"),
    ("drugs", "Drug trafficking investigation", "hard"),
    ("human_rights", "Human rights and police", "hard"),
    ("gender_advising", "Gender advising / SGBV", "hard"),
    ("project_management", "Project management", "hard"),
    ("close_protection", "Close protection", "hard"),
    ("leadership", "Leadership", "soft"),
    ("intercultural_competence", "Intercultural competence", "soft"),
    ("negotiation", "Negotiation", "soft"),
    ("communication", "Communication", "soft"),
    ("responsibility", "Responsibility", "soft"),
    ("stress_resilience", "Stress resilience", "soft"),
]

THEMATIC_AREAS = [
    ("trafficking_in_human_beings", "Trafficking in human beings"),
    ("migrant_smuggling_irregular_migration", "Migrant smuggling and irregular migration"),
    ("terrorism_violent_extremism", "Terrorism and violent extremism"),
    ("drugs", "Drugs"),
    ("arms_trafficking", "Arms trafficking"),
    ("organised_crime", "Organised crime"),
    ("cybercrime", "Cybercrime"),
    ("financial_crime", "Financial crime"),
    ("environmental_crime", "Environmental crime"),
    ("border_management", "Border management"),
    ("rule_of_law", "Rule of law"),
    ("police_reform", "Police reform"),
    ("security_sector_reform", "Security sector reform"),
    ("community_policing", "Community policing"),
    ("maritime_security", "Maritime security"),
    ("civilian_oversight", "Civilian oversight"),
]

LANGUAGES = [
    ("en", "English"), ("fr", "French"), ("de", "German"), ("nl", "Dutch"), ("sv", "Swedish"), ("fi", "Finnish"),
    ("es", "Spanish"), ("pt", "Portuguese"), ("it", "Italian"), ("ar", "Arabic"), ("ru", "Russian"),
    ("uk", "Ukrainian"), ("sq", "Albanian"), ("sr", "Serbian"), ("ka", "Georgian"), ("hy", "Armenian"),
    ("ro", "Romanian"), ("tr", "Turkish"), ("fa", "Persian"), ("sw", "Swahili"), ("so", "Somali"),
    ("pl", "Polish"), ("da", "Danish"), ("no", "Norwegian"), ("zh", "Chinese"),
]

QUALIFICATION_TYPES = [
    # (code, name, validity_months, has_level, restricted)
    ("un_saat", "UN assessment (AMS/SAAT) pass", 24, False, False),
    ("pre_deployment_course", "Pre-deployment course (EU CSDP core course / UN STM)", None, False, False),
    ("heat", "Hostile environment awareness training (HEAT)", 36, False, False),
    ("security_clearance", "Security clearance", 60, True, True),
    ("medical_fitness", "Medical fitness for deployment", 12, False, True),
    ("passport", "Service passport", 120, False, False),
    ("driving_licence", "Driving licence (4x4)", None, False, False),
    ("firearms", "Firearms qualification", 12, False, False),
]

RANKS = [
    ("constable", "Constable", 1),
    ("sergeant", "Sergeant", 2),
    ("inspector", "Inspector", 3),
    ("chief_inspector", "Chief inspector", 4),
    ("superintendent", "Superintendent", 5),
    ("chief_superintendent", "Chief superintendent", 6),
    ("commissioner", "Commissioner", 7),
]
