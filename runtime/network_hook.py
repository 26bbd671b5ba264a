"""The OCI hook that puts a container on a bridge (`pyrunc-network` in its
messages), run as `python3 -I -m runtime.network_hook`:

    ... --root DIR up [--bridge NAME] [--subnet CIDR] [--port HOST:CTR[/udp]]...
    ... --root DIR down

It reads the container's state (id, pid) from stdin, as every OCI hook does.
`up` belongs in createRuntime (the network namespace exists, nothing runs
yet), `down` in poststop. Errors: one line on stderr, exit status 1 (pyrunc
reports it as the hook's failure)."""
import json
import sys

from libcontainer import errors
from libcontainer.network import DEFAULT_BRIDGE, DEFAULT_SUBNET

USAGE = ("usage: python3 -m runtime.network_hook --root DIR up [--bridge NAME] "
         "[--subnet CIDR] [--port HOST:CTR[/udp]]... | --root DIR down")


def parse(argv):
    options = {"root": None, "bridge": DEFAULT_BRIDGE, "subnet": DEFAULT_SUBNET,
               "ports": [], "action": None}
    names = {"--root": "root", "--bridge": "bridge", "--subnet": "subnet", "--port": "ports"}
    argv = list(argv)
    while argv:
        arg = argv.pop(0)
        if arg in ("up", "down") and options["action"] is None:
            options["action"] = arg
        elif arg in names and argv:
            value = argv.pop(0)
            if arg == "--port":
                from libcontainer.images.options import port
                options["ports"].append(port(value, "--port"))
            else:
                options[names[arg]] = value
        else:
            raise errors.PyruncError(f"{arg!r}: {USAGE}")
    if options["action"] is None or options["root"] is None:
        raise errors.PyruncError(USAGE)
    return options


def read_state(stream):
    try:
        state = json.load(stream)
        return state["id"], int(state.get("pid") or 0)
    except (ValueError, KeyError, TypeError):
        raise errors.PyruncError("stdin: not an OCI container state (with id and pid)") from None


def main(argv=None):
    from libcontainer.network import hook
    try:
        options = parse(sys.argv[1:] if argv is None else argv)
        container_id, pid = read_state(sys.stdin)
        if options["action"] == "up":
            if not pid:
                raise errors.PyruncError(f"container {container_id}: no pid to attach")
            hook.up(options["root"], container_id, pid, options["bridge"], options["subnet"],
                    options["ports"])
        else:
            hook.down(options["root"], container_id)
    except errors.PyruncError as exc:
        print(f"pyrunc-network: {exc}", file=sys.stderr)
        sys.exit(1)
    except OSError as exc:
        print(f"pyrunc-network: {exc.strerror or exc}", file=sys.stderr)
        sys.exit(1)
    except Exception as exc:  # netlink's errors (pyroute2's NetlinkError) among them
        print(f"pyrunc-network: {type(exc).__name__}: {exc}", file=sys.stderr)
        sys.exit(1)


if __name__ == "__main__":
    main()
