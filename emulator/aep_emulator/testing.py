"""Helpers for code that talks to a running emulator: default credentials, a token, platform headers.

Usable from your own tests too::

    from aep_emulator.testing import fetch_token, platform_headers

    headers = platform_headers(fetch_token(server.base_url))
"""

from __future__ import annotations

from dataclasses import dataclass

import requests

from aep_emulator import defaults

#: Seconds per test request: loopback calls to an in-memory server answer in milliseconds.
TIMEOUT_S = 10.0


@dataclass(frozen=True)
class Credentials:
    """An API client's credentials and the org and sandbox it works in."""

    client_id: str = defaults.DEFAULT_CLIENT_ID
    client_secret: str = defaults.DEFAULT_CLIENT_SECRET
    org_id: str = defaults.DEFAULT_ORG_ID
    sandbox: str = "prod"
    scope: str = defaults.DEFAULT_SCOPES


DEFAULT_CREDENTIALS = Credentials()


def fetch_token(base_url: str, creds: Credentials = DEFAULT_CREDENTIALS) -> str:
    """Get an access token from the emulator's IMS endpoint."""
    response = requests.post(
        base_url + defaults.IMS_TOKEN_PATH,
        data={
            "grant_type": "client_credentials",
            "client_id": creds.client_id,
            "client_secret": creds.client_secret,
            "scope": creds.scope,
        },
        timeout=TIMEOUT_S,
    )
    response.raise_for_status()
    token: str = response.json()["access_token"]
    return token


def platform_headers(
    token: str, creds: Credentials = DEFAULT_CREDENTIALS, **overrides: str
) -> dict[str, str]:
    """The headers every Platform API call needs (``Content-Type`` included)."""
    headers = {
        "Authorization": f"Bearer {token}",
        "x-api-key": creds.client_id,
        "x-gw-ims-org-id": creds.org_id,
        "x-sandbox-name": creds.sandbox,
        "Content-Type": "application/json",
        "Accept": "application/json",
    }
    headers.update(overrides)
    return headers


#: Keys of :func:`provider_config` that are secrets (``pulumi config set --secret``).
SECRET_CONFIG_KEYS = frozenset({"aep:clientSecret"})


def provider_config(base_url: str, sandbox: str = "prod") -> dict[str, str]:
    """The ``aep:*`` stack config that points pulumi-aep at the emulator at ``base_url``.

    Default credentials; the keys in :data:`SECRET_CONFIG_KEYS` belong in secret config.
    """
    return {
        "aep:platformUrl": base_url,
        "aep:imsUrl": base_url,
        "aep:clientId": defaults.DEFAULT_CLIENT_ID,
        "aep:clientSecret": defaults.DEFAULT_CLIENT_SECRET,
        "aep:orgId": defaults.DEFAULT_ORG_ID,
        "aep:sandboxName": sandbox,
    }
