"""The cleanup job removes the temp files of uploads whose process was killed, after an hour,
and never the file of an upload still being written."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import httpx

from photo_api.jobs import object_cleanup
from photo_api.storage.atomic import TEMP_PREFIX
from photo_api.storage.local import LocalStore
from tests.fixtures.app_server import RunningServer
from tests.fixtures.ente import signup
from tests.fixtures.library import md5_b64
from tests.fixtures.net import http
from tests.fixtures.smtp import SmtpServer

TWO_HOURS = 2 * 3600
# The server's own writer, in a process of its own, stopped halfway as by a crash.
KILLED_WRITER = """
import sys, time
from pathlib import Path
from photo_api.storage.atomic import AtomicWriter
writer = AtomicWriter(Path(sys.argv[1]))
writer.write(b"half of an upload")
print("writing", flush=True)
time.sleep(600)
"""


def temp_files(directory: Path) -> set[Path]:
    return set(directory.glob(f"{TEMP_PREFIX}*"))


def wait_for(condition: Callable[[], object], what: str) -> None:
    deadline = time.monotonic() + 20
    while not condition():
        assert time.monotonic() < deadline, what
        time.sleep(0.02)


def killed_upload(directory: Path) -> Path:
    """The temp file a killed upload leaves in `directory`."""
    before = temp_files(directory)
    writer = subprocess.Popen(
        [sys.executable, "-c", KILLED_WRITER, str(directory / str(uuid.uuid4()))],
        stdout=subprocess.PIPE,
        text=True,
    )
    assert writer.stdout is not None and writer.stdout.readline() == "writing\n"
    writer.send_signal(signal.SIGKILL)
    writer.wait(timeout=10)
    (left,) = temp_files(directory) - before
    return left


def age(path: Path, seconds: float) -> None:
    then = time.time() - seconds
    os.utime(path, (then, then))


def test_leftovers_of_killed_uploads_go_after_an_hour(
    server: RunningServer, smtp_server: SmtpServer
) -> None:
    store = server.app.state.stores.get("local")
    assert isinstance(store, LocalStore)
    account = signup(server.url, smtp_server.mailbox)
    directory = store.root / str(account.client.user_id)
    directory.mkdir(parents=True, exist_ok=True)

    # An upload in progress, its client slow: paused halfway through the body.
    data = os.urandom(64 * 1024)
    target = account.client.post(
        "/files/upload-url", json={"contentLength": len(data), "contentMD5": md5_b64(data)}
    ).json()
    resume = threading.Event()

    def body() -> Iterator[bytes]:
        yield data[:1024]
        resume.wait(30)
        yield data[1024:]

    answers: list[httpx.Response] = []
    headers = {"Content-MD5": md5_b64(data), "Content-Length": str(len(data))}
    uploading = threading.Thread(
        target=lambda: answers.append(http.put(target["url"], content=body(), headers=headers))
    )
    uploading.start()
    try:
        wait_for(lambda: temp_files(directory), "the upload's temp file")
        (in_progress,) = temp_files(directory)
        stale, recent = killed_upload(directory), killed_upload(directory)
        for path in (in_progress, stale):
            age(path, TWO_HOURS)

        result = object_cleanup.run(server.app.state.db, server.app.state.stores)
        assert result["temporary_files"] == 1
        assert not stale.exists()
        assert recent.exists() and in_progress.exists()
    finally:
        resume.set()
        uploading.join(timeout=30)
    assert answers and answers[0].status_code == 200, answers
    stored = store.head(target["objectKey"])
    assert stored is not None and stored.size == len(data)
    assert temp_files(directory) == {recent}
    recent.unlink()
