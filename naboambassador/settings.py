"""The one settings module, read from environment variables.

With nothing set it runs on the embedded default: an SQLite file in the project folder, Celery tasks
executed eagerly in the web process, e-mail and SMS printed to the console. Setting DATABASE_URL and
CELERY_BROKER_URL (see docker-compose.yml) makes it the production stack.
"""

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from celery.schedules import crontab
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _
from whitenoise.compress import Compressor

BASE_DIR = Path(__file__).resolve().parent.parent


def env(name: str, default: str = "") -> str:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name)
    return int(value) if value else default


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in env(name, default).split(",") if item.strip()]


DATABASE_URL = env("DATABASE_URL")
# A configured database means a real deployment: DEBUG is then off unless asked for. Without one we
# are on the embedded default that `make run` starts for someone trying the app.
DEBUG = env_bool("DEBUG", default=not DATABASE_URL)

_DEV_SECRET_KEY = "dev-only-insecure-key-naboambassador-not-for-production"
SECRET_KEY = env("SECRET_KEY") or (_DEV_SECRET_KEY if DEBUG else "")
if not SECRET_KEY:
    raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off.")

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]" if DEBUG else "")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")
# The public address used in links sent by SMS/e-mail (no request is at hand in a Celery task).
SITE_URL = env("SITE_URL", "http://127.0.0.1:8000").rstrip("/")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "bootstrap",  # django-bootstrap-static: Bootstrap 5 as static files, no CDN
    "django_htmx",
    "crispy_forms",
    "crispy_bootstrap5",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "axes",
    "csp",
    "apps.core",
    "apps.accounts",
    "apps.organisation",
    "apps.newcomers",
    "apps.visits",
    "apps.meetings",
    "apps.surveys",
    "apps.audit",
    "apps.privacy",
    "apps.dashboards",
    "apps.folders",
    "apps.hours",
    "apps.corps",
    # The top floor: the policy's rules and the role landing pages name the models of the apps listed above.
    "apps.access",
    "apps.demo",  # the top floor: demo data built by every app's demo.py (`seed_demo`)
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Compresses pages (gzip) after everything below has written them; static files are WhiteNoise's.
    "apps.core.middleware.PageGZipMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "apps.core.middleware.SessionRefreshMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    # Coordinators and admins must confirm a TOTP code before anything else (after OTPMiddleware).
    "apps.accounts.middleware.TwoFactorRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    # Last, as django-axes asks: it turns a locked-out login attempt into the lock-out page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "naboambassador.urls"
WSGI_APPLICATION = "naboambassador.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "apps.core.context_processors.navigation",
                "apps.core.context_processors.outbox_banner",
            ],
        },
    },
]

