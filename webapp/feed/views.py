"""Feed routes: parse the request, call the service, render a page or a partial."""
from __future__ import annotations

from flask import flash, get_template_attribute, request, send_from_directory, url_for
from flask_login import current_user
from markupsafe import Markup

from ..accounts.access import login_required, role_required
from ..core import limits
from ..core.errors import Invalid
from ..core.extensions import limiter
from ..core.forms import errors_on, form_status
from ..core.htmx import is_htmx, redirect_to, render_page
from ..core.taxonomy import CITIES
from ..core.urls import safe_next
from ..follows.queries import following_among
from . import bp, queries, service, uploads
from .cards import cards, in_feed_at
from .catalogue import BAND_SAFE, BANDS, KINDS, MAX_IMAGES, POST_ROLE_TAGS, kind_label
from .forms import PostForm
from .service import PendingPicture

bp.add_app_template_filter(kind_label, "kind_label")
bp.add_app_template_global(cards, "feed_cards")
bp.add_app_template_filter(in_feed_at, "in_feed_at")
# A page of posts asked for by "Older posts" comes alone (its trigger out of band): feed/_macros.html.
bp.add_app_template_global(is_htmx, "is_htmx")


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
    filters = service.parse_filters(args.get("kind"), args.get("city"), args.get("role"), args.get("following"))
    cursor = service.decode_cursor(args.get("before"))
    page = service.feed_page(current_user.user_id, filters, cursor)
    next_url = url_for("feed.index", before=page.next_cursor, **filters.as_args()) if page.next_cursor else None
    end_note = "That's every post" + (" that matches" if filters.as_args() else "") + "."
    context = dict(page_context(page), filters=filters, cursor=cursor, next_url=next_url, end_note=end_note,
                   kinds=KINDS, cities=CITIES, roles=POST_ROLE_TAGS, may_write=service.may_write(current_user))
    block = "feed_page" if cursor and is_htmx() else "feed_results"
    return render_page("feed/index.html", block, **context)


@bp.get("/feed/<feed_id>/media/<int:position>/reveal")
@login_required
def reveal(feed_id: str, position: int):
    """The full picture behind a blurred preview: only now, only after the opt-in check."""
    media = service.reveal(feed_id, position, current_user)
    return render_page("feed/reveal.html", "revealed", media=media, feed_id=feed_id)  # no-store, as every page


@bp.get("/feed/media/<media_id>")
@login_required
def media(media_id: str):
    row = service.media_file(media_id, current_user)
    if not row["storage_key"]:  # generated art: media_file checked that the source is nothing else
        return redirect_to(row["src"], status=302)
    response = send_from_directory(uploads.upload_dir(), row["storage_key"], mimetype=row["mime"], max_age=0)
    # Private: a shared cache must never hand a band-1 picture to someone who did not opt in.
    response.headers["Cache-Control"] = "private, no-store" if row["nsfw_band"] else "private, max-age=3600"
    response.headers["Content-Disposition"] = "inline"
    return response


# --- writing -------------------------------------------------------------------------------------


def _editor(form: PostForm, post: dict | None = None, *, pending=(), focus: str | None = None,
            preview: Markup | None = None):
    """The editor page (the form block for htmx): 422 when the form carries the service's messages.

    `pending`: the pictures already uploaded for this draft, in order; `focus`: the id of the control
    that takes the focus when the page comes back (autofocus: the button just used, or what replaced it)."""
    media = queries.media_of(post["feed_id"]) if post else []
    band = post["nsfw_band"] if post else BAND_SAFE
    for m in media:
        m["shown"] = service.preview_items(band, service.build_preview(band, [m]))
    pictures = service.pending_pictures(current_user, list(pending))
    for number, slot in enumerate(form.images, start=len(media) + len(pictures) + 1):  # after the pictures shown
        slot.file.label.text = f"Picture {number}"
        slot.alt.label.text = f"Description of picture {number} (alt text)"
    return render_page("feed/editor.html", "editor", status=form_status(form), form=form, post=post, media=media,
                       pending=pictures, focus=focus, preview=preview,
                       free_slots=max(0, MAX_IMAGES - len(media) - len(pictures)))


