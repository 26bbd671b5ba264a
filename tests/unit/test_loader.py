"""Loading a bundle's config: errors naming the file and field, and the cache
that keeps jsonschema off the path of a repeated create."""
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
def bundle(tmp_path, monkeypatch):
    monkeypatch.setenv("PYRUNC_CACHE_DIR", str(tmp_path / "cache"))
    (tmp_path / "b" / "rootfs").mkdir(parents=True)
    return tmp_path / "b"


def write(bundle, spec, name="config.json"):
    (bundle / name).write_text(json.dumps(spec) if name.endswith("json") else spec)


def test_default_spec_is_valid(bundle):
    assert problems(default_spec(), str(bundle)) == []
    assert problems(default_spec(rootless=True), str(bundle)) == []


def test_loads_json_and_fills_the_cache(bundle):
    write(bundle, default_spec())
    assert loader.load_bundle(str(bundle))["process"]["args"] == ["sh"]
    assert len(os.listdir(os.environ["PYRUNC_CACHE_DIR"])) == 1


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


def test_semantic_checks_run_even_on_a_cache_hit(bundle):
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


def test_a_cached_config_loads_without_importing_jsonschema_or_json(bundle):
    write(bundle, default_spec())
    loader.load_bundle(str(bundle))  # fills the cache
    code = ("import sys; from libcontainer.config import loader; loader.load_bundle(sys.argv[1]);"
            "print('jsonschema' in sys.modules, 'json' in sys.modules, 'yaml' in sys.modules)")
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(sys.path))
    out = subprocess.run([sys.executable, "-c", code, str(bundle)], env=env,
                         capture_output=True, text=True, check=True).stdout
    assert out.split() == ["False", "False", "False"]


def test_fields_not_applied_yet_are_named(monkeypatch):
    from libcontainer.config import unsupported
    monkeypatch.setattr(unsupported, "_pure_cgroup_v2", lambda: False)
    spec = default_spec()
    assert unsupported.not_applied(spec) == []  # runc's default deny-all device rule is fine
    spec["linux"]["seccomp"] = {"defaultAction": "SCMP_ACT_ERRNO"}
    spec["process"]["apparmorProfile"] = "docker-default"
    spec["linux"]["resources"].update(blockIO={"weight": 10}, memory={"kernelTCP": 1 << 20})
    spec["linux"]["resources"]["devices"].append({"allow": True, "type": "c", "major": 1,
                                                  "minor": 3, "access": "rwm"})
    assert unsupported.not_applied(spec) == [
        "process.apparmorProfile", "linux.resources.blockIO"]  # seccomp is applied
    monkeypatch.setattr(unsupported, "_pure_cgroup_v2", lambda: True)
    assert unsupported.not_applied(spec)[-2:] == [
        "linux.resources.memory.kernelTCP", "linux.resources.devices"]
