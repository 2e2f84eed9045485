"""Roundtable settings: one module, the environment decides.

Every deploy-specific value comes from an environment variable with a safe
development default, so `make run` needs no configuration at all and a
production deploy needs only variables (see README.md, "Configuration").
"""

import os
from pathlib import Path

import dj_database_url
import xstatic.pkg.jquery_ui
from csp.constants import NONE, SELF
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DEBUG", False)

# The development key is only used with DEBUG on. Without DEBUG and without
# SECRET_KEY the key is empty, which Django refuses the moment anything reads
# it: forum/wsgi.py and asgi.py read it at start, so a server that forgot it
# fails before taking a request, while commands that sign nothing
# (makemigrations, compilemessages) still run.
_DEVELOPMENT_SECRET_KEY = "django-insecure-roundtable-development-only"
SECRET_KEY = os.environ.get("SECRET_KEY") or (_DEVELOPMENT_SECRET_KEY if DEBUG else "")

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]" if DEBUG else "")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    # modeltranslation must come before django.contrib.admin to patch its forms.
    "modeltranslation",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.sites",
    "django.contrib.humanize",
    "allauth",
    "allauth.account",
    "django_countries",
    "django_tasks",
    "django_tasks_db",
    "accounts",
    "consultations",
    "documents",
    "notifications",
    "site_identity",
    "search",
    "synthesis",
]

MIDDLEWARE = [
    # First, so a load balancer's probe is answered before the host check and
    # the HTTPS redirect.
    "forum.middleware.HealthCheckMiddleware",
    "django.middleware.security.SecurityMiddleware",
    # Turns a form refused by a limit into a 429 on the way out.
    "forum.middleware.LimitReachedStatusMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "forum.middleware.PrivateWhenSessionUsedMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    # After the language is known (its page is translated), before anything
    # reads the session or the database with what the request carries.
    "forum.middleware.RefuseNullCharactersMiddleware",
    "forum.middleware.DatabaseUnavailableMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # After the messages, so the person is told why they were logged out.
    "accounts.middleware.SessionTimeoutMiddleware",
    # After the login is known: the reader's own zone, else the consultation's.
    "forum.middleware.TimeZoneMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "csp.middleware.CSPMiddleware",
]

ROOT_URLCONF = "forum.urls"
WSGI_APPLICATION = "forum.wsgi.application"
ASGI_APPLICATION = "forum.asgi.application"

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
                "consultations.context_processors.site_roles",
                "site_identity.context_processors.site_identity",
            ],
            # `|moment`: every date a person reads says its time zone.
            "builtins": ["accounts.templatetags.time_zones"],
        },
    },
    # Jinja2 draws one template only, the comment, which a thread page draws once
    # per comment: the Django engine spent most of a cold page there. Its
    # templates hold no words (makemessages does not read them): see
    # consultations/comment_html.py.
    {
        "BACKEND": "django.template.backends.jinja2.Jinja2",
        "DIRS": [BASE_DIR / "templates" / "jinja2"],
        "APP_DIRS": False,
        "OPTIONS": {"environment": "consultations.comment_html.environment"},
    },
]

