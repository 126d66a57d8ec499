"""docs/fields.md is generated from the catalogue and kept in step with it."""
from webapp.core.config import PROJECT_ROOT
from webapp.directory.catalogue import SCOPES, fields_markdown


def test_the_fields_page_matches_the_catalogue():
    assert (PROJECT_ROOT / "docs" / "fields.md").read_text() == fields_markdown(), (
        "run: flask --app wsgi directory fields-doc")


def test_every_field_is_documented_with_its_operators():
    doc = fields_markdown()
    for scope in SCOPES.values():
        for f in scope.fields:
            assert f"| `{f.name}` | {f.label} | " + ", ".join(f"`{op}`" for op in f.ops) in doc


def test_the_cli_writes_the_page(runner):
    result = runner.invoke(args=["directory", "fields-doc"])
    assert result.exit_code == 0 and "docs/fields.md" in result.output
