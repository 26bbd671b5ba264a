"""The hooks `run-image --network bridge` writes into config.json, and the
checks it makes first so that a bad -p fails before anything exists."""
import os
import shutil
import sys

from libcontainer import errors
from libcontainer.network import DEFAULT_BRIDGE, DEFAULT_SUBNET, firewall, leases

HOOK_NAME = "pyrunc-network"


def find_hook():
    """pyrunc-network beside the running pyrunc, beside the interpreter, or on PATH."""
    for directory in (os.path.dirname(os.path.abspath(sys.argv[0] or ".")),
                      os.path.dirname(sys.executable)):
        candidate = os.path.join(directory, HOOK_NAME)
        if os.access(candidate, os.X_OK):
            return candidate
    found = shutil.which(HOOK_NAME)
    if not found:
        raise errors.PyruncError(f"--network bridge: the {HOOK_NAME} hook is not installed "
                                 "(pip install pyrunc puts it beside pyrunc)")
    return found


def check(state_root, ports):
    """Everything a bridge network needs, and the ports free, or one line why."""
    try:
        import pyroute2  # noqa: F401 (the hook needs it; say so now, not from the hook)
    except ImportError:
        raise errors.PyruncError("--network bridge: pyroute2 is not installed "
                                 "(pip install pyroute2)") from None
    if ports and not firewall.available():
        raise errors.PyruncError("-p: port mappings need nftables (the nft command)")
    table = leases.Leases(state_root).read()
    conflict = leases.port_conflict(table, ports)
    if conflict:
        raise errors.PyruncError(conflict)


def hooks(state_root, ports, bridge=DEFAULT_BRIDGE, subnet=DEFAULT_SUBNET):
    path = find_hook()
    base = [HOOK_NAME, "--root", os.path.abspath(state_root)]
    up = base + ["up", "--bridge", bridge, "--subnet", subnet]
    for port in ports:
        up += ["--port", f"{port['host']}:{port['container']}/{port['protocol']}"]
    return {"createRuntime": [{"path": path, "args": up}],
            "poststop": [{"path": path, "args": base + ["down"]}]}
