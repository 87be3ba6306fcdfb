"""Offline emulator of Adobe's Flow Service and IMS APIs."""
