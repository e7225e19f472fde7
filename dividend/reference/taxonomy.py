"""The reference taxonomies Dividend ships with. Loaded idempotently by `load_reference_data`.

Plain data (no Django): the mission registry checks its files against these codes.
"""

import csv
import re
from pathlib import Path


def gettext_noop(name: str) -> str:
    """Marks a name for the translation catalogues (makemessages finds the call) and returns it as it
    is: the database and files keep the English name; `reference.names` translates it when shown."""
    return name


SKILLS = [
    # (code, name, kind)
    ("criminal_investigation", gettext_noop("Criminal investigation"), "hard"),
    ("trafficking_in_human_beings", gettext_noop("Trafficking in human beings"), "hard"),
    ("migrant_smuggling", gettext_noop("Migrant smuggling"), "hard"),
    ("counter_terrorism", gettext_noop("Counter-terrorism"), "hard"),
    ("border_management", gettext_noop("Border management"), "hard"),
    ("forensics", gettext_noop("Forensics"), "hard"),
    ("cybercrime", gettext_noop("Cybercrime"), "hard"),
    ("financial_investigation", gettext_noop("Financial investigation"), "hard"),
    ("public_order", gettext_noop("Public order"), "hard"),
    ("community_policing", gettext_noop("Community policing"), "hard"),
    ("mentoring_advising", gettext_noop("Mentoring and advising"), "hard"),
    ("training", gettext_noop("Training"), "hard"),
    ("strategic_planning", gettext_noop("Strategic planning"), "hard"),
    ("organised_crime", gettext_noop("Organised crime"), "hard"),
    ("intelligence_analysis", gettext_noop("Intelligence analysis"), "hard"),
    ("drugs", gettext_noop("Drug trafficking investigation"), "hard"),
    ("human_rights", gettext_noop("Human rights and police"), "hard"),
    ("gender_advising", gettext_noop("Gender advising / SGBV"), "hard"),
    ("project_management", gettext_noop("Project management"), "hard"),
    ("close_protection", gettext_noop("Close protection"), "hard"),
    ("leadership", gettext_noop("Leadership"), "soft"),
    ("intercultural_competence", gettext_noop("Intercultural competence"), "soft"),
    ("negotiation", gettext_noop("Negotiation"), "soft"),
    ("communication", gettext_noop("Communication"), "soft"),
    ("responsibility", gettext_noop("Responsibility"), "soft"),
    ("stress_resilience", gettext_noop("Stress resilience"), "soft"),
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
    ("en", gettext_noop("English")), ("fr", gettext_noop("French")), ("de", gettext_noop("German")),
    ("nl", gettext_noop("Dutch")), ("sv", gettext_noop("Swedish")), ("fi", gettext_noop("Finnish")),
    ("es", gettext_noop("Spanish")), ("pt", gettext_noop("Portuguese")), ("it", gettext_noop("Italian")),
    ("ar", gettext_noop("Arabic")), ("ru", gettext_noop("Russian")), ("uk", gettext_noop("Ukrainian")),
    ("sq", gettext_noop("Albanian")), ("sr", gettext_noop("Serbian")), ("ka", gettext_noop("Georgian")),
    ("hy", gettext_noop("Armenian")), ("ro", gettext_noop("Romanian")), ("tr", gettext_noop("Turkish")),
    ("fa", gettext_noop("Persian")), ("sw", gettext_noop("Swahili")), ("so", gettext_noop("Somali")),
    ("pl", gettext_noop("Polish")), ("da", gettext_noop("Danish")), ("no", gettext_noop("Norwegian")),
    ("zh", gettext_noop("Chinese")),
]

QUALIFICATION_TYPES = [
    # (code, name, validity_months, has_level, restricted)
    ("un_saat", gettext_noop("UN assessment (AMS/SAAT) pass"), 24, False, False),
    ("pre_deployment_course", gettext_noop("Pre-deployment course (EU CSDP core course / UN STM)"), None, False, False),
    ("heat", gettext_noop("Hostile environment awareness training (HEAT)"), 36, False, False),
    ("security_clearance", gettext_noop("Security clearance"), 60, True, True),
    ("medical_fitness", gettext_noop("Medical fitness for deployment"), 12, False, True),
    ("passport", gettext_noop("Service passport"), 120, False, False),
    ("driving_licence", gettext_noop("Driving licence (4x4)"), None, False, False),
    ("firearms", gettext_noop("Firearms qualification"), 12, False, False),
    # A certificate from the contributing state that the officer was screened for human-rights
    # violations (UN police ask for one); selection rules read it as a certificate.
    ("human_rights_screening", gettext_noop("Human-rights screening certificate"), None, False, False),
]

RANKS = [
    ("constable", gettext_noop("Constable"), 1),
    ("sergeant", gettext_noop("Sergeant"), 2),
    ("inspector", gettext_noop("Inspector"), 3),
    ("chief_inspector", gettext_noop("Chief inspector"), 4),
    ("superintendent", gettext_noop("Superintendent"), 5),
    ("chief_superintendent", gettext_noop("Chief superintendent"), 6),
    ("commissioner", gettext_noop("Commissioner"), 7),
]

SKILL_CODES = tuple(code for code, _, _ in SKILLS)
LANGUAGE_CODES = tuple(code for code, _ in LANGUAGES)
QUALIFICATION_CODES = tuple(code for code, *_ in QUALIFICATION_TYPES)
RANK_CODES = tuple(code for code, _, _ in RANKS)