# Unset DATABASE_URL means the embedded SQLite file, so a new user runs the
# app with one command; production and CI point it at PostgreSQL.
# Connections are kept DATABASE_CONN_MAX_AGE seconds on SQLite too: opening
# one costs a visitor's kept page (one query) more than the query, and a kept
# one locks nothing. Django runs outside transactions in autocommit and ends
# every transaction it opens, so between statements an idle SQLite connection
# holds no lock and reads the latest commit: the db_worker and other gunicorn
# workers write beside it as before (tests/forum/test_database_connections.py).
# runserver still closes its connections after each request.
DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=int(os.environ.get("DATABASE_CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
# Two test runs on one PostgreSQL server (CI beside a developer) each name
# their own throwaway database.
if os.environ.get("DATABASE_TEST_NAME"):
    DATABASES["default"]["TEST"] = {"NAME": os.environ["DATABASE_TEST_NAME"]}
if DATABASES["default"]["ENGINE"] != "django.db.backends.sqlite3":
    # A database that does not answer must cost seconds, not a worker: new
    # connections give up after DATABASE_CONNECT_TIMEOUT seconds and any
    # statement after DATABASE_STATEMENT_TIMEOUT milliseconds, and the
    # OperationalError becomes the translated 503 page. Migrations may run
    # longer: the release step sets DATABASE_STATEMENT_TIMEOUT=0 (no limit).
    # Parameters go to the server apart from the statement, and a statement a
    # connection has run DATABASE_PREPARE_THRESHOLD times is kept prepared, so
    # PostgreSQL stops parsing and planning the same dozen queries on every
    # request: under make bench-posting its CPU time fell from 11 s to 6.5 s.
    # Empty turns preparing off, for a PgBouncer in transaction mode older than
    # 1.21 or without max_prepared_statements.
    prepare_threshold = os.environ.get("DATABASE_PREPARE_THRESHOLD", "5")
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "server_side_binding": True,
            "prepare_threshold": int(prepare_threshold) if prepare_threshold else None,
            "connect_timeout": int(os.environ.get("DATABASE_CONNECT_TIMEOUT", "5")),
            "options": "-c statement_timeout="
            + str(int(os.environ.get("DATABASE_STATEMENT_TIMEOUT", "10000"))),
        }
    )
