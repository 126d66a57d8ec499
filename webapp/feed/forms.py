"""The post editor's form. It parses and draws; what a valid post is stays in service.validate,
whose Invalid messages land on these fields by name (core.forms.errors_on)."""
from __future__ import annotations

from flask import request
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import (
    FieldList,
    Form,
    FormField,
    RadioField,
    SelectChoice,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)

from ..core.forms import CITY_CHOICES, MultiCheckboxField
from ..core.taxonomy import tag_label
from .catalogue import (
    AUTHOR_BANDS,
    BAND_BLUR,
    BANDS,
    IMAGE_ACCEPT,
    IMAGE_FORMATS_TEXT,
    KINDS,
    MAX_ALT_CHARS,
    MAX_BODY_CHARS,
    MAX_IMAGE_MB,
    MAX_IMAGES,
    MAX_TITLE_CHARS,
    POST_ROLE_TAGS,
)
from .service import MAX_UPLOAD_READ, NewImage, PendingPicture, PostInput


class ImageForm(Form):
    """One picture slot (a plain Form: the editor's own CSRF token covers it)."""

    file = FileField("Picture", render_kw={"accept": IMAGE_ACCEPT})
    alt = StringField("Description (alt text)", render_kw={"maxlength": MAX_ALT_CHARS},
                      description=f"Up to {MAX_ALT_CHARS} characters.")


class PostForm(FlaskForm):
    # Room past the limit, so a pasted long title is reported (with its length), not cut off silently.
    title = StringField("Title", render_kw={"maxlength": MAX_TITLE_CHARS + 50, "required": True},
                        description=f"Up to {MAX_TITLE_CHARS} characters.")
    # Choices are not checked here: service.validate says what is wrong in the product's words.
    kind = SelectField("Kind", choices=[SelectChoice("", "Choose…"), *(SelectChoice(k, v) for k, v in KINDS.items())],
                       validate_choice=False)
    city = SelectField("City", choices=[SelectChoice("", "No city"), *CITY_CHOICES], validate_choice=False)
    role_tags = MultiCheckboxField("Roles this post concerns", validate_choice=False,
                                   choices=[SelectChoice(t, tag_label(t)) for t in POST_ROLE_TAGS])
    body_md = TextAreaField(
        "Text (Markdown)", render_kw={"rows": 10},
        description=f"**bold**, *italic*, [links](https://example.com), lists and headings. "
                    f"Up to {MAX_BODY_CHARS:,} characters. Pictures go below, not in the text.")
    images = FieldList(
        FormField(ImageForm), "Pictures", min_entries=MAX_IMAGES, max_entries=MAX_IMAGES,
        description=f"{IMAGE_FORMATS_TEXT} up to {MAX_IMAGE_MB} MB each, at most {MAX_IMAGES} per post. "
                    "We re-encode them and drop their metadata (such as location).")
    remove_media = SelectMultipleField(validate_choice=False)
    band = RadioField("Are the pictures sensitive?", choices=[SelectChoice(str(b), BANDS[b]) for b in AUTHOR_BANDS],
                      validate_choice=False)
    action = StringField()  # which of the editor's buttons was pressed: publish, draft, save or preview

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for number, slot in enumerate(self.images, start=1):
            slot.file.label.text = f"Picture {number}"
            slot.alt.label.text = f"Description of picture {number} (alt text)"

    def chosen_files(self) -> list[NewImage]:
        """The files chosen in the picture slots, read up to one byte past the limit."""
        return [NewImage(slot.file.data.read(MAX_UPLOAD_READ), slot.file.data.filename[:80], slot.alt.data or "")
                for slot in self.images if slot.file.data]

    @staticmethod
    def sent_pending() -> list[PendingPicture]:
        """The pending pictures the form carries, in its order: `pending_id` and `pending_alt` pairs
        (plain repeated names, so their order on the page is their order in the post)."""
        ids, alts = request.form.getlist("pending_id"), request.form.getlist("pending_alt")
        return [PendingPicture(pending_id[:40], alt) for pending_id, alt in zip(ids, alts, strict=False)][:MAX_IMAGES]

    def post_input(self, pending: list[PendingPicture]) -> PostInput:
        """What the service takes: the typed values and the pictures, already kept as pending ones."""
        return PostInput(title=self.title.data or "", kind=self.kind.data or "", role_tags=self.role_tags.data or [],
                         city=self.city.data or "", body_md=self.body_md.data or "", band=self.band.data or "",
                         pending=pending, remove_media=self.remove_media.data or [])

    @staticmethod
    def values_of(post: dict) -> dict:
        """An existing post as the editor shows it (an author sees at most band 1: band 2 is the growth team's)."""
        return dict(title=post["title"], kind=post["kind"], role_tags=list(post["role_tags"]), city=post["city"] or "",
                    body_md=post["body_md"] or "", band=str(min(post["nsfw_band"], BAND_BLUR)))
