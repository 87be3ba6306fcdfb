"""Example tests reuse the end-to-end fixtures (real CLI, emulator, throwaway stacks)."""

from tests.e2e.conftest import emulator, fresh_emulator, make_project, pulumi_shims

__all__ = ["emulator", "fresh_emulator", "make_project", "pulumi_shims"]
