"""Everything that names a property derives from (or is checked against) ``pulumi_aep.definition``."""

from __future__ import annotations

import dataclasses
import inspect

import pulumi_aep
import pulumi_aep.native
from pulumi_aep import model, sdk_runtime
from pulumi_aep.config import ENV_FALLBACKS, ProviderConfig
from pulumi_aep.definition import AZURE_BLOB_CONNECTION, CONFIG, SERVICE_PRINCIPAL, camel, inputs
from pulumi_aep.schema import schema

INPUTS = [p.name for p in inputs()]
RECORDED = [p.name for p in AZURE_BLOB_CONNECTION if p.recorded]
ALL = [p.name for p in AZURE_BLOB_CONNECTION]


def test_model_property_lists_are_the_definitions() -> None:
    assert RECORDED == ["org_id"]
    assert list(model.INPUT_KEYS) == INPUTS + RECORDED
    assert set(model.OUTPUT_ONLY_KEYS) == set(ALL) - set(INPUTS) - set(RECORDED)
    assert {p.name: p.camel for p in SERVICE_PRINCIPAL} == model.SP_FIELDS
    assert sdk_runtime.SECRET_OUTPUTS == ["connection_string", "sas_uri", "service_principal"]


def test_args_classes_have_exactly_the_definitions_inputs() -> None:
    assert {f.name for f in dataclasses.fields(pulumi_aep.AzureBlobConnectionArgs)} == set(INPUTS)
    assert set(pulumi_aep.AzureBlobConnectionArgsDict.__annotations__) == set(INPUTS)
    sp_fields = {f.name for f in dataclasses.fields(pulumi_aep.ServicePrincipalArgs)}
    assert sp_fields == {p.name for p in SERVICE_PRINCIPAL}
    assert set(pulumi_aep.ServicePrincipalArgsDict.__annotations__) == sp_fields
    required = {
        f.name
        for f in dataclasses.fields(pulumi_aep.ServicePrincipalArgs)
        if f.default is dataclasses.MISSING
    }
    assert required == {p.name for p in SERVICE_PRINCIPAL if p.required}


def test_both_resources_expose_every_property_as_an_output() -> None:
    for cls in (pulumi_aep.AzureBlobConnection, pulumi_aep.native.AzureBlobConnection):
        hints = inspect.get_annotations(cls)
        # ``adopt_existing_id`` is create-only: an input, deliberately not an attribute.
        assert set(hints) == set(ALL) - {"adopt_existing_id"}, cls


def test_config_keys_are_the_ones_provider_config_reads() -> None:
    names = [k.name for k in CONFIG]
    seen: list[str] = []

    class Recorder:
        def get(self, key: str) -> None:
            seen.append(key.removeprefix("aep:"))

    ProviderConfig.from_pulumi_config(Recorder(), environ={})
    assert sorted(seen) == sorted(names)
    assert set(ENV_FALLBACKS) <= set(names)
    secret_fields = {f.name for f in dataclasses.fields(ProviderConfig) if not f.repr}
    assert {k.name for k in CONFIG if k.secret} == {camel(f) for f in secret_fields}


def test_schema_names_are_camel_case_of_the_definition() -> None:
    doc = schema()
    resource_schema = doc["resources"]["aep:index:AzureBlobConnection"]
    assert list(resource_schema["inputProperties"]) == [camel(n) for n in INPUTS]
    assert {"connectionString", "sasUri", "servicePrincipal", "folderPath", "sandboxName"} <= set(
        resource_schema["inputProperties"]
    )
    assert {"connectionId", "etag", "state"} <= set(resource_schema["properties"])
    assert doc["config"]["variables"]["clientSecret"]["secret"] is True
    assert doc["config"]["variables"]["orgId"]["defaultInfo"] == {"environment": ["AEP_ORG_ID"]}
    assert resource_schema["properties"]["createdAt"]["type"] == "integer"
    assert doc["provider"]["inputProperties"] == doc["config"]["variables"]
