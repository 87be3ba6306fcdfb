"""Settings generate their own schema: each key the CLI is told about is the key the reader reads."""

from __future__ import annotations

import dataclasses
from typing import Any

import jsonschema
import pytest

from aep_policies import POLICIES
from aep_policies.pipeline_policies import IntervalSettings, ProtectedSandboxSettings, RootPathSettings
from aep_policies.settings import (
    AllowedSandboxSettings,
    DescriptionSettings,
    HttpsSettings,
    NamingSettings,
    ProductionSettings,
    RegionSettings,
    SasSettings,
    Settings,
    TlsSettings,
)

pytestmark = pytest.mark.policy

ALL: tuple[type[Settings], ...] = (
    HttpsSettings,
    SasSettings,
    AllowedSandboxSettings,
    ProductionSettings,
    NamingSettings,
    DescriptionSettings,
    TlsSettings,
    RegionSettings,
)
#: A valid, non-default value per JSON type (an enum takes its last member).
SAMPLES: dict[str, Any] = {"boolean": False, "integer": 7, "string": "dev-x", "array": ["a", "b"]}


def _sample(spec: dict[str, Any]) -> Any:
    if "enum" in spec:
        return spec["enum"][-1]
    if spec.get("pattern") == "^[a-z]+$":
        return "rlw"
    return SAMPLES[spec["type"]]


@pytest.mark.parametrize("settings", ALL, ids=lambda s: s.__name__)
def test_each_schema_key_is_read_into_its_field(settings: type[Settings]) -> None:
    schema = settings.schema()
    config = {key: _sample(spec) for key, spec in schema.items()}
    jsonschema.validate(config, {"type": "object", "properties": schema, "additionalProperties": False})
    read = settings.from_config(config)
    defaults = settings()
    for field in dataclasses.fields(read):  # type: ignore[arg-type]
        value = getattr(read, field.name)
        expected = config[field.metadata["key"]]
        assert value == (tuple(expected) if isinstance(expected, list) else expected), field.name
        assert value != getattr(defaults, field.name), (
            f"{field.name}: the sample must differ from the default"
        )


@pytest.mark.parametrize("settings", ALL, ids=lambda s: s.__name__)
def test_empty_config_gives_the_schema_defaults(settings: type[Settings]) -> None:
    read = settings.from_config({})
    for field in dataclasses.fields(read):  # type: ignore[arg-type]
        spec = settings.schema()[field.metadata["key"]]
        value = getattr(read, field.name)
        assert spec.get("default") == (list(value) if isinstance(value, tuple) else value)


def test_ill_typed_and_out_of_bounds_values_keep_the_default() -> None:
    assert SasSettings.from_config({"maxExpiryDays": 0}).max_expiry_days == 1
    assert SasSettings.from_config({"maxExpiryDays": "9"}).max_expiry_days == 90
    assert TlsSettings.from_config({"minimumTlsVersion": "TLS1_0"}).minimum_tls_version == "TLS1_2"
    assert HttpsSettings.from_config({"allowLoopback": "no"}).allow_loopback is True


def test_every_configurable_policy_publishes_its_settings_schema() -> None:
    published = {p.name: p.config_schema.properties for p in POLICIES if p.config_schema}
    assert published["aep-connection-https"] == HttpsSettings.schema()
    assert published["azure-storage-min-tls"] == TlsSettings.schema()
    assert published["aep-dataflow-minimum-interval"] == IntervalSettings.schema()
    assert published["aep-dataflow-protected-sandboxes"] == ProtectedSandboxSettings.schema()
    assert published["aep-source-not-container-root"] == RootPathSettings.schema()
    assert set(published) == {
        "aep-connection-https",
        "aep-sas-read-list-short-lived",
        "aep-allowed-sandboxes",
        "aep-protect-production-connections",
        "aep-connection-naming",
        "aep-connection-description",
        "azure-storage-min-tls",
        "azure-storage-blob-source-region",
        "aep-dataflow-minimum-interval",
        "aep-dataflow-protected-sandboxes",
        "aep-source-not-container-root",
    }
