"""`flask directory fields-doc`: docs/fields.md from the field catalogue."""
from __future__ import annotations

import click

from ..core.config import PROJECT_ROOT
from . import bp
from .catalogue import fields_markdown


@bp.cli.command("fields-doc")
def fields_doc():
    """Write docs/fields.md from the field catalogue."""
    path = PROJECT_ROOT / "docs" / "fields.md"
    path.parent.mkdir(exist_ok=True)
    path.write_text(fields_markdown())
    click.echo(f"Wrote {path.relative_to(PROJECT_ROOT)}")
