"""The command line: runc's commands and flags, parsed with argparse."""
import argparse
import sys


class UsageError(Exception):
    """A bad command line; reported as one line like any other error."""


class _Parser(argparse.ArgumentParser):
    def error(self, message):
        raise UsageError(f"{self.prog}: {message}")


def _bundle(p):
    p.add_argument("--bundle", "-b", default=".", help="path to the bundle (default: .)")


def _create_flags(p):
    _bundle(p)
    p.add_argument("--console-socket", help="unix socket that receives the pty master")
    p.add_argument("--pid-file", help="write the init's pid to this file")
    p.add_argument("--preserve-fds", type=int, default=0, help="pass N fds beyond stdio")
    p.add_argument("--no-pivot", action="store_true", help="accepted for runc compatibility")
    p.add_argument("--no-new-keyring", action="store_true", help="accepted for runc compatibility")
    p.add_argument("container_id", metavar="container-id")


def _exec_flags(p):
    p.add_argument("--console-socket")
    p.add_argument("--cwd", help="working directory inside the container")
    p.add_argument("--env", "-e", action="append", default=[], help="KEY=VALUE, repeatable")
    p.add_argument("--tty", "-t", action="store_true", help="allocate a pseudo-TTY")
    p.add_argument("--user", "-u", help="UID[:GID]")
    p.add_argument("--additional-gids", "-g", action="append", type=int, default=[])
    p.add_argument("--process", "-p", help="a process.json instead of the command line")
    p.add_argument("--detach", "-d", action="store_true")
    p.add_argument("--pid-file")
    p.add_argument("--preserve-fds", type=int, default=0)
    p.add_argument("--no-new-privs", action="store_true")
    p.add_argument("container_id", metavar="container-id")
    p.add_argument("command", nargs=argparse.REMAINDER)


def build_parser():
    parser = _Parser(prog="pyrunc", description="An OCI container runtime (runc-compatible).")
    parser.add_argument("--root", default=None, help="state directory (default /run/pyrunc)")
    parser.add_argument("--log", default=None, help="append errors and debug lines to FILE")
    parser.add_argument("--log-format", choices=["text", "json"], default="text")
    parser.add_argument("--debug", action="store_true", help="tracebacks and debug output")
    parser.add_argument("--systemd-cgroup", action="store_true",
                        help="accepted; cgroupsPath is used as a cgroupfs path")
    parser.add_argument("--criu", help=argparse.SUPPRESS)
    parser.add_argument("--rootless", help=argparse.SUPPRESS)
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    commands.required = True

    _create_flags(commands.add_parser("create", help="create a container"))
    run = commands.add_parser("run", help="create and start a container")
    run.add_argument("--detach", "-d", action="store_true")
    run.add_argument("--keep", action="store_true", help=argparse.SUPPRESS)
    _create_flags(run)
    for name, text in (("start", "run the created container's process"),
                       ("state", "print the container's state JSON")):
        commands.add_parser(name, help=text).add_argument("container_id", metavar="container-id")
    kill = commands.add_parser("kill", help="signal the container's init")
    kill.add_argument("--all", "-a", action="store_true", help="signal every process")
    kill.add_argument("container_id", metavar="container-id")
    kill.add_argument("signal", nargs="?", default="SIGTERM")
    delete = commands.add_parser("delete", help="remove a container")
    delete.add_argument("--force", "-f", action="store_true")
    delete.add_argument("container_id", metavar="container-id")
    lister = commands.add_parser("list", help="list containers")
    lister.add_argument("--format", "-f", choices=["table", "json"], default="table")
    lister.add_argument("--quiet", "-q", action="store_true")
    _exec_flags(commands.add_parser("exec", help="run a process in a running container"))
    spec = commands.add_parser("spec", help="write a default config")
    _bundle(spec)
    spec.add_argument("--format", choices=["json", "yaml"], default="json")
    spec.add_argument("--rootless", action="store_true", help="a config for a rootless user")
    _bundle(commands.add_parser("validate", help="check a bundle's config"))
    return parser


def parse(argv=None):
    return build_parser().parse_args(sys.argv[1:] if argv is None else argv)
