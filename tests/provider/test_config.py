"""ProviderConfig: aep:* keys, AEP_* fallbacks, defaults, URL rules, secrets hidden from repr."""

from __future__ import annotations

import pytest
from pulumi.dynamic import Config, ConfigureRequest

from pulumi_aep.config import (
    DEFAULT_IMS_URL,
    DEFAULT_PLATFORM_URL,
    DEFAULT_SCOPES,
    ProviderConfig,
    is_loopback,
)
from pulumi_aep.errors import ConfigurationError
from pulumi_aep.provider import AzureBlobConnectionProvider


def _config(**raw: str) -> ProviderConfig:
    return ProviderConfig.from_pulumi_config(Config({f"aep:{k}": v for k, v in raw.items()}, "proj"), {})


def test_defaults_are_adobe_production_hosts() -> None:
    config = _config()
    assert (config.platform_url, config.ims_url) == (DEFAULT_PLATFORM_URL, DEFAULT_IMS_URL)
    assert (config.sandbox_name, config.scopes) == ("prod", DEFAULT_SCOPES)
    assert DEFAULT_PLATFORM_URL == "https://platform.adobe.io"
    assert DEFAULT_IMS_URL == "https://ims-na1.adobelogin.com"


def test_reads_namespaced_keys() -> None:
    config = _config(clientId="cid", clientSecret="cs", orgId="org@AdobeOrg", sandboxName="dev")
    assert (config.client_id, config.client_secret, config.org_id, config.sandbox_name) == (
        "cid",
        "cs",
        "org@AdobeOrg",
        "dev",
    )


def test_ignores_project_namespaced_keys() -> None:
    config = ProviderConfig.from_pulumi_config(Config({"proj:clientId": "x"}, "proj"), {})
    assert config.client_id is None


def test_environment_fallbacks() -> None:
    env = {
        "AEP_CLIENT_ID": "env-id",
        "AEP_CLIENT_SECRET": "env-secret",
        "AEP_ORG_ID": "env-org",
        "AEP_SANDBOX_NAME": "dev",
        "AEP_ACCESS_TOKEN": "env-token",
        "AEP_PLATFORM_URL": "http://127.0.0.1:9999",
        "AEP_IMS_URL": "http://localhost:9999/",
    }
    config = ProviderConfig.from_pulumi_config(Config({}, "proj"), env)
    assert config.client_id == "env-id"
    assert config.client_secret == "env-secret"
    assert config.access_token == "env-token"
    assert config.sandbox_name == "dev"
    assert config.platform_url == "http://127.0.0.1:9999"
    assert config.ims_url == "http://localhost:9999"


def test_config_wins_over_environment() -> None:
    config = ProviderConfig.from_pulumi_config(Config({"aep:clientId": "cfg"}, "p"), {"AEP_CLIENT_ID": "env"})
    assert config.client_id == "cfg"


def test_timeouts_and_retries_configurable() -> None:
    config = _config(connectTimeout="2.5", readTimeout="30", maxRetries="1")
    assert config.timeouts.as_requests() == (2.5, 30.0)
    assert config.retries.total == 1


def test_bad_number_is_a_configuration_error() -> None:
    with pytest.raises(ConfigurationError, match=r"aep:readTimeout must be a number"):
        _config(readTimeout="soon")


@pytest.mark.parametrize("url", ["http://platform.example.com", "http://10.0.0.5:8080"])
def test_plain_http_rejected_outside_loopback(url: str) -> None:
    with pytest.raises(ConfigurationError, match=r"aep:platformUrl uses plain http .* use https"):
        _config(platformUrl=url)


@pytest.mark.parametrize("url", ["http://127.0.0.1:8080", "http://localhost:1", "http://[::1]:80"])
def test_plain_http_allowed_for_loopback(url: str) -> None:
    assert _config(imsUrl=url).ims_url == url


def test_relative_url_rejected() -> None:
    with pytest.raises(ConfigurationError, match=r"aep:imsUrl must be an absolute https URL"):
        _config(imsUrl="ims-na1.adobelogin.com")


