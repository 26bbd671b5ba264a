"""The cyclic garbage collector is off for a pyrunc call (libcontainer/collector.py)
and back on, past the objects made so far, for what waits long."""
import gc
import io
import os

import pytest

from libcontainer import events, foreground
from runtime import main as entry
from tests.unit.test_events import FakeClock, ScriptedContainer


@pytest.fixture(autouse=True)
def collector_restored():
    yield
    gc.unfreeze()
    gc.enable()


class Exited(Exception):
    pass


def test_a_call_runs_without_the_collector(monkeypatch, tmp_path):
    def no_exit(status):
        raise Exited(status)
    monkeypatch.setattr(os, "_exit", no_exit)
    with pytest.raises(Exited):
        entry.main(["--root", str(tmp_path), "state", "nothing-here"])
    assert not gc.isenabled()


def test_a_foreground_wait_turns_it_on_past_what_exists():
    gc.disable()
    pid = os.fork()
    if pid == 0:
        os._exit(3)
    assert foreground.wait(pid) == 3
    assert gc.isenabled()
    assert gc.get_freeze_count() > 0


def test_events_turns_it_on():
    gc.disable()
    clock = FakeClock()
    events.follow(ScriptedContainer(clock, life=0.5), 1.0, io.StringIO(), clock=clock,
                  sleep=clock.sleep)
    assert gc.isenabled()


class StoppedContainer:
    id = "c1"

    def status(self):
        return "stopped"


def test_logs_follow_turns_it_on(monkeypatch, tmp_path):
    from libcontainer import logs
    log = tmp_path / "log"
    log.write_bytes(b"line\n")
    monkeypatch.setattr(logs, "log_path", lambda container: str(log))
    out = tmp_path / "out"
    gc.disable()
    with open(out, "wb") as sink:
        logs.copy_log(StoppedContainer(), sink.fileno(), follow=True)
    assert gc.isenabled()
    assert out.read_bytes() == b"line\n"
