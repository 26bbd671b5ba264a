"""The hooks `run-image --network bridge` writes into config.json, and the
checks it makes first so that a bad -p fails before anything exists."""
import os
import sys

from libcontainer import errors
from libcontainer.network import DEFAULT_BRIDGE, DEFAULT_SUBNET, firewall, leases

# The hook is this interpreter running runtime/network_hook.py: isolated (-I),
# so neither the caller's PYTHONPATH nor the hook's cwd can change what runs.
HOOK_MODULE = "runtime.network_hook"


def hook_command():
    """(path, args) that run the hook."""
    if not sys.executable or not os.access(sys.executable, os.X_OK):
        raise errors.PyruncError("--network bridge: no interpreter path to run the "
                                 "network hook with")
    # argv[0] the full path too: Python finds its venv (and so pyrunc) from it.
    return sys.executable, [sys.executable, "-I", "-m", HOOK_MODULE]


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
    path, command = hook_command()
    base = command + ["--root", os.path.abspath(state_root)]
    up = base + ["up", "--bridge", bridge, "--subnet", subnet]
    for port in ports:
        up += ["--port", f"{port['host']}:{port['container']}/{port['protocol']}"]
    return {"createRuntime": [{"path": path, "args": up}],
            "poststop": [{"path": path, "args": base + ["down"]}]}
