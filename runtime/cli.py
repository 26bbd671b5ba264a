"""The command line: runc's commands and flags.

A small table-driven parser instead of argparse: importing argparse (with
gettext and shutil) and building its parser tree costs ~8 ms on every call,
a fifth of a whole container lifecycle. The tables below are the single
source of both the parsing and the help text.
"""
import sys

VERSION = "0.1.0"
SPEC_VERSION = "1.2.0"


class UsageError(Exception):
    """A bad command line; reported as one line like any other error.
    runc exits 1 for these, as for any other error."""

    exit_status = 1


class UnknownCommand(UsageError):
    """runc (urfave/cli) exits 3 for a command it has no help topic for."""

    exit_status = 3


class Flag:
    """kind: bool, str, int, list (repeatable str), intlist (repeatable int)."""

    def __init__(self, names, kind="bool", help="", default=None, choices=None, metavar=None):
        self.names, self.kind, self.help, self.choices = names, kind, help, choices
        self.dest = names[0].lstrip("-").replace("-", "_")
        self.metavar = metavar or self.dest.upper()
        self.default = default if default is not None else {
            "bool": False, "int": 0, "list": [], "intlist": []}.get(kind)


class Command:
    def __init__(self, name, help, flags=(), args=("container-id",), optional=(), rest=None):
        self.name, self.help, self.flags = name, help, list(flags)
        self.args, self.optional, self.rest = list(args), list(optional), rest


class Arguments:
    """The parse result: one attribute per flag and argument."""

    def __repr__(self):
        return f"Arguments({vars(self)})"


_BUNDLE = Flag(["--bundle", "-b"], "str", "path to the bundle directory", default=".")
_CREATE_FLAGS = [
    _BUNDLE,
    Flag(["--console-socket"], "str", "unix socket that receives the pty master", metavar="PATH"),
    Flag(["--pid-file"], "str", "write the container's init pid to PATH", metavar="PATH"),
    Flag(["--preserve-fds"], "int", "pass N more fds (from 3) to the container", metavar="N"),
    Flag(["--no-pivot"], help="no pivot_root: move the root onto / and chroot (a ramdisk root)"),
    Flag(["--no-new-keyring"], help="accepted for runc compatibility"),
]
_DETACH = Flag(["--detach", "-d"], help="return once the process is running")
# runc update's flags; values are checked by libcontainer.update, which
# names the flag in its errors. Unset flags stay None: "do not change".
_UPDATE_FLAGS = [
    Flag(["--resources", "-r"], "str", "a JSON file of linux.resources ('-' reads stdin); "
         "the other flags are then ignored", metavar="FILE"),
    Flag(["--blkio-weight"], "str", "io weight, 10 to 1000", metavar="N"),
    Flag(["--cpu-period"], "str", "CPU CFS period (microseconds)", metavar="N"),
    Flag(["--cpu-quota"], "str", "CPU CFS quota per period (microseconds; -1: none)", metavar="N"),
    Flag(["--cpu-share"], "str", "CPU shares (relative weight)", metavar="N"),
    Flag(["--cpu-rt-period"], "str", "CPU realtime period (microseconds)", metavar="N"),
    Flag(["--cpu-rt-runtime"], "str", "CPU realtime runtime per period (microseconds)",
         metavar="N"),
    Flag(["--cpuset-cpus"], "str", "CPUs to use (0-3,7)", metavar="LIST"),
    Flag(["--cpuset-mems"], "str", "memory nodes to use", metavar="LIST"),
    Flag(["--memory"], "str", "memory limit in bytes (100m, 1g; -1: none)", metavar="SIZE"),
    Flag(["--memory-reservation"], "str", "memory soft limit in bytes", metavar="SIZE"),
    Flag(["--memory-swap"], "str", "memory + swap limit in bytes (-1: unlimited swap)",
         metavar="SIZE"),
    Flag(["--pids-limit"], "str", "most processes at once (-1: none)", metavar="N"),
    Flag(["--l3-cache-schema"], "str", "Intel RDT L3 cache schema (not supported)",
         metavar="SCHEMA"),
    Flag(["--mem-bw-schema"], "str", "Intel RDT memory bandwidth schema (not supported)",
         metavar="SCHEMA"),
]

