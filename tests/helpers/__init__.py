"""Shared test helpers: the emulator and Azurite as pytest fixtures and context managers."""
