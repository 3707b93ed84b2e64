"""The OpenAPI description tells the truth: schemathesis fuzzes every operation from it.

A server per database, of its own (fuzzed admin routes delete and lock accounts at random),
each with a signed-in admin whose token every case presents. Every generated case goes to
both servers (generating is the costly part): cases that follow the description and cases
that break it, per operation. Neither server may answer a 5xx, or a status, header, content
type or body other than described; a broken request must be refused and a valid one accepted
(unless it breaks a rule no schema states: the description says such a 400 names the rule).
"""

from __future__ import annotations

import contextlib
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis.generation import GenerationMode
from schemathesis.specs.openapi.checks import negative_data_rejection, positive_data_acceptance

from tests.fixtures.app_server import RunningServer, start_server
from tests.fixtures.databases import database_url
from tests.fixtures.ente import signup
from tests.fixtures.smtp import SmtpServer

EXAMPLES_PER_MODE = 1
CHUNKS = 4
MODES = (GenerationMode.POSITIVE, GenerationMode.NEGATIVE)
# Cases that would end the fuzzing admin's session, after which every case is a 401.
SESSION_ENDING = {
    ("POST", "/users/logout"),
    ("DELETE", "/users/delete"),
    ("DELETE", "/users/session"),
    ("DELETE", "/admin/user/delete"),
    ("POST", "/admin/user/terminate-session"),
}
# uvicorn's own answer to what is not HTTP (a control character in the request line).
HTTP_SERVER_REFUSAL = "Invalid HTTP request received."
# Replaced by _contradiction, which knows what museum does on purpose.
ACCEPTANCE_CHECKS = [positive_data_acceptance, negative_data_rejection]
# The request validator's messages (photo_api.errors): "field: what pydantic says".
VALIDATION_MESSAGE = re.compile(
    r"^(?:[\w.\[\]]+: (?:Input should|Value error|Field required|String should|List should)"
    r"|a value is out of range)"
)


@dataclass
class Target:
    server: RunningServer
    token: str


def _target(kind: str, request: pytest.FixtureRequest, tmp: pytest.TempPathFactory) -> Target:
    smtp: SmtpServer = request.getfixturevalue("smtp_server")
    directory = tmp.mktemp(f"fuzz-{kind}")
    server = start_server(
        database_url=database_url(kind, request, directory),
        data_dir=directory,
        s3=None,
        smtp=smtp,
    )
    account = signup(server.url, smtp.mailbox)
    server.settings.admins.append(account.client.user_id or 0)
    return Target(server, account.client.token or "")


