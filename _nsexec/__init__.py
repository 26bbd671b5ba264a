"""The compiled pre-Python init (see nsexec.c) and its syscall wrappers."""
import os


def library_path():
    """Path of the compiled module, for LD_PRELOAD; found without importing it,
    since importing it is not needed by the parent."""
    here = os.path.dirname(os.path.abspath(__file__))
    for name in os.listdir(here):
        if name.startswith("_native") and name.endswith(".so"):
            return os.path.join(here, name)
    raise ImportError("the _nsexec module is not built: run `pip install .`")
