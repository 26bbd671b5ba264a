"""The cyclic garbage collector runs rarely in a pyrunc call
(libcontainer/collector.py): never in a lifecycle call, still in a long one."""
import gc
import os

import pytest

from libcontainer import collector
from runtime import main as entry


@pytest.fixture(autouse=True)
def default_threshold():
    before = gc.get_threshold()
    yield
    gc.set_threshold(*before)


class Exited(Exception):
    pass


def test_a_call_sets_the_collector_to_run_rarely(monkeypatch, tmp_path):
    def no_exit(status):
        raise Exited(status)
    monkeypatch.setattr(os, "_exit", no_exit)
    with pytest.raises(Exited):
        entry.main(["--root", str(tmp_path), "state", "nothing-here"])
    assert gc.get_threshold()[0] == collector.RARELY
    assert gc.isenabled()


def test_rarely_still_collects_cycles_past_the_threshold():
    collector.rarely()
    gc.collect()
    before = gc.get_stats()[0]["collections"]
    for _ in range(collector.RARELY * 3):
        cycle = []
        cycle.append(cycle)
    assert gc.get_stats()[0]["collections"] > before
