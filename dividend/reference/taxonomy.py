"""The reference taxonomies Dividend ships with. Loaded idempotently by `load_reference_data`.

Plain data (no Django): the mission registry checks its files against these codes.
"""

import csv
import re
from pathlib import Path

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

# Thematic areas are the one theme vocabulary of the product: officers' expertise, missions' themes
# (mission registry), the priority index's themes and the policy officer's weights all use these codes.
# They live in a plain data file because the priority engine, which imports nothing of Dividend,
# reads the same file (priorities/engine/model.py); `priority_theme` marks the crime phenomena the
# index scores and the policy officer weights.
THEMATIC_AREAS_CSV = Path(__file__).resolve().parents[1] / "data" / "thematic_areas.csv"
_CODE = re.compile(r"^[a-z][a-z0-9_]*\Z")


def _read_thematic_areas(path: Path) -> list[tuple[str, str, bool]]:
    """(code, name, priority theme) per row; ValueError naming the file and row on anything malformed."""
    with open(path, encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    areas, seen = [], set()
    for number, row in enumerate(rows, start=2):
        code, name, flag = (row.get(key, "") or "" for key in ("code", "name", "priority_theme"))
        where = f"{path.name} row {number}"
        if not _CODE.match(code):
            raise ValueError(f"{where}: code {code!r} must be lower-case letters, digits and _")
        if code in seen:
            raise ValueError(f"{where}: code {code!r} appears twice")
        if not name.strip() or flag not in ("yes", "no"):
            raise ValueError(f"{where}: needs a name and priority_theme yes or no")
        seen.add(code)
        areas.append((code, name.strip(), flag == "yes"))
    return areas


_AREAS = _read_thematic_areas(THEMATIC_AREAS_CSV)
THEMATIC_AREAS = [(code, name) for code, name, _ in _AREAS]
THEME_CODES = tuple(code for code, _, _ in _AREAS)
THEME_NAMES = dict(THEMATIC_AREAS)
PRIORITY_THEMES = tuple(code for code, _, priority in _AREAS if priority)

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

SKILL_CODES = tuple(code for code, _, _ in SKILLS)
LANGUAGE_CODES = tuple(code for code, _ in LANGUAGES)
QUALIFICATION_CODES = tuple(code for code, *_ in QUALIFICATION_TYPES)
RANK_CODES = tuple(code for code, _, _ in RANKS)