GLOBAL_FLAGS = [
    Flag(["--root"], "str", "state directory (default /run/pyrunc)", metavar="DIR"),
    Flag(["--log"], "str", "the log: errors, warnings and --debug lines (never on stdio)",
         metavar="FILE"),
    Flag(["--log-format"], "str", "text or json", default="text", choices=("text", "json")),
    Flag(["--debug"], help="tracebacks and debug output"),
    Flag(["--systemd-cgroup"], help="cgroupsPath is systemd's slice:prefix:name"),
    Flag(["--criu"], "str", "accepted for runc compatibility", metavar="PATH"),
    Flag(["--rootless"], "str", "accepted for runc compatibility", metavar="VALUE"),
]

COMMANDS = {c.name: c for c in [
    Command("create", "create a container; its process waits for `start`", _CREATE_FLAGS),
    Command("run", "create and start a container, and wait for it unless -d", [
        _DETACH,
        Flag(["--keep"], help="keep the stopped container (delete it yourself) after it exits"),
        Flag(["--no-subreaper"], help="pyrunc never makes itself a subreaper: accepted as runc's"),
    ] + _CREATE_FLAGS),
    Command("start", "run the process of a created container"),
    Command("state", "print the container's state as JSON"),
    Command("kill", "send a signal (default SIGTERM) to the container's init",
            [Flag(["--all", "-a"], help="signal every process of the container")],
            optional=[("signal", "SIGTERM")]),
    Command("delete", "remove a container and everything it left",
            [Flag(["--force", "-f"], help="kill it first if it is running")]),
    Command("list", "list the containers under --root", [
        Flag(["--format", "-f"], "str", "table or json", default="table", choices=("table", "json")),
        Flag(["--quiet", "-q"], help="only the IDs")], args=()),
    Command("pause", "freeze every process of the container"),
    Command("resume", "thaw a paused container"),
    Command("ps", "list the container's processes (ps -ef, or pids as JSON)", [
        Flag(["--format", "-f"], "str", "table or json", default="table", choices=("table", "json"))],
        rest="ps_args"),
    Command("exec", "run a process inside a running container", [
        Flag(["--console-socket"], "str", "unix socket that receives the pty master", metavar="PATH"),
        Flag(["--cwd"], "str", "working directory inside the container", metavar="DIR"),
        Flag(["--env", "-e"], "list", "set KEY=VALUE (repeatable)", metavar="KEY=VALUE"),
        Flag(["--tty", "-t"], help="allocate a pseudo-terminal"),
        Flag(["--user", "-u"], "str", "run as UID[:GID]", metavar="UID[:GID]"),
        Flag(["--additional-gids", "-g"], "intlist", "an extra group (repeatable)", metavar="GID"),
        Flag(["--process", "-p"], "str", "a process.json instead of the command line", metavar="FILE"),
        _DETACH,
        Flag(["--pid-file"], "str", "write the process's pid to PATH", metavar="PATH"),
        Flag(["--preserve-fds"], "int", "pass N more fds (from 3) to the process", metavar="N"),
        Flag(["--no-new-privs"], help="set no_new_privs for the process"),
        Flag(["--cap", "-c"], "list", "add a capability (repeatable)", metavar="CAP"),
        Flag(["--ignore-paused"], help="exec even when the container is paused"),
        Flag(["--cgroup"], "list", "join an existing sub-cgroup: PATH, or (v1, repeatable) "
             "CONTROLLER[,CONTROLLER]:PATH", metavar="[CONTROLLER:]PATH"),
        Flag(["--apparmor"], "str", "AppArmor profile (not supported: an error)", metavar="PROFILE"),
        Flag(["--process-label"], "str", "SELinux label (not supported: an error)",
             metavar="LABEL"),
    ], rest="command"),
    Command("spec", "write a default config into the bundle", [
        _BUNDLE,
        Flag(["--format"], "str", "json or yaml", default="json", choices=("json", "yaml")),
        Flag(["--rootless"], help="a config for running as an unprivileged user")], args=()),
    Command("validate", "check a bundle's config, naming each problem's path", [_BUNDLE], args=()),
    Command("update", "change a running container's resource limits (cgroup and config)",
            _UPDATE_FLAGS),
    Command("events", "print the container's stats (and OOM events) as JSON lines", [
        Flag(["--interval"], "str", "time between stats lines (default 5s)", default="5s",
             metavar="DURATION"),
        Flag(["--stats"], help="print the stats once and exit")]),
    Command("features", "print the features pyrunc implements (runtime-spec features.md)",
            args=()),
    Command("help", "list the commands, or show one command's flags", args=(),
            optional=[("topic", None)]),
    # The image workflow (libcontainer/images): not runc's, named so as not to clash.
    Command("run-image", "make a bundle from an image and flags, and run it", [
        Flag(["--tty", "-t"], help="a pseudo-terminal (in the foreground)"),
        Flag(["--interactive", "-i"], help="keep stdin attached (else /dev/null)"),
        _DETACH,
        Flag(["--name"], "str", "the container's id (default: 12 random hex digits)",
             metavar="ID"),
        Flag(["--volume", "-v"], "list", "bind a host path (repeatable)", metavar="SRC:DST[:ro]"),
        Flag(["--env", "-e"], "list", "set KEY=VALUE (repeatable)", metavar="KEY=VALUE"),
        Flag(["--memory", "-m"], "str", "memory limit, e.g. 100m or 1g", metavar="SIZE"),
        Flag(["--cpus"], "str", "CPU time, in CPUs (e.g. 0.5)", metavar="N"),
        Flag(["--cpu-shares"], "int", "relative CPU weight (2-262144)", metavar="N"),
        Flag(["--cpuset-cpus"], "str", "the CPUs it may run on, e.g. 0-1,3", metavar="LIST"),
        Flag(["--publish", "-p"], "list", "map a host port to a container port (repeatable)",
             metavar="HOST:CTR[/udp]"),
        Flag(["--network"], "str", "none (loopback only) or bridge (default: bridge with -p)",
             metavar="KIND"),
        Flag(["--keep"], help="in the foreground: keep the stopped container (for commit)"),
    ], args=("image",), rest="command"),
    Command("logs", "print what a run-image -d container wrote to stdout and stderr", [
        Flag(["--follow", "-f"], help="keep printing until the container stops")]),
    Command("stop", "SIGTERM (or the image's stop signal), then SIGKILL after a grace period", [
        Flag(["--time", "-t"], "int", "seconds to wait before SIGKILL", default=10,
             metavar="SECONDS")]),
    Command("commit", "a run-image container's writable layer as a new image",
            args=("container-id", "image")),
    Command("export", "write a run-image container's root (or --layer: its changes) as a tar",
            [Flag(["--layer"], help="only its writable layer, whiteouts included")],
            args=("container-id", "file")),
    Command("image load", "add an image: a rootfs tarball, an OCI layout or archive, "
            "a docker archive", [Flag(["--name"], "str", "the image's name", metavar="NAME")],
            args=("source",)),
    Command("image ls", "list the images", [Flag(["--quiet", "-q"], help="only the names")],
            args=()),
    Command("image rm", "remove an image (layers still in use stay)", args=("image",)),
    Command("image save", "write an image as an OCI archive", args=("image", "file")),
]}
# runc's (urfave/cli's) one alias.
ALIASES = {"h": "help"}
# Commands with a second word (`pyrunc image load`).
GROUPS = frozenset(name.split()[0] for name in COMMANDS if " " in name)


