"""Signal names and numbers as `kill` accepts them: TERM, SIGTERM, 15, RTMIN+1."""
import signal

from libcontainer import errors


def parse_signal(text, allow_zero=False):
    """-> the signal number. allow_zero: 0 is valid (kill(2)'s existence check)."""
    text = str(text).strip()
    number = int(text) if text.isdigit() else _by_name(text.upper())
    lowest = 0 if allow_zero else 1
    if number is None or not lowest <= number < signal.NSIG:
        raise errors.PyruncError(f"signal {text!r}: not a valid signal name or number")
    return number


def _by_name(name):
    name = name if name.startswith("SIG") else "SIG" + name
    for base, sign in (("SIGRTMIN+", 1), ("SIGRTMAX-", -1)):
        if name.startswith(base) and name[len(base):].isdigit():
            start = signal.SIGRTMIN if sign > 0 else signal.SIGRTMAX
            value = start + sign * int(name[len(base):])
            return value if signal.SIGRTMIN <= value <= signal.SIGRTMAX else None
    member = signal.Signals.__members__.get(name)
    return int(member) if member is not None else None
