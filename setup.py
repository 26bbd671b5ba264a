# The cffi build of _nsexec needs setup.py: pyproject.toml has no cffi_modules key.
# It also builds pyrunc-init, the C program that sets a container up
# (_nsexec/executor.c), next to the cffi module.
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))  # _nsexec.build, below

from setuptools import setup
from setuptools.command.build_ext import build_ext
from distutils.command.build_scripts import build_scripts  # setuptools provides it

INIT_SOURCES = ["executor.c", "rootfs.c", "idmap.c", "copyup.c", "process.c", "attributes.c"]


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
        # Our modules compiled into one file, imported from it (runtime/code_pack.py),
        # for an editable install: it checks each source by mtime, and a wheel's
        # files get new ones when installed (the pack would never match).
        if self.inplace:
            from runtime import code_pack
            code_pack.build(os.path.dirname(os.path.abspath(__file__)))


class BuildLauncher(build_scripts):
    """The `pyrunc` command is a small C program (_nsexec/launcher.c) that
    answers `state` itself and runs the Python command line for the rest."""

    def run(self):
        from distutils.ccompiler import new_compiler
        from distutils.sysconfig import customize_compiler
        from _nsexec.build import build_launcher
        compiler = new_compiler()
        customize_compiler(compiler)
        self.mkpath(self.build_dir)
        build_launcher(compiler, os.path.join("build", "launcher"), self.build_dir)


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
    cmdclass={"build_ext": BuildExtAndInit, "build_scripts": BuildLauncher},
    scripts=["bin/pyrunc"],
)
