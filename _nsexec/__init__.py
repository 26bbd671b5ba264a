"""The C side of pyrunc: pyrunc-init, which runs a container's plan before
any interpreter exists (executor.c), and the cffi module _native (libseccomp
wrappers and the plan's operation numbers)."""
import os

INIT_NAME = "pyrunc-init"


def init_path():
    """Path of the compiled pyrunc-init, found without importing anything."""
    path = os.path.join(os.path.dirname(os.path.abspath(__file__)), INIT_NAME)
    if not os.path.isfile(path):
        raise ImportError("pyrunc-init is not built: run `pip install -e .`")
    return path