# A read replica of the primary (DATABASE_REPLICA_URL, PostgreSQL streaming
# replication) serves the reads of the public pages; writes, sessions, the
# cache and anyone who has just written stay on the primary for
# DATABASE_REPLICA_PIN_SECONDS (forum/db_routers.py). Tests read it as the
# primary itself.
DATABASE_REPLICA_PIN_SECONDS = int(os.environ.get("DATABASE_REPLICA_PIN_SECONDS", "15"))
if os.environ.get("DATABASE_REPLICA_URL"):
    DATABASES["replica"] = {
        **dj_database_url.parse(
            os.environ["DATABASE_REPLICA_URL"],
            conn_max_age=DATABASES["default"]["CONN_MAX_AGE"],
            conn_health_checks=True,
        ),
        "OPTIONS": dict(DATABASES["default"].get("OPTIONS", {})),
        "TEST": {"MIRROR": "default"},
    }
    DATABASE_ROUTERS = ["forum.db_routers.ReplicaRouter"]
    # Before the first middleware that reads content for a view (the
    # consultation's time zone), so that read may go to the replica too.
    MIDDLEWARE.insert(
        MIDDLEWARE.index("forum.middleware.TimeZoneMiddleware"),
        "forum.db_routers.ReplicaReadsMiddleware",
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Two caches. "default" holds the rate limits and the site identity, so every
# app process must see the same one: Redis when REDIS_URL is set, else a
# table in the database (created by a migration), never per-process memory,
# where a limit reached on one worker would not exist on the next.
# "pages" holds rendered comments and visitors' pages, under keys that change
# with what they show, so a per-process memory is correct too (each process
# warms its own): the default, and Redis (shared by every process) with
# REDIS_URL. With Redis down, both fail open: pages come from the database.
REDIS_OPTIONS = {"socket_connect_timeout": 0.25, "socket_timeout": 0.5}
PAGE_CACHE_TIMEOUT = 24 * 60 * 60
# Without Redis, the most each process keeps of pages (megabytes of pickled HTML).
PAGE_CACHE_MAX_MB = int(os.environ.get("PAGE_CACHE_MAX_MB", "200"))
if os.environ.get("REDIS_URL"):
    CACHES = {
        alias: {
            "BACKEND": "forum.cache_backends.FailOpenRedisCache",
            "LOCATION": os.environ["REDIS_URL"],
            "KEY_PREFIX": alias,
            "OPTIONS": REDIS_OPTIONS,
        }
        for alias in ("default", "pages")
    }
else:
    CACHES = {
        "default": {
            # Django's database cache with each write one statement and the
            # table counted on one write in CULL_EVERY rather than on each:
            # a post's rate limits cost four statements, not a dozen.
            "BACKEND": "forum.cache_backends.UpsertDatabaseCache",
            "LOCATION": "roundtable_cache",
            # Past MAX_ENTRIES the table drops a third of its rows, live
            # limits included: keep it far above one row per active person
            # and action (expired rows go first all the same).
            "OPTIONS": {"MAX_ENTRIES": 200_000, "CULL_EVERY": 100},
        },
        "pages": {
            "BACKEND": "forum.cache_backends.SizeBoundLocMemCache",
            "LOCATION": "roundtable-pages",
            # Rendered comments of about 3 KB, blocks of an answer with its replies of
            # hundreds: bounded by size as well as by entries, least recently used out.
            "OPTIONS": {"MAX_ENTRIES": 20_000, "MAX_BYTES": PAGE_CACHE_MAX_MB * 1024 * 1024},
        },
    }
CACHES["pages"]["TIMEOUT"] = PAGE_CACHE_TIMEOUT

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "accounts.backends.PermissionsInOneQueryBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "consultations:list"

# django-allauth: the email address is the login and must be verified.
SITE_ID = 1
ACCOUNT_ADAPTER = "accounts.adapter.AccountAdapter"
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_SIGNUP_FORM_CLASS = "accounts.forms.ProfileSignupForm"
# allauth's forms in the site's words (sentence case, "Log in").
ACCOUNT_FORMS = {
    name: f"accounts.allauth_forms.{form}"
    for name, form in {
        "login": "LoginForm",
        "signup": "SignupForm",
        "add_email": "AddEmailForm",
        "change_password": "ChangePasswordForm",
        "set_password": "SetPasswordForm",
        "reset_password": "ResetPasswordForm",
        "reset_password_from_key": "ResetPasswordKeyForm",
        "reauthenticate": "ReauthenticateForm",
    }.items()
}
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_CONFIRM_EMAIL_ON_GET = False
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[Roundtable] "
ACCOUNT_LOGOUT_REDIRECT_URL = "consultations:list"
# Adding, changing or removing an email address asks for the password again.
ACCOUNT_REAUTHENTICATION_REQUIRED = True
# No "Remember me" box: every login lasts until SESSION_IDLE_TIMEOUT without a
# request or SESSION_COOKIE_AGE in all (below), whatever was ticked.
ACCOUNT_SESSION_REMEMBER = True
# allauth's limits, per client address ("ip"), per email address ("key") or
# per account ("user"); each can be tuned by an environment variable.
ACCOUNT_RATE_LIMITS = {
    "signup": os.environ.get("RATE_LIMIT_SIGNUP", "5/m/ip,20/h/ip"),
    "login": os.environ.get("RATE_LIMIT_LOGIN", "30/m/ip"),
    "login_failed": os.environ.get("RATE_LIMIT_LOGIN_FAILED", "10/m/ip,5/5m/key,20/h/key"),
    "reset_password": os.environ.get("RATE_LIMIT_RESET_PASSWORD", "5/m/ip,3/h/key"),
    "reset_password_from_key": os.environ.get("RATE_LIMIT_RESET_PASSWORD_FROM_KEY", "20/m/ip"),
    "manage_email": os.environ.get("RATE_LIMIT_MANAGE_EMAIL", "10/m/user,30/h/user"),
    "change_password": os.environ.get("RATE_LIMIT_CHANGE_PASSWORD", "5/m/user"),
    "reauthenticate": os.environ.get("RATE_LIMIT_REAUTHENTICATE", "10/m/user"),
}
# Behind a load balancer every request comes from the balancer's address;
# limits per address must use the client's, taken from a header only the
# balancer sets: either a header naming the client (TRUSTED_CLIENT_IP_HEADER,
# e.g. "X-Real-IP") or the number of proxies that append to X-Forwarded-For
# (TRUSTED_PROXY_COUNT). With neither, the connection's own address is used.
ALLAUTH_TRUSTED_CLIENT_IP_HEADER = os.environ.get("TRUSTED_CLIENT_IP_HEADER") or None
ALLAUTH_TRUSTED_PROXY_COUNT = int(os.environ.get("TRUSTED_PROXY_COUNT", "0"))

# A session ends SESSION_COOKIE_AGE seconds after logging in, whatever
# happens, and after SESSION_IDLE_TIMEOUT seconds without a request
# (accounts.middleware.SessionTimeoutMiddleware enforces both).
SESSION_COOKIE_AGE = int(os.environ.get("SESSION_COOKIE_AGE", str(60 * 60 * 24 * 14)))
SESSION_IDLE_TIMEOUT = int(os.environ.get("SESSION_IDLE_TIMEOUT", str(60 * 60 * 8)))
# Sessions in the database, read with SQL compiled once (forum/sessions.py).
SESSION_ENGINE = "forum.sessions"

EMAIL_BACKEND = os.environ.get(
    "EMAIL_BACKEND",
    "django.core.mail.backends.console.EmailBackend"
    if DEBUG
    else "django.core.mail.backends.smtp.EmailBackend",
)
# The file backend (EMAIL_BACKEND=django.core.mail.backends.filebased.EmailBackend)
# writes each message into this folder: handy on a test server with no SMTP.
EMAIL_FILE_PATH = os.environ.get("EMAIL_FILE_PATH", str(BASE_DIR / "sent-mail"))
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "Roundtable <noreply@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# Slow work (every email) runs outside the request in a worker process:
# `manage.py db_worker` takes tasks from the database queue. Tests (and a
# setup that wants no worker) set TASKS_BACKEND to django-tasks'
# ImmediateBackend, which runs each task at once in the same process.
TASKS = {
    "default": {
        "BACKEND": os.environ.get("TASKS_BACKEND", "django_tasks_db.DatabaseBackend"),
        "QUEUES": ["default"],
    }
}

LANGUAGE_CODE = "en"
LANGUAGES = [
    ("en", _("English")),
    ("fr", _("French")),
    ("es", _("Spanish")),
]
# modeltranslation: staff content falls back to English where a version is missing.
MODELTRANSLATION_DEFAULT_LANGUAGE = "en"
MODELTRANSLATION_FALLBACK_LANGUAGES = ("en",)
LOCALE_PATHS = [BASE_DIR / "locale"]
# The language picked with the header's links is kept a year (Django's
# default cookie ends with the browser), so `/` opens in it next time.
LANGUAGE_COOKIE_AGE = 60 * 60 * 24 * 365
LANGUAGE_COOKIE_SAMESITE = "Lax"
TIME_ZONE = os.environ.get("TIME_ZONE", "UTC")
USE_I18N = True
USE_TZ = True
FORMAT_MODULE_PATH = ["forum.formats"]

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [
    BASE_DIR / "static",
    # jQuery UI for django-modeltranslation's language tabs in the admin,
    # served from our own origin (XStatic packages it), so the admin's CSP
    # stays 'self' and the tabs work offline.
    ("xstatic/jquery-ui", xstatic.pkg.jquery_ui.BASE_DIR),
]
MEDIA_URL = "media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "media"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        # Tests and development serve from the finders; a collected,
        # hashed manifest is only required where collectstatic ran.
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if not DEBUG and env_bool("STATIC_MANIFEST", True)
        else "django.contrib.staticfiles.storage.StaticFilesStorage",
    },
}

