"""The state store: IDs, exclusive creation, atomic records, listing."""
import os

import pytest

from libcontainer import errors, state


@pytest.mark.parametrize("bad", ["", ".", "..", "a/b", "../x", "-x", "x y", "é", "a\nb"])
def test_bad_ids_are_refused(bad):
    with pytest.raises(errors.PyruncError) as info:
        state.check_id(bad)
    assert "container id" in str(info.value)


@pytest.mark.parametrize("good", ["a", "c1", "my.container_1+x-y", "0abc"])
def test_good_ids(good):
    state.check_id(good)


def test_make_dir_claims_the_id_once(tmp_path):
    store = state.StateStore(str(tmp_path / "root"))
    store.make_dir("c1")
    with pytest.raises(errors.PyruncError, match="container c1 already exists"):
        store.make_dir("c1")


def test_save_load_remove_and_ids(tmp_path):
    store = state.StateStore(str(tmp_path))
    store.make_dir("b")
    store.make_dir("a")
    record = {"id": "a", "pid": 5, "config": {"process": {"args": ["sh"]}}}
    store.save("a", record)
    assert store.load("a") == record
    assert store.ids() == ["a"]  # b has no record yet: a create in progress
    store.remove("a")
    assert not os.path.exists(tmp_path / "a")
    with pytest.raises(errors.ContainerNotFound, match="container a does not exist"):
        store.load("a")


def test_a_new_record_replaces_the_old_without_leftovers(tmp_path):
    store = state.StateStore(str(tmp_path))
    store.make_dir("a")
    store.save("a", {"pid": 0})
    store.save("a", {"pid": 7})
    assert store.load("a") == {"pid": 7}
    assert sorted(os.listdir(tmp_path / "a")) == [state.STATE_FILE]


def test_a_reader_during_the_swap_gets_the_previous_record(tmp_path):
    """save() moves the old record aside, then puts the new one in place: a
    reader in between still finds a whole record, and the container."""
    store = state.StateStore(str(tmp_path))
    store.make_dir("a")
    store.save("a", {"pid": 0})
    os.rename(tmp_path / "a" / state.STATE_FILE, tmp_path / "a" / state.OLD_FILE)
    assert store.load("a") == {"pid": 0}
    assert store.ids() == ["a"]


def test_corrupt_record_is_a_clear_error(tmp_path):
    store = state.StateStore(str(tmp_path))
    store.make_dir("c")
    (tmp_path / "c" / state.STATE_FILE).write_bytes(b"\x00garbage")
    with pytest.raises(errors.PyruncError, match="state file is corrupt"):
        store.load("c")


def test_start_time_tells_our_process_from_a_dead_one():
    mine = state.process_start_time(os.getpid())
    assert isinstance(mine, int)
    assert state.is_same_process(os.getpid(), mine)
    assert not state.is_same_process(os.getpid(), mine + 1)
    assert not state.is_same_process(0, mine)
