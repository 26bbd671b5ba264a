"""Errors a user can act on.

Anything raised as a PyruncError is printed by the CLI as one line (its str) with
a non-zero exit; anything else is a bug and shows a traceback only under --debug.
"""


class PyruncError(Exception):
    """A failure to report to the user as a single line."""


class ConfigError(PyruncError):
    """The bundle or its config is wrong; the message names the field."""


class ContainerNotFound(PyruncError):
    """No container with that ID under the state root."""


class InvalidState(PyruncError):
    """The operation is not allowed in the container's current status."""
