"""Settings from the environment: every variable the app reads is read here, once.

(gunicorn.conf.py reads the server's own: HOST, PORT, WEB_CONCURRENCY, GUNICORN_THREADS,
GUNICORN_ACCESS_LOG.) Development gets working defaults (an embedded PostgreSQL, a random secret kept
under .data/); production refuses to start without strong secrets, because a
default secret in production is a forged session waiting to happen.
"""
from __future__ import annotations

import os
import secrets
from dataclasses import dataclass
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parents[2]
DATA_DIR = PROJECT_ROOT / ".data"

MIN_SECRET_LENGTH = 32
KNOWN_WEAK_SECRETS = {"changeme", "secret", "dev", "development", "password", "growthdesk"}


class ConfigError(RuntimeError):
    """Raised when the environment cannot make a safe configuration."""


def _dev_secret(name: str) -> str:
    """A random secret persisted under .data/ so dev sessions survive restarts."""
    DATA_DIR.mkdir(exist_ok=True)
    path = DATA_DIR / f"{name.lower()}.dev"
    if not path.exists():
        path.write_text(secrets.token_urlsafe(48))
        path.chmod(0o600)
    return path.read_text().strip()


def _require_strong(name: str, value: str | None) -> str:
    if not value:
        raise ConfigError(f"{name} must be set when APP_ENV=production")
    if len(value) < MIN_SECRET_LENGTH or value.lower() in KNOWN_WEAK_SECRETS or len(set(value)) < 10:
        raise ConfigError(f"{name} is too weak: use at least {MIN_SECRET_LENGTH} random characters")
    return value


def _number(env, name: str, default: str, kind: type[int] | type[float]) -> int | float:
    try:
        value = kind(env.get(name, default))
    except ValueError as exc:
        raise ConfigError(f"{name} must be a number") from exc
    if value < 0:
        raise ConfigError(f"{name} must not be negative")
    return value


def _local_url(env) -> str:
    host = env.get("HOST") or "127.0.0.1"
    return f"http://{'127.0.0.1' if host == '0.0.0.0' else host}:{env.get('PORT') or '8000'}"


def _choice(env, name: str, default: str, choices: tuple[str, ...]) -> str:
    value = env.get(name) or default
    if value not in choices:
        raise ConfigError(f"{name} must be one of: {', '.join(choices)}")
    return value


@dataclass(frozen=True)
class Settings:
    app_env: str
    database_url: str | None
    database_read_url: str | None       # a reader endpoint for the growth dashboard's reads; unset: the writer
    secret_key: str
    secret_key_fallbacks: tuple[str, ...]  # earlier SECRET_KEYs still accepted while they rotate out (docs/security.md)
    internal_events_secret: str         # the HMAC key the marketplace signs POST /internal/events with
    internal_events_secret_fallbacks: tuple[str, ...]  # earlier ones, accepted while the marketplace switches over
    smtp_url: str | None
    public_url: str | None              # https://host the world reaches us at: full URLs in e-mails and link previews
    local_url: str                      # where `make run` serves (HOST, PORT): dev links built outside a request
    ratelimit_storage_uri: str          # where rate-limit counts live: Redis in production (core/limits.py)
    trusted_proxies: int
    upload_dir: str
    static_build_dir: str               # the static files' hashed, compressed copies, made at start (core/assets.py)
    # The per-process caches (docs/decisions.md, Performance); 0 turns each off.
    fragment_cache_size: int            # rendered cards per cache
    directory_count_cache_seconds: float  # how long a search's capped count is remembered
    # How long the app waits on PostgreSQL, in seconds (docs/operations.md, "Timeouts"); 0 turns one off.
    db_connect_timeout: float           # opening a connection
    db_statement_timeout: float         # one statement, ended by the server (the client gives up 1 s later)
    db_idle_in_transaction_timeout: float  # a transaction left open with nothing running, ended by the server
    db_pool_timeout: float              # waiting for a free pooled connection
    health_timeout: float               # how long /healthz waits for its `select 1` before saying 503
    alerts_statement_timeout: float     # one statement of the daily alert run (webapp/alerts/service.py)
    alerts_delivery: str                # "inline": `alerts run` delivers itself; "queue": it defers jobs to workers
    alerts_shards: int                  # the job queue's daily run splits into this many shard jobs
    alerts_schedule: str                # cron (UTC) of the job queue's daily run

    @property
    def production(self) -> bool:
        return self.app_env == "production"


