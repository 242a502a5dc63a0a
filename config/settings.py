"""Settings for the accreditation portal, read from the environment through ``config.env``.

Embedded default (no DATABASE_URL, no REDIS_URL): SQLite in ``var/`` and Celery tasks run
in-process. Production: PostgreSQL, Redis, a real worker and beat; ``DEBUG`` off turns on
every HTTPS and cookie hardening that ``manage.py check --deploy`` asks for.
"""

from datetime import timedelta
from pathlib import Path

from celery.schedules import crontab
from csp.constants import NONE, SELF

from config.env import Env

BASE_DIR = Path(__file__).resolve().parent.parent
env = Env.from_os()

DEBUG = env.bool("DEBUG", default=False)
if DEBUG:
    SECRET_KEY = env.str("SECRET_KEY", default="django-insecure-development-only-never-in-production")
else:
    SECRET_KEY = env.str("SECRET_KEY")
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost"] if DEBUG else [])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])
SITE_URL = env.str("SITE_URL", default="http://127.0.0.1:8000").rstrip("/")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "rest_framework.authtoken",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",  # Swagger UI's static files for /api/docs/
    "guardian",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "axes",
    "csp",
    # The portal's apps, lowest first. Each may import only the apps below it in the README's
    # diagram; assessors and certification are siblings that never import each other.
    "core",
    "accreditation",
    "assessors",
    "certification",
    "surveillance",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Reads the session's second-factor device; then the gate keeps unverified users on the code page.
    "django_otp.middleware.OTPMiddleware",
    "core.two_factor.TwoFactorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Last: turns a request that django-axes marked as locked out into the lockout answer.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

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
                "core.context_processors.portal",
            ],
        },
    },
]

VAR_DIR = Path(env.str("VAR_DIR", default=str(BASE_DIR / "var")))
DATABASES = {"default": env.database("DATABASE_URL", sqlite_path=VAR_DIR / "db.sqlite3")}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = env.redis_url("REDIS_URL")
if REDIS_URL:
    # A Redis that is down costs speed, not pages (core/cache.py).
    CACHES = {"default": {"BACKEND": "core.cache.ResilientRedisCache", "LOCATION": REDIS_URL}}
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# Celery: a real broker when REDIS_URL is set; otherwise every task runs in-process, at once.
CELERY_BROKER_URL = REDIS_URL or "memory://"
# The test suite sets CELERY_TASK_ALWAYS_EAGER=1 even with REDIS_URL: no worker runs during tests.
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=REDIS_URL is None)
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_TIME_LIMIT = 15 * 60
CELERY_TASK_SOFT_TIME_LIMIT = 14 * 60
CELERY_TASK_ACKS_LATE = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_TIMEZONE = "Asia/Shanghai"
# The supervision app's daily jobs (``surveillance.jobs``), staggered after midnight in Shanghai when
# nobody works, each for "today": the expiry sweep first, so that the watchdogs after it never act
# on an accreditation that expired that night. Each entry expires just under a day: a run the
# worker could not start before the next one is dropped, not doubled (the job's lock would skip it
# anyway). The embedded default has no beat: ``manage.py run_supervision_jobs`` runs them by hand.
CELERY_BEAT_SCHEDULE = {
    # First of the night: plans what falls due (it reads the register as the day starts); the expiry
    # sweep follows at 01:15 and never meets an assessment being planned.
    "surveillance-planner": {
        "task": "surveillance.tasks.run_surveillance_planner",
        "schedule": crontab(hour=1, minute=0),
        "options": {"expires": 23 * 3600},
    },
    "expiry-sweep": {
        "task": "surveillance.tasks.run_expiry_sweep",
        "schedule": crontab(hour=1, minute=15),
        "options": {"expires": 23 * 3600},
    },
    "suspension-watchdog": {
        "task": "surveillance.tasks.run_suspension_watchdog",
        "schedule": crontab(hour=1, minute=35),
        "options": {"expires": 23 * 3600},
    },
    "deadline-watchdog": {
        "task": "surveillance.tasks.run_deadline_watchdog",
        "schedule": crontab(hour=1, minute=45),
        "options": {"expires": 23 * 3600},
    },
    "qualification-reminders": {
        "task": "surveillance.tasks.run_qualification_reminders",
        "schedule": crontab(hour=2, minute=0),
        "options": {"expires": 23 * 3600},
    },
    # Every minute: the task calls kept while the broker was down go out within a minute of its return
    # (``config.celery``). Expires before the next one: a flush that waited is replaced, not doubled.
    "task-outbox": {
        "task": "config.celery.flush_task_outbox",
        "schedule": crontab(),
        "options": {"expires": 50},
    },
    # Every minute: audit events whose transaction committed but whose process died before sealing
    # them into the chain (``core.audit``) are sealed within a minute. Expires before the next one.
    "audit-seal": {
        "task": "core.tasks.seal_audit_trail",
        "schedule": crontab(),
        "options": {"expires": 50},
    },
    # Daily: the audit chain's head signed and published (``core.audit_checkpoints``), after the
    # night's jobs have written their events.
    "audit-checkpoint": {
        "task": "core.tasks.sign_audit_checkpoint",
        "schedule": crontab(hour=5, minute=30),
        "options": {"expires": 23 * 3600},
    },
    # Every five minutes: an upload whose worker died is shown interrupted, ready to resume, soon after
    # (``certification.services_uploads.uploads_interrupt_stale``).
    "stale-uploads": {
        "task": "certification.tasks_uploads.interrupt_stale_uploads",
        "schedule": crontab(minute="*/5"),
        "options": {"expires": 4 * 60},
    },
}

