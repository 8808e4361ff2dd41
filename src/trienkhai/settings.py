"""The one settings module, configured by TRIENKHAI_* environment variables.

TRIENKHAI_DATABASE_URL   sqlite:///path/db.sqlite3 (default: $TRIENKHAI_DATA_DIR/trienkhai.sqlite3)
                         or postgres://user:pass@host:port/name
TRIENKHAI_DATA_DIR       where files and the embedded database live (default ./var)
TRIENKHAI_EDXML_DIR      the folder edXML packages and statuses travel through (outbox/,
                         inbox/); unset: statuses are recorded, not delivered
TRIENKHAI_SQLITE_SYNCHRONOUS  full (default) or normal: whether each SQLite commit waits
                         for the disk (docs/decisions/0017-sqlite-durability.md)
TRIENKHAI_SECRET_KEY     required to serve (`trienkhai serve`, wsgi.py): without it only
                         `trienkhai demo`, the tests and TRIENKHAI_DEBUG run, on a
                         development key (TRIENKHAI_INSECURE_DEV_KEY=1 says so explicitly)
TRIENKHAI_REPLICA_URL    postgres://user:pass@host:port/name of a streaming replica of the
                         PostgreSQL database: pages read from it, writes and one's own
                         reads stay on the primary (docs/decisions/0026-read-replica.md).
                         Unset (the default): everything on TRIENKHAI_DATABASE_URL
TRIENKHAI_SOFFICE        the LibreOffice executable that makes PDFs (default: soffice, then
                         libreoffice, on the PATH); without one every PDF answers 503
                         converter_unavailable and issuing waits (drafting/pdf.py)
TRIENKHAI_SIGNATURE_ROOTS  PEM/DER files of the certificate roots signed PDFs are judged
                         against (the VGCA roots), separated by ":"; the .pem files in
                         $TRIENKHAI_DATA_DIR/signing/roots/ are added (the demo writes its
                         made-up root there). Decision 0031
TRIENKHAI_COPY_FONT      the .ttf an electronic copy's text is set in (default: Times New
                         Roman if installed, else Liberation Serif)
TRIENKHAI_VGCA_PLUGIN_URL  URL of VGCA's vgcaplugin.js: the "ký số" page then hands the PDF
                         to the signer's signing service itself
TRIENKHAI_DEBUG          1/true to turn on Django's debug pages
TRIENKHAI_ALLOWED_HOSTS  comma-separated host names (default localhost,127.0.0.1)
TRIENKHAI_HTTPS          1 when people reach the site over HTTPS: secure cookies, HSTS,
                         redirect of plain HTTP (docs/OPERATIONS.md)
TRIENKHAI_BEHIND_PROXY   1 when a reverse proxy terminates TLS and sends
                         X-Forwarded-Proto (nginx, Caddy): trust that header
TRIENKHAI_CSRF_TRUSTED_ORIGINS  comma-separated origins (https://baocao.example.vn);
                         default: https:// + each allowed host when TRIENKHAI_HTTPS is on
TRIENKHAI_HSTS_SECONDS   HSTS max-age (default 31536000 with TRIENKHAI_HTTPS; 0 turns it off)
TRIENKHAI_TOKEN_DAYS     how long an API token from POST /api/v1/auth/token works (default 30)
TRIENKHAI_LOGIN_FAILURES after this many failed log-ins for one account (default 10), the
                         account is locked: web, POST /api/v1/auth/token and DHIS2 Basic
                         auth refuse even the right password (429) until the lock ends
TRIENKHAI_LOGIN_LOCK_MINUTES  how long failures are counted and a lock lasts (default 15):
                         the count restarts after this long without a failure, and a lock
                         ends this long after it began (docs/decisions/0019-log-in-protection.md)
TRIENKHAI_EMAIL_URL      how notification e-mails leave: smtp://user:pass@host:25 (smtp+tls://
                         for STARTTLS, smtps:// for TLS from the start), console: (printed),
                         or file:///path (one file per e-mail). Default: files in
                         $TRIENKHAI_DATA_DIR/mail/ (nothing leaves the machine)
TRIENKHAI_EMAIL_FROM     the sender (default "trienkhai <noreply@localhost>")
TRIENKHAI_SITE_URL       the site's address as people reach it, for the links in e-mails,
                         certificates and the check-in's QR code (default
                         http://127.0.0.1:8000; unset, the check-in page uses the
                         request's host)
TRIENKHAI_REMIND_DAYS    "deadline in N days" is sent N days before (default 3)
TRIENKHAI_ESCALATE_DAYS  a report this many days late is escalated to the managers of the
                         unit above (default 7); decision 0038
TRIENKHAI_PEOPLE_RETENTION_YEARS  participants' names are erased this many years after
                         their last attendance (default 5; 0 keeps them until erased by
                         hand): `trienkhai erase-expired-people`, decision 0040
TRIENKHAI_COMMENDATION_RETENTION_YEARS  individuals' names in the commendation register
                         are erased this many years after the year of their last
                         nomination (default 10; 0 keeps them): the same run, decision 0057
TRIENKHAI_COMMENDATION_PARTY_RULE  the Party giver's own ground in an award decision (default
                         "Căn cứ Quy chế làm việc của {giver}"; {giver}: its name; empty:
                         none), e.g. the Standing Committee's rule on commendations;
                         decision 0057
TRIENKHAI_COMMENDATION_STATE_RULE  the State giver's function regulation, the same way
                         (default "Căn cứ chức năng, nhiệm vụ, quyền hạn của {giver}")
TRIENKHAI_COMMITTEE_RETENTION_YEARS  steering committees' members and guests are erased
                         this many years after their last seat ended and their last
                         meeting (default 10; 0 keeps them): the same run, decision 0065
TRIENKHAI_ADMIN_2FA      1 (default): admins (the admin role anywhere, superusers) must
                         log in to the web with a second factor (TOTP app or recovery code);
                         0 turns the rule off: `trienkhai demo` sets it for the demo only
"""

