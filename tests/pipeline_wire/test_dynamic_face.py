"""The dynamic face's resources: their type tokens, inputs, and what a preview loads."""

from __future__ import annotations

import subprocess
import sys

import pytest

from pulumi_aep import AzureBlobSourceConnection, Dataflow, DataLakeTargetConnection, Dataset, naming
from pulumi_aep.pipeline_core import DEFINITIONS
from pulumi_aep.sdk_runtime import pipeline_props


def test_type_tokens() -> None:
    for resource in (AzureBlobSourceConnection, Dataset, DataLakeTargetConnection, Dataflow):
        assert resource._resource_type_name == f"dynamic/aep:{resource.__name__}"


def test_props_pass_the_resource_name_for_auto_naming_and_outputs_materialize() -> None:
    props = pipeline_props(DEFINITIONS["Dataset"], "customers", {"schema_id": "s"})
    assert props["name"] is None
    assert props[naming.AUTONAME_KEY] == "customers"
    assert props["schema_id"] == "s"
    assert "dataset_id" in props
    assert props["dataset_id"] is None


def test_an_unknown_input_is_named() -> None:
    with pytest.raises(TypeError, match=r"Dataflow 'f': unknown input\(s\) frequency; the inputs are name,"):
        pipeline_props(DEFINITIONS["Dataflow"], "f", {"frequency": "hour"})


def test_checking_a_pipeline_resource_does_not_load_requests() -> None:
    code = (
        "import sys\n"
        "from pulumi.dynamic import Config, ConfigureRequest\n"
        "from pulumi_aep.pipeline_provider import DataflowProvider\n"
        "p = DataflowProvider()\n"
        "p.configure(ConfigureRequest(Config({}, 'proj')))\n"
        "r = p.check({}, {'name': 'f', 'schedule': {'frequency': 'hour', 'interval': 1, 'start_time': 1}})\n"
        "assert r.failures, r.failures\n"
        "print(sorted(m for m in ('requests', 'urllib3') if m in sys.modules))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"
