"""A realistic, deterministic demo dataset: pools, officers, positions, mission history and demo users.

Same seed (and same `today`) → identical data. Everything random comes from one
`random.Random(seed)`; the database is only read in a fixed order (reference data by code,
missions by organisation and acronym), so generated rows never depend on primary-key values.

Used by `manage.py demo_data`, the roster benchmark (bench/roster.py) and tests.

No audit entries are written here on purpose: generating demo data is seeding, like loading
reference data, not a change a user made.
"""

import datetime as dt
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import ProtectedError

from dividend.alerts.models import Alert
from dividend.common.database import refresh_planner_statistics
from dividend.missions.models import (
    Mission,
    Position,
)
from dividend.pools.models import Pool, RoleAssignment
from dividend.reference.loading import load_reference_data
from dividend.roster.models import (
    Officer,
    OfficerLanguage,
    OfficerSkill,
    Qualification,
    UnavailablePeriod,
)
from dividend.secondments.models import Secondment
from dividend.selection.models import Call, CallPosition, Nomination
from dividend.site.demo_catalogue import (
    HOME_COUNTRY,
)

from .demo_accountability import make_accountability
from .demo_alerts import make_alerts
from .demo_calls import make_calls
from .demo_commitments import make_commitments, wipe_commitments
from .demo_generator import DEMO_PASSWORD, DemoGenerator
from .demo_lifecycle import make_care_and_preparation, make_secondment_events, wipe_lifecycle
from .demo_performance import make_performance, wipe_performance
from .demo_preparation import make_preparation
from .demo_reports import DemoReports, make_reports, report_counts, wipe_reports
from .demo_targets import make_targets, wipe_targets

__all__ = ["DEMO_PASSWORD", "DemoResult", "generate_demo_data", "model_counts", "wipe_demo_data"]


@dataclass
class DemoResult:
    skipped: bool = False
    counts: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0
    message: str = ""
    reports: DemoReports | None = None  # what the field reports' demo planted (tests check the board against it)



def wipe_demo_data():
    """Delete the roster, mission history and positions (pools, users and reference data stay and are
    updated in place on regeneration: users may be named in the append-only audit log)."""
    try:
        wipe_performance()  # contributions name secondments and field reports
        wipe_reports()  # field reports and what was made of them PROTECT officers and missions
        wipe_targets()  # the snapshots describe the roster a reset replaces
        wipe_commitments()  # costs PROTECT the secondments
        Nomination.objects.all().delete()
        CallPosition.objects.all().delete()
        Call.objects.all().delete()
        wipe_lifecycle()  # records that PROTECT secondments and officers
        Alert.objects.all().delete()  # its recipients PROTECT their officers
        Secondment.objects.all().delete()
        UnavailablePeriod.objects.all().delete()
        OfficerSkill.objects.all().delete()
        OfficerLanguage.objects.all().delete()
        Qualification.objects.all().delete()
        Officer.country_expertise.through.objects.all().delete()
        Officer.thematic_expertise.through.objects.all().delete()
        Officer.objects.all().delete()
        Position.objects.all().delete()
    except ProtectedError as error:
        blockers = sorted({obj._meta.label for obj in error.protected_objects})
        raise RuntimeError(f"cannot wipe the demo data: rows in {', '.join(blockers)} still refer to it; "
                           "use `manage.py flush` on a demo database") from error


def model_counts() -> dict[str, int]:
    User = get_user_model()
    return {
        "pools": Pool.objects.count(),
        "officers": Officer.objects.count(),
        "officer skills": OfficerSkill.objects.count(),
        "officer languages": OfficerLanguage.objects.count(),
        "qualifications": Qualification.objects.count(),
        "unavailable periods": UnavailablePeriod.objects.count(),
        "country expertise": Officer.country_expertise.through.objects.count(),
        "thematic expertise": Officer.thematic_expertise.through.objects.count(),
        "missions": Mission.objects.count(),
        "positions": Position.objects.count(),
        "secondments": Secondment.objects.count(),
        "calls": Call.objects.count(),
        "call positions": CallPosition.objects.count(),
        "nominations": Nomination.objects.count(),
        "users": User.objects.count(),
        "role assignments": RoleAssignment.objects.count(),
        **report_counts(),
    }


def _default_mission_loader():
    from dividend.missions.loading import load_mission_registry

    return load_mission_registry()


