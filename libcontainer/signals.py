"""Signal names and numbers as `kill` accepts them: TERM, SIGTERM, 15."""
import signal

from libcontainer import errors


def parse_signal(text):
    text = str(text).strip()
    if text.isdigit():
        number = int(text)
        if 0 < number < signal.NSIG:
            return number
    else:
        name = text.upper()
        if not name.startswith("SIG"):
            name = "SIG" + name
        if name.startswith("SIGRTMIN+") or name.startswith("SIGRTMAX-"):
            base, _, offset = name.partition("+" if "+" in name else "-")
            if offset.isdigit():
                value = (signal.SIGRTMIN + int(offset) if "+" in name
                         else signal.SIGRTMAX - int(offset))
                if signal.SIGRTMIN <= value <= signal.SIGRTMAX:
                    return value
        member = getattr(signal.Signals, name, None) if hasattr(signal.Signals, name) else None
        if member is not None:
            return int(member)
    raise errors.PyruncError(f"signal {text!r}: not a valid signal name or number")
