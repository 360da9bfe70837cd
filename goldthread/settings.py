"""Django settings for Goldthread.

Three modes, chosen by GOLDTHREAD_MODE: "production" (the default: SECRET_KEY and DATABASE_URL
must be set, DEBUG is off unless asked for), "demo" (make demo: SQLite in var/) and "test".
"""

from __future__ import annotations

from pathlib import Path

import dj_database_url

from goldthread.env import ImproperlyConfiguredEnv, env_bool, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(env_str("GOLDTHREAD_VAR_DIR", str(BASE_DIR / "var")))

MODE = env_str("GOLDTHREAD_MODE", "production")
if MODE not in {"production", "demo", "test"}:
    raise ImproperlyConfiguredEnv(
        f"GOLDTHREAD_MODE must be production, demo or test, not {MODE!r}."
    )
RELAXED = MODE in {"demo", "test"}
if RELAXED:
    (VAR_DIR / "static").mkdir(parents=True, exist_ok=True)

SECRET_KEY = env_str(
    "SECRET_KEY", "insecure-key-for-demo-and-tests-only" if RELAXED else None, required=not RELAXED
)
DEBUG = env_bool("DEBUG", False)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "testserver"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rules.apps.AutodiscoverRulesConfig",
    "simple_history",
    "django_tasks_db",
    "goldthread.core",
    "goldthread.accounts",
    "goldthread.audit",
    "goldthread.structure",
    "goldthread.indicators",
    "goldthread.committees",
    "goldthread.collection",
    "goldthread.reminders",
    "goldthread.interventions",
    "goldthread.clinics",
    "goldthread.improvement",
    "goldthread.documents",
    "goldthread.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "goldthread.core.middleware.refuse_nul_characters",
    "goldthread.core.middleware.friendly_method_not_allowed",
]

ROOT_URLCONF = "goldthread.urls"
WSGI_APPLICATION = "goldthread.wsgi.application"


TEMPLATES = [
    {
        "BACKEND": "django.template.backends.jinja2.Jinja2",
        "DIRS": [BASE_DIR / "goldthread" / "jinja2"],
        "APP_DIRS": True,
        "OPTIONS": {
            "environment": "goldthread.jinja2env.environment",
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.messages.context_processors.messages",
                "goldthread.core.context_processors.layout",
            ],
        },
    },
    {
        # Django admin only.
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]


def _database() -> dict:
    default_url = f"sqlite:///{VAR_DIR / (MODE + '.sqlite3')}" if RELAXED else None
    url = env_str("DATABASE_URL", default_url, required=not RELAXED)
    # Keep connections open between requests: opening one (and, for SQLite, setting WAL mode)
    # costs more than serving a cached page.
    config = dj_database_url.parse(url, conn_max_age=600, conn_health_checks=True)
    if config["ENGINE"] == "django.db.backends.sqlite3":
        # WAL lets readers carry on while a writer commits; IMMEDIATE avoids "database is
        # locked" errors when two requests upgrade a read transaction to a write at once.
        config["OPTIONS"] = {
            "init_command": "PRAGMA journal_mode=wal; PRAGMA synchronous=normal;",
            "transaction_mode": "IMMEDIATE",
        }
    return config


DATABASES = {"default": _database()}
CACHES = {
    # Per process; cached pages are keyed by the shared data generation, so they are never
    # stale however many processes there are (see goldthread/core/freshness.py).
    "default": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "goldthread",
        "OPTIONS": {"MAX_ENTRIES": 2000},
    }
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "rules.permissions.ObjectPermissionBackend",
    "django.contrib.auth.backends.ModelBackend",
]
LOGIN_URL = "accounts:sign-in"
LOGIN_REDIRECT_URL = "core:home"
LOGOUT_REDIRECT_URL = "core:home"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]
if MODE == "test":
    # Hashing dominates the cost of signing in personas in every test.
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATICFILES_DIRS = [BASE_DIR / "goldthread" / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if RELAXED
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
WHITENOISE_USE_FINDERS = RELAXED
GOLDTHREAD_UPLOAD_DIR = Path(env_str("GOLDTHREAD_UPLOAD_DIR", str(VAR_DIR / "uploads")))
GOLDTHREAD_EVIDENCE_DIR = Path(env_str("GOLDTHREAD_EVIDENCE_DIR", str(VAR_DIR / "evidence")))

# Background work (reminders, digests) runs through django.tasks. Production and the demo
# queue tasks in the database for `goldthread db_worker`; tests run them at once.
TASKS = {
    "default": {
        "BACKEND": (
            "django.tasks.backends.immediate.ImmediateBackend"
            if MODE == "test"
            else "django_tasks_db.DatabaseBackend"
        )
    }
}
EMAIL_BACKEND = env_str(
    "EMAIL_BACKEND",
    "django.core.mail.backends.console.EmailBackend"
    if RELAXED
    else "django.core.mail.backends.smtp.EmailBackend",
)
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = int(env_str("EMAIL_PORT", "25"))
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "performance@example.org")
GOLDTHREAD_SITE_URL = env_str("GOLDTHREAD_SITE_URL", "http://127.0.0.1:8000")

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = not RELAXED and env_bool("SECURE_COOKIES", True)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"

GOLDTHREAD_COUNCIL_NAME_FALLBACK = "Your council"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "WARNING")},
}