# --- Database -------------------------------------------------------------------------------------
SQLITE_PATH = env("SQLITE_PATH", str(BASE_DIR / "db.sqlite3"))
if DATABASE_URL:
    DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=env_int("CONN_MAX_AGE", 60))}
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": SQLITE_PATH,
            # Wait for a lock instead of failing at once when a request and a task write together.
            "OPTIONS": {"timeout": 20},
        }
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache ----------------------------------------------------------------------------------------
REDIS_URL = env("REDIS_URL")
if REDIS_URL:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}}
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# --- Accounts -------------------------------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    # Refuses password attempts for a locked-out e-mail and address before checking the password.
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
# Lock-out: after AXES_FAILURE_LIMIT wrong passwords for one e-mail from one address, that pair is
# refused for AXES_COOLOFF_MINUTES (a shared address in a housing area does not lock everyone out).
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("AXES_COOLOFF_MINUTES", 30))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_CLIENT_IP_CALLABLE = "apps.core.throttle.client_address"
# Failures are counted and locks checked by the normalised e-mail (trimmed, lower-case), as sign-in
# itself ignores case: otherwise each spelling would get its own five tries and its own lock.
AXES_USERNAME_CALLABLE = "apps.accounts.identifiers.axes_username"
AXES_RESET_ON_SUCCESS = True
# The login form's field (axes would otherwise read the user model's USERNAME_FIELD, "email").
AXES_USERNAME_FORM_FIELD = "username"
# No table of every successful sign-in with its IP address: that would be personal data kept for nothing.
AXES_DISABLE_ACCESS_LOG = True
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
# Failed attempts are logged by e-mail, and that is personal data: keep it out of the logs.
AXES_VERBOSE = False
# Two-factor authentication (TOTP) for coordinators and admins, see apps.accounts.middleware.
OTP_TOTP_ISSUER = env("OTP_TOTP_ISSUER", "Naboambassadør")
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "access:home"
LOGOUT_REDIRECT_URL = "accounts:login"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# Sessions end after SESSION_COOKIE_AGE seconds without a request (two hours); a one-time-link session
# on an ambassador's own phone lasts LOGIN_LINK_SESSION_DAYS without use, so they need not sign in again.
# Coordinators and admins (two-factor) always get SESSION_COOKIE_AGE, however they signed in.
SESSION_COOKIE_AGE = env_int("SESSION_COOKIE_AGE", 60 * 60 * 2)
# Refreshed at most every SESSION_REFRESH_SECONDS by apps.core.middleware.SessionRefreshMiddleware,
# not saved on every request (that was an UPDATE and a COMMIT per page).
SESSION_REFRESH_SECONDS = env_int("SESSION_REFRESH_SECONDS", 300)
LOGIN_LINK_MINUTES = env_int("LOGIN_LINK_MINUTES", 15)
LOGIN_LINK_SESSION_DAYS = env_int("LOGIN_LINK_SESSION_DAYS", 90)
PASSWORD_RESET_TIMEOUT = 60 * 60 * 2

# --- Internationalisation -------------------------------------------------------------------------
LANGUAGE_CODE = "da"
LANGUAGES = [("da", _("Danish")), ("en", _("English"))]
# Languages the welcome folder and the survey are written in (Arabic is right-to-left).
CONTENT_LANGUAGES = [
    ("da", _("Danish")),
    ("en", _("English")),
    ("ar", _("Arabic")),
    ("tr", _("Turkish")),
]
LOCALE_PATHS = [BASE_DIR / "locale"]
# English dates day first and a 24-hour clock ("22/11/2026 17:00"), in pages and messages alike.
FORMAT_MODULE_PATH = ["naboambassador.formats"]
TIME_ZONE = "Europe/Copenhagen"
USE_I18N = True
USE_TZ = True

