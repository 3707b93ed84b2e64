"""Where settings come from, and what is wrong with them, one line per problem.

photo_api.config reads the environment and hands the variables here: this module parses a
YAML file and a mapping of variables into one tree of raw values, remembers where each value
came from (file and line, or variable), and turns validation errors into lines that name
the setting and that origin. Nothing here writes anything.
"""

from __future__ import annotations

import difflib
import json
import types
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Annotated, Any, Union, get_args, get_origin

import yaml
from pydantic import BaseModel, ValidationError

SettingPath = tuple[str, ...]
Origins = dict[SettingPath, str]
# Values not echoed in messages: they may be credentials.
_SECRET_WORDS = ("secret", "password", "key", "database_url")


class ConfigError(Exception):
    """Settings that cannot be used: each problem is one line for the operator."""

    def __init__(self, problems: Iterable[str]) -> None:
        self.problems = list(problems)
        super().__init__("\n".join(self.problems))


# --- the YAML file ------------------------------------------------------------------------


def read_yaml(path: Path) -> tuple[dict[str, Any], Origins]:
    """The file's settings and the line each came from."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ConfigError([f"config file {path} does not exist"]) from None
    except UnicodeDecodeError:
        raise ConfigError([f"config file {path} is not UTF-8 text"]) from None
    except OSError as exc:
        raise ConfigError([f"config file {path}: {exc.strerror or exc}"]) from None
    try:
        node = yaml.compose(text, Loader=yaml.SafeLoader)
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"{path}, line {mark.line + 1}, column {mark.column + 1}" if mark else str(path)
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        raise ConfigError([f"{where}: not valid YAML: {problem}"]) from None
    if data is None:
        return {}, {}
    if not isinstance(data, dict):
        found = "a list" if isinstance(data, list) else f"the value {str(data)[:40]!r}"
        raise ConfigError([f"config file {path}: expected settings (key: value), found {found}"])
    origins: Origins = {}
    problems: list[str] = []
    _lines(node, (), path, origins, problems)
    if problems:
        raise ConfigError(problems)
    return data, origins


def _lines(
    node: yaml.Node, at: SettingPath, file: Path, origins: Origins, problems: list[str]
) -> None:
    if not isinstance(node, yaml.MappingNode):
        return
    seen: dict[str, int] = {}
    for key_node, value_node in node.value:
        line = key_node.start_mark.line + 1
        key = str(key_node.value)
        name = ".".join((*at, key))
        if not isinstance(key_node, yaml.ScalarNode):
            problems.append(f"{file}, line {line}: a setting name must be text")
            continue
        if key in seen:
            # YAML keeps the last silently; a repeated key is almost always a mistake.
            problems.append(f"{name} ({file}, line {line}): also set on line {seen[key]}")
        seen[key] = line
        origins[(*at, key)] = f"{file}, line {line}"
        _lines(value_node, (*at, key), file, origins, problems)


# --- variables ----------------------------------------------------------------------------


def read_variables(
    environ: Mapping[str, str],
    model: type[BaseModel],
    *,
    prefix: str,
    ignored: Iterable[str],
) -> tuple[dict[str, Any], Origins, list[str]]:
    """Settings from PREFIX_NAME variables (nested names joined by "__"), their origins, and
    one problem per variable that names no setting or holds unreadable JSON."""
    data: dict[str, Any] = {}
    origins: Origins = {}
    problems: list[str] = []
    skip = tuple(name.upper() for name in ignored)
    for variable, value in sorted(environ.items()):
        upper = variable.upper()
        if not upper.startswith(prefix) or upper.startswith(skip):
            continue
        path = tuple(part.lower() for part in variable[len(prefix) :].split("__"))
        unknown = _unknown(model, path)
        if unknown is not None:
            bad, hint = unknown
            line = f"{variable}: no setting {'.'.join(bad)}"
            if hint is not None:
                line += f"; did you mean {prefix}{'__'.join(hint).upper()}?"
            problems.append(line)
            continue
        if value == "":
            # Compose files and service managers often pass unset values as empty ones.
            continue
        parsed: Any = value
        if value.lstrip().startswith("{"):
            try:
                parsed = json.loads(value)
            except ValueError as exc:
                problems.append(f"{variable}: not valid JSON: {exc}")
                continue
        _set(data, path, parsed)
        origins[path] = f"variable {variable}"
    return data, origins, problems


def _unknown(
    model: type[BaseModel], path: SettingPath
) -> tuple[SettingPath, SettingPath | None] | None:
    """None if `path` names a setting; else the part that does not, and a likely intent."""
    for depth in range(1, len(path) + 1):
        names = names_at(model, path[:depth])
        if names is not None and path[depth - 1] not in names:
            hint = _closest(path[depth - 1], names)
            return path[:depth], None if hint is None else (*path[: depth - 1], hint)
    return None


def _set(data: dict[str, Any], path: SettingPath, value: Any) -> None:
    for part in path[:-1]:
        child = data.get(part)
        if not isinstance(child, dict):
            child = data[part] = {}
        data = child
    data[path[-1]] = value


def merge(base: dict[str, Any], top: Mapping[str, Any]) -> dict[str, Any]:
    """`top` over `base`, mappings merged key by key."""
    merged = dict(base)
    for key, value in top.items():
        below = merged.get(key)
        if isinstance(below, dict) and isinstance(value, Mapping):
            merged[key] = merge(below, value)
        else:
            merged[key] = value
    return merged


# --- the model's names --------------------------------------------------------------------


def _alternatives(annotation: Any) -> list[Any]:
    """The types a field may hold: Annotated and Optional unwrapped, unions spread."""
    origin = get_origin(annotation)
    if origin is Annotated:
        return _alternatives(get_args(annotation)[0])
    if origin in (Union, types.UnionType):
        return [alt for arg in get_args(annotation) for alt in _alternatives(arg)]
    return [] if annotation is type(None) else [annotation]


def names_at(model: type[BaseModel], path: SettingPath) -> list[str] | None:
    """The valid names for the last element of `path`; None where any name goes (the keys
    of a mapping, such as storage.backends)."""
    kinds: list[Any] = [model]
    for part in path[:-1]:
        inner: list[Any] = []
        for kind in kinds:
            if isinstance(kind, type) and issubclass(kind, BaseModel):
                field = kind.model_fields.get(part)
                if field is not None:
                    inner += _alternatives(field.annotation)
            elif get_origin(kind) is dict:
                inner += _alternatives(get_args(kind)[1])
        kinds = inner
    names: set[str] = set()
    for kind in kinds:
        if isinstance(kind, type) and issubclass(kind, BaseModel):
            names |= set(kind.model_fields)
        elif get_origin(kind) is dict:
            return None
    return sorted(names)


def _closest(name: str, names: list[str]) -> str | None:
    close = difflib.get_close_matches(name, names, n=1, cutoff=0.6)
    if not close:
        # A prefix is a good hint too: "endpoint" for "endpoint_url".
        close = [n for n in names if n.startswith(name) or name.startswith(n)][:1]
    return close[0] if close else None


# --- validation errors --------------------------------------------------------------------


def describe(
    error: ValidationError, data: dict[str, Any], origins: Origins, model: type[BaseModel]
) -> list[str]:
    """One line per problem: the setting, where its value came from, what is wrong."""
    lines = []
    for item in error.errors():
        path = _user_path(item["loc"], data)
        name = ".".join(path) or "settings"
        lines.append(f"{name} ({origin_of(path, origins)}): {_problem(item, path, model)}")
    return list(dict.fromkeys(lines))


def origin_of(path: SettingPath, origins: Origins) -> str:
    """Where the value at `path` (or the nearest enclosing one) was set."""
    for depth in range(len(path), 0, -1):
        if path[:depth] in origins:
            return origins[path[:depth]]
    return "default"


def _user_path(loc: tuple[int | str, ...], data: Any) -> SettingPath:
    """The error's location as the operator wrote it: without pydantic's union tags."""
    path: list[str] = []
    node = data
    for part in loc:
        if isinstance(node, dict) and part not in node and node.get("type") == part:
            continue  # the tag of a discriminated union (a backend's type)
        path.append(str(part))
        if isinstance(node, dict):
            node = node.get(part)
        elif isinstance(node, list) and isinstance(part, int) and part < len(node):
            node = node[part]
        else:
            node = None
    return tuple(path)


def _problem(item: Any, path: SettingPath, model: type[BaseModel]) -> str:
    kind = item["type"]
    if kind == "extra_forbidden":
        names = names_at(model, path) or []
        hint = _closest(path[-1], names)
        if hint is not None:
            return f"unknown setting; did you mean {'.'.join((*path[:-1], hint))}?"
        return f"unknown setting; the settings here are {', '.join(names)}"
    if kind == "missing":
        return "required, but not set"
    if kind == "union_tag_not_found":
        return "needs a type (local or s3)"
    if kind == "union_tag_invalid":
        expected = item.get("ctx", {}).get("expected_tags", "local, s3")
        return f"type must be one of {expected}"
    message = str(item["msg"]).removeprefix("Value error, ")
    message = message[:1].lower() + message[1:]
    value = item.get("input")
    secret = any(word in ".".join(path).lower() for word in _SECRET_WORDS)
    if not secret and isinstance(value, str | int | float | bool) and len(repr(value)) < 60:
        return f"{message} (got {value!r})"
    return message