import datetime as dt
import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured


def _flag(name: str, default: bool = False) -> bool:
    return os.environ.get(name, str(default)).strip().lower() in {"1", "true", "yes", "on"}


BASE_DIR = Path(__file__).resolve().parent
DATA_DIR = Path(os.environ.get("TRIENKHAI_DATA_DIR", "var")).resolve()

DEBUG = _flag("TRIENKHAI_DEBUG")
DEVELOPMENT_KEY = "trienkhai-development-key-not-for-production"
SECRET_KEY = os.environ.get("TRIENKHAI_SECRET_KEY", "").strip()
if not SECRET_KEY:
    if _flag("TRIENKHAI_INSECURE_DEV_KEY", default=True) is False:
        raise ImproperlyConfigured("Đặt TRIENKHAI_SECRET_KEY / set TRIENKHAI_SECRET_KEY")
    # A development key, so that `make demo` and the tests run with nothing configured.
    # Serving refuses it (trienkhai.web.checks.require_secret_key, called by
    # `trienkhai serve` and wsgi.py), and `check --deploy` reports it as an error.
    SECRET_KEY = DEVELOPMENT_KEY
ALLOWED_HOSTS = [
    h.strip()
    for h in os.environ.get("TRIENKHAI_ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]").split(",")
    if h.strip()
]