@pytest.fixture(scope="module")
def targets(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[list[Target]]:
    found = [_target("sqlite", request, tmp_path_factory)]
    # Left out where PostgreSQL is absent (a failure where it is required).
    with contextlib.suppress(pytest.skip.Exception):
        found.append(_target("postgres", request, tmp_path_factory))
    yield found
    for target in found:
        target.server.stop()


def _has_integral_float(value: Any) -> bool:
    if isinstance(value, float):
        return value.is_integer()
    if isinstance(value, dict):
        return any(_has_integral_float(item) for item in value.values())
    if isinstance(value, list):
        return any(_has_integral_float(item) for item in value)
    return False


def _contradiction(case: Any, response: Any, mode: GenerationMode) -> str | None:
    """What schemathesis's acceptance checks would say, minus what museum does on purpose."""
    if mode is GenerationMode.POSITIVE:
        # A 400 from the request's own validation means description and server disagree,
        # except for an integer written 5.0: a JSON-Schema integer but not a Go int64, refused
        # on purpose as the description says.
        if (
            response.status_code == 400
            and VALIDATION_MESSAGE.match(response.json()["message"])
            and not _has_integral_float(case.body)
        ):
            return f"a valid request refused: {response.text}"
        return None
    negated = {where.value for where, info in case.meta.components.items() if info.mode is mode}
    # Unknown query parameters are ignored, as museum does (clients add cache busters), and
    # schemathesis's negation adds them: only a broken body or path must be refused.
    if 200 <= response.status_code < 300 and negated & {"body", "path"}:
        return f"an invalid {'/'.join(sorted(negated))} accepted: {response.status_code}"
    return None


def _fuzz(targets: list[Target], operation: Any, mode: GenerationMode) -> tuple[int, list[str]]:
    cases, found = 0, []

    @given(case=operation.as_strategy(generation_mode=mode))
    @settings(
        max_examples=EXAMPLES_PER_MODE,
        deadline=None,
        database=None,
        derandomize=True,
        suppress_health_check=list(HealthCheck),
        # No shrinking: a failure is reported as found, and shrinking would call the servers.
        phases=[Phase.generate],
    )
    def run(case: Any) -> None:
        nonlocal cases
        for target in targets:
            cases += 1
            response = case.call(
                base_url=target.server.url, headers={"X-Auth-Token": target.token}, timeout=30
            )
            if response.status_code == 400 and response.text == HTTP_SERVER_REFUSAL:
                continue
            case.validate_response(response, excluded_checks=ACCEPTANCE_CHECKS)
            problem = _contradiction(case, response, mode)
            if problem:
                found.append(f"{target.server.db}: {case.body!r:.300} {problem}")

    # Unsatisfiable: nothing in the operation can be negated (no parameters, no body).
    with contextlib.suppress(Unsatisfiable):
        run()
    return cases, found


@pytest.mark.slow
@pytest.mark.parametrize("chunk", range(CHUNKS))
def test_every_operation_answers_as_described(targets: list[Target], chunk: int) -> None:
    schema = schemathesis.openapi.from_dict(targets[0].server.app.openapi())
    operations = sorted(
        (result.ok() for result in schema.get_all_operations()),
        key=lambda op: (op.path, op.method),
    )
    cases, failures = 0, []
    for operation in operations[chunk::CHUNKS]:
        if (operation.method.upper(), operation.path) in SESSION_ENDING:
            continue
        for mode in MODES:
            name = f"{operation.method.upper()} {operation.path} ({mode.value})"
            try:
                ran, found = _fuzz(targets, operation, mode)
            except (Exception, BaseExceptionGroup) as exc:
                failures.append(f"{name}: {exc}")
                continue
            cases += ran
            failures.extend(f"{name}: {problem}" for problem in found)
    assert not failures, "\n\n".join(failures)
    assert cases > 100


def test_the_description_names_credentials_errors_and_empty_answers(
    server: RunningServer,
) -> None:
    spec = server.client.get("/openapi.json").json()
    assert spec["components"]["securitySchemes"]["authToken"] == {
        "type": "apiKey",
        "in": "header",
        "name": "X-Auth-Token",
        "description": spec["components"]["securitySchemes"]["authToken"]["description"],
    }
    diff = spec["paths"]["/collections/v2/diff"]["get"]
    assert diff["security"] == [{"authToken": []}]
    assert set(diff["responses"]) == {"200", "400", "401", "4XX", "503"}
    assert "security" not in spec["paths"]["/users/ott"]["post"]
    link_diff = spec["paths"]["/public-collection/diff"]["get"]
    assert {"accessToken": [], "accessTokenJWT": []} in link_diff["security"]
    for path, method in [("/trash/empty", "post"), ("/files/upload-eligibility", "get")]:
        assert "content" not in spec["paths"][path][method]["responses"]["200"], path
    assert "HTTPValidationError" not in spec["components"]["schemas"]


def test_a_wrong_method_is_a_405_naming_the_allowed_ones(server: RunningServer) -> None:
    response = server.client.put("/files/trash", json={})
    assert response.status_code == 405
    assert response.headers["allow"] == "POST"
    assert response.json()["code"] == "METHOD_NOT_ALLOWED"


def test_ids_are_integers_not_booleans_or_strings(
    server: RunningServer, smtp_server: SmtpServer
) -> None:
    client = signup(server.url, smtp_server.mailbox).client
    for ids in ([False], [True], ["5"], [5.0]):
        response = client.post("/trash/delete", json={"fileIDs": ids})
        assert response.status_code == 400, (ids, response.text)
        assert response.json()["code"] == "BAD_REQUEST"
    assert client.post("/trash/delete", json={"fileIDs": []}).status_code == 200
