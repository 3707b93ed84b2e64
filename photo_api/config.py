"""Settings: environment (PHOTO_API_*) over an optional YAML file over defaults.

This is the only module that reads the environment. Everything else is handed a Settings.
Settings are strict: a name unknown at any level, in the file or in a PHOTO_API_ variable,
is refused, and every problem is one line naming the setting and where its value came from
(see photo_api.config_sources).
"""

from __future__ import annotations

import base64
import binascii
import ipaddress
import json
import os
import secrets
from collections.abc import Mapping
from pathlib import Path
from typing import Annotated, Any, Literal
from urllib.parse import urlsplit

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    SecretStr,
    ValidationError,
    ValidationInfo,
    field_validator,
)

from photo_api.clock import MICROS_PER_SECOND
from photo_api.config_sources import ConfigError, describe, merge, read_variables, read_yaml

GiB = 1024**3
ENV_PREFIX = "PHOTO_API_"
CONFIG_ENV = "PHOTO_API_CONFIG"
# Variables of ours that are not settings: the config file's path, and the test suite's own.
NOT_SETTINGS = (CONFIG_ENV, "PHOTO_API_TEST_")
SECRETS_FILE = "secrets.json"
DATABASE_SCHEMES = ("sqlite", "postgres", "postgresql", "postgresql+psycopg")
LOG_LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL")
__all__ = ["ConfigError", "Settings", "ensure_secrets", "load_settings", "read_settings"]


class Strict(BaseModel):
    """Refuses names it does not know: a mistyped setting must not pass as a default."""

    model_config = ConfigDict(extra="forbid")


def comma_list(value: Any) -> Any:
    """A list may also be given as text: a JSON array, or comma-separated values."""
    if not isinstance(value, str):
        return value
    if value.lstrip().startswith("["):
        return json.loads(value)
    return [item.strip() for item in value.split(",") if item.strip()]


def _ott_pairs(value: Any) -> Any:
    # Entries are "email,code" themselves, so their text form is email,code,email,code…
    if isinstance(value, str) and not value.lstrip().startswith("["):
        items = comma_list(value)
        return [f"{email},{code}" for email, code in zip(items[::2], items[1::2], strict=False)]
    return comma_list(value)


def _http_url(value: str) -> str:
    parts = urlsplit(value)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ValueError("must be an http:// or https:// URL with a host")
    return value.rstrip("/")


HttpUrl = Annotated[str, AfterValidator(_http_url)]


def _proxies(value: list[str]) -> list[str]:
    # As uvicorn reads them, which would take anything else for a literal host name.
    if "*" in value and len(value) > 1:
        raise ValueError("'*' trusts every address: give it alone")
    for entry in value:
        if entry != "*":
            try:
                ipaddress.ip_network(entry)
            except ValueError:
                raise ValueError(f"{entry!r} is not an IP address or network") from None
    return value


class LocalBackend(Strict):
    """A directory on this machine; the server itself answers the signed URLs."""

    type: Literal["local"] = "local"
    # Defaults to <data_dir>/objects.
    path: Path | None = None


class S3Backend(Strict):
    """Any S3-compatible service."""

    type: Literal["s3"] = "s3"
    bucket: str = Field(min_length=1)
    region: str = "us-east-1"
    endpoint_url: HttpUrl | None = None
    # What clients are given in presigned URLs when they reach the service by another address.
    public_endpoint_url: HttpUrl | None = None
    access_key: str | None = None
    secret_key: SecretStr | None = None
    path_style: bool = False


Backend = Annotated[LocalBackend | S3Backend, Field(discriminator="type")]


def _default_backends() -> dict[str, LocalBackend | S3Backend]:
    return {"local": LocalBackend()}


class StorageSettings(Strict):
    # Before `hot`, so that its check sees them.
    backends: dict[str, Backend] = Field(default_factory=_default_backends)
    hot: str = "local"
    # Signed URLs handed to clients stay valid this long (museum: 7 days).
    url_ttl_seconds: int = Field(default=7 * 24 * 3600, gt=0)
    # An upload URL's object not committed by then is abandoned: removed, multipart aborted.
    abandoned_upload_seconds: int = Field(default=14 * 24 * 3600, gt=0)

    @field_validator("hot")
    @classmethod
    def _hot_exists(cls, value: str, info: ValidationInfo) -> str:
        backends = info.data.get("backends")
        if backends is not None and value not in backends:
            raise ValueError(f"names no backend of storage.backends ({', '.join(backends)})")
        return value

    @field_validator("abandoned_upload_seconds")
    @classmethod
    def _uploads_outlive_their_urls(cls, value: int, info: ValidationInfo) -> int:
        # A client may still be uploading with a URL until it expires, then commit.
        ttl = info.data.get("url_ttl_seconds")
        if ttl is not None and value <= ttl:
            raise ValueError(f"must exceed storage.url_ttl_seconds ({ttl})")
        return value


