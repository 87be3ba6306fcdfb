"""``python -m aep_emulator serve ...``."""

from __future__ import annotations

import sys

from aep_emulator.cli import main

sys.exit(main())
