"""photo-api admin backup DEST | restore SRC: what to keep, and how to get it back."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from tqdm import tqdm  # type: ignore[import-untyped]
from tqdm.contrib.logging import logging_redirect_tqdm  # type: ignore[import-untyped]

from photo_api.backup import service
from photo_api.backup.service import BackupError
from photo_api.cli.common import CommandError, require_database, settings_of
from photo_api.cli.units import format_size
from photo_api.storage.registry import build_stores


def _tell(line: str) -> None:
    tqdm.write(line, file=sys.stdout)


def backup(args: argparse.Namespace) -> int:
    settings = settings_of(args, secrets=True)
    require_database(settings)
    stores = build_stores(settings)
    dest = Path(args.dest)
    with (
        tqdm(desc="Objects", unit="obj", file=sys.stderr, dynamic_ncols=True) as bar,
        logging_redirect_tqdm(),
    ):

        def progress(done: int, total: int) -> None:
            bar.total = total
            bar.update(done - bar.n)

        try:
            summary = service.backup(
                settings=settings,
                stores=stores,
                dest=dest,
                copy_objects=args.objects,
                progress=progress,
                tell=_tell,
            )
        except BackupError as exc:
            raise CommandError(str(exc)) from None
    print(
        f"Backup written to {dest.absolute()}: the database (schema {summary.revision}), the "
        f"server secrets, and a manifest of {summary.objects} object(s) "
        f"({format_size(summary.bytes)}), {summary.copied} of them copied."
    )
    if summary.problems:
        print(f"{len(summary.problems)} object(s) could not be read: the backup lacks them.")
        return 1
    return 0


def restore(args: argparse.Namespace) -> int:
    settings = settings_of(args)
    src = Path(args.src)
    try:
        manifest = service.read_manifest(src)
        service.check_target(settings)
        service.restore_secrets(settings, src)
        service.restore_database(settings, src, manifest)
    except BackupError as exc:
        raise CommandError(str(exc)) from None
    stores = build_stores(settings)
    summary = service.Summary(revision=manifest["schema_revision"])
    with (
        tqdm(desc="Objects", unit="obj", file=sys.stderr, dynamic_ncols=True) as bar,
        logging_redirect_tqdm(),
    ):

        def progress(done: int, total: int) -> None:
            bar.total = total
            bar.update(done - bar.n)

        service.restore_objects(stores, src, progress, _tell, summary)
    print(
        f"Restored the backup of {manifest['created_at']} (schema {summary.revision}): "
        f"{summary.copied} object(s) copied back; {summary.objects} object(s) "
        f"({format_size(summary.bytes)}) match the manifest."
    )
    if summary.problems:
        print(f"{len(summary.problems)} object(s) do not: see the lines above.")
        return 1
    print("Start the server with `photo-api serve`: it applies any newer migrations first.")
    return 0
