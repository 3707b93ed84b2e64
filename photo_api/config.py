"""Settings: environment (PHOTO_API_*) over an optional YAML file over defaults.

This is the only module that reads the environment. Everything else is handed a Settings.
"""

from __future__ import annotations

import base64
import json
import os
import secrets
from pathlib import Path
from typing import Annotated, Any, Literal
from urllib.parse import urlsplit

from pydantic import BaseModel, Field, SecretStr, field_validator, model_validator
from pydantic_settings import (
    BaseSettings,
    PydanticBaseSettingsSource,
    SettingsConfigDict,
    YamlConfigSettingsSource,
)

from photo_api.clock import MICROS_PER_SECOND

GiB = 1024**3
CONFIG_ENV = "PHOTO_API_CONFIG"


class LocalBackend(BaseModel):
    """A directory on this machine; the server itself answers the signed URLs."""

    type: Literal["local"] = "local"
    # Defaults to <data_dir>/objects.
    path: Path | None = None


class S3Backend(BaseModel):
    """Any S3-compatible service."""

    type: Literal["s3"] = "s3"
    bucket: str
    region: str = "us-east-1"
    endpoint_url: str | None = None
    # What clients are given in presigned URLs when they reach the service by another address.
    public_endpoint_url: str | None = None
    access_key: str | None = None
    secret_key: SecretStr | None = None
    path_style: bool = False


Backend = Annotated[LocalBackend | S3Backend, Field(discriminator="type")]


def _default_backends() -> dict[str, LocalBackend | S3Backend]:
    return {"local": LocalBackend()}


class StorageSettings(BaseModel):
    hot: str = "local"
    backends: dict[str, Backend] = Field(default_factory=_default_backends)
    # Signed URLs handed to clients stay valid this long (museum: 7 days).
    url_ttl_seconds: int = Field(default=7 * 24 * 3600, gt=0)
    # An upload URL's object not committed by then is abandoned: removed, multipart aborted.
    abandoned_upload_seconds: int = Field(default=14 * 24 * 3600, gt=0)

    @model_validator(mode="after")
    def _hot_exists(self) -> StorageSettings:
        if self.hot not in self.backends:
            raise ValueError(f"storage.hot names {self.hot!r}, which is not in storage.backends")
        return self

    @model_validator(mode="after")
    def _uploads_outlive_their_urls(self) -> StorageSettings:
        # A client may still be uploading with a URL until it expires, then commit.
        if self.abandoned_upload_seconds <= self.url_ttl_seconds:
            raise ValueError("storage.abandoned_upload_seconds must exceed url_ttl_seconds")
        return self


class ReplicationSettings(BaseModel):
    """Copying every object to the replicas, and re-reading the copies now and then."""

    # How often the replication job looks for objects to copy.
    interval_seconds: float = Field(default=60, gt=0)
    # A process holds the copies it works on this long; a crashed one's are retried after.
    lease_seconds: int = Field(default=600, gt=0)
    # A failed copy is retried after 30 s, doubling per failure up to this.
    max_backoff_seconds: int = Field(default=3600, gt=0)
    # How often the verify job re-reads copies not verified for this long.
    verify_interval_seconds: float = Field(default=6 * 3600, gt=0)


class SmtpSettings(BaseModel):
    host: str | None = None
    port: int = 587
    username: str | None = None
    password: SecretStr | None = None
    sender: str = "Photo API <verify@localhost>"
    # "tls": implicit TLS; "starttls": upgrade when offered; "none": plain (tests, local relays).
    encryption: Literal["tls", "starttls", "none"] = "starttls"


SecretName = Literal["jwt_secret", "url_signing_key", "hash_key", "encryption_key"]
SECRET_SIZES: dict[SecretName, int] = {
    "jwt_secret": 32,
    "url_signing_key": 32,
    "hash_key": 64,
    "encryption_key": 32,
}


class Secrets(BaseModel):
    """Server keys; generated once into the data directory unless given."""

    jwt_secret: SecretStr
    url_signing_key: SecretStr
    hash_key: SecretStr
    # Seals server-held secrets at rest (e.g. TOTP secrets).
    encryption_key: SecretStr

    def raw(self, name: SecretName) -> bytes:
        return base64.urlsafe_b64decode(getattr(self, name).get_secret_value())