def load_settings(environ: dict[str, str] | None = None) -> Settings:
    """Read and validate the environment once, at app creation."""
    env = os.environ if environ is None else environ
    app_env = env.get("APP_ENV", "development")
    if app_env not in ("development", "production"):
        raise ConfigError("APP_ENV must be 'development' or 'production'")
    production = app_env == "production"

    ratelimit_storage_uri = env.get("RATELIMIT_STORAGE_URI") or "memory://"
    # Space-separated, oldest first; each one kept only through a rotation's window (docs/security.md).
    secret_key_fallbacks = tuple(env.get("SECRET_KEY_FALLBACKS", "").split())
    events_fallbacks = tuple(env.get("INTERNAL_EVENTS_SECRET_FALLBACKS", "").split())
    if production:
        secret_key = _require_strong("SECRET_KEY", env.get("SECRET_KEY"))
        for fallback in secret_key_fallbacks:
            _require_strong("SECRET_KEY_FALLBACKS", fallback)
        # Whoever holds it can award and spend credits: as strong as the session key, and not the same one.
        events_secret = _require_strong("INTERNAL_EVENTS_SECRET", env.get("INTERNAL_EVENTS_SECRET"))
        if events_secret == secret_key:
            raise ConfigError("INTERNAL_EVENTS_SECRET must not be SECRET_KEY: the marketplace holds one of them")
        for fallback in events_fallbacks:
            _require_strong("INTERNAL_EVENTS_SECRET_FALLBACKS", fallback)
        if not env.get("DATABASE_URL"):
            raise ConfigError("DATABASE_URL must be set when APP_ENV=production")
        # Per-process counters let each worker on each host grant the whole limit again.
        if ratelimit_storage_uri.startswith("memory://"):
            raise ConfigError("RATELIMIT_STORAGE_URI must name a store every worker shares (redis://…) "
                              "when APP_ENV=production")
        # Full URLs (invitation e-mails, og:image) are never built from a request's Host header,
        # which a client chooses.
        if not env.get("PUBLIC_URL", "").startswith("https://"):
            raise ConfigError("PUBLIC_URL must be set to the site's https:// address when APP_ENV=production")
    else:
        secret_key = env.get("SECRET_KEY") or _dev_secret("SECRET_KEY")
        # Kept in .data/ like the session key: `flask events send` on this checkout signs with the same one.
        events_secret = env.get("INTERNAL_EVENTS_SECRET") or _dev_secret("INTERNAL_EVENTS_SECRET")

    return Settings(
        app_env=app_env,
        database_url=env.get("DATABASE_URL") or None,
        database_read_url=env.get("DATABASE_READ_URL") or None,
        secret_key=secret_key,
        secret_key_fallbacks=secret_key_fallbacks,
        internal_events_secret=events_secret,
        internal_events_secret_fallbacks=events_fallbacks,
        smtp_url=env.get("SMTP_URL") or None,
        public_url=env.get("PUBLIC_URL") or None,
        local_url=_local_url(env),
        ratelimit_storage_uri=ratelimit_storage_uri,
        trusted_proxies=_number(env, "TRUSTED_PROXIES", "0", int),
        upload_dir=env.get("UPLOAD_DIR") or str(DATA_DIR / "uploads"),
        static_build_dir=env.get("STATIC_BUILD_DIR") or str(DATA_DIR / "static"),
        fragment_cache_size=_number(env, "FRAGMENT_CACHE_SIZE", "4096", int),
        directory_count_cache_seconds=_number(env, "DIRECTORY_COUNT_CACHE_SECONDS", "30", float),
        db_connect_timeout=_number(env, "DB_CONNECT_TIMEOUT", "3", float),
        db_statement_timeout=_number(env, "DB_STATEMENT_TIMEOUT", "5", float),
        db_idle_in_transaction_timeout=_number(env, "DB_IDLE_IN_TRANSACTION_TIMEOUT", "30", float),
        db_pool_timeout=_number(env, "DB_POOL_TIMEOUT", "2", float),
        health_timeout=_number(env, "HEALTH_TIMEOUT", "1.5", float),
        alerts_statement_timeout=_number(env, "ALERTS_STATEMENT_TIMEOUT", "600", float),
        alerts_delivery=_choice(env, "ALERTS_DELIVERY", "inline", ("inline", "queue")),
        alerts_shards=max(1, _number(env, "ALERTS_SHARDS", "1", int)),
        alerts_schedule=env.get("ALERTS_SCHEDULE") or "15 0 * * *",
    )


def sqlalchemy_url(libpq_url: str) -> str:
    """SQLAlchemy needs the driver named: postgresql:// -> postgresql+psycopg://."""
    for prefix in ("postgresql://", "postgres://"):
        if libpq_url.startswith(prefix):
            return "postgresql+psycopg://" + libpq_url[len(prefix):]
    return libpq_url


def libpq_url(url: str) -> str:
    """The inverse of sqlalchemy_url, for psycopg and command-line tools."""
    return url.replace("postgresql+psycopg://", "postgresql://", 1)