AUTH_USER_MODEL = "core.User"
AUTHENTICATION_BACKENDS = [
    # First: refuses a locked-out user name and address before any password is checked.
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
    "guardian.backends.ObjectPermissionBackend",
]
# No guardian "anonymous user" row: the public is served by public selectors, not grants.
ANONYMOUS_USER_NAME = None
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "home"
# Login lockout (django-axes, ``core.lockout``): after AXES_FAILURE_LIMIT failed logins (wrong
# passwords or second-factor codes) for one user name from one address, that pair is refused for
# AXES_COOLOFF_MINUTES. Counting the pair, not the address alone, keeps one office behind a shared
# address from locking everyone out, and not the name alone, keeps a stranger from locking a
# colleague out from elsewhere. The address is read as the API's rate limits read it (NUM_PROXIES).
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5, minimum=1)
AXES_COOLOFF_TIME = timedelta(minutes=env.int("AXES_COOLOFF_MINUTES", default=30, minimum=1))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_CLIENT_IP_CALLABLE = "core.lockout.client_ip"
AXES_LOCKOUT_CALLABLE = "core.lockout.lockout_response"
AXES_HTTP_RESPONSE_CODE = 429  # Too Many Requests
AXES_SENSITIVE_PARAMETERS = ["username", "ip_address", "otp_token"]
# No start-up banner in every process (management commands keep a clean output).
AXES_VERBOSE = False
# Two-factor authentication (django-otp, ``core.two_factor``): the name authenticator apps show.
OTP_TOTP_ISSUER = "Accreditation Portal"

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = BASE_DIR / "staticfiles"
MEDIA_URL = "media/"
MEDIA_ROOT = Path(env.str("MEDIA_ROOT", default=str(VAR_DIR / "media")))
# The Ed25519 private key (PEM) that signs accreditation certificates and the audit trail's daily
# checkpoints (``core.signing``).
# Read through ``CERTIFICATE_SIGNING_KEY_FILE`` in production. Unset with DEBUG on (development and
# the tests), a development key is generated once at CERTIFICATE_DEVELOPMENT_KEY_PATH; unset with
# DEBUG off, issuing a certificate refuses to run. The path is fixed here, from DEBUG as the
# environment set it, because the test runner turns ``settings.DEBUG`` off.
CERTIFICATE_SIGNING_KEY = env.optional_str("CERTIFICATE_SIGNING_KEY")
CERTIFICATE_DEVELOPMENT_KEY_PATH = VAR_DIR / "certificate-signing-key.pem" if DEBUG else None
# The largest document a CAB may attach to an application (bytes).
APPLICATION_DOCUMENT_MAX_BYTES = env.int("APPLICATION_DOCUMENT_MAX_BYTES", default=20 * 1024 * 1024, minimum=1)
# Complaints (surveillance): the acknowledgement is due this many working days after receipt
# (weekdays that are not a secretariat-entered ``Holiday``; UKAS answers within 5), and the
# resolution target is this many calendar days after receipt (60 by default: the corrective-action
# deadline CABs get, so a complaint is not held to a looser target than the body it concerns).
COMPLAINT_ACKNOWLEDGE_WORKING_DAYS = env.int("COMPLAINT_ACKNOWLEDGE_WORKING_DAYS", default=5, minimum=1)
COMPLAINT_RESOLUTION_DAYS = env.int("COMPLAINT_RESOLUTION_DAYS", default=60, minimum=1)
# The surveillance planner opens a surveillance assessment this many days before its on-site due date
# (90 by default: time to propose and confirm a team and agree the dates with the CAB).
SURVEILLANCE_LEAD_DAYS = env.int("SURVEILLANCE_LEAD_DAYS", default=90, minimum=1)
# Days after a decision within which the CAB may appeal it.
APPEAL_WINDOW_DAYS = env.int("APPEAL_WINDOW_DAYS", default=30, minimum=1)
# Abuse limit of the public complaint form and API: submissions per client address (per user when
# signed in), counted in the cache; "<count>/<second|minute|hour|day>".
COMPLAINT_PUBLIC_RATE = env.str("COMPLAINT_PUBLIC_RATE", default="5/hour")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}
# Development and tests serve static files from the apps' directories, with no collectstatic
# (WhiteNoise would otherwise look for STATIC_ROOT, which only the production image builds).
WHITENOISE_USE_FINDERS = DEBUG
WHITENOISE_AUTOREFRESH = DEBUG

