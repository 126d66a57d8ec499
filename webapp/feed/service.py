"""The feed's rules: who may write, publish, reveal and re-band posts, and what a valid post is.

No Flask request objects in here; views hand over plain values.
"""
from __future__ import annotations

from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from flask import url_for

from ..core import clock, keyset
from ..core.errors import Invalid, NotFound, Refused
from ..core.extensions import db
from ..core.ids import new_id
from ..core.taxonomy import CITY_BY_SLUG
from ..core.urls import endpoint_of
from . import queries, uploads
from .catalogue import (
    AUTHOR_BANDS,
    BAND_BLOCK,
    BAND_BLUR,
    BAND_SAFE,
    BANDS,
    KINDS,
    MAX_ALT_CHARS,
    MAX_BODY_CHARS,
    MAX_IMAGE_BYTES,
    MAX_IMAGES,
    MAX_TITLE_CHARS,
    PAGE_SIZE,
    POST_ROLE_TAGS,
)
from .markdown import render_markdown

# Read one byte past the limit, so an oversized file is told apart without reading all of it.
MAX_UPLOAD_READ = MAX_IMAGE_BYTES + 1
BROKEN_CURSOR = "That page link is broken. Start again from the newest posts."
# A picture row without an upload (seed data, imports) points at the app's generated art, and
# is served only through the checked media route; any other source is never followed.
ART_ENDPOINTS = frozenset({"art.scene", "art.avatar"})
# What a band-0 preview may put in a page: the checked media route, or generated art.
SHOWN_ENDPOINTS = ART_ENDPOINTS | {"feed.media"}
# How long a picture chosen in the editor waits for its post: a draft abandoned longer than this
# loses its pending pictures, swept the next time its author chooses one.
PENDING_KEEP = timedelta(days=1)


@dataclass
class NewImage:
    data: bytes
    filename: str
    alt: str


@dataclass
class PendingPicture:
    """A picture already uploaded in the editor (feed_pending_media), with the alt text the form carries."""

    pending_id: str
    alt: str = ""


@dataclass
class PostInput:
    title: str = ""
    kind: str = ""
    role_tags: list[str] = field(default_factory=list)
    city: str = ""
    body_md: str = ""
    band: str | int = BAND_SAFE
    images: list[NewImage] = field(default_factory=list)
    remove_media: list[str] = field(default_factory=list)
    pending: list[PendingPicture] = field(default_factory=list)


# --- cursors -------------------------------------------------------------------------------------


def decode_cursor(value: str | None) -> tuple[datetime, str] | None:
    """The (created_at, feed_id) a page starts after; Invalid for a cursor we did not make."""
    return keyset.decode(value, ("fdp_",), BROKEN_CURSOR)


# --- reading --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class FeedFilters:
    kind: str | None = None
    city: str | None = None
    role: str | None = None
    following: bool = False

    def as_args(self) -> dict[str, str]:
        args = {"kind": self.kind, "city": self.city, "role": self.role, "following": "1" if self.following else None}
        return {k: v for k, v in args.items() if v}


def parse_filters(kind: str | None, city: str | None, role: str | None, following: str | None) -> FeedFilters:
    """Filters from the URL; an unknown value is a clear error rather than an empty feed."""
    kind, city, role = (kind or "").strip() or None, (city or "").strip() or None, (role or "").strip() or None
    if kind and kind not in KINDS:
        raise Invalid(fields={"kind": f"There is no post kind called “{kind[:40]}”."})
    if city and city not in CITY_BY_SLUG:
        raise Invalid(fields={"city": f"There is no city called “{city[:40]}” in the feed."})
    if role and role not in POST_ROLE_TAGS:
        raise Invalid(fields={"role": f"There is no role called “{role[:40]}”."})
    return FeedFilters(kind, city, role, following in ("1", "on", "true", "y"))


@dataclass
class Page:
    posts: list[dict]
    next_cursor: str | None


def feed_page(viewer_id: str, filters: FeedFilters, cursor: tuple[datetime, str] | None,
              *, limit: int = PAGE_SIZE) -> Page:
    rows = queries.published_posts(
        limit=limit + 1, cursor=cursor, kind=filters.kind, city=filters.city, role=filters.role,
        followed_by=viewer_id if filters.following else None, viewer_id=viewer_id,
    )
    return _page(rows, limit)