def test_repr_hides_secrets() -> None:
    config = _config(clientId="cid", clientSecret="very-secret-value", accessToken="tok-secret-value")
    assert "very-secret-value" not in repr(config)
    assert "tok-secret-value" not in repr(config)


def test_missing_credentials_named_with_env_vars() -> None:
    with pytest.raises(ConfigurationError) as info:
        _config().require_credentials()
    message = str(info.value)
    for key in ("aep:clientId (or AEP_CLIENT_ID)", "aep:orgId (or AEP_ORG_ID)", "aep:clientSecret"):
        assert key in message


def test_static_token_needs_no_client_secret() -> None:
    _config(clientId="cid", orgId="org", accessToken="tok").require_credentials()


# --- issue 11: each test below failed on the code before its fix -------------------------------------


@pytest.mark.parametrize(
    ("key", "raw", "bounds"),
    [
        ("maxRetries", "nan", "a whole number, at least 0 and at most 10"),
        ("maxRetries", "inf", "a whole number, at least 0 and at most 10"),
        ("maxRetries", "1e9", "a whole number, at least 0 and at most 10"),
        ("maxRetries", "2.5", "a whole number, at least 0 and at most 10"),
        ("maxRetries", "-1", "a whole number, at least 0 and at most 10"),
        ("readTimeout", "0", "a number of seconds, more than 0 and at most 600"),
        ("readTimeout", "1e9", "a number of seconds, more than 0 and at most 600"),
        ("readTimeout", "-inf", "a number of seconds, more than 0 and at most 600"),
        ("connectTimeout", "nan", "a number of seconds, more than 0 and at most 120"),
        ("connectTimeout", "0", "a number of seconds, more than 0 and at most 120"),
    ],
)
def test_d11_configure_rejects_out_of_bounds_numbers_naming_the_bounds(
    key: str, raw: str, bounds: str
) -> None:
    provider = AzureBlobConnectionProvider()
    with pytest.raises(ConfigurationError) as info:
        provider.configure(ConfigureRequest(Config({f"aep:{key}": raw}, "proj")))
    assert str(info.value).startswith(f"aep:{key} must be {bounds}, got {raw!r}")


@pytest.mark.parametrize(
    ("key", "raw"),
    [("maxRetries", "0"), ("maxRetries", "10"), ("readTimeout", "600"), ("readTimeout", "0.3")],
)
def test_numbers_at_the_bounds_are_accepted(key: str, raw: str) -> None:
    config = _config(**{key: raw})
    value = config.retries.total if key == "maxRetries" else config.timeouts.read
    assert value == float(raw)


@pytest.mark.parametrize("key", ["orgId", "clientId", "sandboxName", "accessToken", "clientSecret"])
@pytest.mark.parametrize("raw", ["value\n", " value", "val\tue", "valu\u200be"], ids=ascii)
def test_d9_header_values_with_newlines_or_invisible_characters_are_configuration_errors(
    key: str, raw: str
) -> None:
    with pytest.raises(ConfigurationError) as info:
        _config(**{key: raw})
    assert str(info.value).startswith(f"aep:{key} (or AEP_")
    assert raw not in str(info.value)


def test_d9_org_id_from_the_environment_with_a_trailing_newline_is_named() -> None:
    with pytest.raises(ConfigurationError, match=r"aep:orgId \(or AEP_ORG_ID\) contains"):
        ProviderConfig.from_pulumi_config(Config({}, "proj"), {"AEP_ORG_ID": "ABC@AdobeOrg\n"})


@pytest.mark.parametrize(
    ("host", "loopback"),
    [
        ("localhost", True),
        ("LOCALHOST", True),
        ("127.0.0.2", True),
        ("[::1]", True),
        ("::1", True),
        ("foo.localhost", False),
        ("localhost.localdomain", False),
        ("localhost.evil.example", False),
        ("10.0.0.5", False),
        ("", False),
    ],
)
def test_one_loopback_rule(host: str, loopback: bool) -> None:
    assert is_loopback(host) is loopback