class Settings(BaseSettings):
    model_config = SettingsConfigDict(
        env_prefix="PHOTO_API_",
        env_nested_delimiter="__",
        extra="forbid",
    )

    host: str = "127.0.0.1"
    port: int = 8080
    # Base URL clients use to reach this server; local-storage URLs are built on it.
    public_url: str | None = None
    data_dir: Path = Path("./data")
    database_url: str | None = None
    storage: StorageSettings = Field(default_factory=StorageSettings)
    replication: ReplicationSettings = Field(default_factory=ReplicationSettings)
    secrets: Secrets | None = None

    log_level: str = "INFO"
    log_format: Literal["console", "json"] = "console"
    build_id: str = "dev"
    # Bodies of API requests larger than this get 413 (uploads go to storage URLs instead).
    max_body_bytes: int = Field(default=16 * 1024 * 1024, gt=0)

    smtp: SmtpSettings = Field(default_factory=SmtpSettings)
    # "email,code" pairs that always receive that login code (museum's hardcoded OTT).
    hardcoded_otts: list[str] = Field(default_factory=list)
    disable_registration: bool = False
    # Server-side password login (POST /users/login); off unless enabled.
    password_login: bool = False
    # User ids with admin rights; empty means the first registered user, as museum does.
    admins: list[int] = Field(default_factory=list)
    default_quota_bytes: int = Field(default=10 * GiB, ge=0)

    albums_origin: str = "https://albums.ente.com"
    family_origin: str = "https://family.ente.io"
    # The accounts web app, the only place where passkeys are registered and used: clients
    # open it (as `accountsUrl`) for passkey settings and for the passkey step of a log-in.
    accounts_origin: str = "https://accounts.ente.com"
    # The memories viewer (web/apps/memories): memory links are <memories_origin>/<TOKEN>,
    # and the viewer reads the token from a one-segment path, so this must be a bare origin.
    memories_origin: str = "https://memories.ente.com"
    # Where the "Play on TV" receiver is served; senders tell the user to open it on the TV.
    cast_origin: str = "https://cast.ente.com"
    # WebAuthn relying party id: the domain passkeys are bound to, the host name of every
    # origin below or a parent domain of it. Unset: accounts_origin's host name. Changing it
    # later strands the passkeys registered under the old one.
    webauthn_rp_id: str | None = None
    # Origins a browser may report during a passkey ceremony. Unset: [accounts_origin].
    webauthn_rp_origins: list[str] = Field(default_factory=list)

    trash_retention_days: int = Field(default=30, gt=0)
    # Objects of permanently deleted files are removed from storage after this delay.
    object_deletion_delay_seconds: int = Field(default=45 * 24 * 3600, ge=0)
    jobs_enabled: bool = True
    metrics_port: int | None = None

    # Server processes sharing the port (`serve --workers`); they share database and secrets.
    workers: int = Field(default=1, ge=1, le=64)
    # Request transactions at a time in each process; a request waits up to
    # overload_wait_seconds for one, then gets 503 with Retry-After. Each process opens up to
    # about twice this many database connections.
    db_connections: int = Field(default=8, ge=1, le=256)
    overload_wait_seconds: float = Field(default=10, gt=0, le=300)

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        sources: list[PydanticBaseSettingsSource] = [init_settings, env_settings]
        if settings_cls.model_config.get("yaml_file"):
            sources.append(YamlConfigSettingsSource(settings_cls))
        return tuple(sources)

    @field_validator("hardcoded_otts")
    @classmethod
    def _otts_well_formed(cls, value: list[str]) -> list[str]:
        for entry in value:
            email, _, code = entry.partition(",")
            if not email.strip() or not code.strip().isdigit():
                raise ValueError(f"hardcoded_otts entry {entry!r} is not 'email,digits'")
        return value

    @field_validator("memories_origin")
    @classmethod
    def _bare_origin(cls, value: str) -> str:
        value = value.rstrip("/")
        parts = urlsplit(value)
        if parts.scheme not in ("http", "https") or not parts.netloc:
            raise ValueError(f"memories_origin {value!r} is not an http(s) origin")
        if parts.path or parts.query or parts.fragment:
            raise ValueError(f"memories_origin {value!r} must have no path, query or fragment")
        return value

    @model_validator(mode="after")
    def _passkeys_bound_to_their_origins(self) -> Settings:
        for origin in self.webauthn_rp_origins:
            if urlsplit(origin.rstrip("/")).path:
                raise ValueError(f"webauthn_rp_origins: {origin!r} has a path; give the origin")
        # Browsers refuse a ceremony whose RP id is not the page's host or a parent of it.
        rp_id = self.resolved_webauthn_rp_id
        for origin in self.resolved_webauthn_rp_origins:
            host = _host(origin)
            if host != rp_id and not host.endswith("." + rp_id):
                raise ValueError(f"webauthn_rp_id {rp_id!r} does not cover the origin {origin}")
        return self

    @property
    def accounts_url(self) -> str:
        return self.accounts_origin.rstrip("/")

    @property
    def resolved_webauthn_rp_origins(self) -> list[str]:
        given = self.webauthn_rp_origins or [self.accounts_origin]
        return [_origin(url) for url in given]

    @property
    def resolved_webauthn_rp_id(self) -> str:
        return (self.webauthn_rp_id or _host(self.accounts_origin)).lower()

    @property
    def resolved_database_url(self) -> str:
        if self.database_url:
            url = self.database_url
            # Accept libpq-style URLs; we drive PostgreSQL through psycopg 3.
            if url.startswith(("postgres://", "postgresql://")):
                url = "postgresql+psycopg://" + url.split("://", 1)[1]
            return url
        return f"sqlite:///{(self.data_dir / 'photo-api.db').resolve()}"

    @property
    def object_deletion_delay_us(self) -> int:
        return self.object_deletion_delay_seconds * MICROS_PER_SECOND

    @property
    def base_url(self) -> str:
        return (self.public_url or f"http://{self.host}:{self.port}").rstrip("/")

    @property
    def hardcoded_ott_map(self) -> dict[str, str]:
        pairs = (entry.split(",", 1) for entry in self.hardcoded_otts)
        return {email.strip().lower(): code.strip() for email, code in pairs}

    @property
    def keys(self) -> Secrets:
        if self.secrets is None:
            raise RuntimeError("secrets not resolved: call load_settings()")
        return self.secrets