def author_page(author_id: str, cursor: tuple[datetime, str] | None, *, limit: int = PAGE_SIZE,
                viewer_id: str | None = None) -> Page:
    return _page(queries.published_posts(limit=limit + 1, cursor=cursor, author_id=author_id, viewer_id=viewer_id),
                 limit)


def _page(rows: list[dict], limit: int) -> Page:
    """Page rows as they come (the cards read the rest of a post only when not cached, feed/cards.py)."""
    rows, next_cursor = keyset.split_page(rows, limit, "feed_id")
    return Page(rows, next_cursor)


def present(row: dict) -> dict:
    """A whole post as its card draws it. Band 2 never gets here; band 1 media carry no image URL."""
    if row["nsfw_band"] >= BAND_BLOCK:
        raise AssertionError("band-2 posts are never presented")
    post = dict(row)
    post["body"] = render_markdown(row["body_md"]) if row.get("body_html") is None else _markup(row["body_html"])
    post["media"] = preview_items(row["nsfw_band"], row.get("media_preview") or [])
    post["blurred"] = row["nsfw_band"] == BAND_BLUR
    return post


def _markup(html: str):
    from markupsafe import Markup

    return Markup(html)


def preview_items(band: int, preview: list) -> list[dict]:
    """What the page may carry for each picture. For band 1: alt text and size, never a URL."""
    items = []
    for index, item in enumerate(preview if isinstance(preview, list) else []):
        if not isinstance(item, dict):
            continue
        shown = {
            "position": int(item.get("position", index)),
            "alt": str(item.get("alt") or "Picture"),
            "width": _dimension(item.get("width"), 640),
            "height": _dimension(item.get("height"), 400),
        }
        src = item.get("src")
        if band == BAND_SAFE and endpoint_of(src) in SHOWN_ENDPOINTS:
            shown["src"] = src
        elif band == BAND_SAFE:
            continue
        items.append(shown)
    return items


def _dimension(value, default: int) -> int:
    try:
        number = int(value)
    except (TypeError, ValueError):
        return default
    return number if 0 < number <= 10_000 else default


def build_preview(band: int, media: list[dict]) -> list[dict]:
    """feed_post.media_preview from the post's media: SFW previews only (no URL unless band 0)."""
    preview = []
    for m in media:
        item = {"position": m["position"], "alt": m["alt"], "width": m["width"], "height": m["height"]}
        if band == BAND_SAFE:
            item["src"] = media_url(m)
        preview.append(item)
    return preview


def media_url(m: dict) -> str:
    """Every picture's address in a page: the media route, which checks band and opt-in on each request."""
    return url_for("feed.media", media_id=m["media_id"])


# --- who may see what -----------------------------------------------------------------------------


def _check_may_see(row: dict | None, key: str, viewer, *, picture: bool = False) -> dict:
    """The one rule for posts and their pictures: published (or the viewer's own),
    never band 2; a band-1 picture only for a viewer who opted in."""
    if row is None or row["nsfw_band"] >= BAND_BLOCK:
        raise NotFound(key)
    if not row["is_published"] and row["author_id"] != viewer.user_id:
        raise NotFound(key)
    if picture and row["nsfw_band"] == BAND_BLUR and not viewer.sensitive_opt_in:
        raise Refused("Turn on “Let me reveal blurred sensitive media” in Settings to see this picture.")
    return row


def permalink(feed_id: str, viewer) -> dict:
    """A post on its own page, by the one rule for posts (published or the viewer's own draft, never
    band 2), else NotFound."""
    return _check_may_see(queries.get_post(feed_id), feed_id, viewer)


def reveal(feed_id: str, position: int, viewer) -> dict:
    """The full picture behind a blurred preview, for a viewer who opted in."""
    _check_may_see(queries.get_post(feed_id), feed_id, viewer, picture=True)
    media = queries.media_at(feed_id, position)
    if media is None:
        raise NotFound(feed_id)
    return {**media, "url": media_url(media)}


def media_file(media_id: str, viewer) -> dict:
    """An image to send (an upload) or to send the viewer on to (generated art): the same band
    and opt-in checks as reveal, for every request."""
    row = _check_may_see(queries.media_with_post(media_id), media_id, viewer, picture=True)
    if not row["storage_key"] and endpoint_of(row["src"]) not in ART_ENDPOINTS:
        raise NotFound(media_id)
    return row


# --- writing --------------------------------------------------------------------------------------


def may_write(user) -> bool:
    return user.role == "provider"


