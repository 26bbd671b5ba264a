# The cffi build of _nsexec needs setup.py: pyproject.toml has no cffi_modules key.
from setuptools import setup

setup(
    packages=[
        "runtime",
        "libcontainer",
        "libcontainer.config",
        "libcontainer.cgroups",
        "libcontainer.init",
        "libcontainer.schemas",
        "_nsexec",
    ],
    # schemas/ stays at the top of the tree (see DESIGN.md) but ships inside libcontainer.
    package_dir={"libcontainer.schemas": "schemas"},
    package_data={"libcontainer.schemas": ["*.json"], "_nsexec": ["*.c", "*.h"]},
    cffi_modules=["_nsexec/build.py:ffibuilder"],
    scripts=["bin/pyrunc"],
)