# HTTPS, directly or behind a TLS-terminating reverse proxy (docs/OPERATIONS.md).
HTTPS = _flag("TRIENKHAI_HTTPS")
if _flag("TRIENKHAI_BEHIND_PROXY"):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
SECURE_SSL_REDIRECT = HTTPS
SECURE_HSTS_SECONDS = int(os.environ.get("TRIENKHAI_HSTS_SECONDS", 31536000 if HTTPS else 0))
SECURE_HSTS_INCLUDE_SUBDOMAINS = SECURE_HSTS_SECONDS > 0
# Preloading a domain into browsers is the domain owner's decision, made once and hard
# to undo: not set here, and its deploy check (security.W021) is silenced.
SECURE_HSTS_PRELOAD = False
SECURE_REFERRER_POLICY = "same-origin"
CSRF_TRUSTED_ORIGINS = [
    o.strip() for o in os.environ.get("TRIENKHAI_CSRF_TRUSTED_ORIGINS", "").split(",") if o.strip()
] or ([f"https://{h}" for h in ALLOWED_HOSTS if h not in {"*"}] if HTTPS else [])
SILENCED_SYSTEM_CHECKS = ["security.W021"]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "simple_history",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "trienkhai.web",
    "trienkhai.orgs",
    "trienkhai.accounts",
    "trienkhai.reporting",
    "trienkhai.documents",
    "trienkhai.analytics",
    "trienkhai.drafting",
    "trienkhai.activities",
    "trienkhai.contests",
    "trienkhai.commendations",
    "trienkhai.committees",
    "trienkhai.desk",
    "trienkhai.notifications",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Sessions, the user from the session, its second factor and messages: Django's and
    # django-otp's, except for an API request with a bearer token and no session cookie
    # (accounts.middleware.is_bearer_api_request), which has none of them.
    "trienkhai.accounts.middleware.SessionMiddleware",
    # Vietnamese unless the reader chose English with the switch: the browser's
    # Accept-Language is not asked (many offices run English-language Windows).
    "trienkhai.web.middleware.VietnameseFirstLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "trienkhai.accounts.middleware.AuthenticationMiddleware",
    # Which second factor verified this session (user.is_verified()), then the rule that
    # sends an admin to enter it (or enrol) before any page.
    "trienkhai.accounts.middleware.OTPMiddleware",
    "trienkhai.accounts.middleware.TwoFactorMiddleware",
    "trienkhai.accounts.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "trienkhai.web.middleware.NulRefusalMiddleware",
    "trienkhai.web.middleware.BadInputMiddleware",
    # Last, as django-axes asks: turns a locked account's log-in into a 429.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "trienkhai.urls"
WSGI_APPLICATION = "trienkhai.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "trienkhai.desk.context.desk_count",
            ],
        },
    },
]


def _database() -> dict:
    url = os.environ.get("TRIENKHAI_DATABASE_URL") or f"sqlite:///{DATA_DIR / 'trienkhai.sqlite3'}"
    config: dict = dict(dj_database_url.parse(url, conn_max_age=60))
    if config["ENGINE"] == "django.db.backends.sqlite3":
        # WAL lets readers go on while one writer writes; IMMEDIATE transactions take the
        # write lock up front so that two writers queue instead of failing mid-transaction.
        # Django turns foreign keys on for every SQLite connection. The connection is
        # kept between requests like PostgreSQL's (conn_max_age above): opening one and
        # running these pragmas cost about a millisecond of CPU per request. Writers
        # queue on a lock file rather than in SQLite's busy handler (common/sqlite).
        config["ENGINE"] = "trienkhai.common.sqlite"
        config["OPTIONS"] = {
            "init_command": (
                f"PRAGMA journal_mode=WAL; PRAGMA synchronous={_sqlite_synchronous()}; "
                "PRAGMA busy_timeout=10000;"
            ),
            "transaction_mode": "IMMEDIATE",
        }
        # Tests run in memory, as Django's own engine name gets by default (pytest-django
        # recognises that name only, and would give each worker a file instead).
        config["TEST"] = {"NAME": ":memory:"}
    return config


def _replica(url: str, default: dict) -> dict:
    if default["ENGINE"] != "django.db.backends.postgresql":
        raise ImproperlyConfigured(
            "TRIENKHAI_REPLICA_URL needs a PostgreSQL TRIENKHAI_DATABASE_URL"
        )
    config: dict = dict(dj_database_url.parse(url, conn_max_age=60, conn_health_checks=True))
    if config["ENGINE"] != "django.db.backends.postgresql":
        raise ImproperlyConfigured("TRIENKHAI_REPLICA_URL must be a postgres:// URL")
    # A replica that does not answer is given up on quickly: reads go to the primary.
    config["OPTIONS"] = {**config.get("OPTIONS", {}), "connect_timeout": 2}
    # Tests: the replica holds the primary's test database, replicated (never created
    # or dropped on the replica, which is read-only).
    config["TEST"] = {"MIRROR": "default"}
    return config