def own_post(feed_id: str, author) -> dict:
    """The author's own post (band 2 included in the lookup, but never editable: it stays hidden)."""
    post = queries.get_post(feed_id)
    if post is None or post["author_id"] != author.user_id or post["nsfw_band"] >= BAND_BLOCK:
        raise NotFound(feed_id)
    return post


def validate(data: PostInput, *, existing_media: int = 0) -> dict:
    """Clean values, or Invalid with every problem at once (keyed by the editor's field names)."""
    errors: dict[str, str] = {}
    title = (data.title or "").strip()
    if not title:
        errors["title"] = "Give the post a title."
    elif len(title) > MAX_TITLE_CHARS:
        errors["title"] = f"Keep the title to {MAX_TITLE_CHARS} characters or fewer (it has {len(title)})."
    if data.kind not in KINDS:
        errors["kind"] = "Choose what kind of post this is." if not data.kind else \
            f"“{str(data.kind)[:40]}” is not a kind of post. Choose one from the list."
    tags = list(dict.fromkeys(data.role_tags or []))
    unknown = [t for t in tags if t not in POST_ROLE_TAGS]
    if unknown:
        errors["role_tags"] = f"“{unknown[0][:40]}” is not a role posts can concern. Choose from the list."
    elif not tags:
        errors["role_tags"] = "Choose at least one role this post concerns."
    city = (data.city or "").strip() or None
    if city and city not in CITY_BY_SLUG:
        errors["city"] = "Choose a city from the list."
    body = (data.body_md or "").replace("\r\n", "\n")
    if len(body) > MAX_BODY_CHARS:
        errors["body_md"] = f"Keep the text to {MAX_BODY_CHARS:,} characters or fewer (it has {len(body):,})."
    try:
        band = int(data.band)
    except (TypeError, ValueError):
        band = -1
    if band not in AUTHOR_BANDS:
        errors["band"] = "Choose whether the pictures are safe for everyone or sensitive."
    kept = existing_media - len(data.remove_media)
    if kept + len(data.pending) + len(data.images) > MAX_IMAGES:
        errors["images"] = f"A post can have at most {MAX_IMAGES} pictures."
    for number, picture in enumerate(data.pending, start=kept + 1):
        alt = (picture.alt or "").strip()
        if not alt:
            errors["images"] = f"Describe picture {number} in a few words (alt text) for people who can't see it."
            break
        if len(alt) > MAX_ALT_CHARS:
            errors["images"] = f"Keep the description of picture {number} under {MAX_ALT_CHARS} characters."
            break
        picture.alt = alt
    stored = []
    for number, image in enumerate(data.images, start=kept + len(data.pending) + 1):
        alt = (image.alt or "").strip()
        if not alt:
            errors["images"] = f"Describe picture {number} in a few words (alt text) for people who can't see it."
            break
        if len(alt) > MAX_ALT_CHARS:
            errors["images"] = (f"Keep the description of picture {number} to {MAX_ALT_CHARS} characters or fewer "
                                f"(it has {len(alt)}).")
            break
        try:
            stored.append((uploads.reencode(image.data, image.filename or f"Picture {number}"), alt))
        except Invalid as exc:  # a file we don't take: told beside the pictures, with the other problems
            errors["images"] = str(exc)
            break
    if errors:
        raise Invalid(fields=errors)
    return dict(title=title, kind=data.kind, role_tags=tags, city=city, body_md=body, band=band, images=stored)


def create_post(author, data: PostInput, *, publish: bool = False) -> str:
    if not may_write(author):
        raise Refused("Only providers can write posts.")
    clean = validate(data)
    pending = _pending_rows(author, data.pending)
    feed_id = new_id("fdp")
    verified = queries.author_verified(author.user_id)
    with _post_transaction() as written:
        queries.insert_post(
            feed_id=feed_id, author_id=author.user_id, role_tags=clean["role_tags"], kind=clean["kind"],
            title=clean["title"], body_md=clean["body_md"], body_html=str(render_markdown(clean["body_md"])),
            nsfw_band=clean["band"], city=clean["city"], verified_chip=verified,
        )
        taken = _add_pending(author, feed_id, data.pending, pending, taken=set())
        _add_images(feed_id, clean["images"], taken=taken, written=written)
        _refresh_preview(feed_id, clean["band"])
        if publish:
            queries.publish(feed_id, verified)
    return feed_id