def generate_demo_data(*, officers: int = 2000, seed: int = 42, today: dt.date | None = None, reset: bool = False,
                       log: Callable[[str], None] | None = None,
                       mission_loader: Callable[[], object] | None = None, reports: bool = True) -> DemoResult:
    """Load reference data and missions, then generate the demo roster unless one exists.

    Steps: 0. refuse unless the installation's home country is the demo's (German pools); 1. reference data; 2. mission registry; 3. skip if officers exist (unless reset, which
    wipes the roster first); 4. pools; 5. positions; 6. officers with everything attached, in
    chunks; 7. demo users; 8. calls for contributions with their positions and nominations; 9. the
    lifecycle, alerts and preparation, targets and monthly snapshots (`demo_targets`), the scorecard's
    model and a portfolio plan (`demo_accountability`); 10. unless `reports` is false (bench/reports.py
    files its own), field reports and what analysts made of them (`demo_reports`); 11. mission
    performance (`demo_performance`). Steps 4–11 run in one transaction.
    """
    log = log or (lambda message: None)
    if settings.DIVIDEND_HOME_COUNTRY != HOME_COUNTRY:
        raise RuntimeError(f"The demo data are {HOME_COUNTRY}'s (German pools and officers), but DIVIDEND_HOME_COUNTRY "
                           f"is {settings.DIVIDEND_HOME_COUNTRY!r}: set it to {HOME_COUNTRY} to load the demo. "
                           "Nothing was changed.")
    started = time.monotonic()
    load_reference_data()
    log(f"reference data loaded ({time.monotonic() - started:.1f} s)")
    (mission_loader or _default_mission_loader)()
    log(f"mission registry loaded: {Mission.objects.count()} missions ({time.monotonic() - started:.1f} s)")
    existing = Officer.objects.count()
    if existing and not reset:
        message = (f"The roster already has {existing:,} officers: no demo data generated "
                   "(use --reset to wipe the roster and generate again).")
        return DemoResult(skipped=True, counts=model_counts(), seconds=time.monotonic() - started, message=message)
    generator = DemoGenerator(officers=officers, seed=seed, today=today, log=log)
    generator.started = started
    with transaction.atomic():
        if existing:
            wipe_demo_data()
            log(f"wiped {existing:,} officers ({time.monotonic() - started:.1f} s)")
        generator.load_reference()
        generator.make_pools()
        created = generator.make_positions()
        log(f"{len(generator.pools)} pools, {len(created)} positions ({time.monotonic() - started:.1f} s)")
        generator.make_officers()
        generator.make_users()
        calls = make_calls(generator)
        log(f"{len(calls)} calls for contributions ({time.monotonic() - started:.1f} s)")
        events = make_secondment_events(generator) | make_care_and_preparation(generator)
        log(f"lifecycle: {', '.join(f'{n} {what}' for what, n in events.items())} ({time.monotonic() - started:.1f} s)")
        alerts = make_alerts(generator)
        log(f"alerts: {alerts['alerts']} with {alerts['recipients']} recipients ({time.monotonic() - started:.1f} s)")
        prepared = make_preparation(generator)
        log(f"preparation: {', '.join(f'{n} {what}' for what, n in prepared.items())} "
            f"({time.monotonic() - started:.1f} s)")
        figures = make_targets(generator)
        log(f"targets: {figures['targets']} targets, {figures['snapshots']} monthly snapshots "
            f"({time.monotonic() - started:.1f} s)")
        committed = make_commitments(generator)
        log(f"commitments: {', '.join(f'{n} {what}' for what, n in committed.items())} "
            f"({time.monotonic() - started:.1f} s)")
        planned = make_accountability(generator)
        log(f"accountability: {', '.join(f'{n} {what}' for what, n in planned.items())} "
            f"({time.monotonic() - started:.1f} s)")
        made = None
        if reports:
            made = make_reports(generator)
            log(f"reports: {', '.join(f'{n} {what}' for what, n in made.counts.items())} "
                f"({time.monotonic() - started:.1f} s)")
        performance = make_performance(generator)
        log(f"mission performance: {', '.join(f'{n} {what}' for what, n in performance.items())} "
            f"({time.monotonic() - started:.1f} s)")
    refresh_planner_statistics(vacuum=True)  # pages all-visible at once: see bench/README.md
    seconds = time.monotonic() - started
    return DemoResult(counts=model_counts(), seconds=seconds, reports=made,
                      message=f"Generated {officers:,} officers (seed {seed}) in {seconds:.1f} s.")
