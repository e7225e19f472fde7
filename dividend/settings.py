"""Dividend settings: one module, driven by environment variables.

DIVIDEND_ENV=production switches on the secure defaults that `check --deploy` wants.
DATABASE_URL selects PostgreSQL (postgres://...); without it, SQLite in WAL mode.
"""

import datetime as dt
import os
from pathlib import Path

import dj_database_url
from whitenoise.compress import Compressor

BASE_DIR = Path(__file__).resolve().parent.parent
PACKAGE_DIR = Path(__file__).resolve().parent
DATA_DIR = PACKAGE_DIR / "data"


def env_bool(name, default=False):
    return os.environ.get(name, str(default)).lower() in {"1", "true", "yes", "on"}


PRODUCTION = os.environ.get("DIVIDEND_ENV", "development") == "production"
DEBUG = env_bool("DIVIDEND_DEBUG", not PRODUCTION)
SECRET_KEY = os.environ.get("DIVIDEND_SECRET_KEY", "")
if not SECRET_KEY:
    if PRODUCTION:
        raise RuntimeError("DIVIDEND_SECRET_KEY must be set in production")
    SECRET_KEY = "dev-only-insecure-key-never-use-in-production-0123456789abcdef"  # noqa: S105 - development-only key: production refuses to start without DIVIDEND_SECRET_KEY # nosec B105
ALLOWED_HOSTS = [h for h in os.environ.get("DIVIDEND_ALLOWED_HOSTS", "127.0.0.1,localhost,testserver").split(",") if h]
CSRF_TRUSTED_ORIGINS = [o for o in os.environ.get("DIVIDEND_CSRF_TRUSTED_ORIGINS", "").split(",") if o]

# The country running the secondments (ISO 3166 alpha-3): the home country of the priority models
# (linkage indicators such as asylum flows towards it) and of the demo data, whose pools are German.
DIVIDEND_HOME_COUNTRY = os.environ.get("DIVIDEND_HOME_COUNTRY", "DEU")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    # Installed for its templates and static files: /api/docs serves Swagger UI from this server, not a CDN.
    "ninja",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "dividend.common",
    "dividend.reference",
    "dividend.pools",
    "dividend.audit",
    "dividend.roles",
    "dividend.roster",
    "dividend.missions",
    "dividend.secondments",
    "dividend.priorities",
    "dividend.care",
    "dividend.careers",
    "dividend.accounts",
    "dividend.selection",
    "dividend.reports",
    "dividend.preparation",
    "dividend.alerts",
    "dividend.targets",
    "dividend.commitments",
    "dividend.performance",
    "dividend.accountability",
    "dividend.site",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # 503 with Retry-After when the database cannot answer (views; handler500 covers middleware).
    "dividend.common.unavailable.DatabaseUnavailableMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # The user's language: the one chosen in the header (a cookie), else the browser's (issue 9).
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "dividend.audit.middleware.RequestContextMiddleware",
    # Idle and absolute session limits, then the second factor (needs the messages and OTP middleware).
    "dividend.accounts.middleware.SessionPolicyMiddleware",
    # After authentication (the key is scoped to the user); wraps the API write in its transaction.
    "dividend.common.idempotency.IdempotencyMiddleware",
    # Last, as django-axes requires: answers the lockout page when the login view locked someone out.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "dividend.urls"
WSGI_APPLICATION = "dividend.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PACKAGE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "dividend.site.context_processors.navigation",
            ],
        },
    },
]
# Django's form renderer, with plain <select>s written in Python (same HTML): common.fields.
FORM_RENDERER = "dividend.common.fields.QuickFormRenderer"