def _sqlite_synchronous() -> str:
    """FULL (the default): each commit reaches the disk before the save is answered, so
    a power cut or OS crash loses nothing already saved. NORMAL skips that flush (one
    fsync of the WAL per commit) and can lose the last commits on a power cut, never on
    an application crash. Decision 0017 has the figures."""
    value = (os.environ.get("TRIENKHAI_SQLITE_SYNCHRONOUS") or "full").strip().upper()
    if value not in {"FULL", "NORMAL"}:
        raise ImproperlyConfigured("TRIENKHAI_SQLITE_SYNCHRONOUS must be full or normal")
    return value


DATABASES = {"default": _database()}
DATABASE_ROUTERS: list[str] = []
if os.environ.get("TRIENKHAI_REPLICA_URL"):
    # trienkhai.common.replica: the router, and the middleware that lets a browser's GET
    # read from the replica. Outermost, so that a session saved counts as a write.
    DATABASES["replica"] = _replica(os.environ["TRIENKHAI_REPLICA_URL"], DATABASES["default"])
    DATABASE_ROUTERS.append("trienkhai.common.replica.ReplicaRouter")
    MIDDLEWARE.insert(0, "trienkhai.common.replica.ReplicaMiddleware")
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
TOKEN_DAYS = int(os.environ.get("TRIENKHAI_TOKEN_DAYS", 30))
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "web:home"
LOGOUT_REDIRECT_URL = "login"
AUTHENTICATION_BACKENDS = [
    # Refuses a locked account before its password is checked (django-axes).
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]

# Log-in protection (docs/decisions/0019-log-in-protection.md). Failures are counted
# per user name, never per address: an office shares one address.
LOGIN_FAILURES = int(os.environ.get("TRIENKHAI_LOGIN_FAILURES", 10))
LOGIN_LOCK_MINUTES = int(os.environ.get("TRIENKHAI_LOGIN_LOCK_MINUTES", 15))
AXES_FAILURE_LIMIT = LOGIN_FAILURES
AXES_COOLOFF_TIME = dt.timedelta(minutes=LOGIN_LOCK_MINUTES)
AXES_LOCKOUT_PARAMETERS = ["username"]
# axes.W006 asks to add the address: a lock per address would lock a whole office (one
# NAT address) out after 10 typos. Counted per user name, rotating user agents, cookies
# or addresses gains an attacker nothing (axes sums the failures over all of them).
SILENCED_SYSTEM_CHECKS.append("axes.W006")
AXES_RESET_ON_SUCCESS = True
# A refused try while locked does not push the end of the lock further away.
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_LOCKOUT_CALLABLE = "trienkhai.accounts.lockout.locked_response"
AXES_CLIENT_IP_CALLABLE = "trienkhai.accounts.lockout.client_ip"
AXES_ENABLE_ACCESS_FAILURE_LOG = True
AXES_SENSITIVE_PARAMETERS = ["password", "csrfmiddlewaretoken", "otp_token"]
AXES_VERBOSE = False
ADMIN_2FA = _flag("TRIENKHAI_ADMIN_2FA", default=True)
OTP_TOTP_ISSUER = "trienkhai"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
]

LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", "Tiếng Việt"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = DATA_DIR / "static"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True
MEDIA_ROOT = DATA_DIR / "files"
SOFFICE = os.environ.get("TRIENKHAI_SOFFICE", "")

DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
UPLOAD_MAX_BYTES = int(os.environ.get("TRIENKHAI_UPLOAD_MAX_BYTES", 20 * 1024 * 1024))
# edXML messages travel through this folder (outbox/, inbox/: documents/interchange/
# transport.py); unset: statuses are recorded on the documents, not delivered.
EDXML_DIR = os.environ.get("TRIENKHAI_EDXML_DIR", "")
SIGNATURE_TRUST_ROOTS = [
    p for p in os.environ.get("TRIENKHAI_SIGNATURE_ROOTS", "").split(os.pathsep) if p.strip()
]
SIGNATURE_ROOTS_DIR = DATA_DIR / "signing" / "roots"
COPY_FONT = os.environ.get("TRIENKHAI_COPY_FONT", "")
"""The TrueType font of an electronic copy's text (unset: Times New Roman if installed,
else Liberation Serif, its metric twin, which `make demo` and `make test` install)."""
VGCA_PLUGIN_URL = os.environ.get("TRIENKHAI_VGCA_PLUGIN_URL", "")
"""Where the pages load VGCA's vgcaplugin.js from (unset: the signer opens the URLs by hand)."""


