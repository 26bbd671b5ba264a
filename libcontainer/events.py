"""`pyrunc events`: the container's resource usage, and OOM kills, as JSON
lines read from its cgroup (runc's shapes):

    {"type":"stats","id":ID,"data":{...}}     every --interval, or once (--stats)
    {"type":"oom","id":ID}                     when the OOM killer strikes

OOM kills are seen by polling the kernel's counter (memory.oom_control's
oom_kill on v1, memory.events' on v2): the same code for both versions and
no event fd to leak. Unlike runc, which keeps printing until interrupted,
the stream ends (exit 0) once the container has stopped.
"""
import sys
import time

from libcontainer import errors, json_text

OOM_POLL = 0.2  # seconds between looks at the OOM counter
_UNITS = {"ns": 1e-9, "us": 1e-6, "µs": 1e-6, "ms": 1e-3, "s": 1.0, "m": 60.0, "h": 3600.0}


def parse_interval(text):
    """Seconds from a Go duration as runc takes it: "5s", "500ms", "1m30s", "1.5h"."""
    rest, total = text.strip(), 0.0
    if rest == "0":
        rest = "0s"  # Go takes a bare 0
    if not rest:
        raise errors.PyruncError(f"--interval {text!r}: not a duration (like 5s or 500ms)")
    while rest:
        number = _leading_number(rest)
        unit = _leading_unit(rest[len(number):])
        if not number or unit is None:
            raise errors.PyruncError(f"--interval {text!r}: not a duration (like 5s or 500ms)")
        total += float(number) * _UNITS[unit]
        rest = rest[len(number) + len(unit):]
    if total <= 0:
        raise errors.PyruncError(f"--interval {text!r}: must be greater than 0")
    return total


def _leading_number(text):
    end = 0
    while end < len(text) and (text[end].isdigit() or text[end] == "."):
        end += 1
    return text[:end] if text[:end].strip(".") else ""


def _leading_unit(text):
    for unit in sorted(_UNITS, key=len, reverse=True):  # "ms" before "m"
        if text.startswith(unit):
            return unit
    return None


def _check_running(container):
    if container.status() == "stopped":
        raise errors.InvalidState(f"container {container.id} is not running")


def stats_event(container):
    return {"type": "stats", "id": container.id, "data": container.cgroup().stats()}


def _emit(event, out):
    out.write(json_text.dumps(event) + "\n")
    out.flush()


def print_stats_once(container, out=None):
    _check_running(container)
    _emit(stats_event(container), out or sys.stdout)


def follow(container, interval, out=None, clock=time.monotonic, sleep=time.sleep):
    """Stats every interval and OOM events as they come, until the container stops."""
    out = out or sys.stdout
    _check_running(container)
    manager = container.cgroup()
    kills = manager.oom_kills()
    next_stats = clock() + interval  # as runc's ticker: the first after one interval
    while True:
        stopped = container.status() == "stopped"
        # Read after the status: the kill that stopped the container counts.
        now_kills = manager.oom_kills()
        if now_kills > kills:
            _emit({"type": "oom", "id": container.id}, out)
        kills = now_kills
        if stopped:
            return
        if clock() >= next_stats:
            _emit(stats_event(container), out)
            # Ticks missed while busy are dropped, as Go's ticker drops them.
            next_stats += interval
            if next_stats <= clock():
                next_stats = clock() + interval
        sleep(max(0.0, min(OOM_POLL, next_stats - clock())))
