"""Sizes, durations and times as people read and write them.

Imported by the argument parser, so it imports nothing heavy.
"""

from __future__ import annotations

import argparse
import re
from datetime import UTC, datetime

_SIZE = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*([a-z]*)\s*$", re.IGNORECASE)
_PREFIXES = ("k", "m", "g", "t", "p")
_UNITS: dict[str, int] = {
    "": 1,
    "b": 1,
    **{p: 1000**i for i, p in enumerate(_PREFIXES, start=1)},
    **{f"{p}b": 1000**i for i, p in enumerate(_PREFIXES, start=1)},
    **{f"{p}ib": 1024**i for i, p in enumerate(_PREFIXES, start=1)},
}
MAX_BYTES = 2**63 - 1


def parse_size(text: str) -> int:
    """Bytes from "1073741824", "50GiB", "1TB" or "1.5 TiB" (KB/MB/... are powers of 1000)."""
    match = _SIZE.match(text)
    unit = match.group(2).lower() if match else ""
    if match is None or unit not in _UNITS:
        raise argparse.ArgumentTypeError(f"not a size: {text!r} (e.g. 50GiB, 1TB, 1048576)")
    size = round(float(match.group(1)) * _UNITS[unit])
    if size > MAX_BYTES:
        raise argparse.ArgumentTypeError(f"size too large: {text!r}")
    return size


def format_size(size: int) -> str:
    value = float(size)
    for unit in ("B", "KiB", "MiB", "GiB", "TiB"):
        if abs(value) < 1024 or unit == "TiB":
            return f"{size} B" if unit == "B" else f"{value:.1f} {unit}"
        value /= 1024
    raise AssertionError("unreachable")


def format_duration(seconds: float) -> str:
    """ "45 s", "12 min", "3.5 h", "2.0 days"."""
    if seconds < 60:
        return f"{seconds:.0f} s"
    if seconds < 3600:
        return f"{seconds / 60:.0f} min"
    if seconds < 86400:
        return f"{seconds / 3600:.1f} h"
    return f"{seconds / 86400:.1f} days"


def format_time(micros: int) -> str:
    try:
        return datetime.fromtimestamp(micros / 1_000_000, UTC).strftime("%Y-%m-%d %H:%M UTC")
    except (OverflowError, ValueError, OSError):
        return str(micros)
