"""The pipeline's bad-input corpus through the real CLI: every case fails `pulumi preview`, property named,
with no API write and no secret in the output.

The engine stops a preview at the first check failure, so each case is its own preview of a program
that declares the one resource of the case. All cases run on the dynamic face (a Python program reading
``case.json``); ``PLUGIN_CASES`` (one per resource type, plus the schedule) also run on the plugin face
(a YAML program written per case), which names properties in camelCase. Two workers, a project per
worker and face. The exact message of every case is asserted in process by ``tests/pipeline/test_corpus.py``.
"""

from __future__ import annotations

import json
import re
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final

import pytest

from aep_emulator.testing import SECRET_CONFIG_KEYS, provider_config
from pulumi_aep.definition import camel
from pulumi_aep.plugin.values import wire_path
from tests.conftest import prerequisite_missing
from tests.e2e.conftest import pulumi_shims
from tests.e2e.harness import REPO, PulumiCli, PulumiProject, copy_program
from tests.faces.harness import use_plugin, write_launcher, yaml_host_available
from tests.helpers.emulator import EmulatorSession
from tests.pipeline.corpus import BY_ID, CASES, Case

pytestmark = [pytest.mark.e2e, pytest.mark.emulator, pytest.mark.slow]
__all__ = ["pulumi_shims"]

WORKERS: Final = 2
PROGRAM: Final = REPO / "tests/pipeline_wire/programs/badinput"
#: One case per resource type and one per schedule rule family, on the plugin face too.
PLUGIN_CASES: Final = (
    "src-delimiter-escaped-tab",
    "ds-schema-field-group",
    "tgt-dataset-ref",
    "flow-spec-id-blob-connection-spec",
    "flow-same-connection-twice",
    "sched-minute-14",
)
WRITES: Final = {"POST", "PATCH", "PUT", "DELETE"}
_YAML_HEAD: Final = "name: aep-pipeline-badinput-yaml\nruntime: yaml\n"


@dataclass(frozen=True)
class Outcome:
    face: str
    case: Case
    code: int
    output: str


def _camel_inputs(value: Any) -> Any:
    if isinstance(value, dict):
        return {camel(k): _camel_inputs(v) for k, v in value.items()}
    return value


def _write_dynamic(work: Path, case: Case) -> None:
    spec = {"id": case.id, "resource": case.resource, "inputs": case.inputs}
    (work / "case.json").write_text(json.dumps(spec), encoding="utf-8")


def _write_yaml(plugin_dir: Path) -> Callable[[Path, Case], None]:
    def write(work: Path, case: Case) -> None:
        resource = {"type": f"aep:index:{case.resource}", "properties": _camel_inputs(case.inputs)}
        # JSON is YAML: every value is quoted and escaped exactly.
        (work / "Pulumi.yaml").write_text(
            _YAML_HEAD + "resources:\n  " + json.dumps({case.id: resource}) + "\n", encoding="utf-8"
        )
        use_plugin(work, plugin_dir)

    return write


def _project(cli: PulumiCli, work: Path, stack: str, base_url: str) -> PulumiProject:
    """A stack pointed at the emulator: the plain keys in one call, the secret one through stdin."""
    project = PulumiProject(cli=cli, work_dir=work, stack=stack)
    project.init()
    config = provider_config(base_url)
    plain = [f"{k}={v}" for k, v in config.items() if k not in SECRET_CONFIG_KEYS]
    project.run("config", "set-all", "--stack", stack, *(a for kv in plain for a in ("--plaintext", kv)))
    for key in SECRET_CONFIG_KEYS:
        project.config(key, config[key], secret=True)
    return project


def _run(
    project: PulumiProject, write: Callable[[Path, Case], None], face: str, cases: list[Case]
) -> list[Outcome]:
    outcomes = []
    for case in cases:
        write(project.work_dir, case)
        proc = project.preview(check=False)
        outcomes.append(Outcome(face, case, proc.returncode, proc.stdout + proc.stderr))
    return outcomes


def problems_of(outcome: Outcome, secrets: tuple[str, ...]) -> list[str]:
    """What is wrong with one preview's outcome (empty when it refused the case as it should)."""
    case, output = outcome.case, outcome.output
    prop = wire_path(case.property) if outcome.face == "plugin" else case.property
    found = []
    if outcome.code == 0:
        found.append("preview succeeded")
    # The value is printed between the two (it may hold a line break: CRLF cases).
    named = re.search(
        rf"property {re.escape(prop)} value .*?has a problem: [^\n]*{re.escape(case.reason)}",
        output,
        re.DOTALL,
    )
    if named is None:
        found.append(f"no 'property {prop} value ... has a problem: ...{case.reason}'")
    found += [f"a secret ({s[:4]}...) is in the output" for s in secrets if s in output]
    return found


def test_every_case_fails_preview_naming_the_property_without_a_write(
    pulumi_shims: Path, tmp_path: Path, emulator: EmulatorSession
) -> None:
    use_yaml = yaml_host_available(pulumi_shims)
    if not use_yaml:
        prerequisite_missing("the YAML language host pulumi-language-yaml (run `make engine`)")
    started = time.monotonic()
    cli = PulumiCli(shims=pulumi_shims, root=tmp_path / "pulumi")
    base_url = emulator.base_url
    write_yaml = _write_yaml(write_launcher(tmp_path / "plugin"))
    plugin_cases = [BY_ID[i] for i in PLUGIN_CASES]

    def worker(index: int) -> list[Outcome]:
        dynamic = _project(cli, copy_program(PROGRAM, tmp_path / f"dynamic{index}"), f"dyn{index}", base_url)
        outcomes = _run(dynamic, _write_dynamic, "dynamic", list(CASES[index::WORKERS]))
        (tmp_path / f"yaml{index}").mkdir()
        write_yaml(tmp_path / f"yaml{index}", plugin_cases[0])
        plugin = _project(cli, tmp_path / f"yaml{index}", f"yaml{index}", base_url)
        # The stacks live in tmp_path's backend: nothing to remove.
        return outcomes + _run(plugin, write_yaml, "plugin", plugin_cases[index::WORKERS])

    with ThreadPoolExecutor(WORKERS) as pool:
        outcomes = [o for batch in pool.map(worker, range(WORKERS)) for o in batch]
    elapsed = time.monotonic() - started

    config = provider_config(base_url)
    secrets = tuple(config[k] for k in SECRET_CONFIG_KEYS)
    problems = [
        f"{o.face} {o.case.id}: exit {o.code}: {'; '.join(found)}\n{o.output[-1500:]}"
        for o in outcomes
        if (found := problems_of(o, secrets))
    ]
    assert not problems, "\n\n".join(problems)
    assert len(outcomes) == len(CASES) + len(PLUGIN_CASES)
    served = emulator.server.control.requests()
    writes = [
        f"{r['method']} {r['path']}" for r in served if r["method"] in WRITES and "/ims/" not in r["path"]
    ]
    assert writes == [], writes
    assert any(r["method"] == "POST" for r in served), "the log records writes (the fixture's token POST)"
    print(
        f"\npipeline bad-input CLI: {len(CASES)} dynamic + {len(PLUGIN_CASES)} plugin previews, "
        f"{len(served)} requests served, 0 writes, {elapsed:.1f} s"
    )
