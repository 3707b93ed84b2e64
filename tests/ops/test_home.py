"""What a new operator sees: GET / in a browser, /healthz with the mail server, the banner."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

from photo_api.config import load_settings
from photo_api.db.session import Database
from photo_api.ops import welcome
from photo_api.storage.registry import build_stores
from tests.fixtures.app_server import RunningServer, start_server
from tests.fixtures.net import free_port


def test_home_page_is_html(server: RunningServer) -> None:
    response = server.client.get("/", headers={"Accept": "text/html"})
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")
    page = response.text
    assert page.startswith("<!doctype html>")
    assert f"<code>{server.url}</code>" in page and "Developer settings" in page
    assert "Sign-up codes: sent by email through 127.0.0.1:" in page
    assert "<tr><td>database</td><td class=ok>ok</td></tr>" in page
    assert "<tr><td>storage local</td><td class=ok>ok</td></tr>" in page
    # Public: neither paths nor the database URL.
    assert str(server.settings.data_dir) not in page and "sqlite" not in page


def test_mail_server_down_is_reported_not_fatal(tmp_path: Path) -> None:
    smtp = SimpleNamespace(
        settings={"host": "127.0.0.1", "port": free_port(), "encryption": "none"}
    )
    server = start_server(
        database_url=f"sqlite:///{tmp_path / 'photo-api.db'}", data_dir=tmp_path, s3=None, smtp=smtp
    )
    try:
        health = server.client.get("/healthz")
        assert health.status_code == 200
        assert health.json() == {
            "status": "degraded",
            "services": {"database": "ok", "storage": {"local": "ok"}, "smtp": "error"},
        }
        assert (
            "<tr><td>mail server</td><td class=error>error</td></tr>" in server.client.get("/").text
        )
    finally:
        server.stop()


def test_banner_says_how_to_connect(tmp_path: Path) -> None:
    from photo_api.db import migrate
    from photo_api.db.engine import make_engine

    settings = load_settings(data_dir=tmp_path, port=9123)
    engine = make_engine(settings.resolved_database_url)
    migrate.upgrade(engine)
    db = Database(engine)
    try:
        facts = welcome.facts(settings, db, build_stores(settings))
        text = welcome.banner(facts, warnings=["something to know"])
    finally:
        db.dispose()
    lines = text.splitlines()
    assert lines[0] == "Photo API 0.1.0 is serving at http://127.0.0.1:9123"
    assert "enter http://127.0.0.1:9123 as the server endpoint" in text
    assert "written to this log as 'Verification code for EMAIL: CODE'" in text
    assert "Admin: none yet: the first account to sign up becomes the admin." in text
    assert f"Storage local (uploads go here): {tmp_path / 'objects'}" in text
    assert "only this machine can connect" in text
    assert lines[-1] == "  Warning: something to know"