# --- Static files ---------------------------------------------------------------------------------
STATIC_URL = "/static/"
# Where `collectstatic` writes and WhiteNoise serves from with DEBUG off (bench/page_weight.py points it at a
# temporary folder).
STATIC_ROOT = Path(env("STATIC_ROOT", str(BASE_DIR / "staticfiles")))
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env("MEDIA_ROOT", str(BASE_DIR / "media")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

# Serve from the finders while developing (and in tests, which turn DEBUG off after settings load).
WHITENOISE_AUTOREFRESH = DEBUG
# With DEBUG off WhiteNoise sends a file under its hashed name (the manifest's) with "Cache-Control:
# max-age=315360000, public, immutable" (a changed file gets a new name) and the unhashed copies with
# max-age=60, each as brotli or gzip when the browser accepts it (bench/page_weight.py measures the pages).
# Source maps are read by DevTools only: left uncompressed, which halves collectstatic's time.
WHITENOISE_SKIP_COMPRESS_EXTENSIONS = [*Compressor.SKIP_COMPRESS_EXTENSIONS, "map"]

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# --- E-mail and SMS -------------------------------------------------------------------------------
EMAIL_BACKEND = env(
    "EMAIL_BACKEND",
    "django.core.mail.backends.console.EmailBackend"
    if not env("EMAIL_HOST")
    else "django.core.mail.backends.smtp.EmailBackend",
)
EMAIL_HOST = env("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 587)
EMAIL_HOST_USER = env("EMAIL_HOST_USER")
EMAIL_HOST_PASSWORD = env("EMAIL_HOST_PASSWORD")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", True)
EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 20)
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", "Naboambassadør <noreply@naboambassador.local>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# SMS goes through a pluggable backend: the console in development; in production GatewayAPI when its
# token is set (apps.core.sms.GatewayApiSmsBackend), else a generic JSON gateway at SMS_GATEWAY_URL.
SMS_BACKEND = env(
    "SMS_BACKEND",
    "apps.core.sms.GatewayApiSmsBackend"
    if env("GATEWAYAPI_TOKEN")
    else "apps.core.sms.HttpGatewaySmsBackend"
    if env("SMS_GATEWAY_URL")
    else "apps.core.sms.ConsoleSmsBackend",
)
SMS_GATEWAY_URL = env("SMS_GATEWAY_URL")
SMS_GATEWAY_TOKEN = env("SMS_GATEWAY_TOKEN")
SMS_SENDER = env("SMS_SENDER", "Naboamb")
SMS_TIMEOUT = env_int("SMS_TIMEOUT", 15)
# GatewayAPI (gatewayapi.com): the API token, the send endpoint, the address its delivery reports are
# posted to (the webhook /hooks/sms/gatewayapi/; empty: no reports asked for) and the secret they are
# signed with (HS256 JWT in X-Gwapi-Signature; empty: every report is refused).
GATEWAYAPI_TOKEN = env("GATEWAYAPI_TOKEN")
GATEWAYAPI_URL = env("GATEWAYAPI_URL", "https://gatewayapi.com/rest/mtsms")
GATEWAYAPI_CALLBACK_URL = env("GATEWAYAPI_CALLBACK_URL")
GATEWAYAPI_WEBHOOK_SECRET = env("GATEWAYAPI_WEBHOOK_SECRET")
# A message that could not be delivered is tried again after 1, 5, 15 and 60 minutes, then hourly, and
# given up (status failed, the reason kept) this many hours after it was queued. There is no attempt cap:
# the give-up time bounds the tries (at most about 27 in the default 24 hours).
MESSAGE_GIVE_UP_HOURS = env_int("MESSAGE_GIVE_UP_HOURS", 24)
# A message 'sending' this long without an answer lost its worker and is sent again by the sweep.
MESSAGE_STALE_SECONDS = env_int("MESSAGE_STALE_SECONDS", 600)

# --- Celery ---------------------------------------------------------------------------------------
CELERY_BROKER_URL = env("CELERY_BROKER_URL")
# Without a broker (the embedded default) tasks run in the calling process, so no worker is needed.
CELERY_TASK_ALWAYS_EAGER = env_bool("CELERY_TASK_ALWAYS_EAGER", default=not CELERY_BROKER_URL)
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_RESULT_BACKEND = env("CELERY_RESULT_BACKEND") or None
CELERY_TASK_ACKS_LATE = True  # a task whose worker dies is delivered again; every task is idempotent
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
# A task taken by a worker that then died goes back to the queue after this many seconds (Redis
# transport). Longer than any task runs; no task is scheduled with an ETA (waits are rows for beat).
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": env_int("CELERY_VISIBILITY_TIMEOUT", 900)}
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TIMEZONE = TIME_ZONE
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_BEAT_SCHEDULE = {
    "login-links-purge": {
        "task": "apps.accounts.tasks.login_links_purge_expired",
        "schedule": crontab(hour=3, minute=17),
    },
    # Invitations to an area that nobody answered within 30 days go, with the details the coordinator typed.
    "membership-invitations-purge": {
        "task": "apps.accounts.tasks.membership_invitations_purge_expired",
        "schedule": crontab(hour=3, minute=19),
    },
    # Visit reminders; each message has an idempotency key, so a second run the same day sends nothing.
    "visits-remind-due-soon": {
        "task": "apps.visits.tasks.visits_remind_due_soon",
        "schedule": crontab(hour=8, minute=5),
    },
    "visits-weekly-digests": {
        "task": "apps.visits.tasks.visits_send_weekly_digests",
        "schedule": crontab(day_of_week="mon", hour=7, minute=35),
    },
    # Retention: removes what has passed each organisation's limits. 03:40 local time is outside the
    # hour the clocks skip or repeat (02:00–03:00) on the daylight-saving Sundays, so it runs once a day.
    "privacy-apply-retention": {
        "task": "apps.privacy.tasks.retention_apply_task",
        "schedule": crontab(hour=3, minute=40),
    },
    # Meeting series planned MEETING_SERIES_PLAN_MONTHS ahead (each series row locked, each date once).
    # 04:10 local time is outside the hour the clocks skip or repeat on the daylight-saving Sundays.
    "meetings-plan-series": {
        "task": "apps.meetings.tasks.meetings_plan_series",
        "schedule": crontab(hour=4, minute=10),
    },
    # Meeting invitations of series (each series' lead time before the meeting, newcomers to the
    # programme included) and the reminders (two days before, and the morning of the day); keyed
    # messages, so overlapping runs send each once.
    "meetings-send-reminders": {
        "task": "apps.meetings.tasks.meetings_send_reminders",
        # Every 15 real minutes, not at :00/:15/…: a quarter-hour crontab skips the repeated hour when
        # the clocks go back in October (tests/core/test_schedule_dst.py).
        "schedule": 15 * 60.0,
    },
    # Newcomer survey: at most two reminders per invitation (claimed by a conditional UPDATE), and the
    # nightly cut of the response → newcomer link once a response's contact group is settled.
    "surveys-send-reminders": {
        "task": "apps.surveys.tasks.surveys_send_reminders",
        "schedule": crontab(hour=10, minute=20),
    },
    "surveys-settle-groups": {
        "task": "apps.surveys.tasks.surveys_settle_groups",
        "schedule": crontab(hour=3, minute=40),
    },
    # The one safety net: background jobs of every kind (imports, annual reports, print batches, personal
    # folders) and outbox messages whose task was lost (worker killed, broker down or restarted) or whose
    # next try is due are queued again; apps.core.jobs. Every minute: a message's retry waits for it.
    "jobs-resume-lost": {
        "task": "apps.core.tasks.jobs_resume_lost",
        "schedule": 60.0,
    },
    # Uploaded move-in lists never confirmed (names and phones in them) are deleted after
    # TENANT_IMPORT_PENDING_HOURS.
    "newcomers-delete-pending-imports": {
        "task": "apps.newcomers.tasks.newcomer_imports_delete_pending",
        "schedule": 15 * 60.0,
    },
    # Personal folder PDFs (names and addresses) are deleted after FOLDER_PDF_KEEP_DAYS.
    "folders-purge-pdfs": {
        "task": "apps.folders.tasks.folder_pdfs_purge_old",
        "schedule": crontab(hour=3, minute=41),
    },
    # Recognition (issue 17 point 5): thank-yous for visit milestones and anniversaries, once each (a unique
    # row per milestone, keyed messages). 10:05 local time: a thank-you arrives in the morning, not at night.
    "corps-send-thank-yous": {
        "task": "apps.corps.tasks.recognition_send_thank_yous",
        "schedule": crontab(hour=10, minute=5),
    },
}

# --- Security -------------------------------------------------------------------------------------
# Secure by default whenever DEBUG is off; each can be turned off from the environment for a
# plain-HTTP trial behind no proxy.
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", not DEBUG)
SESSION_COOKIE_SECURE = env_bool("SESSION_COOKIE_SECURE", not DEBUG)
CSRF_COOKIE_SECURE = env_bool("CSRF_COOKIE_SECURE", not DEBUG)
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 0 if DEBUG else 60 * 60 * 24 * 365)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", not DEBUG)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", not DEBUG)
# Behind a reverse proxy that sets X-Forwarded-Proto and appends X-Forwarded-For (nginx, Caddy …):
# HTTPS is recognised, and throttles and lock-outs count the visitor's address, not the proxy's.
BEHIND_PROXY = env_bool("BEHIND_PROXY", False)
if BEHIND_PROXY:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SESSION_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
# Content-Security-Policy: scripts, styles and fonts only from our own static files, so injected markup
# cannot run. Pages therefore carry no inline <script>, style="…" or on…= handlers (STYLE.md rule 14).
# Images may be data: URIs (the TOTP QR code); nothing may frame the app.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
# --- Welcome visits -------------------------------------------------------------------------------
# A visit is due this many days after the move-in date, or after the day the household came on a
# list when the list arrived later (apps.visits.services.visit_due_date).
VISIT_DUE_DAYS = env_int("VISIT_DUE_DAYS", 14)
# ...and never sooner than this many days after it is given to an ambassador (first or handed over).
VISIT_MIN_DAYS_TO_DUE = env_int("VISIT_MIN_DAYS_TO_DUE", 3)
# After this many not-at-home attempts the visit closes.
VISIT_MAX_NOT_HOME_ATTEMPTS = env_int("VISIT_MAX_NOT_HOME_ATTEMPTS", 3)
# An ambassador still sees a closed visit this many days, without the newcomer's name and phone.
VISIT_CONTACT_GRACE_DAYS = env_int("VISIT_CONTACT_GRACE_DAYS", 7)
# "The newcomer contacted me again", tapped by mistake, can be undone by the ambassador this many minutes.
LATER_CONTACT_UNDO_MINUTES = env_int("LATER_CONTACT_UNDO_MINUTES", 5)
# The "your visit is due soon" reminder goes out this many days before the due date.
VISIT_REMINDER_DAYS_BEFORE_DUE = env_int("VISIT_REMINDER_DAYS_BEFORE_DUE", 2)
# The coordinator overview's figures are computed at most once in this many seconds per area, estate,
# period and day (0: on every request).
VISIT_OVERVIEW_CACHE_SECONDS = env_int("VISIT_OVERVIEW_CACHE_SECONDS", 60)
# The same outcome recorded again on a visit within this many seconds (a second phone, a double tap) is refused.
VISIT_DUPLICATE_ATTEMPT_SECONDS = env_int("VISIT_DUPLICATE_ATTEMPT_SECONDS", 600)
# The ambassador list flags an ambassador (not one who left) with no support conversation for this many
# months (counted from their start when they have had none).
SUPPORT_CONVERSATION_DUE_MONTHS = env_int("SUPPORT_CONVERSATION_DUE_MONTHS", 6)
# Support conversation notes are deleted by the nightly retention run this many months after the
# ambassador left (at once when their data is erased).
SUPPORT_CONVERSATION_KEEP_MONTHS = env_int("SUPPORT_CONVERSATION_KEEP_MONTHS", 6)

