"""Values unknown at preview: policies defer (the analyzer's advisory note) instead of crashing or passing."""

from __future__ import annotations

import pytest
from google.protobuf import json_format, struct_pb2
from pulumi.output import Unknown
from pulumi.runtime import proto
from pulumi_policy import EnforcementLevel
from pulumi_policy.policy import _PolicyAnalyzerServicer
from pulumi_policy.proxy import UnknownValueError

from aep_policies import PACK_NAME, POLICIES
from aep_policies.policies import (
    allowed_sandboxes,
    connection_https,
    connection_naming,
    protect_production_connections,
    sas_read_list_short_lived,
    storage_blob_source_region,
)
from aep_policies.values import get, has_key
from tests.policy.helpers import (
    CONNECTION_TYPE,
    STORAGE_TYPE,
    UNKNOWN,
    connection_props,
    policy_resource,
    resource_args,
    sas_uri,
    stack_args,
    storage_props,
    urn,
    violations,
)

pytestmark = pytest.mark.policy


def test_plain_sentinel_reads_as_unknown() -> None:
    with pytest.raises(UnknownValueError) as caught:
        get({"connection_string": UNKNOWN}, "connection_string")
    assert caught.value.message == "string value at .connection_string can't be known during preview"


def test_sdk_unknown_object_reads_as_unknown() -> None:
    with pytest.raises(UnknownValueError) as caught:
        get({"sandbox_name": Unknown()}, "sandbox_name")  # type: ignore[no-untyped-call]
    assert caught.value.props == ["sandbox_name"]


def test_presence_check_does_not_read_the_value() -> None:
    assert has_key(resource_args({"connection_string": UNKNOWN}).props, "connection_string")


def test_unknown_connection_string_defers_the_https_policy() -> None:
    with pytest.raises(UnknownValueError):
        violations(connection_https, resource_args(connection_props(connection_string=UNKNOWN)))


def test_unknown_nested_service_endpoint_defers_the_https_policy() -> None:
    principal = {"service_endpoint": UNKNOWN, "tenant": "contoso"}
    props = connection_props(connection_string=None, service_principal=principal)
    with pytest.raises(UnknownValueError) as caught:
        violations(connection_https, resource_args(props))
    assert caught.value.props == ["service_principal", "service_endpoint"]


def test_known_violation_is_reported_even_when_another_input_is_unknown() -> None:
    props = connection_props(connection_string=UNKNOWN, sas_uri=sas_uri("rwl", 30))
    found = violations(sas_read_list_short_lived, resource_args(props))
    assert [m.split(".")[0] for m in found] == ["sas_uri grants permissions 'w' beyond read (r) and list (l)"]


def test_unknown_sandbox_defers_the_allowed_sandboxes_policy() -> None:
    with pytest.raises(UnknownValueError):
        violations(allowed_sandboxes, resource_args(connection_props(sandbox_name=UNKNOWN)))


def test_protected_connection_passes_even_with_an_unknown_sandbox() -> None:
    args = resource_args(connection_props(sandbox_name=UNKNOWN), protect=True)
    assert violations(protect_production_connections, args) == []


def test_unknown_name_defers_the_naming_policy() -> None:
    with pytest.raises(UnknownValueError):
        violations(connection_naming, resource_args(connection_props(name=UNKNOWN)))


def test_unknown_location_defers_only_that_account() -> None:
    found: list[str | None] = []

    def report(_message: str, urn_: str | None = None) -> None:
        found.append(urn_)

    args = stack_args(
        policy_resource(storage_props(location=UNKNOWN), type_=STORAGE_TYPE, name="pending"),
        policy_resource(storage_props(location="westeurope"), type_=STORAGE_TYPE, name="acmeorders"),
        policy_resource(connection_props()),
    )
    with pytest.raises(UnknownValueError):
        storage_blob_source_region.validate(args, report)
    assert found == [urn("acmeorders", STORAGE_TYPE)]


def _analyze(props: dict[str, object]) -> list[proto.AnalyzeDiagnostic]:
    """Run the whole pack through pulumi_policy's analyzer servicer, as the CLI would at preview."""
    servicer = _PolicyAnalyzerServicer(PACK_NAME, "0.1.0", POLICIES, EnforcementLevel.ADVISORY)
    properties = struct_pb2.Struct()
    json_format.ParseDict(props, properties)
    request = proto.AnalyzeRequest(
        type=CONNECTION_TYPE, properties=properties, urn=urn("orders"), name="orders"
    )
    return list(servicer.Analyze(request, None).diagnostics)  # type: ignore[no-untyped-call]


def test_analyzer_turns_unknown_inputs_into_advisory_notes() -> None:
    diagnostics = _analyze(connection_props(connection_string=UNKNOWN))
    assert {(d.policyName, d.enforcementLevel) for d in diagnostics} == {
        ("aep-connection-https", proto.ADVISORY),
        ("aep-sas-read-list-short-lived", proto.ADVISORY),
    }
    assert all("can't be known during preview" in d.message for d in diagnostics)


def test_analyzer_reports_nothing_for_a_compliant_connection() -> None:
    assert _analyze(connection_props()) == []
