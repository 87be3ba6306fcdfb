"""Error mapping: one tree; status, Adobe code and request id kept; secrets redacted."""

from __future__ import annotations

import ast
import json
import traceback
from pathlib import Path
from typing import Any

import pytest
import requests

from pulumi_aep import errors
from pulumi_aep.transport import error_from_response
from tests.helpers.welcome import missing_url, welcome_url

__all__ = ["missing_url", "welcome_url"]  # pytest fixtures

#: The provider's package, scanned for what it raises.
PROVIDER = Path(errors.__file__).parent


def _response(status: int, body: Any, headers: dict[str, str] | None = None) -> requests.Response:
    response = requests.Response()
    response.status_code = status
    response._content = json.dumps(body).encode()
    response.headers.update(headers or {})
    return response


def _flow(code: int, status: int, message: str) -> dict[str, Any]:
    return {
        "type": f"https://ns.adobe.com/aep/errors/FLOW-{code}-{status}",
        "title": "t",
        "status": status,
        "report": {"detailed-message": message, "request-id": "req-123"},
        "errorMessage": message,
    }


def test_tree() -> None:
    assert issubclass(errors.ConfigurationError, ValueError)
    assert issubclass(errors.ValidationError, ValueError)
    assert issubclass(errors.PreconditionFailedError, errors.ConflictError)
    for cls in (errors.ApiError, errors.TransportError, errors.ConfigurationError, errors.VerificationError):
        assert issubclass(cls, errors.AepError)


@pytest.mark.parametrize(
    ("status", "cls"),
    [
        (401, errors.AuthenticationError),
        (403, errors.AuthenticationError),
        (404, errors.NotFoundError),
        (409, errors.ConflictError),
        (412, errors.PreconditionFailedError),
        (429, errors.RateLimitedError),
        (500, errors.ServerError),
        (503, errors.ServerError),
        (400, errors.ApiError),
    ],
)
def test_status_ladder(status: int, cls: type[errors.ApiError]) -> None:
    error = error_from_response(_response(status, _flow(1100, status, "boom")), "doing x")
    assert type(error) is cls
    assert (error.status, error.code, error.request_id) == (status, f"1100-{status}", "req-123")
    hint = f"; {cls.HINT}" if cls.HINT else ""
    assert str(error) == f"doing x: boom (HTTP {status}, code 1100-{status}, request id req-123){hint}"


@pytest.mark.parametrize(
    "cls",
    [
        errors.AuthenticationError,
        errors.NotFoundError,
        errors.PreconditionFailedError,
        errors.RateLimitedError,
        errors.ServerError,
    ],
)
def test_every_api_error_says_how_to_fix_it(cls: type[errors.ApiError]) -> None:
    assert cls.HINT
    assert str(cls("doing x: boom", status=400)).endswith(cls.HINT)


def test_a_hint_already_in_the_message_is_not_repeated() -> None:
    message = f"getting a token: invalid_client; {errors.AuthenticationError.HINT}"
    assert str(errors.AuthenticationError(message, status=401)).count(errors.AuthenticationError.HINT) == 1


def test_transport_errors_say_how_to_fix_them() -> None:
    assert str(errors.TransportError("creating c: timed out")).endswith("then run again")


def test_gateway_shape() -> None:
    body = {"error_code": "401013", "message": "Oauth token is not valid"}
    error = error_from_response(_response(401, body, {"x-request-id": "gw-1"}), "reading c")
    assert (error.code, error.request_id, error.message) == (
        "401013",
        "gw-1",
        "reading c: Oauth token is not valid",
    )


def test_in_use_names_flows() -> None:
    flow = "0f2a6a7e-1111-4222-8333-444455556666"
    body = _flow(1418, 400, f"The base connection is being used in one or more flows: [{flow}]")
    error = error_from_response(_response(400, body), "deleting connection abc")
    assert isinstance(error, errors.ConnectionInUseError)
    assert error.flow_ids == (flow,)


def test_secrets_redacted_from_api_message() -> None:
    body = _flow(1100, 400, "bad connectionString DefaultEndpointsProtocol=https;AccountKey=SECRETSECRET")
    error = error_from_response(
        _response(400, body), "creating", ["DefaultEndpointsProtocol=https;AccountKey=SECRETSECRET"]
    )
    assert "SECRETSECRET" not in str(error)
    assert "[redacted]" in str(error)


def test_non_json_body() -> None:
    response = requests.Response()
    response.status_code = 502
    response.reason = "Bad Gateway"
    response._content = b"<html>"
    error = error_from_response(response, "reading c")
    assert isinstance(error, errors.ServerError)
    assert error.message == "reading c: Bad Gateway"


def test_provider_errors_reach_the_cli_without_their_chain_of_causes(provider: Any, emulator: Any) -> None:
    """The SDK prints `traceback.format_exc()`: it must end in our message, with no urllib3 internals."""
    from tests.provider.helpers import props

    emulator.control.inject_fault("POST", "/connections", 10, status=503, retry_after=0)
    with pytest.raises(errors.ServerError) as info:
        provider.create(provider.check({}, props()).inputs)
    shown = "".join(traceback.format_exception(info.value))
    assert "direct cause" not in shown
    assert "During handling" not in shown
    assert "urllib3" not in shown
    assert shown.rstrip().endswith(errors.ServerError.HINT)