# --- The ambassador corps: recruitment (apps/corps) ------------------------------------------------
# Candidates who were never accepted are deleted by the nightly retention run this many months after they
# came forward (or were accepted without ever taking up the invitation); those who did not continue go at
# the next run.
CANDIDATE_KEEP_MONTHS = env_int("CANDIDATE_KEEP_MONTHS", 12)
# Sign-ups one client address may send through the public recruitment page an hour.
CANDIDATE_JOIN_PER_HOUR = env_int("CANDIDATE_JOIN_PER_HOUR", 5)

# --- Network meetings -----------------------------------------------------------------------------
# Every active meeting series is kept planned this many months ahead (a daily job; see
# meetings-plan-series below).
MEETING_SERIES_PLAN_MONTHS = env_int("MEETING_SERIES_PLAN_MONTHS", 3)

# --- Dashboards -----------------------------------------------------------------------------------
# The dashboards' counts are computed at most once in this many seconds per area, period and day
# (0: on every request); pages say when they were counted.
DASHBOARD_CACHE_SECONDS = env_int("DASHBOARD_CACHE_SECONDS", 300)


# --- Welcome folder -------------------------------------------------------------------------------
# Personal folder PDFs hold names and addresses: deleted after this many days (the record of which
# version and language each newcomer got stays).
FOLDER_PDF_KEEP_DAYS = env_int("FOLDER_PDF_KEEP_DAYS", 30)
# A PDF job queued or running without a sign of life for this long is taken as lost and started again
# (a running batch reports after every chunk of covers, every few seconds).
FOLDER_JOB_STALE_SECONDS = env_int("FOLDER_JOB_STALE_SECONDS", 300)

