"""JSON Schemas written for pyrunc (config, state), shipped as libcontainer.schemas.

libcontainer.config.validate.schema_file finds them, installed or in the tree."""
