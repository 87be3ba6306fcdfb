"""Secret scans in process: no plaintext secret in provider errors or reprs, nor in the emulator's banner.

The scans through the CLI (state, outputs, -v=9 logs, errors) run on every face: tests/faces/test_secret_scan.py.
"""

from __future__ import annotations

import secrets as random_secrets
from typing import Any

import pytest

from aep_emulator import defaults
from aep_emulator.testing import fetch_token
from pulumi_aep import AzureBlobConnectionArgs, ServicePrincipalArgs
from pulumi_aep.client import FlowServiceClient
from pulumi_aep.config import ProviderConfig
from pulumi_aep.errors import AepError
from pulumi_aep.provider import client_for
from tests.helpers.secret_scan import leaks
from tests.provider.helpers import props, sas_uri, service_principal
from tests.reliability.conftest import Figures
from tests.reliability.helpers import make_provider


@pytest.mark.emulator
def test_no_secret_in_provider_errors_or_reprs(fresh_emulator: Any, figures: Figures) -> None:
    """Every failing call (faults that echo nothing and API rejections) and every repr is scanned."""
    principal = service_principal()
    inputs = {
        "key": props(name="scan-key"),
        "sas": props(name="scan-sas", connection_string=None, sas_uri=sas_uri()),
        "sp": props(name="scan-sp", connection_string=None, service_principal=principal),
    }
    token = fetch_token(fresh_emulator.base_url)
    secrets = {
        "client secret": defaults.DEFAULT_CLIENT_SECRET,
        "connection string": inputs["key"]["connection_string"],
        "account key": inputs["key"]["connection_string"].split("AccountKey=")[1].split(";")[0],
        "SAS URI": inputs["sas"]["sas_uri"],
        "service-principal key": principal["service_principal_key"],
        "access token": token,
    }
    control = fresh_emulator.control
    texts: list[str] = []
    provider = make_provider(fresh_emulator.base_url)
    static = make_provider(fresh_emulator.base_url, accessToken=token)
    for kind, values in inputs.items():
        for status in (400, 401, 500, 503):
            for prov in (provider, static):
                control.clear_faults()
                control.inject_fault("POST", "/connections", count=100, status=status)
                try:
                    prov.create(values)
                except AepError as exc:
                    texts.extend([str(exc), repr(exc), repr(exc.__cause__), repr(exc.__context__)])
                else:
                    pytest.fail(f"{kind}: create succeeded despite HTTP {status}")
            control.clear_faults()
        created = provider.create(values)
        outs = created.outs
        assert outs is not None
        control.inject_fault("PATCH", "/connections/*", count=1, status=500)
        try:
            provider.update(created.id, outs, {**values, "description": "x"})
        except AepError as exc:
            texts.extend([str(exc), repr(exc)])
        texts.append(repr(outs.get("__provider")))
    bad = make_provider(fresh_emulator.base_url, clientSecret=secrets["client secret"] + "-wrong")
    try:
        bad.create(inputs["key"])
    except AepError as exc:
        texts.extend([str(exc), repr(exc)])
    config = ProviderConfig(
        client_id="c", org_id="o", client_secret=secrets["client secret"], access_token=token
    )
    client = client_for(config)
    texts.extend([repr(config), str(config), repr(client), repr(client._tokens), repr(provider)])
    texts.append(repr(FlowServiceClient(config)))
    # The typed arguments a program builds (issue 11 D12: their reprs printed every secret).
    for values in inputs.values():
        args = {k: v for k, v in values.items() if k in AzureBlobConnectionArgs.__dataclass_fields__}
        texts.extend([repr(AzureBlobConnectionArgs(**args)), str(AzureBlobConnectionArgs(**args))])
    texts.append(repr(ServicePrincipalArgs(**principal)))

    found = [(i, leaks(t, secrets)) for i, t in enumerate(texts) if leaks(t, secrets)]
    assert found == [], [(texts[i][:300], names) for i, names in found]
    figures.record(
        "secret_scans",
        provider_texts_scanned=len(texts),
        provider_scans=len(texts) * len(secrets),
        provider_leaks=len(found),
    )


@pytest.mark.emulator
def test_emulator_banner_never_prints_a_custom_client_secret() -> None:
    # Issue 11: the banner printed whatever secret --client was given (a real one, for some users).
    from tests.emulator.test_emulator_cli import _serve

    secret = f"custom-{random_secrets.token_urlsafe(16)}"
    with _serve("--client", f"banner-client:{secret}") as (_base_url, lines):
        text = "\n".join(lines)
    assert "banner-client" in text
    assert "client_secret:" in text
    assert secret not in text
