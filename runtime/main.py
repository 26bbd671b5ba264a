"""Entry point of the `pyrunc` command: parse, dispatch, report errors as one line."""
import os
import sys

from libcontainer import collector, early
from runtime import cli
from runtime.log import Log


def main(argv=None):
    collector.rarely()
    early.adopt()
    argv = list(sys.argv[1:] if argv is None else argv)
    log = Log()
    debug = "--debug" in argv
    args = cli.Arguments()
    try:
        try:
            cli.parse(argv, args)
        finally:
            # The log exists (and takes usage errors) as soon as --log is read.
            log = _open_log(args) or log
        status = _dispatch(args, log)
    except cli.UsageError as exc:
        log.error(str(exc))
        status = exc.exit_status
    except Exception as exc:
        status = _report(log, exc, debug)
    except KeyboardInterrupt:
        status = 130
    log.debug(f"exit status {status}")
    early.finish()  # reaps the helpers, and what an error left unused
    # Skip the interpreter's teardown (a few ms): flush what we wrote and go.
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(status)


def _open_log(args):
    if not hasattr(args, "log_format"):
        return None  # the global flags themselves did not parse
    log = Log(getattr(args, "log", None), args.log_format, getattr(args, "debug", False))
    from libcontainer import diagnostics
    diagnostics.set_sink(log)
    return log


def _dispatch(args, log):
    from libcontainer.state import StateStore
    from runtime.commands import COMMANDS
    if log.debug_enabled:
        from runtime import code_pack
        log.debug(f"pyrunc {cli.VERSION} {args.subcommand}, state root "
                  f"{StateStore(args.root).root}, arguments {vars(args)}, code from "
                  f"{'the code pack' if code_pack.in_use() else 'the sources'}")
    return COMMANDS[args.subcommand](args, StateStore(args.root))


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
    return getattr(exc, "exit_status", 1)


if __name__ == "__main__":
    main()