# HTTPS=1 behind a TLS-terminating proxy turns on every transport protection
# `check --deploy` asks for.
HTTPS = env_bool("HTTPS", False)
if HTTPS:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    LANGUAGE_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", str(60 * 60 * 24 * 365)))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
    SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", True)
SECURE_CONTENT_TYPE_NOSNIFF = True
# The site serves people's own HTML (sanitized), so the browser is told to run
# only our own script and style files: a payload that slipped past the
# sanitizer still could not execute. The admin gets the same policy, plus
# the one source its language tabs need (forum.middleware).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
        "base-uri": [NONE],
        "object-src": [NONE],
    },
}
# django-modeltranslation's language tabs need jQuery UI, which it would
# load from Google's CDN; ours is a static file of the site (see above).
JQUERY_UI_URL = "xstatic/jquery-ui/jquery-ui.min.js"
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

# Roundtable's own knobs.
ROUNDTABLE_COMMENT_MAX_LENGTH = 20_000
ROUNDTABLE_REPORTS_TO_AUTO_HIDE = int(os.environ.get("ROUNDTABLE_REPORTS_TO_AUTO_HIDE", "3"))
ROUNDTABLE_THREAD_MAX_INDENT = 6
# A question page shows this many answers (each with all its replies) at a
# time, so a thread of thousands of comments stays a page a browser can open.
ROUNDTABLE_ANSWERS_PER_PAGE = int(os.environ.get("ROUNDTABLE_ANSWERS_PER_PAGE", "20"))
# The consultation page shows each question's latest few answers, not its thread.
ROUNDTABLE_LATEST_ANSWERS_SHOWN = 3
# Notification mail: a send that fails (mail server down) is tried again
# after 1, 5, 25 ... minutes, at most this many times in all; then the task
# fails for good and the secretariat console counts it.
ROUNDTABLE_EMAIL_MAX_ATTEMPTS = int(os.environ.get("ROUNDTABLE_EMAIL_MAX_ATTEMPTS", "5"))
ROUNDTABLE_EMAIL_RETRY_BASE_SECONDS = int(
    os.environ.get("ROUNDTABLE_EMAIL_RETRY_BASE_SECONDS", "60")
)
# The daily digest goes out at the first scheduled run on or after this hour (TIME_ZONE).
ROUNDTABLE_DIGEST_HOUR = int(os.environ.get("ROUNDTABLE_DIGEST_HOUR", "7"))
# Unsubscribe links in emails stop working after this many days.
ROUNDTABLE_UNSUBSCRIBE_MAX_AGE_DAYS = int(
    os.environ.get("ROUNDTABLE_UNSUBSCRIBE_MAX_AGE_DAYS", "90")
)

