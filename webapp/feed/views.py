"""Feed routes: parse the request, call the service, render a page or a partial."""
from __future__ import annotations

from flask import flash, make_response, render_template, request, send_from_directory, url_for
from flask_login import current_user, login_required
from markupsafe import Markup

from ..accounts.access import role_required
from ..core.errors import user_error
from ..core.extensions import limiter
from ..follows.queries import following_among
from ..core.htmx import is_htmx, redirect_to, render_page
from ..core.taxonomy import CITIES
from ..core.urls import safe_next
from . import bp, queries, service, uploads
from .cards import card_parts
from .catalogue import AUTHOR_BANDS, kind_label, BANDS, KINDS, MAX_BODY_CHARS, MAX_IMAGES, MAX_TITLE_CHARS, POST_ROLE_TAGS

bp.add_app_template_filter(kind_label, "kind_label")
bp.add_app_template_global(card_parts, "feed_card_parts")

BROKEN_CURSOR = "That page link is broken. Start again from the newest posts."


def followed_set(posts: list[dict]) -> set[tuple[str, str]]:
    """(kind, id) of the post authors the viewer follows: one query per target kind for a whole page.

    Posts from the feed query already say it (`viewer_follows`): those cost nothing here.
    """
    followed = {(p["follow_kind"], p["follow_id"]) for p in posts if p.get("viewer_follows")}
    unknown = [p for p in posts if p.get("viewer_follows") is None]
    for kind in ("service_profile", "fansub_creator"):
        ids = list({p["follow_id"] for p in unknown if p["follow_kind"] == kind})
        followed |= {(kind, i) for i in following_among(current_user.user_id, kind, ids)}
    return followed


def page_context(page: service.Page) -> dict:
    # The user itself, not the current_user proxy: the cards ask it a few questions each.
    return dict(posts=page.posts, followed=followed_set(page.posts), band_labels=BANDS,
                viewer=current_user._get_current_object())


@bp.get("/feed")
@login_required
def index():
    args = request.args
    try:
        filters = service.parse_filters(args.get("kind"), args.get("city"), args.get("role"), args.get("following"))
    except service.PostError as exc:
        raise user_error(400, str(exc)) from exc
    try:
        cursor = service.decode_cursor(args.get("before"))
    except ValueError as exc:
        raise user_error(400, BROKEN_CURSOR) from exc
    page = service.feed_page(current_user.user_id, filters, cursor)
    next_url = url_for("feed.index", before=page.next_cursor, **filters.as_args()) if page.next_cursor else None
    context = dict(page_context(page), filters=filters, cursor=cursor, next_url=next_url, kinds=KINDS,
                   cities=CITIES, roles=POST_ROLE_TAGS, may_write=service.may_write(current_user))
    block = "feed_page" if cursor and is_htmx() else "feed_results"
    return render_page("feed/index.html", block, **context)


@bp.get("/feed/<feed_id>/media/<int:position>/reveal")
@login_required
def reveal(feed_id: str, position: int):
    """The full picture behind a blurred preview: only now, only after the opt-in check."""
    media = service.reveal(feed_id, position, current_user)
    response = make_response(render_page("feed/reveal.html", "revealed", media=media, feed_id=feed_id))
    response.headers["Cache-Control"] = "private, no-store"
    return response


@bp.get("/feed/media/<media_id>")
@login_required
def media(media_id: str):
    row = service.media_file(media_id, current_user)
    if not row["storage_key"]:
        return redirect_to(row["src"], status=302)
    response = send_from_directory(uploads.upload_dir(), row["storage_key"], mimetype=row["mime"], max_age=0)
    # Private: a shared cache must never hand a band-1 picture to someone who did not opt in.
    response.headers["Cache-Control"] = "private, no-store" if row["nsfw_band"] else "private, max-age=3600"
    response.headers["Content-Disposition"] = "inline"
    return response


# --- writing -------------------------------------------------------------------------------------


def _form_input() -> service.PostInput:
    form, files = request.form, request.files
    images = []
    for n in range(1, MAX_IMAGES + 1):
        upload = files.get(f"image_{n}")
        if upload and upload.filename:
            images.append(service.NewImage(upload.read(service.MAX_UPLOAD_READ), upload.filename[:80],
                                           form.get(f"alt_{n}", "")))
    return service.PostInput(
        title=form.get("title", ""), kind=form.get("kind", ""), role_tags=form.getlist("role_tags"),
        city=form.get("city", ""), body_md=form.get("body_md", ""), band=form.get("band", ""),
        images=images, remove_media=form.getlist("remove_media"),
    )


