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
