"""pulumi-aep's own Pulumi language host for Python programs, built on the gRPC stubs of the `pulumi` package.

The Pulumi CLI starts `pulumi-language-python <engine-address>` and reads the port of our gRPC server from the
first line of stdout. `server` answers the LanguageRuntime RPCs; `program` runs a Pulumi program (through
`exec_program`, executed in the program's own interpreter); `plugins` runs plugins such as policy packs;
`interpreter` picks the Python to use; `probe` asks that Python what it has installed.
"""

from __future__ import annotations

# Reported by GetPluginInfo; bump when the host's behaviour changes.
__version__ = "0.1.0"
