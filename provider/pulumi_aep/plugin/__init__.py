"""``pulumi-resource-aep``: the schema'd resource provider plugin, a thin gRPC face on ``pulumi_aep.registry``.

Run as ``python -m pulumi_aep.plugin <engine-address>`` (the engine reads the port from stdout), or
``python -m pulumi_aep.plugin --schema`` to print the package schema.
"""