class ReplicationSettings(Strict):
    """Copying every object to the replicas, and re-reading the copies now and then."""

    # How often the replication job looks for objects to copy.
    interval_seconds: float = Field(default=60, gt=0)
    # A process holds the copies it works on this long; a crashed one's are retried after.
    lease_seconds: int = Field(default=600, gt=0)
    # A failed copy is retried after 30 s, doubling per failure up to this.
    max_backoff_seconds: int = Field(default=3600, gt=0)
    # How often the verify job re-reads copies not verified for this long.
    verify_interval_seconds: float = Field(default=6 * 3600, gt=0)


class SmtpSettings(Strict):
    host: str | None = None
    port: int = Field(default=587, ge=1, le=65535)
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


class Secrets(Strict):
    """Server keys; generated once into the data directory unless given."""

    jwt_secret: SecretStr
    url_signing_key: SecretStr
    hash_key: SecretStr
    # Seals server-held secrets at rest (e.g. TOTP secrets).
    encryption_key: SecretStr

    @field_validator("*")
    @classmethod
    def _sized_base64(cls, value: SecretStr, info: ValidationInfo) -> SecretStr:
        try:
            size = len(base64.urlsafe_b64decode(value.get_secret_value()))
        except (binascii.Error, ValueError):
            raise ValueError("must be URL-safe base64") from None
        want = SECRET_SIZES[info.field_name]  # type: ignore[index]
        if size < want:
            raise ValueError(f"must be the base64 of at least {want} random bytes")
        return value

    def raw(self, name: SecretName) -> bytes:
        return base64.urlsafe_b64decode(getattr(self, name).get_secret_value())

    def revealed(self) -> dict[str, str]:
        """As written to secrets.json (model_dump masks them)."""
        return {name: getattr(self, name).get_secret_value() for name in SECRET_SIZES}


class Settings(Strict):
    host: str = "127.0.0.1"
    port: int = Field(default=8080, ge=1, le=65535)
    # Base URL clients use to reach this server; local-storage URLs are built on it.
    public_url: HttpUrl | None = None
    # The reverse proxies (addresses, networks, or "*") whose X-Forwarded-For and
    # X-Forwarded-Proto are believed: the client address that login limits count by.
    forwarded_allow_ips: Annotated[
        list[str], BeforeValidator(comma_list), AfterValidator(_proxies)
    ] = Field(default_factory=lambda: ["127.0.0.1", "::1"])
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
    hardcoded_otts: Annotated[list[str], BeforeValidator(_ott_pairs)] = Field(default_factory=list)
    disable_registration: bool = False
    # Server-side password login (POST /users/login); off unless enabled.
    password_login: bool = False
    # User ids with admin rights; empty means the first registered user, as museum does.
    admins: Annotated[list[int], BeforeValidator(comma_list)] = Field(default_factory=list)
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
    webauthn_rp_origins: list[str] = Field(default_factory=list, validate_default=True)

    trash_retention_days: int = Field(default=30, gt=0)
    # Objects of permanently deleted files are removed from storage after this delay.
    object_deletion_delay_seconds: int = Field(default=45 * 24 * 3600, ge=0)
    jobs_enabled: bool = True
    metrics_port: int | None = Field(default=None, ge=1, le=65535)

    # Server processes sharing the port (`serve --workers`); they share database and secrets.
    workers: int = Field(default=1, ge=1, le=64)
    # Request transactions at a time in each process; a request waits up to
    # overload_wait_seconds for one, then gets 503 with Retry-After. Each process opens up to
    # about twice this many database connections.
    db_connections: int = Field(default=8, ge=1, le=256)
    overload_wait_seconds: float = Field(default=10, gt=0, le=300)

    @field_validator("log_level", mode="before")
    @classmethod
    def _known_level(cls, value: Any) -> Any:
        if isinstance(value, str) and value.upper() in LOG_LEVELS:
            return value.upper()
        raise ValueError(f"must be one of {', '.join(LOG_LEVELS)}")

    @field_validator("database_url")
    @classmethod
    def _known_database(cls, value: str | None) -> str | None:
        if value is not None and value.split("://", 1)[0].lower() not in DATABASE_SCHEMES:
            raise ValueError("must start with sqlite:/// or postgresql://")
        return value

    @field_validator("hardcoded_otts")
    @classmethod
    def _otts_well_formed(cls, value: list[str]) -> list[str]:
        for entry in value:
            email, _, code = entry.partition(",")
            if not email.strip() or not code.strip().isdigit():
                raise ValueError(f"entry {entry!r} is not 'email,digits'")
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

    @field_validator("webauthn_rp_origins")
    @classmethod
    def _passkeys_bound_to_their_origins(cls, value: list[str], info: ValidationInfo) -> list[str]:
        for origin in value:
            if urlsplit(origin.rstrip("/")).path:
                raise ValueError(f"{origin!r} has a path; give the origin")
        accounts = info.data.get("accounts_origin")
        if accounts is None:
            return value
        # Browsers refuse a ceremony whose RP id is not the page's host or a parent of it.
        rp_id = (info.data.get("webauthn_rp_id") or _host(accounts)).lower()
        for origin in value or [accounts]:
            host = _host(origin)
            if host != rp_id and not host.endswith("." + rp_id):
                raise ValueError(f"webauthn_rp_id {rp_id!r} does not cover the origin {origin}")
        return value

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


