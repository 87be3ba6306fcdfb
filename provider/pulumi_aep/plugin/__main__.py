"""Entry point of ``pulumi-resource-aep``: ``python -m pulumi_aep.plugin``."""

from __future__ import annotations

import sys

from pulumi_aep.plugin.cli import main

if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
