"""The library API: drive containers from Python without the CLI.

    from libcontainer import api
    store = api.StateStore("/run/mytests")        # the state root (--root)
    container = api.create(store, "c1", "/path/to/bundle")
    api.start(container)
    print(api.state(store, "c1"))                 # the runtime-spec state dict
    pid = api.exec_process(container, api.process_spec(container, ["ps"]))
    api.update(container, {"pids": {"limit": 100}})  # new linux.resources values
    print(api.stats(container))                   # usage, as `events --stats` prints it
    api.kill(container, 15)
    api.delete(container, force=True)

Also: load_bundle(path) -> the validated config; run(store, id, bundle) ->
the exit status; pause/resume; Container.load(store, id). Errors a user can
act on are PyruncError (subclasses in libcontainer.errors), each one line.

The container's init and every exec'd process are children of the calling
process, as with subprocess: wait for an exec'd process with os.waitpid (a
zombie in the container's pid namespace keeps its init from dying); delete
collects the init.
"""
from libcontainer.config.loader import load_bundle
from libcontainer.container import Container
from libcontainer.create import create
from libcontainer.delete import delete
from libcontainer.errors import PyruncError
from libcontainer.exec_process import exec_process, process_spec
from libcontainer.kill import kill
from libcontainer.pause import pause, resume
from libcontainer.run import run
from libcontainer.start import start
from libcontainer.state import StateStore
from libcontainer.update import update

__all__ = ["Container", "PyruncError", "StateStore", "create", "delete", "exec_process",
           "kill", "load_bundle", "pause", "process_spec", "resume", "run", "start", "state",
           "stats", "update"]


def state(store, container_id):
    """The runtime-spec state of a container (runtime.md "State") as a dict."""
    return Container.load(store, container_id).oci_state()


def stats(container):
    """The container's resource usage (the "data" of `pyrunc events --stats`)."""
    return container.cgroup().stats()
