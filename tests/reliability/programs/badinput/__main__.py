"""Declares one connection per bad-input case listed in cases.json (written by the test)."""

import json
from pathlib import Path

from pulumi_aep import AzureBlobConnection

for case in json.loads(Path("cases.json").read_text(encoding="utf-8")):
    AzureBlobConnection(case["id"], **case["values"])
