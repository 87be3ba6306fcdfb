"""A stand-in ``azure-native`` resource plugin for the policy e2e tests (the real one is not downloadable)."""
