"""linux.seccomp.listenerPath: the filter's notification fd goes to the
seccomp agent listening there, with the container's state (runtime-spec
config-linux.md "Seccomp": the ContainerProcessState)."""
import _socket
import os
import sys

from libcontainer import errors, json_text

OCI_VERSION = "1.2.0"


def process_state(spec, container_id, pid, bundle, status):
    from libcontainer.hooks import state_object
    return {"ociVersion": OCI_VERSION, "fds": ["seccompFd"], "pid": pid,
            "metadata": spec["linux"]["seccomp"].get("listenerMetadata", ""),
            "state": state_object(spec, container_id, status, pid, bundle)}


def send(spec, container_id, pid, bundle, fd, status):
    """Send the fd (and close it) to the agent, with the state as JSON."""
    path = spec["linux"]["seccomp"]["listenerPath"]
    message = json_text.dumps(process_state(spec, container_id, pid, bundle, status)).encode()
    sock = _socket.socket(_socket.AF_UNIX, _socket.SOCK_STREAM)
    try:
        sock.connect(path)
        sock.sendmsg([message], [(_socket.SOL_SOCKET, _socket.SCM_RIGHTS,
                                  fd.to_bytes(4, sys.byteorder))])
    except OSError as exc:
        raise errors.PyruncError(
            f"linux.seccomp.listenerPath {path}: {exc.strerror or exc}") from None
    finally:
        sock.close()
        os.close(fd)
