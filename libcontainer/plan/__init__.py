"""A container's set-up as a plan: plain data that pyrunc-init (C, see
_nsexec/executor.c) executes in the child before any interpreter exists.

compile_create() and compile_exec() turn a validated spec into a list of
Op; each names the config field it came from, so the init's errors do too.
Pure Python: unit tests check exact plans without root.
"""
from libcontainer.plan.ops import Op, encode  # noqa: F401  (the package's API)
from libcontainer.plan.create import CreateContext, compile_create  # noqa: F401
from libcontainer.plan.exec import compile_exec  # noqa: F401
from libcontainer.plan.process import passes_fds  # noqa: F401