DATABASE_URL = os.environ.get("DATABASE_URL", "")
if DATABASE_URL:
    DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=60, conn_health_checks=True)}
    if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
        # Web requests run short queries: starting parallel workers costs more than it saves, and on
        # a small server they take cores from other requests (measured: bench/roster.py).
        workers = int(os.environ.get("DIVIDEND_PG_PARALLEL_WORKERS", "0"))
        options = DATABASES["default"].setdefault("OPTIONS", {})
        options["options"] = f"{options.get('options', '')} -c max_parallel_workers_per_gather={workers}".strip()
        # An unreachable server fails the request within seconds (503, docs/operations.md) instead of hanging it.
        options.setdefault("connect_timeout", int(os.environ.get("DIVIDEND_PG_CONNECT_TIMEOUT", "5")))
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": os.environ.get("DIVIDEND_SQLITE_PATH", str(BASE_DIR / "dividend.sqlite3")),
        }
    }
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # However SQLite is chosen (no DATABASE_URL, or sqlite:///path): WAL lets readers proceed while one
    # writer works; IMMEDIATE avoids "database is locked" upgrades from read to write transactions; a
    # writer waits up to DIVIDEND_SQLITE_TIMEOUT seconds for another's commit (then: 503, Retry-After).
    DATABASES["default"].setdefault("OPTIONS", {}).update({
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;",
        "transaction_mode": "IMMEDIATE",
        "timeout": int(os.environ.get("DIVIDEND_SQLITE_TIMEOUT", "20")),
    })

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# --- Signing in (docs/operations.md, "Signing in") ---------------------------------------------
# The lockout backend first: it refuses a locked-out user name and address before any password check.
AUTHENTICATION_BACKENDS = ["axes.backends.AxesStandaloneBackend", "django.contrib.auth.backends.ModelBackend"]
AXES_FAILURE_LIMIT = int(os.environ.get("DIVIDEND_LOGIN_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = dt.timedelta(minutes=int(os.environ.get("DIVIDEND_LOGIN_LOCKOUT_MINUTES", "15")))
# Per user name and client address together: an attacker cannot lock a user out from elsewhere.
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_CLIENT_IP_CALLABLE = "dividend.accounts.services.client_ip"
AXES_LOCKOUT_CALLABLE = "dividend.accounts.views.locked_out"
AXES_DISABLE_ACCESS_LOG = True  # successful logins are in the audit log
AXES_ENABLE_ADMIN = False  # lockouts are lifted through the audited `manage.py unlock_login`
AXES_VERBOSE = False
# Sessions end after this long without a request, and this long after the login in any case.
DIVIDEND_SESSION_IDLE = dt.timedelta(minutes=int(os.environ.get("DIVIDEND_SESSION_IDLE_MINUTES", "30")))
DIVIDEND_SESSION_MAX_AGE = dt.timedelta(hours=float(os.environ.get("DIVIDEND_SESSION_MAX_HOURS", "12")))
SESSION_COOKIE_AGE = int(DIVIDEND_SESSION_MAX_AGE.total_seconds())
# The second factor (TOTP) for the roles of dividend.accounts.access.requires_second_factor. Only
# development may turn it off; production refuses to start without it.
DIVIDEND_REQUIRE_OTP = env_bool("DIVIDEND_REQUIRE_OTP", True)
if PRODUCTION and not DIVIDEND_REQUIRE_OTP:
    raise RuntimeError("DIVIDEND_REQUIRE_OTP cannot be turned off in production")
OTP_TOTP_ISSUER = os.environ.get("DIVIDEND_OTP_ISSUER", "Dividend")

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

LANGUAGE_CODE = "en-gb"
# The languages of the interface, each named in itself for the switcher in the header; catalogues
# in dividend/locale (docs/operations.md, "Languages"). Dates and numbers follow the language.
LANGUAGES = [("en-gb", "English"), ("de", "Deutsch"), ("fr", "Français"), ("nl", "Nederlands")]
LOCALE_PATHS = [BASE_DIR / "dividend" / "locale"]
FORMAT_MODULE_PATH = ["dividend.formats"]
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = Path(os.environ.get("DIVIDEND_STATIC_ROOT", BASE_DIR / "staticfiles"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

# Drawn charts shared by the server's processes (accountability.charts): a chart takes 80-130 ms of
# CPU to draw and each gunicorn worker drew each dashboard's charts once more (0.6 s per dashboard
# and worker). In the user's own cache directory (XDG; the container sets it to /tmp/cache), never a
# shared one: the file cache reads what it finds there.
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    "charts": {
        "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
        "LOCATION": os.environ.get("DIVIDEND_CHART_CACHE_DIR") or str(
            Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "dividend" / "charts"),
        "TIMEOUT": 7 * 24 * 3600,
        "OPTIONS": {"MAX_ENTRIES": 2000},
    },
}

SESSION_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

if PRODUCTION:
    SECURE_SSL_REDIRECT = env_bool("DIVIDEND_SSL_REDIRECT", True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = int(os.environ.get("DIVIDEND_HSTS_SECONDS", "31536000"))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    STORAGES["staticfiles"] = {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("DIVIDEND_LOG_LEVEL", "WARNING")},
}

# Request bodies other than files (JSON, form fields) and the size up to which an uploaded file is kept
# in memory (larger ones go to a temporary file).
DATA_UPLOAD_MAX_MEMORY_SIZE = 20 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 20 * 1024 * 1024
# Limits of every upload (officer import, priority datasets), checked before the file is read
# (docs/operations.md, "Limits"): the file's size, what an XLSX (a zip archive) expands to, data rows.
DIVIDEND_UPLOAD_MAX_BYTES = int(os.environ.get("DIVIDEND_UPLOAD_MAX_BYTES", 20 * 1024 * 1024))
DIVIDEND_UPLOAD_MAX_UNCOMPRESSED_BYTES = int(os.environ.get("DIVIDEND_UPLOAD_MAX_UNCOMPRESSED_BYTES",
                                                            200 * 1024 * 1024))
DIVIDEND_UPLOAD_MAX_ROWS = int(os.environ.get("DIVIDEND_UPLOAD_MAX_ROWS", 100_000))
# Attachments of field reports (reports/attachments.py; docs/operations.md, "Limits"): files per report,
# each file's size, what a DOCX (a zip archive) expands to and its ratio to the file, pages of a PDF.
DIVIDEND_ATTACHMENT_MAX_COUNT = int(os.environ.get("DIVIDEND_ATTACHMENT_MAX_COUNT", 5))
DIVIDEND_ATTACHMENT_MAX_BYTES = int(os.environ.get("DIVIDEND_ATTACHMENT_MAX_BYTES", 10 * 1024 * 1024))
DIVIDEND_ATTACHMENT_MAX_UNCOMPRESSED_BYTES = int(os.environ.get("DIVIDEND_ATTACHMENT_MAX_UNCOMPRESSED_BYTES",
                                                                50 * 1024 * 1024))
DIVIDEND_ATTACHMENT_MAX_RATIO = int(os.environ.get("DIVIDEND_ATTACHMENT_MAX_RATIO", 100))
DIVIDEND_ATTACHMENT_MAX_PAGES = int(os.environ.get("DIVIDEND_ATTACHMENT_MAX_PAGES", 500))
# The first handler drops a file's bytes beyond DIVIDEND_UPLOAD_MAX_BYTES as they arrive (the form then
# refuses it, naming the limit): an oversized upload never fills memory or the temporary directory.
FILE_UPLOAD_HANDLERS = [
    "dividend.common.uploads.LimitedUploadHandler",
    "django.core.files.uploadhandler.MemoryFileUploadHandler",
    "django.core.files.uploadhandler.TemporaryFileUploadHandler",
]
# Where verify_audit keeps the last verified chain head, outside the database (docs/operations.md).
DIVIDEND_AUDIT_ANCHOR_FILE = os.environ.get("DIVIDEND_AUDIT_ANCHOR_FILE", "")
WHITENOISE_USE_FINDERS = not PRODUCTION
# Source maps (django-ninja's 20 MB of them) are for debugging, not worth compressing at collectstatic.
WHITENOISE_SKIP_COMPRESS_EXTENSIONS = (*Compressor.SKIP_COMPRESS_EXTENSIONS, "map")
# Retry-After (seconds) of the 503 answered while the database is unavailable.
DIVIDEND_RETRY_AFTER_SECONDS = int(os.environ.get("DIVIDEND_RETRY_AFTER_SECONDS", "5"))
# How long the answer to an API write sent with an Idempotency-Key is kept for its retries.
DIVIDEND_IDEMPOTENCY_HOURS = int(os.environ.get("DIVIDEND_IDEMPOTENCY_HOURS", "24"))
# Who sent an API write when the session does not say (bearer tokens): the key belongs to them.
DIVIDEND_IDEMPOTENCY_USER_RESOLVERS = ["dividend.api.token_user"]

# E-mail (the daily duty-of-care messages): Django's backend; the console in development and the demo.
EMAIL_BACKEND = os.environ.get("DIVIDEND_EMAIL_BACKEND", "django.core.mail.backends.smtp.EmailBackend" if PRODUCTION
                               else "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = os.environ.get("DIVIDEND_EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("DIVIDEND_EMAIL_PORT", "25"))
DEFAULT_FROM_EMAIL = os.environ.get("DIVIDEND_FROM_EMAIL", "dividend@localhost")
# Duty of care: days without a contact after which it is overdue (and escalates), and the board's
# window of secondments ending soon.
DIVIDEND_CARE_CONTACT_DAYS = int(os.environ.get("DIVIDEND_CARE_CONTACT_DAYS", "10"))
DIVIDEND_CARE_ENDING_DAYS = int(os.environ.get("DIVIDEND_CARE_ENDING_DAYS", "60"))

# ---------------------------------------------------------------------------------------------
# Browser security headers and Content Security Policy (issue 8, section 2; docs/operations.md,
# "Security headers"). Kept in one block, apart from the login/session settings.
# ---------------------------------------------------------------------------------------------
from csp.constants import NONE, SELF  # noqa: E402 - this block's own import

INSTALLED_APPS += ["csp"]
# After WhiteNoise (static files keep their caching), before everything that builds a response.
MIDDLEWARE[MIDDLEWARE.index("whitenoise.middleware.WhiteNoiseMiddleware") + 1:0] = [
    "csp.middleware.CSPMiddleware",
    "dividend.common.middleware.SecurityHeadersMiddleware",
]
# No inline script or style anywhere (templates load dividend.js / dividend.css; charts are SVG with
# presentation attributes; htmx's indicator styles are in dividend.css; /api/docs runs ninja's static
# Swagger files). `data:` images: Swagger UI's icons.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [NONE],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    },
}
DIVIDEND_PERMISSIONS_POLICY = "camera=(), microphone=(), geolocation=(), payment=(), usb=()"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"

# ---------------------------------------------------------------------------------------------
# The audit log's key (issue 8, section 2): its own secret, never SECRET_KEY. Required in
# production, where the development key is refused (system check audit.E001, and every
# append or verification refuses to run); docs/operations.md, "Audit log".
# ---------------------------------------------------------------------------------------------
# The development key is the value development chains were keyed with before the audit key became
# a setting of its own (the development SECRET_KEY), so that existing demo databases still verify.
DIVIDEND_DEVELOPMENT_AUDIT_KEY = "dev-only-insecure-key-never-use-in-production-0123456789abcdef"
DIVIDEND_AUDIT_KEY = os.environ.get("DIVIDEND_AUDIT_KEY", "") or ("" if PRODUCTION else DIVIDEND_DEVELOPMENT_AUDIT_KEY)

# ---------------------------------------------------------------------------------------------
# API tokens (issue 8, section 2): lifetime in days, the default offered and the longest allowed.
# ---------------------------------------------------------------------------------------------
# Selection (docs/selection.md): whether national rules let a national coordinator approve a
# nomination without the line manager's release, with a written reason (Finland's crisis management
# centre may; most national rules do not). Off by default: the release is required.
DIVIDEND_SELECTION_APPROVAL_WITHOUT_RELEASE = env_bool("DIVIDEND_SELECTION_APPROVAL_WITHOUT_RELEASE", False)

DIVIDEND_API_TOKEN_DAYS = int(os.environ.get("DIVIDEND_API_TOKEN_DAYS", "90"))
DIVIDEND_API_TOKEN_MAX_DAYS = int(os.environ.get("DIVIDEND_API_TOKEN_MAX_DAYS", "365"))
