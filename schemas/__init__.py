"""JSON Schemas written for pyrunc (config, state), shipped as libcontainer.schemas."""

import os


def schema_path(name: str) -> str:
    """Absolute path of the schema file `name` (e.g. "config-schema.json") in this folder."""
    return os.path.join(os.path.dirname(os.path.abspath(__file__)), name)
