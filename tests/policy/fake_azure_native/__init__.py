"""A stand-in ``azure-native`` resource plugin for policy e2e tests (the real one cannot be downloaded here)."""