def update_post(author, feed_id: str, data: PostInput, *, publish: bool = False) -> dict:
    post = own_post(feed_id, author)
    media = queries.media_of(feed_id)
    data.remove_media = [m for m in data.remove_media if m in {x["media_id"] for x in media}]
    clean = validate(data, existing_media=len(media))
    pending = _pending_rows(author, data.pending)
    verified = queries.author_verified(author.user_id)
    with _post_transaction() as written:
        queries.update_post(
            feed_id=feed_id, role_tags=clean["role_tags"], kind=clean["kind"], title=clean["title"],
            body_md=clean["body_md"], body_html=str(render_markdown(clean["body_md"])), nsfw_band=clean["band"],
            city=clean["city"], verified_chip=verified,
        )
        removed = queries.delete_media(feed_id, data.remove_media)
        taken = {m["position"] for m in media if m["media_id"] not in data.remove_media}
        taken = _add_pending(author, feed_id, data.pending, pending, taken=taken)
        _add_images(feed_id, clean["images"], taken=taken, written=written)
        band = max(clean["band"], post["band_floor"])
        _refresh_preview(feed_id, band)
        if publish:
            queries.publish(feed_id, verified)
    uploads.remove(removed)  # only once the rows pointing at them are gone for good
    return queries.get_post(feed_id)


@contextmanager
def _post_transaction():
    """One commit for a post and its pictures; on any failure the rows roll back and
    every picture file already written (listed in the yielded list) is deleted."""
    written: list[str] = []
    try:
        yield written
        db.session.commit()
    except Exception:
        db.session.rollback()
        uploads.remove(written)
        raise


def _add_images(feed_id: str, images, *, taken: set[int], written: list[str]) -> None:
    free = (p for p in range(10) if p not in taken)
    for image, alt in images:
        media_id = new_id("fdm")
        key = f"{media_id}.webp"
        queries.insert_media(media_id=media_id, feed_id=feed_id, position=next(free), storage_key=key, src=None,
                             mime=image.mime, width=image.width, height=image.height, size=len(image.data), alt=alt)
        written.append(key)  # before the write: a failure half-way still cleans this file up
        uploads.save(key, image)


def _pending_rows(author, pictures: list[PendingPicture]) -> dict[str, dict]:
    """The author's pending pictures the form names; Invalid if one is gone (swept, or posted in another tab)."""
    rows = queries.pending_of(author.user_id, [p.pending_id for p in pictures])
    if len(rows) < len({p.pending_id for p in pictures}):
        raise Invalid(fields={"images": "A picture you chose is no longer waiting for this post: choose it again."})
    return rows


def _add_pending(author, feed_id: str, pictures: list[PendingPicture], rows: dict[str, dict], *,
                 taken: set[int]) -> set[int]:
    """The pending pictures become the post's, in the form's order: same file, now a feed_media row."""
    free = (p for p in range(10) if p not in taken)
    taken = set(taken)
    for picture in pictures:
        row = rows[picture.pending_id]
        position = next(free)
        queries.insert_media(media_id=new_id("fdm"), feed_id=feed_id, position=position,
                             storage_key=row["storage_key"], src=None, mime=row["mime"], width=row["width"],
                             height=row["height"], size=row["bytes"], alt=picture.alt)
        taken.add(position)
    queries.delete_pending(author.user_id, list(rows))
    return taken


def _refresh_preview(feed_id: str, band: int) -> None:
    queries.set_media_preview(feed_id, build_preview(band, queries.media_of(feed_id)))


def publish(author, feed_id: str) -> None:
    post = own_post(feed_id, author)
    if not post["title"].strip():
        raise Invalid("Give the post a title before publishing.")
    queries.publish(feed_id, queries.author_verified(author.user_id))
    db.session.commit()


def delete_post(author, feed_id: str) -> None:
    """The author deletes their post for good, with its pictures (someone else's post is NotFound)."""
    own_post(feed_id, author)
    removed = queries.delete_post(feed_id)
    db.session.commit()
    uploads.remove(removed)  # only once the rows pointing at them are gone for good


def unpublish(author, feed_id: str) -> None:
    own_post(feed_id, author)
    queries.unpublish(feed_id)
    db.session.commit()


def set_band(actor, feed_id: str, band) -> None:
    """The growth team's call on a post's band; it also becomes the floor its author can't go below."""
    if actor.role != "growth":
        raise Refused("Only the growth team can change a post's band.")
    try:
        band = int(band)
    except (TypeError, ValueError):
        band = -1
    if band not in BANDS:
        raise Invalid("Choose band 0, 1 or 2.")
    post = queries.get_post(feed_id)
    if post is None:
        raise NotFound(feed_id)
    _adopt_preview_sources(post)
    queries.set_band(feed_id, band)
    _refresh_preview(feed_id, band)
    db.session.commit()