# Move-in lists larger than this are refused before they are read (bytes; default 20 MB).
TENANT_IMPORT_MAX_BYTES = env_int("TENANT_IMPORT_MAX_BYTES", 20 * 1024 * 1024)
# A file is read once, on upload, within these bounds, or refused as a whole: a small file can still
# hold millions of cells (an xlsx's shared strings expand seven times) and tie up a worker for minutes.
TENANT_IMPORT_MAX_COLUMNS = env_int("TENANT_IMPORT_MAX_COLUMNS", 200)
TENANT_IMPORT_MAX_CELLS = env_int("TENANT_IMPORT_MAX_CELLS", 2_000_000)
TENANT_IMPORT_PARSE_SECONDS = env_int("TENANT_IMPORT_PARSE_SECONDS", 10)
# An upload never confirmed is deleted (file and all) after this many hours.
TENANT_IMPORT_PENDING_HOURS = env_int("TENANT_IMPORT_PENDING_HOURS", 24)
# A line whose move-in date is this many days or fewer from a known newcomer's on the same tenancy (and
# no newcomer has exactly its date) corrects that newcomer's move-in date instead of adding a household.
IMPORT_MOVE_IN_CORRECTION_DAYS = env_int("IMPORT_MOVE_IN_CORRECTION_DAYS", 14)

