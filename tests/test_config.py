"""Production refuses to start without strong secrets; development works out of the box."""
import pytest

from webapp.core.config import ConfigError, load_settings

STRONG = "q8V#r2Lx!m9Tz4Wp7Ks1Yd6Hf3Nc0Bg5Je"
STRONG_EVENTS = "Zt5!pQ2wLr8#Xv3Nm6Ky9Bd4Hc7Jf0Gs1A"


def production(**overrides):
    env = {"APP_ENV": "production", "SECRET_KEY": STRONG, "INTERNAL_EVENTS_SECRET": STRONG_EVENTS,
           "DATABASE_URL": "postgresql://db.internal/growthdesk",
           "RATELIMIT_STORAGE_URI": "redis://cache.internal:6379/0", "PUBLIC_URL": "https://growthdesk.example"}
    env.update(overrides)
    return {k: v for k, v in env.items() if v is not None}


def test_production_starts_with_strong_secrets():
    settings = load_settings(production())
    assert settings.production and settings.secret_key == STRONG


def test_production_refuses_a_missing_secret_key():
    with pytest.raises(ConfigError, match="SECRET_KEY"):
        load_settings(production(SECRET_KEY=None))


@pytest.mark.parametrize("weak", ["changeme", "short-secret", "a" * 40])
def test_production_refuses_a_weak_secret_key(weak):
    with pytest.raises(ConfigError, match="too weak"):
        load_settings(production(SECRET_KEY=weak))


def test_production_refuses_a_missing_events_secret():
    with pytest.raises(ConfigError, match="INTERNAL_EVENTS_SECRET must be set"):
        load_settings(production(INTERNAL_EVENTS_SECRET=None))


@pytest.mark.parametrize("weak", ["changeme", "short-secret", "a" * 40])
def test_production_refuses_a_weak_events_secret(weak):
    with pytest.raises(ConfigError, match="INTERNAL_EVENTS_SECRET is too weak"):
        load_settings(production(INTERNAL_EVENTS_SECRET=weak))


def test_production_refuses_the_session_key_as_the_events_secret():
    """The marketplace holds the events secret: with the session key it could forge sessions."""
    with pytest.raises(ConfigError, match="must not be SECRET_KEY"):
        load_settings(production(INTERNAL_EVENTS_SECRET=STRONG))


def test_production_refuses_a_weak_earlier_events_secret():
    with pytest.raises(ConfigError, match="INTERNAL_EVENTS_SECRET_FALLBACKS"):
        load_settings(production(INTERNAL_EVENTS_SECRET_FALLBACKS="changeme"))


def test_production_needs_a_database_url():
    with pytest.raises(ConfigError, match="DATABASE_URL"):
        load_settings(production(DATABASE_URL=None))


@pytest.mark.parametrize("uri", [None, "memory://"])
def test_production_refuses_rate_limits_counted_per_process(uri):
    with pytest.raises(ConfigError, match="RATELIMIT_STORAGE_URI"):
        load_settings(production(RATELIMIT_STORAGE_URI=uri))


@pytest.mark.parametrize("url", [None, "http://growthdesk.example"])
def test_production_needs_its_https_address_for_full_urls(url):
    with pytest.raises(ConfigError, match="PUBLIC_URL"):
        load_settings(production(PUBLIC_URL=url))


def test_development_generates_its_own_secret():
    settings = load_settings({"APP_ENV": "development"})
    assert len(settings.secret_key) >= 32


def test_development_keeps_one_events_secret_of_its_own_apart_from_the_session_key():
    """Kept under .data/ like the session key, so `flask events send` signs with what the server checks."""
    first, again = load_settings({"APP_ENV": "development"}), load_settings({"APP_ENV": "development"})
    assert len(first.internal_events_secret) >= 32
    assert first.internal_events_secret == again.internal_events_secret != first.secret_key
    assert load_settings({"INTERNAL_EVENTS_SECRET": "mine"}).internal_events_secret == "mine"


def test_the_caches_are_sized_from_the_environment():
    settings = load_settings({"FRAGMENT_CACHE_SIZE": "0", "DIRECTORY_COUNT_CACHE_SECONDS": "2.5"})
    assert (settings.fragment_cache_size, settings.directory_count_cache_seconds) == (0, 2.5)


def test_the_database_waits_have_bounded_defaults_and_come_from_the_environment():
    defaults = load_settings({})
    assert (defaults.db_connect_timeout, defaults.db_statement_timeout, defaults.db_idle_in_transaction_timeout,
            defaults.db_pool_timeout, defaults.health_timeout) == (3, 5, 30, 2, 1.5)
    settings = load_settings({"DB_CONNECT_TIMEOUT": "4", "DB_STATEMENT_TIMEOUT": "0.5",
                              "DB_IDLE_IN_TRANSACTION_TIMEOUT": "0", "DB_POOL_TIMEOUT": "1", "HEALTH_TIMEOUT": "1"})
    assert (settings.db_connect_timeout, settings.db_statement_timeout, settings.db_idle_in_transaction_timeout,
            settings.db_pool_timeout, settings.health_timeout) == (4, 0.5, 0, 1, 1)


@pytest.mark.parametrize("name, value", [("FRAGMENT_CACHE_SIZE", "lots"), ("DIRECTORY_COUNT_CACHE_SECONDS", "-1"),
                                         ("TRUSTED_PROXIES", "one"), ("DB_STATEMENT_TIMEOUT", "5s")])
def test_a_setting_that_is_not_a_usable_number_is_refused_by_name(name, value):
    with pytest.raises(ConfigError, match=name):
        load_settings({name: value})


def test_an_unknown_app_env_is_refused():
    with pytest.raises(ConfigError):
        load_settings({"APP_ENV": "staging"})


def test_production_cookies_are_secure(monkeypatch, make_app):
    for key, value in production().items():
        monkeypatch.setenv(key, value)
    app = make_app({})
    assert app.config["SESSION_COOKIE_SECURE"] is True
    assert app.config["SESSION_COOKIE_HTTPONLY"] is True
    assert app.config["SESSION_COOKIE_SAMESITE"] == "Lax"


def test_behind_a_trusted_proxy_the_client_address_comes_from_x_forwarded_for(monkeypatch, make_app):
    from flask import request

    monkeypatch.setenv("TRUSTED_PROXIES", "1")
    app = make_app({"TESTING": True})

    @app.get("/whoami")
    def whoami():
        return request.remote_addr

    response = app.test_client().get("/whoami", headers={"X-Forwarded-For": "203.0.113.9"})
    assert response.get_data(as_text=True) == "203.0.113.9"


def test_alert_delivery_is_inline_unless_the_queue_is_asked_for():
    assert load_settings(production()).alerts_delivery == "inline"
    assert load_settings(production(ALERTS_DELIVERY="queue")).alerts_delivery == "queue"


def test_an_unknown_alert_delivery_is_refused_by_name():
    with pytest.raises(ConfigError, match="ALERTS_DELIVERY must be one of: inline, queue"):
        load_settings(production(ALERTS_DELIVERY="smtp"))