def parse(argv=None, args=None):
    """-> Arguments. args: an Arguments to fill in, so a caller can still read
    the global flags (--log) when the command's part fails to parse."""
    argv = list(sys.argv[1:] if argv is None else argv)
    args = Arguments() if args is None else args
    found, rest = _parse_flags(argv, GLOBAL_FLAGS, args, "pyrunc", limit=1)
    if not found:
        # runc with no command prints its help and succeeds.
        print(help_text())
        sys.exit(0)
    if found[0] in GROUPS and rest and not rest[0].startswith("-"):
        found[0] += " " + rest.pop(0)
    command = COMMANDS.get(ALIASES.get(found[0], found[0]))
    if command is None and found[0].split()[0] in GROUPS:
        group = found[0].split()[0]
        words = ", ".join(n.split()[1] for n in COMMANDS if n.startswith(group + " "))
        raise UsageError(f"{found[0]}: {group} needs one of: {words}")
    if command is None:
        raise UnknownCommand(f"unknown command {found[0]!r} (pyrunc help lists them)")
    args.subcommand = command.name
    # A command taking a trailing command line (exec) stops reading flags
    # after its own arguments: what follows belongs to that command line.
    limit = len(command.args) if command.rest else None
    positionals, rest = _parse_flags(rest, command.flags, args, command.name, limit)
    _assign_positionals(command, positionals + rest, args)
    return args


