"""Example tests reuse the end-to-end fixtures (real CLI, emulator, throwaway stacks)."""

from tests.e2e.conftest import configured_project, emulator, fresh_emulator, make_project, pulumi_shims

__all__ = ["configured_project", "emulator", "fresh_emulator", "make_project", "pulumi_shims"]