# E-mail: SMTP when EMAIL_HOST is set, otherwise printed to the console.
EMAIL_HOST = env.optional_str("EMAIL_HOST")
if EMAIL_HOST:
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_PORT = env.int("EMAIL_PORT", default=587, minimum=1)
    EMAIL_HOST_USER = env.str("EMAIL_HOST_USER", default="")
    EMAIL_HOST_PASSWORD = env.str("EMAIL_HOST_PASSWORD", default="")
    EMAIL_USE_TLS = env.bool("EMAIL_USE_TLS", default=True)
else:
    EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
DEFAULT_FROM_EMAIL = env.email(
    "DEFAULT_FROM_EMAIL", default="认可门户 Accreditation Portal <noreply@portal.example.cn>"
)
SERVER_EMAIL = DEFAULT_FROM_EMAIL

REST_FRAMEWORK = {
    # Token first: an anonymous API call then answers 401 with ``WWW-Authenticate: Token``.
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.TokenAuthentication",
        # The browser's session, refused (403) until a user who needs a second factor has given it.
        "core.api.authentication.VerifiedSessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_PAGINATION_CLASS": "core.api.pagination.PortalPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_SCHEMA_CLASS": "core.api.schema.PortalAutoSchema",
    "EXCEPTION_HANDLER": "core.api.exceptions.portal_exception_handler",
    # Scopes of ``core.api.throttling.PortalScopedRateThrottle``: the public directory, and
    # token requests (a password guesser gets few tries).
    "DEFAULT_THROTTLE_RATES": {
        "public": env.str("PUBLIC_API_RATE", default="60/minute"),
        "auth": env.str("AUTH_API_RATE", default="10/minute"),
    },
    # Proxies in front of the portal that append to X-Forwarded-For: the limits count the address
    # the nearest of them saw. 0 (development) counts REMOTE_ADDR, so a client cannot dodge the
    # limit by sending its own X-Forwarded-For; production sits behind one TLS proxy.
    "NUM_PROXIES": env.int("NUM_PROXIES", default=0 if DEBUG else 1, minimum=0),
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Accreditation portal API",
    "DESCRIPTION": (
        "The register of conformity assessment bodies, their accreditations and scopes. "
        "Authenticate machine clients with `Authorization: Token <key>` (obtain one at "
        "`/api/auth/token/`). Every error answers `{{code, message, detail}}`: 400 for invalid input "
        "(`code` is `invalid` for field errors, or the rule that refused it), 401 without credentials, "
        "403 when the user may not make the change, 404 for objects the user may not see, 409 when the "
        "object's state forbids the move. The public endpoints under `/api/public/` need no login and "
        "are limited to {public} per client address (setting `PUBLIC_API_RATE`); past the limit they "
        "answer 429 with code `throttled`."
    ).format(public=REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]["public"]),  # type: ignore[index]
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "COMPONENT_SPLIT_REQUEST": True,
    # Swagger UI's files come from drf-spectacular-sidecar: the docs work without internet.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "ENUM_NAME_OVERRIDES": {
        "AccreditationStatusEnum": "accreditation.choices.AccreditationStatus",
        "ScopeItemStatusEnum": "accreditation.choices.ScopeItemStatus",
        "ScopeVersionStatusEnum": "accreditation.choices.ScopeVersionStatus",
        "CabStatusEnum": "accreditation.choices.CabStatus",
        "CabKindEnum": "accreditation.choices.CabKind",
        "ProvinceEnum": "accreditation.choices.Province",
        "ApplicationStatusEnum": "accreditation.choices_applications.ApplicationStatus",
        "CertificateStatusEnum": "certification.choices.CertificateStatus",
        "AccreditationCertificateStatusEnum": "certification.choices.AccreditationCertificateStatus",
        "UploadStatusEnum": "certification.choices.UploadStatus",
        "ComplaintKindEnum": "surveillance.choices.ComplaintKind",
        "AssessmentKindEnum": "assessors.choices.AssessmentKind",
        "ComplaintChannelEnum": "surveillance.choices.ComplaintChannel",
        "ComplaintStatusEnum": "surveillance.choices.ComplaintStatus",
        "ComplaintOutcomeEnum": "surveillance.choices.ComplaintOutcome",
        # Named once a second "outcome" field (complaints) made the generated name collide.
        "DecisionOutcomeEnum": "accreditation.choices_applications.DecisionOutcome",
        "SanctionKindEnum": "surveillance.choices.SanctionKind",
        "SanctionStatusEnum": "surveillance.choices.SanctionStatus",
        "WithdrawalProposalStatusEnum": "surveillance.choices.WithdrawalProposalStatus",
        "NoticeKindEnum": "surveillance.choices.NoticeKind",
        "AppealStatusEnum": "surveillance.choices.AppealStatus",
        "AppealOutcomeEnum": "surveillance.choices.AppealOutcome",
        "RiskBandEnum": "surveillance.choices.RiskBand",
        "DrawStatusEnum": "surveillance.choices.DrawStatus",
    },
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    # django-axes tells of every successful login at INFO; those are in its access log (admin) already.
    # Failures and lockouts are warnings.
    "loggers": {"axes": {"level": "WARNING"}},
}

# Hardening for every deployment that is not a developer's machine.
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# A working day: staff sign in again (with their second factor) each morning.
SESSION_COOKIE_AGE = env.int("SESSION_COOKIE_AGE", default=8 * 3600, minimum=60)
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
# No script of ours reads the CSRF cookie: forms carry the token, and the API docs get it from the page.
CSRF_COOKIE_HTTPONLY = True
CSRF_COOKIE_SAMESITE = "Lax"
# Content-Security-Policy (django-csp): everything from the portal itself. No inline scripts or
# styles exist in the templates (a test keeps it so); the QR codes are inline SVG; data: images
# are Swagger UI's icons. The API docs page adds its own inline style (``config.api_urls``).
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
if not DEBUG:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
    SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=31_536_000, minimum=0)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    # The health check is probed over plain HTTP inside the compose network.
    SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
