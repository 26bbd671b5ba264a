"""Entry point of the `pyrunc` command: parse, dispatch, report errors as one line."""
import os
import sys

from runtime import cli
from runtime.log import Log


def main(argv=None):
    log = Log()
    debug = "--debug" in (sys.argv[1:] if argv is None else argv)
    try:
        args = cli.parse(argv)
        log = Log(args.log, args.log_format, args.debug)
        from libcontainer.state import StateStore
        from runtime.commands import COMMANDS
        status = COMMANDS[args.subcommand](args, StateStore(args.root))
    except cli.UsageError as exc:
        log.error(str(exc))
        status = 2
    except Exception as exc:
        status = _report(log, exc, debug)
    except KeyboardInterrupt:
        status = 130
    # Skip the interpreter's teardown (a few ms): flush what we wrote and go.
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(status)


def _report(log, exc, debug):
    from libcontainer.errors import PyruncError
    if debug:
        import traceback
        traceback.print_exc()
    if isinstance(exc, PyruncError):
        log.error(str(exc))
    elif isinstance(exc, OSError):
        where = f" {exc.filename}" if exc.filename else ""
        log.error(f"{exc.strerror or exc}{where}")
    else:
        log.error(f"internal error: {type(exc).__name__}: {exc} (run with --debug for details)")
    return 1


if __name__ == "__main__":
    main()
