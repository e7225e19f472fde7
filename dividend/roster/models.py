"""The national roster: officers, their skills, languages, qualifications and availability."""

import datetime as dt
import unicodedata

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from dividend.common.validators import no_markup
from dividend.pools.access import EVERY_POOL
from dividend.reference.models import CEFR_BY_VALUE, CEFR_LEVELS, SKILL_LEVELS

from . import access

GENDER_CHOICES = [("female", _("Female")), ("male", _("Male")), ("other", _("Other")), ("undisclosed", _("Undisclosed"))]


def add_months(day: dt.date, months: int) -> dt.date:
    """Calendar month arithmetic; the 31st becomes the last day of a shorter month."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    for candidate_day in (day.day, 30, 29, 28):
        try:
            return dt.date(year, month, candidate_day)
        except ValueError:
            continue
    raise AssertionError("unreachable")


def strip_diacritics(text: str) -> str:
    """"Müller" → "Muller", "Øren" stays: only combining marks go (as SQLite FTS5's remove_diacritics)."""
    return "".join(ch for ch in unicodedata.normalize("NFD", text) if not unicodedata.combining(ch))


def searchable_text(parts) -> str:
    """The parts joined, then each word that has diacritics once more without them.

    Why: SQLite's FTS5 ignores diacritics; PostgreSQL's 'simple' configuration does not. With both
    spellings in the document and the query's words stripped (roster.search), "Muller" and "Müller"
    find the same officers on both engines.
    """
    text = " ".join(p for p in parts if p)
    extra = dict.fromkeys(plain for word in text.split()
                          if not word.isascii() and (plain := strip_diacritics(word)) and plain != word)
    return " ".join([text, *extra]) if extra else text


def search_document(*, first_name: str, last_name: str, service_number: str, pool_code: str, pool_name: str,
                    rank_name: str, skills=(), languages=(), countries=(), themes=()) -> str:
    """An officer's free-text search document: the one definition, for every path that writes it
    (Officer.build_search_document, the demo generator). Skills, languages and declared country and
    theme expertise are names; each group is sorted, so the order rows come in does not matter."""
    parts = [first_name, last_name, service_number, pool_code, pool_name, rank_name]
    for names in (skills, languages, countries, themes):
        parts += sorted(names)
    return searchable_text(parts)


class OfficerQuerySet(models.QuerySet):
    def visible_to(self, user):
        """The officers this user may see: the pools of their roster roles (all of them for a national
        role), and their own record (a secondee)."""
        if user is None or not user.is_authenticated:
            return self.none()
        pools = access.roster_pools(user)
        if pools is EVERY_POOL:
            return self
        if not access.sees_own_record(user):
            return self.filter(pool_id__in=pools)
        if not pools:
            return self.filter(user=user)
        return self.filter(Q(pool_id__in=pools) | Q(user=user))

    def with_related(self):
        return self.select_related("pool", "rank")

    def newly_available(self, *, since: dt.date, today: dt.date):
        """Officers whose availability began between `since` and `today` (both inclusive): the
        coordinator's "newly available", and the roster search's `available_since` filter."""
        return self.filter(available_from__gte=since, available_from__lte=today)


class Officer(models.Model):
    pool = models.ForeignKey("pools.Pool", on_delete=models.PROTECT, related_name="officers")
    service_number = models.CharField(max_length=30)
    first_name = models.CharField(max_length=80, validators=[no_markup])
    last_name = models.CharField(max_length=80, validators=[no_markup])
    rank = models.ForeignKey("reference.Rank", on_delete=models.PROTECT, related_name="officers")
    gender = models.CharField(max_length=12, choices=GENDER_CHOICES)
    date_of_birth = models.DateField()
    # Start of police service (selection rules count whole years of service from it).
    service_start = models.DateField(null=True, blank=True)
    email = models.EmailField(blank=True)
    phone = models.CharField(max_length=40, blank=True)
    # Restricted: visible only to need-to-know roles (see roster.access.can_see_restricted).
    emergency_contact_name = models.CharField(max_length=120, blank=True, validators=[no_markup])
    emergency_contact_phone = models.CharField(max_length=40, blank=True)
    # Restricted too: the day a substantiated misconduct finding (sexual exploitation and abuse
    # included) from an earlier mission was put on record; empty: none. Selection reads only whether
    # one is on record (Officer.misconduct_on_record), never the date.
    misconduct_recorded_on = models.DateField(null=True, blank=True)
    available_from = models.DateField(null=True, blank=True, help_text=_("Empty: not available for deployment."))
    max_duration_months = models.PositiveSmallIntegerField(
        null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(60)]
    )
    country_expertise = models.ManyToManyField("reference.Country", blank=True, related_name="declared_experts")
    thematic_expertise = models.ManyToManyField("reference.ThematicArea", blank=True, related_name="declared_experts")
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="officer"
    )
    # Denormalised text for full-text search (FTS5 on SQLite, tsvector on PostgreSQL); see roster.search.
    search_document = models.TextField(blank=True, editable=False)
    # Tokens the search's set filters intersect (skills, languages, expertise, ...); see roster.facts.
    search_facts = models.TextField(blank=True, default="", editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = OfficerQuerySet.as_manager()

    class Meta:
        ordering = ["last_name", "first_name", "id"]
        constraints = [
            models.UniqueConstraint(fields=["pool", "service_number"], name="officer_unique_service_number_in_pool")
        ]
        indexes = [
            models.Index(fields=["last_name", "first_name"]),
            # The availability filter's columns with what counting per gender joins on (PostgreSQL
            # reads them without the rows, as SQLite reads officer_gender_availability); also the
            # "available" sort.
            models.Index(fields=["available_from", "max_duration_months", "gender", "id"], name="officer_availability"),
            # Counting matches per gender (roster_page) reads these instead of the wide rows: the
            # availability filter's columns with the gender, and the gender by id (other filters).
            models.Index(fields=["gender", "available_from", "max_duration_months"], name="officer_gender_availability"),
            models.Index(fields=["id", "gender"], name="officer_gender_by_id"),
            # A pool's officers (pool filters, a state coordinator's roster) counted per gender and
            # sorted by rank or name without reading their rows (PostgreSQL needs the id in the index).
            models.Index(fields=["pool", "gender", "rank", "last_name", "first_name", "id"],
                         name="officer_pool_gender_rank"),
        ]

    # Fields only need-to-know roles may read.
    RESTRICTED_FIELDS = ("emergency_contact_name", "emergency_contact_phone", "misconduct_recorded_on")
    # Fields a secondee may change on their own profile.
    SELF_EDITABLE_FIELDS = ("email", "phone", "emergency_contact_name", "emergency_contact_phone",
                            "available_from", "max_duration_months")

    def __str__(self):
        return f"{self.full_name} ({self.pool.name}, {self.service_number})"

    @property
    def full_name(self):
        return f"{self.first_name} {self.last_name}"

    @property
    def misconduct_on_record(self) -> bool:
        """Whether a substantiated misconduct finding is on record: all that selection may know."""
        return self.misconduct_recorded_on is not None

    def clean(self):
        errors = {}
        if self.date_of_birth and self.date_of_birth > dt.date.today() - dt.timedelta(days=365 * 17):
            errors["date_of_birth"] = _("An officer must be at least 17 years old.")
        errors.update(check_officer_dates(self.date_of_birth, self.service_start, self.misconduct_recorded_on))
        if errors:
            raise ValidationError(errors)

    def build_search_document(self) -> str:
        """Names, number, skills, languages and expertise, so free text finds what people type."""
        return search_document(
            first_name=self.first_name, last_name=self.last_name, service_number=self.service_number,
            pool_code=self.pool.code, pool_name=self.pool.name, rank_name=self.rank.name,
            skills=[s.skill.name for s in self.skills.all()],
            languages=[lang.language.name for lang in self.languages.all()],
            countries=[c.name for c in self.country_expertise.all()],
            themes=[t.name for t in self.thematic_expertise.all()])

    def refresh_search_document(self):
        self.search_document = self.build_search_document()
        Officer.objects.filter(pk=self.pk).update(search_document=self.search_document)


def check_officer_dates(date_of_birth, service_start, misconduct_recorded_on) -> dict:
    """{field: message} for the start of police service (not in the future, at 16 or later) and the
    misconduct finding's date (not in the future)."""
    today, errors = dt.date.today(), {}
    if service_start and service_start > today:
        errors["service_start"] = _("The start of police service is in the future.")
    elif service_start and date_of_birth and service_start < add_months(date_of_birth, 16 * 12):
        errors["service_start"] = _("The start of police service is before the officer's 16th birthday.")
    if misconduct_recorded_on and misconduct_recorded_on > today:
        errors["misconduct_recorded_on"] = _("The misconduct finding's date is in the future.")
    return errors


class OfficerSkill(models.Model):
    officer = models.ForeignKey(Officer, on_delete=models.CASCADE, related_name="skills")
    skill = models.ForeignKey("reference.Skill", on_delete=models.PROTECT, related_name="officer_skills")
    level = models.PositiveSmallIntegerField(choices=SKILL_LEVELS, validators=[MinValueValidator(1), MaxValueValidator(4)])

    class Meta:
        constraints = [models.UniqueConstraint(fields=["officer", "skill"], name="officer_skill_unique")]
        # Covering (index-only) for "who has skill S at level L or more".
        indexes = [models.Index(fields=["skill", "level", "officer"], name="officerskill_covering"),
                   models.Index(fields=["officer", "skill", "level"], name="officerskill_probe")]

    def __str__(self):
        return f"{self.skill} {self.get_level_display()}"


class OfficerLanguage(models.Model):
    officer = models.ForeignKey(Officer, on_delete=models.CASCADE, related_name="languages")
    language = models.ForeignKey("reference.Language", on_delete=models.PROTECT, related_name="officer_languages")
    speaking = models.PositiveSmallIntegerField(choices=CEFR_LEVELS)
    reading = models.PositiveSmallIntegerField(choices=CEFR_LEVELS)
    writing = models.PositiveSmallIntegerField(choices=CEFR_LEVELS)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["officer", "language"], name="officer_language_unique")]
        indexes = [models.Index(fields=["language", "speaking", "reading", "writing", "officer"],
                                name="officerlanguage_covering"),
                   models.Index(fields=["officer", "language", "speaking", "reading", "writing"],
                                name="officerlanguage_probe")]

    def __str__(self):
        return gettext("%(language)s: speaking %(speaking)s, reading %(reading)s, writing %(writing)s") % {
            "language": self.language, "speaking": CEFR_BY_VALUE[self.speaking],
            "reading": CEFR_BY_VALUE[self.reading], "writing": CEFR_BY_VALUE[self.writing]}

    @property
    def overall(self) -> int:
        """The weakest of the three skills: what a mission can rely on."""
        return min(self.speaking, self.reading, self.writing)


