"""Importing the package (what every preview does, twice) must not load the HTTP stack."""

from __future__ import annotations

import subprocess
import sys


def test_import_and_check_do_not_load_requests() -> None:
    code = (
        "import sys\n"
        "from pulumi.dynamic import Config, ConfigureRequest\n"
        "from pulumi_aep.provider import AzureBlobConnectionProvider\n"
        "p = AzureBlobConnectionProvider()\n"
        "p.configure(ConfigureRequest(Config({}, 'proj')))\n"
        "p.check({}, {'name': 'x', 'sas_uri': 'https://a.blob.core.windows.net/?se=2030-01-01&sig=x'})\n"
        "print(sorted(m for m in ('requests', 'urllib3') if m in sys.modules))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"
