# The cffi build of _nsexec needs setup.py: pyproject.toml has no cffi_modules key.
# It also builds pyrunc-init, the C program that sets a container up
# (_nsexec/executor.c), next to the cffi module.
import os

from setuptools import setup
from setuptools.command.build_ext import build_ext

INIT_SOURCES = ["executor.c", "rootfs.c", "copyup.c", "process.c", "attributes.c"]


class BuildExtAndInit(build_ext):
    def run(self):
        super().run()
        here = os.path.dirname(self.get_ext_fullpath("_nsexec._native"))
        sources = [os.path.join("_nsexec", name) for name in INIT_SOURCES]
        objects = self.compiler.compile(sources, output_dir=self.build_temp,
                                        extra_postargs=["-O2", "-Wall"])
        # Stripped: spawning copies it into a memfd, every time.
        self.compiler.link_executable(objects, "pyrunc-init", output_dir=here,
                                      extra_postargs=["-s"])


setup(
    packages=[
        "runtime",
        "libcontainer",
        "libcontainer.config",
        "libcontainer.cgroups",
        "libcontainer.plan",
        "libcontainer.images",
        "libcontainer.network",
        "libcontainer.schemas",
        "_nsexec",
    ],
    # schemas/ stays at the top of the tree (see DESIGN.md) but ships inside libcontainer.
    package_dir={"libcontainer.schemas": "schemas"},
    package_data={"libcontainer.schemas": ["*.json"], "_nsexec": ["*.c", "*.h"]},
    cffi_modules=["_nsexec/build.py:ffibuilder"],
    cmdclass={"build_ext": BuildExtAndInit},
    scripts=["bin/pyrunc", "bin/pyrunc-network"],
)
