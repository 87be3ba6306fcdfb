"""Isolation through the provider: orgs, sandboxes, and TLS verification that cannot be turned off."""

from __future__ import annotations

import http.server
import ssl
import subprocess
import threading
from collections.abc import Callable, Iterator
from typing import Any

import pytest
import requests

from aep_emulator.config import EmulatorConfig
from aep_emulator.server import EmulatorServer
from pulumi_aep.client import FlowServiceClient
from pulumi_aep.config import ProviderConfig
from pulumi_aep.errors import AuthenticationError, ConfigurationError, NotFoundError, TransportError
from pulumi_aep.transport import build_session
from tests.conftest import prerequisite_missing
from tests.provider.helpers import props
from tests.reliability.conftest import Figures
from tests.reliability.helpers import make_provider

ACME = "ACME00000000000000000000@AdobeOrg"
GLOBEX = "GLOBEX000000000000000000@AdobeOrg"
TENANCY = {
    "orgs": [{"id": ACME, "sandboxes": ["prod", "dev"]}, {"id": GLOBEX, "sandboxes": ["prod", "dev"]}],
    "clients": [
        {"client_id": "acme-ci", "client_secret": "acme-secret-value", "orgs": [ACME]},
        {"client_id": "globex-ci", "client_secret": "globex-secret-value", "orgs": [GLOBEX]},
    ],
}


@pytest.fixture(scope="module")
def tenants() -> Iterator[EmulatorServer]:
    with EmulatorServer(config=EmulatorConfig.from_dict(TENANCY)) as server:
        yield server


def _as(server: EmulatorServer, client: str, org: str, **extra: str) -> Any:
    return make_provider(
        server.base_url,
        clientId=client,
        clientSecret=f"{client.split('-')[0]}-secret-value",
        orgId=org,
        **extra,
    )


@pytest.mark.emulator
def test_one_orgs_token_cannot_read_or_write_anothers_connections(
    tenants: EmulatorServer, figures: Figures
) -> None:
    tenants.control.reset(tokens=True)
    acme, globex = _as(tenants, "acme-ci", ACME), _as(tenants, "globex-ci", GLOBEX)
    created = acme.create(props(name="acme-only"))
    before = tenants.control.connections()
    attempts = 0

    # Globex's token, Globex's org header (a state without the org recorded): Acme's connection
    # does not exist for it, yet it is neither dropped nor counted as deleted (it may be in another org).
    legacy = {k: v for k, v in (created.outs or {}).items() if k != "org_id"}
    with pytest.raises(ConfigurationError, match="does not record the org"):
        globex.read(created.id, legacy)
    with pytest.raises(NotFoundError):
        globex.update(created.id, legacy, {**legacy, "description": "hijacked"})
    with pytest.raises(ConfigurationError, match="does not record the org"):
        globex.delete(created.id, legacy)
    # With the org recorded, Globex's token is sent with Acme's org header: refused, never "gone".
    with pytest.raises(AuthenticationError):
        globex.read(created.id, created.outs)
    attempts += 4
    # Globex's token presented with Acme's org header: the gateway refuses it.
    spoof = _as(tenants, "globex-ci", ACME)
    calls: tuple[Callable[[], object], ...] = (
        lambda: spoof.read(created.id, created.outs),
        lambda: spoof.update(created.id, created.outs, {**created.outs, "description": "hijacked"}),
        lambda: spoof.delete(created.id, created.outs),
        lambda: spoof.create(props(name="into-acme")),
    )
    for call in calls:
        with pytest.raises(AuthenticationError) as info:
            call()
        assert info.value.status == 403
        attempts += 1
    listed = FlowServiceClient(
        ProviderConfig(
            client_id="globex-ci",
            client_secret="globex-secret-value",
            org_id=GLOBEX,
            platform_url=tenants.base_url,
            ims_url=tenants.base_url,
        )
    ).list_connections("prod", {"name": "acme-only"})
    assert listed == []
    attempts += 1

    assert tenants.control.connections() == before  # unchanged: same etag, same everything
    figures.record("isolation", cross_org_attempts=attempts, cross_org_successes=0)