# Files on comments and consultations (documents/): how many a comment may
# carry and how large each may be, in bytes.
COMMENT_ATTACHMENTS_MAX_FILES = int(os.environ.get("COMMENT_ATTACHMENTS_MAX_FILES", "3"))
COMMENT_ATTACHMENT_MAX_BYTES = int(
    os.environ.get("COMMENT_ATTACHMENT_MAX_BYTES", str(10 * 1024 * 1024))
)
BACKGROUND_DOCUMENT_MAX_BYTES = int(
    os.environ.get("BACKGROUND_DOCUMENT_MAX_BYTES", str(20 * 1024 * 1024))
)
# The size limit is applied while the request is read: past it a file's bytes
# are dropped, so a huge upload fills neither memory nor disk and is refused
# by name with the comment's text kept. (DATA_UPLOAD_MAX_MEMORY_SIZE counts
# the text fields only, never files, so 3 x 10 MB posts need no change there.)
FILE_UPLOAD_HANDLERS = [
    "documents.uploads.UploadSizeLimitHandler",
    "django.core.files.uploadhandler.MemoryFileUploadHandler",
    "django.core.files.uploadhandler.TemporaryFileUploadHandler",
]
# Beyond this many files in one request Django answers 400 before any form
# sees them: well above what a comment may carry (one too many gets the form's
# message), enough for the admin's background documents, and a bound on what
# one request can make the server read.
DATA_UPLOAD_MAX_NUMBER_FILES = max(20, COMMENT_ATTACHMENTS_MAX_FILES + 1)
# Abuse limits on the stakeholders' writes (consultations/limits.py), in
# allauth's notation: "1/10s/user,30/h/user" is one per ten seconds and thirty
# per hour for each account. Accounts younger than ROUNDTABLE_NEW_ACCOUNT_AGE
# seconds get the tighter rate and at most ROUNDTABLE_NEW_ACCOUNT_MAX_LINKS
# links per comment; the same text posted again within
# ROUNDTABLE_REPOST_WINDOW seconds is refused.
ROUNDTABLE_RATE_LIMITS = {
    "post": os.environ.get("RATE_LIMIT_POST", "1/10s/user,30/h/user"),
    "post_new_account": os.environ.get("RATE_LIMIT_POST_NEW_ACCOUNT", "1/30s/user,10/h/user"),
    "report": os.environ.get("RATE_LIMIT_REPORT", "5/m/user,30/h/user"),
}
ROUNDTABLE_NEW_ACCOUNT_AGE = int(os.environ.get("ROUNDTABLE_NEW_ACCOUNT_AGE", str(60 * 60 * 24)))
ROUNDTABLE_NEW_ACCOUNT_MAX_LINKS = int(os.environ.get("ROUNDTABLE_NEW_ACCOUNT_MAX_LINKS", "2"))
ROUNDTABLE_REPOST_WINDOW = int(os.environ.get("ROUNDTABLE_REPOST_WINDOW", "300"))

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
}
