"""A hook's environment (runc's rule): its `env` exactly when it has one;
without, the environment of what runs it: pyrunc's own for the hooks pyrunc
runs (less Python's locale coercion), process.env (one entry per name) for
those the init runs (see test_plan.py for the op)."""
import json
import sys

import pytest

from libcontainer import hooks
from libcontainer.plan.process import unique_env

DUMP = [sys.executable, "-I", "-c",
        "import json, os, sys; json.dump(dict(os.environ), open(sys.argv[1], 'w'))"]


def run_dumping(tmp_path, **hook):
    out = tmp_path / "env.json"
    problem = hooks._run_one(dict(path=sys.executable, args=DUMP + [str(out)], **hook), "{}")
    assert problem is None
    return json.loads(out.read_text())


def test_without_env_the_hook_inherits_pyruncs(tmp_path, monkeypatch):
    monkeypatch.setenv("PYRUNC_TEST_OUTER", "1")
    seen = run_dumping(tmp_path)
    assert seen["PYRUNC_TEST_OUTER"] == "1"
    assert {k: v for k, v in seen.items() if k != "LC_CTYPE"} == {
        k: v for k, v in hooks.inherited_env().items() if k != "LC_CTYPE"}


@pytest.mark.parametrize("env, expected", [(["ONLY=this"], {"ONLY": "this"}), ([], {})])
def test_an_explicit_env_is_the_whole_environment(tmp_path, monkeypatch, env, expected):
    monkeypatch.setenv("PYRUNC_TEST_OUTER", "1")
    seen = run_dumping(tmp_path, env=env)
    seen.pop("LC_CTYPE", None)  # the hook is Python too: its own start-up may add it
    assert seen == expected


def test_pythons_locale_coercion_is_not_passed_on(tmp_path, monkeypatch):
    execed = tmp_path / "environ"
    monkeypatch.setattr(hooks, "_AS_EXECED", str(execed))
    monkeypatch.setenv("LC_CTYPE", "C.UTF-8")
    execed.write_bytes(b"PATH=/bin\0OUTER=1\0")  # as exec'd: no LC_CTYPE
    assert "LC_CTYPE" not in hooks.inherited_env()
    execed.write_bytes(b"PATH=/bin\0LC_CTYPE=C.UTF-8\0")  # the caller's own
    assert hooks.inherited_env()["LC_CTYPE"] == "C.UTF-8"
    monkeypatch.setenv("LC_CTYPE", "de_DE.UTF-8")  # never what coercion sets
    execed.write_bytes(b"PATH=/bin\0")
    assert hooks.inherited_env()["LC_CTYPE"] == "de_DE.UTF-8"


def test_unique_env_keeps_the_first_place_and_the_last_value():
    assert unique_env(["A=1", "B=2", "A=3", "C=", "NOEQUALS", "NOEQUALS"]) == [
        "A=3", "B=2", "C=", "NOEQUALS"]
