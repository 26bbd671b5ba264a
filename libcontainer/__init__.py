"""libcontainer: pyrunc's engine. Its documented API is libcontainer.api.

This file stays empty of imports: the CLI imports the package on every call.
"""