# --- the tree tells the truth ------------------------------------------------------------------------


def test_ims_outage_is_a_server_error_not_an_authentication_error(make_provider: Any, emulator: Any) -> None:
    """An IMS 503 is Adobe failing, not bad credentials: no "check aep:clientId" advice."""
    from tests.provider.helpers import props

    provider = make_provider(maxRetries="1")
    emulator.control.inject_fault("POST", "/ims/token/v3", 10, status=503, retry_after=0)
    with pytest.raises(errors.ServerError) as info:
        provider.create(provider.check({}, props()).inputs)
    assert not isinstance(info.value, errors.AuthenticationError)
    assert info.value.status == 503
    assert "aep:clientId" not in str(info.value)


def test_an_unretried_500_does_not_claim_retries(make_provider: Any, emulator: Any) -> None:
    from tests.provider.helpers import props

    provider = make_provider()
    created = provider.create(provider.check({}, props()).inputs)
    emulator.control.inject_fault("GET", "/connections/*", 1, status=500)
    with pytest.raises(errors.ServerError) as info:
        provider.read(created.id, created.outs or {})
    assert "retr" not in str(info.value)
    assert "sent" not in str(info.value)


def test_a_retried_503_says_how_often_it_was_sent(make_provider: Any, emulator: Any) -> None:
    from tests.provider.helpers import props

    provider = make_provider(maxRetries="2")
    created = provider.create(provider.check({}, props()).inputs)
    emulator.control.inject_fault("GET", "/connections/*", 10, status=503, retry_after=0)
    with pytest.raises(errors.ServerError, match=r"\(sent 3 times\)"):
        provider.read(created.id, created.outs or {})


def test_a_2xx_without_the_expected_json_is_an_unexpected_response() -> None:
    """No bare ``ApiError(status=200)``: an answer without items is an UnexpectedResponseError."""
    from pulumi_aep.transport import json_object, required

    ok = _response(200, {"items": []})
    with pytest.raises(errors.UnexpectedResponseError, match=r"has no 'id'"):
        required(json_object(ok, "creating c"), "id", "creating c", ok)
    html = requests.Response()
    html.status_code = 200
    html._content = b"<html>hello</html>"
    html.headers["Content-Type"] = "text/html"
    with pytest.raises(errors.UnexpectedResponseError, match=r"aep:platformUrl"):
        json_object(html, "reading c")


#: The classes that say nothing of what happened: never raised by name (``ApiError`` is built only by
#: ``transport.error_from_response``, for a 4xx without a class of its own).
ROOTS = ("AepError", "ApiError")


def _root_errors_raised_by_name(source: str) -> list[int]:
    """Lines of ``source`` calling a root class by name (``raise AepError(...)``, ``errors.ApiError(...)``)."""
    return [
        node.lineno
        for node in ast.walk(ast.parse(source))
        if isinstance(node, ast.Call)
        and (
            (isinstance(node.func, ast.Name) and node.func.id in ROOTS)
            or (isinstance(node.func, ast.Attribute) and node.func.attr in ROOTS)
        )
    ]


def test_the_scan_sees_a_root_class_raised_by_name() -> None:
    raised = "raise AepError('x')\nraise errors.ApiError('y', status=400)\n"
    assert _root_errors_raised_by_name(raised) == [1, 2]
    assert _root_errors_raised_by_name("raise EngineRequestError('x')\nisinstance(e, AepError)\n") == []


def test_every_raised_error_is_a_subclass_for_its_meaning() -> None:
    """Each error class means one thing (errors.py): no module raises the root ``AepError`` or builds a
    bare ``ApiError`` itself."""
    found = {
        str(path.relative_to(PROVIDER)): lines
        for path in sorted(PROVIDER.rglob("*.py"))
        if (lines := _root_errors_raised_by_name(path.read_text(encoding="utf-8")))
    }
    assert found == {}


@pytest.mark.parametrize("server", ["welcome_url", "missing_url"], ids=["200-html", "404-html"])
def test_a_wrong_ims_url_is_named_not_the_platform_url(
    make_provider: Any, request: pytest.FixtureRequest, server: str
) -> None:
    """A host at aep:imsUrl that is not IMS: its 200 page or its 404 is an answer IMS never gives, not
    a connection "not found" (sandbox, platformUrl) nor a Flow Service answer (platformUrl)."""
    from tests.provider.helpers import props

    provider = make_provider(imsUrl=request.getfixturevalue(server), maxRetries="0")
    with pytest.raises(errors.UnexpectedResponseError) as info:
        provider.create(provider.check({}, props()).inputs)
    message = str(info.value)
    assert "aep:imsUrl" in message
    assert "aep:platformUrl" not in message
    assert "sandbox_name" not in message
    assert not isinstance(info.value, errors.NotFoundError)