def _editor(post: dict | None, data: service.PostInput | None = None, errors: dict | None = None,
            status: int = 200, preview: Markup | None = None):
    if data is None and post is not None:
        data = service.PostInput(title=post["title"], kind=post["kind"], role_tags=list(post["role_tags"]),
                                 city=post["city"] or "", body_md=post["body_md"] or "",
                                 band=min(post["nsfw_band"], 1))
    data = data or service.PostInput(band=0, city=current_user.city or "")
    media = queries.media_of(post["feed_id"]) if post else []
    band = post["nsfw_band"] if post else 0
    for m in media:
        m["shown"] = service.preview_items(band, service.build_preview(band, [m]))
    return render_page(
        "feed/editor.html", "editor", status=status, post=post, data=data, errors=errors or {}, media=media,
        preview=preview, kinds=KINDS, cities=CITIES, roles=POST_ROLE_TAGS, author_bands=AUTHOR_BANDS, bands=BANDS,
        max_title=MAX_TITLE_CHARS, max_body=MAX_BODY_CHARS, free_slots=max(0, MAX_IMAGES - len(media)),
    )


@bp.route("/feed/new", methods=["GET", "POST"])
@role_required("provider")
@limiter.limit("60 per hour", methods=["POST"])
def new():
    if request.method == "GET":
        return _editor(None)
    action = request.form.get("action", "draft")
    data = _form_input()
    if action == "preview":
        return _editor(None, data, preview=service.markdown_preview(data.body_md))
    try:
        service.create_post(current_user, data, publish=action == "publish")
    except service.PostError as exc:
        data.images = []
        return _editor(None, data, exc.errors, status=422)
    flash("Your post is published." if action == "publish" else "Draft saved. Publish it when it's ready.",
          "success")
    return redirect_to(url_for("feed.mine"))


@bp.route("/feed/<feed_id>/edit", methods=["GET", "POST"])
@role_required("provider")
@limiter.limit("120 per hour", methods=["POST"])
def edit(feed_id: str):
    post = service.own_post(feed_id, current_user)
    if request.method == "GET":
        return _editor(post)
    action = request.form.get("action", "save")
    data = _form_input()
    if action == "preview":
        return _editor(post, data, preview=service.markdown_preview(data.body_md))
    try:
        service.update_post(current_user, feed_id, data, publish=action == "publish")
    except service.PostError as exc:
        data.images = []
        return _editor(post, data, exc.errors, status=422)
    flash("Your post is published." if action == "publish" else "Changes saved.", "success")
    return redirect_to(url_for("feed.mine"))


@bp.post("/feed/preview")
@role_required("provider")
def preview():
    """The Markdown preview in the editor (htmx): exactly what the feed will show."""
    return render_page("feed/editor.html", "preview_body", preview=service.markdown_preview(
        request.form.get("body_md", "")))


@bp.get("/feed/mine")
@role_required("provider")
def mine():
    posts = [service.present(p) for p in queries.own_posts(current_user.user_id)]
    return render_page("feed/mine.html", posts=posts, hidden=queries.count_blocked_posts(current_user.user_id),
                       kinds=KINDS)


@bp.post("/feed/<feed_id>/publish")
@role_required("provider")
def publish(feed_id: str):
    service.publish(current_user, feed_id)
    flash("Your post is published.", "success")
    return redirect_to(url_for("feed.mine"))


@bp.post("/feed/<feed_id>/unpublish")
@role_required("provider")
def unpublish(feed_id: str):
    service.unpublish(current_user, feed_id)
    flash("Your post is unpublished: only you can see it now.", "success")
    return redirect_to(url_for("feed.mine"))


@bp.post("/feed/<feed_id>/band")
@role_required("growth")
def set_band(feed_id: str):
    service.set_band(current_user, feed_id, request.form.get("band"))
    band = int(request.form["band"])
    message = f"Band set to {band}: {BANDS[band].split(':')[0].lower()}."
    if is_htmx():
        post = queries.get_post(feed_id)
        if band >= 2 or not post["is_published"]:
            body = f'<p class="message message--success post-removed" role="status">{Markup.escape(message)} ' \
                   'The post is hidden from everyone.</p>'
            return body, 200
        shown = service.present(post)
        return render_template("feed/_post.html", post=shown, followed=followed_set([shown]), band_labels=BANDS,
                               band_message=message)
    flash(message, "success")
    return redirect_to(safe_next(request.form.get("next"), url_for("feed.index")))
