"""The alert e-mail's links: GET shows what the link will do and a button; POST does it.

No log-in and no CSRF token (accounts.access.token_link): the signed token in the path is the
proof. The POST is also RFC 8058's one-click unsubscribe, which mail clients send by themselves
(body `List-Unsubscribe=One-Click`, no cookies). A link that is not ours answers 400, one whose
search has been deleted 404; neither changes anything.
"""
from __future__ import annotations

from flask import request

from ..accounts.access import token_link
from ..core.errors import NotFound
from ..core.htmx import render_page
from . import bp, links
from .wording import search_label

ACTIONS = {
    "unsubscribe": dict(endpoint="alerts.unsubscribe", title="Stop e-mails for this search",
                        button="Stop e-mails", done=links.email_off),
    "pause": dict(endpoint="alerts.pause", title="Pause this search's alerts for a week",
                  button="Pause for a week", done=links.pause_for_a_week),
}


def _answer(action: str, token: str):
    what = ACTIONS[action]
    try:
        search = links.search_of(action, token)
    except links.BadLink:
        return render_page("alerts/link.html", status=400, state="bad", action=action, what=what)
    except NotFound:
        return render_page("alerts/link.html", status=404, state="gone", action=action, what=what)
    if request.method == "POST":
        search = what["done"](search)
        return render_page("alerts/link.html", state="done", action=action, what=what, search=search,
                           label=search_label(search))
    return render_page("alerts/link.html", state="confirm", action=action, what=what, search=search,
                       label=search_label(search), token=token)


@bp.route("/alerts/unsubscribe/<token>", methods=["GET", "POST"])
@token_link
def unsubscribe(token):
    return _answer("unsubscribe", token)


@bp.route("/alerts/pause/<token>", methods=["GET", "POST"])
@token_link
def pause(token):
    return _answer("pause", token)