class QualificationQuerySet(models.QuerySet):
    def confirmed(self):
        return self.filter(status=Qualification.Status.CONFIRMED)

    def valid_on(self, day: dt.date):
        return self.confirmed().filter(Q(issued_on__lte=day) | Q(issued_on__isnull=True)).filter(
            Q(expires_on__gte=day) | Q(expires_on__isnull=True)
        )

    def expiring_between(self, start: dt.date, end: dt.date):
        return self.confirmed().filter(expires_on__gte=start, expires_on__lte=end)

    def unrestricted(self):
        return self.filter(qualification_type__restricted=False)

    def pending(self):
        """Waiting for a coordinator's confirmation (a secondee's own submission)."""
        return self.filter(status=Qualification.Status.PENDING)

    def visible_to(self, user):
        """Qualifications of officers the user sees; restricted ones (medical, clearance) only where
        the user has need-to-know (see roster.access)."""
        if user is None or not user.is_authenticated:
            return self.none()
        visible = self.filter(officer__in=Officer.objects.visible_to(user))
        return visible.filter(Q(qualification_type__restricted=False) | Q(officer__user=user)
                              | Q(officer__pool_id__in=access.restricted_pools(user)))


class Qualification(models.Model):
    """A certificate held by an officer. A secondee's own change waits for a coordinator (status pending)."""

    class Status(models.TextChoices):
        CONFIRMED = "confirmed", _("Confirmed")
        PENDING = "pending", _("Waiting for confirmation")
        REJECTED = "rejected", _("Rejected")

    officer = models.ForeignKey(Officer, on_delete=models.CASCADE, related_name="qualifications")
    qualification_type = models.ForeignKey(
        "reference.QualificationType", on_delete=models.PROTECT, related_name="qualifications"
    )
    issued_on = models.DateField(null=True, blank=True)
    expires_on = models.DateField(null=True, blank=True)
    level = models.CharField(max_length=40, blank=True, help_text=_("E.g. clearance level."))
    reference = models.CharField(max_length=80, blank=True, help_text=_("Certificate or document number."))
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.CONFIRMED)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)

    objects = QualificationQuerySet.as_manager()

    class Meta:
        ordering = ["qualification_type__name", "-expires_on"]
        indexes = [models.Index(fields=["qualification_type", "status", "expires_on", "issued_on", "officer"],
                                name="qualification_covering"),
                   models.Index(fields=["officer", "qualification_type", "status", "expires_on", "issued_on"],
                                name="qualification_probe")]

    def __str__(self):
        if self.qualification_type.restricted:
            # Also the audit log's and the admin's label, read without need-to-know: no expiry here.
            return f"{self.qualification_type} (restricted)"
        return f"{self.qualification_type} (until {self.expires_on or 'no expiry'})"

    def clean(self):
        if self.issued_on and self.expires_on and self.expires_on < self.issued_on:
            raise ValidationError({"expires_on": _("The expiry date is before the issue date.")})
        problems = excess_restricted_data(self.qualification_type, level=self.level, reference=self.reference)
        if problems:
            raise ValidationError(problems)

    def is_valid_on(self, day: dt.date) -> bool:
        return (
            self.status == self.Status.CONFIRMED
            and (self.issued_on is None or self.issued_on <= day)
            and (self.expires_on is None or self.expires_on >= day)
        )


