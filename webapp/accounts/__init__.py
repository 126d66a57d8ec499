"""Accounts: sign-up, log-in, log-out, settings, roles."""
from flask import Blueprint

bp = Blueprint("accounts", __name__, cli_group="users")
bp.cli.help = "Manage accounts."


def init_app(app) -> None:
    from ..core.extensions import login_manager
    from . import cli, views  # noqa: F401  (routes and commands register on import)
    from .loader import load_user

    login_manager.login_view = "accounts.login"
    login_manager.login_message = "Log in to see that page."
    login_manager.login_message_category = "info"
    login_manager.session_protection = "strong"
    login_manager.user_loader(load_user)
    app.register_blueprint(bp)
