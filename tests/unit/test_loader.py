"""Loading a bundle's config: errors naming the file and field; no jsonschema,
json or re on the way, and nothing written anywhere."""
import json
import os
import subprocess
import sys

import pytest

from libcontainer import errors
from libcontainer.config import loader
from libcontainer.config.defaults import default_spec
from libcontainer.config.validate import problems


@pytest.fixture
def bundle(tmp_path):
    (tmp_path / "b" / "rootfs").mkdir(parents=True)
    return tmp_path / "b"


def write(bundle, spec, name="config.json"):
    (bundle / name).write_text(json.dumps(spec) if name.endswith("json") else spec)


def test_default_spec_is_valid(bundle):
    assert problems(default_spec(), str(bundle)) == []
    assert problems(default_spec(rootless=True), str(bundle)) == []


def run_python(code, *args):
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(sys.path))
    return subprocess.run([sys.executable, "-c", code, *map(str, args)], env=env,
                          capture_output=True, text=True, check=True).stdout


# Runs load_bundle with an audit hook that reports anything that would write.
WRITES_REPORTER = """
import os, sys
WRITE_FLAGS = os.O_WRONLY | os.O_RDWR | os.O_CREAT | os.O_TRUNC | os.O_APPEND
WRITING_EVENTS = {"os.mkdir", "os.rename", "os.replace", "os.remove", "os.rmdir", "os.symlink",
                  "os.link", "os.truncate", "os.chmod", "os.chown", "os.utime", "os.mknod"}
writes = []
def hook(event, args):
    if event == "open":
        path, mode, flags = args
        if (mode and any(c in mode for c in "wax+")) or (flags or 0) & WRITE_FLAGS:
            writes.append((path, mode, flags))
    elif event in WRITING_EVENTS:
        writes.append((event, args))
sys.addaudithook(hook)
from libcontainer.config import loader
assert loader.load_bundle(sys.argv[1])["process"]["args"] == ["sh"]
print(writes)
"""


def test_loads_json_and_writes_nothing(bundle, tmp_path):
    write(bundle, default_spec())
    assert loader.load_bundle(str(bundle))["process"]["args"] == ["sh"]
    assert run_python(WRITES_REPORTER, bundle).strip() == "[]"


def test_yaml_bundle(bundle):
    write(bundle, "ociVersion: 1.2.0\nroot: {path: rootfs}\nprocess:\n  args: [sh]\n  cwd: /\n",
          "config.yaml")
    assert loader.load_bundle(str(bundle))["process"]["args"] == ["sh"]


@pytest.mark.parametrize("name, text, message", [
    ("config.json", "{not json", "config.json: invalid JSON"),
    ("config.yaml", "a: [unclosed", "config.yaml: invalid YAML"),
    ("config.json", "[1, 2]", "config.json: must hold an object at the top level"),
])
def test_parse_errors_name_the_file(bundle, name, text, message):
    (bundle / name).write_text(text)
    with pytest.raises(errors.ConfigError) as info:
        loader.load_bundle(str(bundle))
    assert str(info.value).startswith(message) and "\n" not in str(info.value)


def test_schema_error_names_the_field(bundle):
    spec = default_spec()
    spec["process"]["args"] = "sh"
    write(bundle, spec)
    with pytest.raises(errors.ConfigError, match=r"^config.json: process.args: must be an array"):
        loader.load_bundle(str(bundle))


def test_semantic_checks_run_on_every_load(bundle):
    write(bundle, default_spec())
    loader.load_bundle(str(bundle))
    os.rmdir(bundle / "rootfs")
    with pytest.raises(errors.ConfigError, match="root.path: no such directory"):
        loader.load_bundle(str(bundle))


def test_missing_bundle_and_config(tmp_path):
    with pytest.raises(errors.ConfigError, match="no such directory"):
        loader.load_bundle(str(tmp_path / "nope"))
    with pytest.raises(errors.ConfigError, match="has no config.json or config.yaml"):
        loader.load_bundle(str(tmp_path))


# Everything load_bundle may import. Measured with `python -X importtime` (with
# .pyc files): about 1 ms for all of them; json would add ~5 ms (with re and
# enum), jsonschema ~95 ms, yaml ~22 ms.
CHEAP_MODULES = {"_json", "libcontainer", "libcontainer.errors", "libcontainer.config",
                 "libcontainer.config.loader", "libcontainer.config.fast_json",
                 "libcontainer.config.validate", "libcontainer.config.compiled_schema",
                 "libcontainer.config.dfa", "libcontainer.rlimits", "libcontainer.small_files"}


def test_a_fresh_config_loads_with_cheap_modules_only(bundle):
    spec = default_spec()
    spec["hostname"] = f"fresh-{os.getpid()}"  # a config never seen before
    write(bundle, spec)
    code = ("import sys; before = set(sys.modules); from libcontainer.config import loader;"
            "loader.load_bundle(sys.argv[1]); print(*sorted(set(sys.modules) - before))")
    imported = set(run_python(code, bundle).split())
    assert imported - CHEAP_MODULES == set()
    assert "libcontainer.config.compiled_schema" in imported  # it did validate


def test_deeply_nested_json_is_a_one_line_error(bundle):
    (bundle / "config.json").write_text("[" * 100000 + "]" * 100000)
    with pytest.raises(errors.ConfigError, match=r"^config.json: invalid JSON: ") as info:
        loader.load_bundle(str(bundle))
    assert "\n" not in str(info.value)


def test_schema_errors_count_the_rest(bundle):
    spec = default_spec()
    spec["process"]["args"] = "sh"
    spec["hostname"] = 5
    write(bundle, spec)
    with pytest.raises(errors.ConfigError) as info:
        loader.load_bundle(str(bundle))
    assert str(info.value) == ("config.json: hostname: must be a string "
                               "(and 1 more; `pyrunc validate` lists all)")


def test_fields_not_applied_yet_are_named(monkeypatch):
    from libcontainer.config import unsupported
    monkeypatch.setattr(unsupported, "_pure_cgroup_v2", lambda: False)
    spec = default_spec()
    assert unsupported.not_applied(spec) == []  # runc's default deny-all device rule is fine
    spec["linux"]["seccomp"] = {"defaultAction": "SCMP_ACT_ERRNO"}
    spec["linux"]["intelRdt"] = {"closID": "x"}
    spec["linux"]["resources"].update(network={"classID": 7}, memory={"kernelTCP": 1 << 20})
    spec["linux"]["resources"]["devices"].append({"allow": True, "type": "c", "major": 1,
                                                  "minor": 3, "access": "rwm"})
    # seccomp is applied, network on v1 too (net_cls, net_prio)
    assert unsupported.not_applied(spec) == ["linux.intelRdt"]
    monkeypatch.setattr(unsupported, "_pure_cgroup_v2", lambda: True)
    # Device rules are applied on v2 too (an eBPF program); kernelTCP and
    # network are not (v2 has no such controllers; runc ignores them there).
    assert unsupported.not_applied(spec)[-2:] == ["linux.resources.memory.kernelTCP",
                                                  "linux.resources.network"]


@pytest.mark.parametrize("section, name", [("process", "apparmorProfile"),
                                           ("process", "selinuxLabel"), ("linux", "mountLabel")])
def test_security_labels_are_refused_not_ignored(section, name):
    from libcontainer import errors
    from libcontainer.config import unsupported
    spec = default_spec()
    spec[section][name] = "some-label"
    with pytest.raises(errors.ConfigError, match=f"{section}.{name}: .* not supported"):
        unsupported.refuse_labels(spec)
    unsupported.refuse_labels(default_spec())  # none asked for: nothing said