# Store only what is needed (data protection): a medical record is its outcome (held: fit for
# deployment) and its expiry, a clearance its level and its expiry; no document numbers, no notes.
CLEARANCE_LEVELS = ["restricted", "confidential", "secret", "top secret"]


def excess_restricted_data(qualification_type, *, level: str, reference: str) -> dict[str, str]:
    """{field: message} for what a medical or clearance record may not hold (empty: nothing)."""
    if qualification_type is None or not qualification_type.restricted:
        return {}
    problems = {}
    if reference:
        problems["reference"] = (f"{qualification_type.name} keeps no document number: only its "
                                 f"{'level' if qualification_type.has_level else 'outcome'} and its expiry.")
    if qualification_type.has_level and level not in CLEARANCE_LEVELS:
        problems["level"] = f"Give the level as one of: {', '.join(CLEARANCE_LEVELS)}."
    elif not qualification_type.has_level and level:
        problems["level"] = f"{qualification_type.name} keeps no level or note: its record is the outcome itself."
    return problems


class UnavailablePeriod(models.Model):
    class Reason(models.TextChoices):
        # Categories, not free text: a reason such as "sick leave" is health data that the roster,
        # which every roster role reads, must not hold.
        LEAVE = "leave", _("Leave")
        TRAINING = "training", _("Training or course")
        OPERATIONAL = "operational", _("Operational commitment")
        COURT = "court", _("Court proceedings")
        OTHER = "other", _("Other")

    officer = models.ForeignKey(Officer, on_delete=models.CASCADE, related_name="unavailable_periods")
    start = models.DateField()
    end = models.DateField()
    reason = models.CharField(max_length=120, blank=True, choices=Reason.choices)

    class Meta:
        ordering = ["start"]
        indexes = [models.Index(fields=["start", "end"])]

    def __str__(self):
        return f"{self.start} – {self.end}"

    def clean(self):
        if self.start and self.end and self.end < self.start:
            raise ValidationError({"end": _("The end is before the start.")})