def _write(form: PostForm, post: dict | None = None):
    """The editor's POST, whichever button was pressed. Chosen files first become pending pictures of
    the draft, so nothing that follows (a preview, a reorder, a mistake elsewhere) can lose them."""
    pending = form.sent_pending()
    room = MAX_IMAGES - (len(queries.media_of(post["feed_id"])) if post else 0) - len(pending)
    for number, image in enumerate(form.chosen_files()):
        with errors_on(form):
            if number >= room:  # only a hand-made request: the editor offers no more slots than that
                raise Invalid(fields={"images": f"A post can have at most {MAX_IMAGES} pictures."})
            pending.append(PendingPicture(service.keep_pending(current_user, image), image.alt))
    for slot in form.images:  # their descriptions went with them; the slots come back empty
        slot.alt.data = ""
    action = form.action.data or ("save" if post else "draft")
    verb, _, picture = action.partition(":")
    if verb in ("up", "down", "remove"):
        if verb == "remove" and picture in {p.pending_id for p in pending}:
            service.discard_pending(current_user, picture)
        pending, focus = service.arrange(pending, action)
        return _editor(form, post, pending=pending, focus=focus or "pictures")
    if action in ("preview", "attach") or form.errors:  # a file we don't take: nothing saved, the rest stays
        preview = service.markdown_preview(form.body_md.data) if action == "preview" else None
        focus = "body-preview" if preview else "pictures" if action == "attach" else None
        return _editor(form, post, pending=pending, preview=preview, focus=focus)
    with errors_on(form):
        publishing = action == "publish"
        if post:
            service.update_post(current_user, post["feed_id"], form.post_input(pending), publish=publishing)
            flash("Your post is published." if publishing else "Changes saved.", "success")
        else:
            service.create_post(current_user, form.post_input(pending), publish=publishing)
            flash("Your post is published." if publishing else "Draft saved. Publish it when it's ready.", "success")
        return redirect_to(url_for("feed.mine"))
    return _editor(form, post, pending=pending)


def _rearranging_only() -> bool:
    """A preview, a reorder or a removal in the editor, with no file sent: it writes nothing, so it
    doesn't count against the posting limits (a writer arranging ten pictures would run into them)."""
    verb = (request.form.get("action") or "").partition(":")[0]
    sends_files = any(f.filename for _, f in request.files.items(multi=True))
    return verb in ("preview", "up", "down", "remove") and not sends_files


@bp.route("/feed/new", methods=["GET", "POST"])
@role_required("provider")
@limiter.limit(limits.POST_NEW, methods=["POST"], exempt_when=_rearranging_only)
def new():
    form = PostForm(data={"band": str(BAND_SAFE), "city": current_user.city or ""})
    if form.validate_on_submit():
        return _write(form)
    return _editor(form)


@bp.route("/feed/<feed_id>/edit", methods=["GET", "POST"])
@role_required("provider")
@limiter.limit(limits.POST_EDIT, methods=["POST"], exempt_when=_rearranging_only)
def edit(feed_id: str):
    post = service.own_post(feed_id, current_user)
    form = PostForm(data=PostForm.values_of(post))
    if form.validate_on_submit():
        return _write(form, post)
    return _editor(form, post)


@bp.get("/feed/pending/<pending_id>")
@role_required("provider")
def pending_media(pending_id: str):
    """A picture chosen in the editor and not yet posted: its author's eyes only."""
    row = service.pending_file(pending_id, current_user)
    response = send_from_directory(uploads.upload_dir(), row["storage_key"], mimetype=row["mime"], max_age=0)
    response.headers["Cache-Control"] = "private, no-store"
    return response


@bp.get("/feed/posts/<feed_id>")
@login_required
def post(feed_id: str):
    """A post's own page: the feed's card with the feed's band rules (a post the feed doesn't show is 404,
    but for its author's own draft)."""
    row = service.permalink(feed_id, current_user)
    return render_page("feed/post.html", **page_context(service.Page([row], None)), post=row)


@bp.get("/feed/posts/<feed_id>/delete")
@role_required("provider")
def confirm_delete(feed_id: str):
    """Without JavaScript a delete asks here first: one stray click loses nothing."""
    post = service.own_post(feed_id, current_user)
    return render_page("feed/delete.html", post=post, next=safe_next(request.args.get("next"), url_for("feed.mine")))


@bp.post("/feed/posts/<feed_id>/delete")
@role_required("provider")
def delete(feed_id: str):
    service.delete_post(current_user, feed_id)
    flash("Post deleted.", "success")
    if is_htmx():  # a card in a list asked (hx-confirm first): it leaves the list, the page stays
        return "", 200
    back = safe_next(request.form.get("next"), url_for("feed.mine"))
    return redirect_to(url_for("feed.mine") if back == url_for("feed.post", feed_id=feed_id) else back)


@bp.post("/feed/preview")
@role_required("provider")
def preview():
    """The Markdown preview in the editor (htmx): exactly what the feed will show.

    Only the editor's script posts here; a form without it previews with its own button.
    """
    if not is_htmx():
        raise Invalid("The preview belongs to the post editor: use its “Preview text” button.")
    return render_page("feed/editor.html", "preview_body", preview=service.markdown_preview(PostForm().body_md.data))


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
        # The one card, as every page draws it (the macro the pages call), with the answer in its band form.
        post_cards = get_template_attribute("feed/_macros.html", "post_cards")
        return post_cards([shown], followed_set([shown]), current_user, BANDS, band_message=message)
    flash(message, "success")
    return redirect_to(safe_next(request.form.get("next"), url_for("feed.index")))
