"""The relying party: derived from the accounts app's origin, and refused when inconsistent."""

from __future__ import annotations

from pathlib import Path

import pytest
from pydantic import ValidationError

from photo_api.config import Settings


def settings(tmp_path: Path, **values: object) -> Settings:
    return Settings(data_dir=tmp_path, **values)


def test_defaults_follow_the_accounts_origin(tmp_path: Path) -> None:
    default = settings(tmp_path)
    assert default.resolved_webauthn_rp_id == "accounts.ente.com"
    assert default.resolved_webauthn_rp_origins == ["https://accounts.ente.com"]
    own = settings(tmp_path, accounts_origin="https://Accounts.Example.org:8443/")
    assert own.accounts_url == "https://Accounts.Example.org:8443"
    assert own.resolved_webauthn_rp_id == "accounts.example.org"
    assert own.resolved_webauthn_rp_origins == ["https://accounts.example.org:8443"]


def test_a_parent_domain_covers_several_origins(tmp_path: Path) -> None:
    both = settings(
        tmp_path,
        webauthn_rp_id="example.org",
        webauthn_rp_origins=["https://accounts.example.org", "http://photos.example.org:3001/"],
    )
    assert both.resolved_webauthn_rp_origins == [
        "https://accounts.example.org",
        "http://photos.example.org:3001",
    ]


@pytest.mark.parametrize(
    "values",
    [
        {"webauthn_rp_id": "example.org", "accounts_origin": "https://accounts.example.com"},
        {"webauthn_rp_id": "ample.org", "accounts_origin": "https://example.org"},
        {"webauthn_rp_origins": ["https://accounts.ente.com/passkeys"]},
        {"webauthn_rp_origins": ["accounts.ente.com"]},
        {"accounts_origin": "ftp://accounts.example.org"},
    ],
)
def test_inconsistent_settings_are_refused(tmp_path: Path, values: dict[str, object]) -> None:
    with pytest.raises(ValidationError):
        settings(tmp_path, **values)
