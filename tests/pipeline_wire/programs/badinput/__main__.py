"""Declares the one pipeline resource of the bad-input case in case.json (written by the test)."""

import json
from pathlib import Path

import pulumi_aep

case = json.loads(Path("case.json").read_text(encoding="utf-8"))
getattr(pulumi_aep, case["resource"])(case["id"], **case["inputs"])