def _host(url: str) -> str:
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ValueError(f"{url!r} is not an http(s) URL")
    return parts.hostname


def _origin(url: str) -> str:
    """scheme://host[:port] of a URL, as a browser reports it in a WebAuthn ceremony."""
    parts = urlsplit(url)
    _host(url)
    return f"{parts.scheme}://{parts.netloc}".lower()


def _generated_secrets(path: Path) -> Secrets:
    """Read the data directory's secrets file, creating it (mode 0600) on first start."""
    if path.exists():
        return Secrets.model_validate(json.loads(path.read_text()))
    path.parent.mkdir(parents=True, exist_ok=True)
    fresh = {
        name: base64.urlsafe_b64encode(secrets.token_bytes(size)).decode()
        for name, size in SECRET_SIZES.items()
    }
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w") as handle:
        json.dump(fresh, handle)
    return Secrets.model_validate(fresh)


def load_settings(config_file: str | Path | None = None, **overrides: Any) -> Settings:
    """Build Settings and make sure the server keys exist."""
    config_file = config_file or os.environ.get(CONFIG_ENV)
    settings_cls: type[Settings] = Settings
    if config_file:
        if not Path(config_file).is_file():
            raise FileNotFoundError(f"config file {config_file} does not exist")
        settings_cls = type(
            "Settings",
            (Settings,),
            {"model_config": {**Settings.model_config, "yaml_file": config_file}},
        )
    settings = settings_cls(**overrides)
    if settings.secrets is None:
        settings.secrets = _generated_secrets(settings.data_dir / "secrets.json")
    return settings