def _stored_secrets(path: Path) -> Secrets | None:
    """The data directory's secrets file, if there is one."""
    try:
        raw = path.read_text()
    except (FileNotFoundError, NotADirectoryError):
        return None
    except OSError as exc:
        raise ConfigError([f"{path}: cannot read the server secrets: {exc.strerror}"]) from None
    try:
        return Secrets.model_validate(json.loads(raw))
    except (ValueError, ValidationError) as exc:
        problem = str(exc).splitlines()[0]
        raise ConfigError([f"{path}: not a valid secrets file ({problem})"]) from None


def ensure_secrets(settings: Settings) -> Secrets:
    """The server keys: given, read from the data directory, or created there (mode 0600)."""
    if settings.secrets is not None:
        return settings.secrets
    path = settings.data_dir / SECRETS_FILE
    fresh = {
        name: base64.urlsafe_b64encode(secrets.token_bytes(size)).decode()
        for name, size in SECRET_SIZES.items()
    }
    try:
        # Only its owner may enter the data directory: it holds the keys and the database.
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        # Another process starting at the same moment wrote it first: use theirs.
        settings.secrets = _stored_secrets(path)
        return settings.keys
    except OSError as exc:
        problem = f"cannot write {path}: {exc.strerror}"
        raise ConfigError([f"data_dir ({path.parent}): {problem}"]) from None
    with os.fdopen(fd, "w") as handle:
        json.dump(fresh, handle)
    settings.secrets = Secrets.model_validate(fresh)
    return settings.secrets


def read_settings(
    config_file: str | Path | None = None,
    *,
    environ: Mapping[str, str] | None = None,
    given_by: str = "argument",
    **overrides: Any,
) -> Settings:
    """Settings from defaults, the YAML file, PHOTO_API_* variables and `overrides` (in
    increasing precedence), with the stored secrets if there are any. Writes nothing.

    Raises ConfigError, one line per problem; `given_by` names the overrides' origin.
    """
    environ = os.environ if environ is None else environ
    config_file = config_file or environ.get(CONFIG_ENV)
    data: dict[str, Any] = {}
    origins: dict[tuple[str, ...], str] = {}
    if config_file:
        data, origins = read_yaml(Path(config_file))
    variables, from_variables, problems = read_variables(
        environ, Settings, prefix=ENV_PREFIX, ignored=NOT_SETTINGS
    )
    data = merge(merge(data, variables), overrides)
    origins |= from_variables | {(name,): given_by for name in overrides}
    try:
        settings = Settings.model_validate(data)
    except ValidationError as exc:
        raise ConfigError(problems + describe(exc, data, origins, Settings)) from None
    if problems:
        raise ConfigError(problems)
    if settings.secrets is None:
        settings.secrets = _stored_secrets(settings.data_dir / SECRETS_FILE)
    return settings


def load_settings(config_file: str | Path | None = None, **overrides: Any) -> Settings:
    """read_settings(), then the server keys, created if there are none yet."""
    settings = read_settings(config_file, **overrides)
    ensure_secrets(settings)
    return settings