def _parse_flags(argv, flags, args, where, limit=None):
    """Set each flag's value (or default) on args. Returns the positionals
    and, once `limit` positionals have been read, the arguments left."""
    table = {name: flag for flag in flags for name in flag.names}
    for flag in flags:
        default = flag.default
        setattr(args, flag.dest, list(default) if isinstance(default, list) else default)
    found = []
    while argv and (limit is None or len(found) < limit):
        arg = argv.pop(0)
        if arg == "--":
            found += argv
            argv = []
        elif arg in ("-h", "--help"):
            print(help_text(where))
            sys.exit(0)
        elif arg in ("-v", "--version") and where == "pyrunc":
            print(version_text())
            sys.exit(0)
        elif not arg.startswith("-") or arg == "-":
            found.append(arg)
        elif _short_bundle(arg, table):
            argv[:0] = ["-" + letter for letter in arg[1:]]  # -ti is -t -i
        else:
            name, has_value, value = arg.partition("=")
            if name not in table:
                raise _usage(where, f"unknown flag {name}")
            _set(table[name], args, where, value if has_value else None, argv)
    return found, argv


def _short_bundle(arg, table):
    """-ti: single-letter switches given together."""
    return (len(arg) > 2 and arg[1] != "-" and arg not in table
            and all(table.get("-" + letter) is not None and table["-" + letter].kind == "bool"
                    for letter in arg[1:]))


def _set(flag, args, where, value, argv):
    if flag.kind == "bool":
        if value is not None:
            raise _usage(where, f"{flag.names[0]} takes no value")
        setattr(args, flag.dest, True)
        return
    if value is None:
        if not argv:
            raise _usage(where, f"{flag.names[0]} needs a value")
        value = argv.pop(0)
    if flag.choices and value not in flag.choices:
        raise _usage(where, f"{flag.names[0]} must be one of: {', '.join(flag.choices)}")
    if flag.kind in ("int", "intlist"):
        try:
            value = int(value)
        except ValueError:
            raise _usage(where, f"{flag.names[0]} needs a number, got {value!r}") from None
    if flag.kind in ("list", "intlist"):
        getattr(args, flag.dest).append(value)
    else:
        setattr(args, flag.dest, value)


def _usage(where, text):
    # Global flags need no prefix: the error line already starts "pyrunc:".
    return UsageError(text if where == "pyrunc" else f"{where}: {text}")


def _assign_positionals(command, positionals, args):
    for i, name in enumerate(command.args):
        if i >= len(positionals):
            raise UsageError(f"{command.name}: missing argument {name}")
        setattr(args, name.replace("-", "_"), positionals[i])
    for i, (name, default) in enumerate(command.optional, len(command.args)):
        setattr(args, name, positionals[i] if i < len(positionals) else default)
    extra = positionals[len(command.args) + len(command.optional):]
    if command.rest:
        setattr(args, command.rest, extra)
    elif extra:
        raise UsageError(f"{command.name}: unexpected argument {extra[0]!r}")


def version_text():
    """runc's --version lines: "NAME version X", then "key: value" lines
    (engines read the first line and "spec:")."""
    import platform
    from libcontainer.features import libseccomp_version
    lines = [f"pyrunc version {VERSION}", f"spec: {SPEC_VERSION}",
             f"python: {platform.python_version()}"]
    seccomp = libseccomp_version()
    if seccomp:
        lines.append(f"libseccomp: {seccomp}")
    return "\n".join(lines)


def help_topic(topic):
    """`pyrunc help [COMMAND]`: the text, or UnknownCommand as runc's exit 3."""
    if topic is None:
        return help_text()
    name = ALIASES.get(topic, topic)
    if name not in COMMANDS:
        raise UnknownCommand(f"no help topic for {topic!r} (pyrunc help lists the commands)")
    return help_text(name)


def help_text(where="pyrunc"):
    if where == "pyrunc":
        lines = ["usage: pyrunc [global flags] COMMAND [flags] [arguments]",
                 "An OCI container runtime (runc-compatible).", "", "commands:"]
        lines += [f"  {c.name:10} {c.help}" for c in COMMANDS.values()]
        return "\n".join(lines + ["", "global flags:"] + _flag_lines(GLOBAL_FLAGS))
    command = COMMANDS[where]
    usage = " ".join([f"usage: pyrunc {where} [flags]"] + command.args
                     + [f"[{name}]" for name, _default in command.optional]
                     + ([f"{command.rest.upper()} [ARGS...]"] if command.rest else []))
    return "\n".join([usage, command.help, "", "flags:"] + _flag_lines(command.flags))


def _flag_lines(flags):
    lines = []
    for flag in flags:
        names = ", ".join(flag.names) + ("" if flag.kind == "bool" else f" {flag.metavar}")
        lines.append(f"  {names:34} {flag.help}")
    return lines
