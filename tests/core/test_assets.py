"""Static files' hashed copies (core/assets.py): a new name for new content, the old copy kept."""
from __future__ import annotations

import brotli

from webapp.core import assets


def test_an_edited_file_gets_a_new_name_and_the_old_copy_stays(tmp_path):
    source, target = tmp_path / "static", tmp_path / "build"
    (source / "css").mkdir(parents=True)
    target.mkdir()
    (source / "css" / "app.css").write_text("body { color: black; }\n" * 40)
    before = assets.build(source, target)["css/app.css"]
    (source / "css" / "app.css").write_text("body { color: navy; }\n" * 40)
    after = assets.build(source, target)["css/app.css"]

    assert before != after and before.startswith("css/app.") and before.endswith(".css")
    assert (target / before).read_text().startswith("body { color: black; }")
    assert brotli.decompress((target / f"{after}.br").read_bytes()).startswith(b"body { color: navy; }")
