import pytest


@pytest.fixture
def upload_dir(app, tmp_path, monkeypatch):
    """Uploads of this test go to a folder of its own, for tests that look at the files."""
    folder = tmp_path / "uploads"
    monkeypatch.setitem(app.config, "UPLOAD_DIR", str(folder))
    return folder
