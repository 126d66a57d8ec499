"""Extensions, created unbound and bound to the app in create_app()."""
from flask_compress import Compress
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import LoginManager
from flask_sqlalchemy import SQLAlchemy
from flask_talisman import Talisman
from flask_wtf.csrf import CSRFProtect

db = SQLAlchemy()
csrf = CSRFProtect()
login_manager = LoginManager()
# Limits are declared per route; storage comes from RATELIMIT_STORAGE_URI
# (memory:// by default, redis://... when several hosts must share counts).
limiter = Limiter(key_func=get_remote_address, default_limits=[])
talisman = Talisman()
# Pages and partials go out brotli- or gzip-encoded when the browser asks (settings in create_app);
# static files are WhiteNoise's (core/assets.py).
compress = Compress()