@pytest.mark.emulator
def test_sandboxes_are_respected(tenants: EmulatorServer, figures: Figures) -> None:
    tenants.control.reset(tokens=True)
    acme = _as(tenants, "acme-ci", ACME)
    created = acme.create(props(name="in-prod"))
    before = tenants.control.connections()

    dev_view = {**created.outs, "sandbox_name": "dev"}
    assert acme.read(created.id, dev_view).id is None
    with pytest.raises(NotFoundError):
        acme.update(created.id, dev_view, {**dev_view, "description": "from dev"})
    acme.delete(created.id, dev_view)
    # An unknown sandbox is an error, never "the connection is gone" (state is kept).
    with pytest.raises(NotFoundError) as info:
        acme.read(created.id, {**created.outs, "sandbox_name": "nosuch"})
    assert (info.value.code or "").startswith("2100")
    assert tenants.control.connections() == before
    assert acme.read(created.id, created.outs).id == created.id
    figures.record("isolation", cross_sandbox_attempts=4, cross_sandbox_successes=0)


@pytest.mark.parametrize(
    ("url", "allowed"),
    [
        ("http://127.0.0.1:8787", True),
        ("http://localhost:8787", True),
        ("http://[::1]:8787", True),
        ("http://127.8.9.10", True),
        ("https://platform.adobe.io", True),
        ("http://platform.adobe.io", False),
        ("http://10.0.0.5:8787", False),
        ("http://127.0.0.1.nip.io", False),
        ("http://localhost.evil.example", False),
        ("ftp://127.0.0.1", False),
    ],
)
def test_plain_http_only_for_loopback(url: str, allowed: bool, figures: Figures) -> None:
    if allowed:
        ProviderConfig(platform_url=url, ims_url=url)
    else:
        with pytest.raises(ConfigurationError):
            ProviderConfig(platform_url=url)
        with pytest.raises(ConfigurationError):
            ProviderConfig(ims_url=url)
    figures.record("isolation", tls_url_cases=1)


def test_no_setting_turns_tls_verification_off() -> None:
    fields = {f.lower() for f in ProviderConfig.__dataclass_fields__}
    assert not fields & {"verify", "insecure", "ca_bundle", "skip_tls_verify", "tls_verify"}
    assert build_session(ProviderConfig()).verify is True


@pytest.fixture(scope="module")
def self_signed_https(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """An HTTPS server on loopback with a self-signed certificate nobody trusts."""
    folder = tmp_path_factory.mktemp("tls")
    cert, key = folder / "cert.pem", folder / "key.pem"
    made = subprocess.run(
        [
            "openssl",
            "req",
            "-x509",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-days",
            "1",
            "-subj",
            "/CN=127.0.0.1",
            "-keyout",
            str(key),
            "-out",
            str(cert),
        ],
        capture_output=True,
        check=False,
    )
    if made.returncode != 0:
        prerequisite_missing(f"openssl, to make a self-signed certificate ({made.stderr!r})")
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Answer)
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert, key)
    server.socket = context.wrap_socket(server.socket, server_side=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"https://127.0.0.1:{server.server_address[1]}"
    server.shutdown()


class _Answer(http.server.BaseHTTPRequestHandler):
    def do_POST(self) -> None:
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.end_headers()
        self.wfile.write(b'{"access_token": "t", "expires_in": 3600}')

    do_GET = do_POST  # noqa: N815 - the name http.server dispatches to

    def log_message(self, *args: Any) -> None:
        """Quiet."""


@pytest.mark.parametrize(
    "env",
    [{}, {"CURL_CA_BUNDLE": ""}, {"REQUESTS_CA_BUNDLE": ""}, {"PYTHONHTTPSVERIFY": "0"}],
    ids=["default", "empty-CURL_CA_BUNDLE", "empty-REQUESTS_CA_BUNDLE", "PYTHONHTTPSVERIFY=0"],
)
def test_untrusted_certificate_is_refused_even_on_loopback(
    self_signed_https: str, env: dict[str, str], monkeypatch: pytest.MonkeyPatch, figures: Figures
) -> None:
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    # No retries: a certificate failure is not transient, and the test stays fast.
    provider = make_provider(self_signed_https, maxRetries="0")
    with pytest.raises(TransportError):
        provider.read("4cb0c374-d3bb-4557-b139-5712880adc55", props())
    with pytest.raises(requests.exceptions.SSLError):
        requests.get(self_signed_https, timeout=5)
    figures.record("isolation", tls_untrusted_refused=1)
