"""The documented Python API drives a real container without the CLI."""
import os

from libcontainer import api


def test_create_start_state_kill_delete(make_bundle, tmp_path):
    b = make_bundle(["sleep", "30"])
    store = api.StateStore(str(tmp_path / "root"))
    container = api.create(store, b.id, b.path)
    try:
        assert api.state(store, b.id)["status"] == "created"
        api.start(container)
        assert api.state(store, b.id)["status"] == "running"
        pid = api.exec_process(container, api.process_spec(container, ["sh", "-c", "exit 3"]))
        assert os.waitstatus_to_exitcode(os.waitpid(pid, 0)[1]) == 3
        api.kill(container, 9)
    finally:
        api.delete(container, force=True)
    assert store.ids() == []


def test_errors_are_pyrunc_errors(tmp_path):
    store = api.StateStore(str(tmp_path))
    try:
        api.state(store, "missing")
    except api.PyruncError as exc:
        assert str(exc) == "container missing does not exist"
    else:
        raise AssertionError("no error for a missing container")


def test_update_and_stats(make_bundle, tmp_path):
    b = make_bundle(["sleep", "30"])
    store = api.StateStore(str(tmp_path / "root"))
    container = api.create(store, b.id, b.path)
    try:
        api.update(container, {"pids": {"limit": 42}})
        assert api.stats(container)["pids"] == {"current": 1, "limit": 42}
        stored = api.Container.load(store, b.id).spec["linux"]["resources"]
        assert stored["pids"] == {"limit": 42}
    finally:
        api.delete(container, force=True)