def _email(url: str) -> dict:
    """Django's e-mail settings from TRIENKHAI_EMAIL_URL (see the list at the top)."""
    from urllib.parse import unquote, urlsplit

    if not url:
        return {
            "EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend",
            "EMAIL_FILE_PATH": str(DATA_DIR / "mail"),
        }
    parts = urlsplit(url)
    if parts.scheme == "console":
        return {"EMAIL_BACKEND": "django.core.mail.backends.console.EmailBackend"}
    if parts.scheme == "file":
        return {
            "EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend",
            "EMAIL_FILE_PATH": unquote(parts.path),
        }
    if parts.scheme not in {"smtp", "smtp+tls", "smtps"}:
        raise ImproperlyConfigured(
            f"TRIENKHAI_EMAIL_URL: smtp://, smtp+tls://, smtps://, console: hoặc/or file:// "
            f"({parts.scheme}://)"
        )
    return {
        "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "EMAIL_HOST": parts.hostname or "localhost",
        "EMAIL_PORT": parts.port or (465 if parts.scheme == "smtps" else 25),
        "EMAIL_HOST_USER": unquote(parts.username or ""),
        "EMAIL_HOST_PASSWORD": unquote(parts.password or ""),
        "EMAIL_USE_TLS": parts.scheme == "smtp+tls",
        "EMAIL_USE_SSL": parts.scheme == "smtps",
    }


_EMAIL = _email(os.environ.get("TRIENKHAI_EMAIL_URL", "").strip())
EMAIL_BACKEND = _EMAIL["EMAIL_BACKEND"]
EMAIL_FILE_PATH = _EMAIL.get("EMAIL_FILE_PATH", str(DATA_DIR / "mail"))
EMAIL_HOST = _EMAIL.get("EMAIL_HOST", "localhost")
EMAIL_PORT = _EMAIL.get("EMAIL_PORT", 25)
EMAIL_HOST_USER = _EMAIL.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = _EMAIL.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = _EMAIL.get("EMAIL_USE_TLS", False)
EMAIL_USE_SSL = _EMAIL.get("EMAIL_USE_SSL", False)
EMAIL_TIMEOUT = 10
DEFAULT_FROM_EMAIL = os.environ.get("TRIENKHAI_EMAIL_FROM", "trienkhai <noreply@localhost>")
SITE_URL_DEFAULT = "http://127.0.0.1:8000"
"""SITE_URL when TRIENKHAI_SITE_URL is not set: pages that print an address then take the
request's own (the check-in's QR code and "vào … và gõ mã")."""
SITE_URL = os.environ.get("TRIENKHAI_SITE_URL", SITE_URL_DEFAULT)
REMIND_DAYS = int(os.environ.get("TRIENKHAI_REMIND_DAYS", "3"))
ESCALATE_DAYS = int(os.environ.get("TRIENKHAI_ESCALATE_DAYS", "7"))
PEOPLE_RETENTION_YEARS = int(os.environ.get("TRIENKHAI_PEOPLE_RETENTION_YEARS", "5"))
COMMENDATION_RETENTION_YEARS = int(os.environ.get("TRIENKHAI_COMMENDATION_RETENTION_YEARS", "10"))
COMMITTEE_RETENTION_YEARS = int(os.environ.get("TRIENKHAI_COMMITTEE_RETENTION_YEARS", "10"))
COMMENDATION_PARTY_RULE = os.environ.get(
    "TRIENKHAI_COMMENDATION_PARTY_RULE", "Căn cứ Quy chế làm việc của {giver}"
)
COMMENDATION_STATE_RULE = os.environ.get(
    "TRIENKHAI_COMMENDATION_STATE_RULE", "Căn cứ chức năng, nhiệm vụ, quyền hạn của {giver}"
)

SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False
X_FRAME_OPTIONS = "DENY"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"refusals": {"()": "trienkhai.web.logs.RefusalWithoutTraceback"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "filters": ["refusals"]}},
    "root": {"handlers": ["console"], "level": os.environ.get("TRIENKHAI_LOG_LEVEL", "WARNING")},
}