def _adopt_preview_sources(post: dict) -> None:
    """Posts written straight into media_preview (demo data, imports) keep their pictures
    server-side before a re-band strips the URLs from the preview."""
    if queries.media_of(post["feed_id"]):
        return
    for index, item in enumerate(post.get("media_preview") or []):
        src = item.get("src") if isinstance(item, dict) else None
        if endpoint_of(src) not in ART_ENDPOINTS or index > 9:
            continue
        queries.insert_media(
            media_id=new_id("fdm"), feed_id=post["feed_id"], position=index, storage_key=None, src=src,
            mime="image/svg+xml" if ".svg" in src else "image/*", width=_dimension(item.get("width"), 640),
            height=_dimension(item.get("height"), 400), size=0, alt=str(item.get("alt") or "Picture")[:300],
        )


def markdown_preview(body_md: str) -> str:
    return render_markdown((body_md or "")[:MAX_BODY_CHARS])


# --- pictures chosen in the editor, waiting for their post (migration 114) -----------------------


def keep_pending(author, image: NewImage) -> str:
    """Re-encode and store a chosen picture at once, as a pending picture of the author's draft, so
    that no round trip of the form (a preview, a reorder, a mistake elsewhere) can lose it.
    Invalid for a file we don't take. Also sweeps the author's pictures of long-abandoned drafts."""
    if not may_write(author):
        raise Refused("Only providers can write posts.")
    try:
        stored = uploads.reencode(image.data, image.filename or "The picture")
    except Invalid as exc:  # a file we don't take is told beside the pictures, as validate tells it
        raise Invalid(fields={"images": str(exc)}) from None
    pending_id = new_id("fdu")
    key = f"{pending_id}.webp"
    with _post_transaction() as written:
        stale = queries.delete_stale_pending(author.user_id, clock.now() - PENDING_KEEP)
        queries.insert_pending(pending_id=pending_id, user_id=author.user_id, storage_key=key, mime=stored.mime,
                               width=stored.width, height=stored.height, size=len(stored.data))
        written.append(key)
        uploads.save(key, stored)
    uploads.remove(stale)
    return pending_id


def pending_pictures(author, pictures: list[PendingPicture]) -> list[dict]:
    """The editor's pending pictures as it draws them, in the form's order; ids not the author's are dropped."""
    rows = queries.pending_of(author.user_id, [p.pending_id for p in pictures])
    shown, seen = [], set()
    for picture in pictures:
        row = rows.get(picture.pending_id)
        if row and picture.pending_id not in seen:
            seen.add(picture.pending_id)
            shown.append({**row, "alt": picture.alt, "url": url_for("feed.pending_media",
                                                                      pending_id=picture.pending_id)})
    return shown


def pending_file(pending_id: str, viewer) -> dict:
    """A pending picture's file, for its author only."""
    row = queries.pending_of(viewer.user_id, [pending_id]).get(pending_id)
    if row is None:
        raise NotFound(pending_id)
    return row


def arrange(pictures: list[PendingPicture], action: str) -> tuple[list[PendingPicture], str | None]:
    """The pending pictures after a "move up", "move down" or "remove" button (`up:<id>`, …), and
    which control keeps the focus: the same one, the picture's other move button once it reaches an
    end, or after a removal the next (else the previous) picture's remove button."""
    verb, _, pending_id = action.partition(":")
    ids = [p.pending_id for p in pictures]
    if verb not in ("up", "down", "remove") or pending_id not in ids:
        return pictures, None
    pictures, index = list(pictures), ids.index(pending_id)
    if verb == "remove":
        pictures.pop(index)
        if not pictures:
            return pictures, None
        return pictures, f"remove-{pictures[min(index, len(pictures) - 1)].pending_id}"
    target = index - 1 if verb == "up" else index + 1
    if 0 <= target < len(pictures):
        pictures[index], pictures[target] = pictures[target], pictures[index]
        index = target
    at_end = index == 0 if verb == "up" else index == len(pictures) - 1
    other = "down" if verb == "up" else "up"
    return pictures, f"move-{other if at_end and len(pictures) > 1 else verb}-{pending_id}"


def discard_pending(author, pending_id: str) -> None:
    """A pending picture removed from the draft: its row and file go now."""
    removed = queries.delete_pending(author.user_id, [pending_id])
    db.session.commit()
    uploads.remove(removed)