# --- Newcomer survey ------------------------------------------------------------------------------
# A personal survey link works this many days (and never after the survey closes).
SURVEY_LINK_DAYS = env_int("SURVEY_LINK_DAYS", 30)
# A reminder (at most two) goes this many days after the invitation or the previous reminder.
SURVEY_REMINDER_DAYS = env_int("SURVEY_REMINDER_DAYS", 5)
# Default number of call attempts per newcomer for a new survey (each survey can change it).
SURVEY_MAX_CALL_ATTEMPTS = env_int("SURVEY_MAX_CALL_ATTEMPTS", 5)
# Days after an answer before its contact group is fixed and the link to the newcomer is cut, so a visit
# recorded a few days late still counts.
SURVEY_GROUP_SETTLE_DAYS = env_int("SURVEY_GROUP_SETTLE_DAYS", 14)
# The largest answer file from an interview firm accepted (bytes).
SURVEY_IMPORT_MAX_BYTES = env_int("SURVEY_IMPORT_MAX_BYTES", 5 * 1024 * 1024)
# Error reports (admin e-mails, logs) never carry form values, query strings or local variables.
DEFAULT_EXCEPTION_REPORTER_FILTER = "apps.core.reporting.PersonalDataSafeExceptionReporterFilter"
DEFAULT_EXCEPTION_REPORTER = "apps.core.reporting.PersonalDataSafeExceptionReporter"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "filters": {"redact_tokens": {"()": "apps.core.log_filters.RedactTokenPaths"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain", "filters": ["redact_tokens"]}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", "INFO")},
    "loggers": {
        # Django's own handlers on "django" (a console with DEBUG on, mail to ADMINS) have no redacting
        # filter: they are dropped, and Django's records reach the root's console like every other.
        "django": {"handlers": [], "level": "INFO", "propagate": True},
        "django.db.backends": {"level": "INFO"},
        # The loggers that print a request's path ("Bad Request: /s/<token>/", "Forbidden (CSRF token
        # missing.): /s/<token>/", runserver's request lines) redact it where the record is made, so no
        # handler at all (the console, an error tracker, a test's capture) sees a link's token.
        "django.request": {"filters": ["redact_tokens"]},
        "django.security.csrf": {"filters": ["redact_tokens"]},
        "django.server": {"filters": ["redact_tokens"], "propagate": True},
        # WeasyPrint logs every layout step at INFO (a batch of folders would flood the worker's log) and
        # fontTools each font it subsets; warnings (a missing font or image) still show.
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
    },
}

# --- Survey rounds' pages (issue 18, bench) ---
# The figures of a round's page, the trends page and the round's CSV are counted and rendered once and kept
# this many seconds (0: on every request); the pages say when they were counted (apps/surveys/round_cache.py).
ROUND_PAGE_CACHE_SECONDS = env_int("ROUND_PAGE_CACHE_SECONDS", 300)
