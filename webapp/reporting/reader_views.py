"""Reader links: the growth team's page to make and revoke them (/growth/readers, role growth), and
the read-only overview a link opens (/shared/growth/<token>, whoever holds the link).

The shared view lives outside /growth on purpose: every /growth route is the growth team's alone
(tests/harness), and a reader is not on the team. It shows the link's fixed view and nothing else:
no filter form, no links into /growth, no exports (docs/decisions.md).
"""
from __future__ import annotations

from flask import flash, make_response, render_template, url_for
from flask_login import current_user

from ..accounts.access import role_required, token_link
from ..core import clock, reads
from ..core.errors import NotFound
from ..core.forms import errors_on, form_status
from ..core.htmx import is_htmx, redirect_to, render_page
from ..core.urls import absolute_url
from . import bp, charts, readers, service
from .forms import parse_filters
from .reader_forms import ReaderLinkForm
from .views import drawn_charts


def _programs() -> list[dict]:
    return reads.rows("select program_id, name from referral_program order by active desc, name, program_id")


def _url_of(link: dict) -> str:
    """The link to hand out (the same every time: the token is the link id, signed)."""
    return absolute_url("reporting.shared", token=readers.token_for(link["link_id"]))


def _page(form: ReaderLinkForm, block: str = "content"):
    return render_page("reporting/readers.html", block, status=form_status(form), form=form, links=readers.links(),
                       url_of=_url_of)


@bp.get("/growth/readers")
@role_required("growth")
def reader_links():
    return _page(ReaderLinkForm().with_programs(_programs()))


@bp.post("/growth/readers")
@role_required("growth")
def new_reader_link():
    form = ReaderLinkForm().with_programs(_programs())
    if form.validate_on_submit():
        with errors_on(form):
            filters = parse_filters(form.filter_args(), clock.today())
            link_id = readers.create(current_user.user_id, form.label.data, form.days_value(), filters)
            flash(f"Reader link “{' '.join(form.label.data.split())}” made: copy it from the list below.", "success")
            return redirect_to(url_for("reporting.reader_links") + f"#link-{link_id}")
    return _page(form, "link_form")


@bp.post("/growth/readers/<link_id>/revoke")
@role_required("growth")
def revoke_reader_link(link_id: str):
    link = readers.revoke(link_id)
    flash(f"“{link['label']}” revoked: its link no longer opens anything.", "success")
    if is_htmx():
        row = next(row for row in readers.links() if row["link_id"] == link_id)
        return render_page("reporting/readers.html", "link_row", link=row, url_of=_url_of)
    return redirect_to(url_for("reporting.reader_links"))


def render_shared(link: dict, overview) -> str:
    """The reader's page for `overview` (a pure function of the link and it)."""
    return render_template("reporting/reader_view.html", link=link, overview=overview, charts=charts,
                           drawn=drawn_charts(overview), formless_for_visitors=True)


@bp.get("/shared/growth/<token>")
@token_link
def shared(token: str):
    """The overview a reader link fixes. Tampered or not ours: 400 (as every token link); unknown or
    revoked: 404; expired: 410 with a page that says so. The query string is never read."""
    try:
        link = readers.open_link(token)
    except readers.BadLink:
        return render_page("reporting/reader_gone.html", status=400, state="bad", formless_for_visitors=True)
    except NotFound:
        return render_page("reporting/reader_gone.html", status=404, state="gone", formless_for_visitors=True)
    except readers.Expired as expired:
        return render_page("reporting/reader_gone.html", status=410, state="expired", link=expired.link,
                           formless_for_visitors=True)
    response = make_response(render_shared(link, service.overview(readers.filters_of(link, clock.today()))))
    # The token is in the path: search engines keep out (and the page's meta referrer sends it nowhere).
    response.headers["X-Robots-Tag"] = "noindex, nofollow"
    return response
