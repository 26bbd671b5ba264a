"""Unit tests for libcontainer.config.validate (no root, no kernel features)."""

import json
import os
import subprocess
import sys

import pytest

from libcontainer.config import validate
from libcontainer.config.validate import (
    Problem, problems, reference_schema_problems, schema_problems, semantic_problems,
)
from config_samples import (
    UPSTREAM_SCHEMA_DIR, oracle_samples, rich_config, runc_default_config, upstream_validator,
    with_change,
)

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def as_text(found):
    return [str(p) for p in found]


# --- good configs -----------------------------------------------------------

def test_runc_default_config_passes(tmp_path):
    (tmp_path / "rootfs").mkdir()
    assert problems(runc_default_config(), str(tmp_path)) == []


def test_rich_config_with_extensions_passes(tmp_path):
    (tmp_path / "rootfs").mkdir()
    assert problems(rich_config(), str(tmp_path)) == []


def test_actual_runc_spec_output_passes(tmp_path):
    runc = "/usr/bin/runc" if os.path.exists("/usr/bin/runc") else None
    if runc is None:
        pytest.skip("runc not installed")
    subprocess.run([runc, "spec"], cwd=tmp_path, check=True)
    (tmp_path / "rootfs").mkdir()
    spec = json.loads((tmp_path / "config.json").read_text())
    assert problems(spec, str(tmp_path)) == []


def test_time_namespace_and_offsets_accepted():
    def change(spec):
        spec["linux"]["namespaces"].append({"type": "time"})
        spec["linux"]["timeOffsets"] = {"monotonic": {"secs": 10, "nanosecs": 0}}
    assert problems(with_change(change)) == []


def test_joined_user_namespace_needs_no_mappings():
    def change(spec):
        spec["linux"]["namespaces"].append({"type": "user", "path": "/proc/1/ns/user"})
    assert problems(with_change(change)) == []


# --- schema problems, exact path and message --------------------------------

@pytest.mark.parametrize("change, expected", [
    (lambda s: s["process"].__setitem__("args", "sh"), "process.args: must be an array"),
    (lambda s: s.pop("ociVersion"), "ociVersion: is required"),
    (lambda s: s["process"].pop("cwd"), "process.cwd: is required"),
    (lambda s: s["linux"]["namespaces"][1].__setitem__("type", "net"),
     "linux.namespaces[1].type: must be one of: pid, network, mount, ipc, uts, user, cgroup, time"),
    (lambda s: s["process"]["capabilities"]["bounding"].append("FOO"),
     "process.capabilities.bounding[3]: unknown capability 'FOO'"),
    (lambda s: s["process"].__setitem__("args", []), "process.args: must not be empty"),
    (lambda s: s["process"]["user"].__setitem__("uid", -1), "process.user.uid: must be >= 0"),
    (lambda s: s["process"]["user"].pop("uid"), "process.user.uid: is required"),
    (lambda s: s["process"].__setitem__("terminal", "yes"), "process.terminal: must be a boolean"),
    (lambda s: s.__setitem__("linux", []), "linux: must be an object"),
    (lambda s: s["process"]["rlimits"][0].__setitem__("soft", "1024"),
     "process.rlimits[0].soft: must be an integer"),
    (lambda s: s["process"]["rlimits"][0].__setitem__("type", "nofile"),
     "process.rlimits[0].type: unknown rlimit 'nofile'"),
    (lambda s: s["mounts"][2].pop("destination"), "mounts[2].destination: is required"),
    (lambda s: s.__setitem__("hooks", {"prestart": [{"path": "/x", "timeout": 0}]}),
     "hooks.prestart[0].timeout: must be >= 1"),
    (lambda s: s.__setitem__("annotations", {"a": 1}), "annotations.a: must be a string"),
    (lambda s: s["linux"]["resources"].__setitem__("memory", {"limit": -2**63 - 1}),
     "linux.resources.memory.limit: must be >= -9223372036854775808"),
    (lambda s: s["linux"].__setitem__("rootfsPropagation", "rprivate"),
     "linux.rootfsPropagation: must be one of: private, shared, slave, unbindable"),
    (lambda s: s["linux"].__setitem__("seccomp", {"syscalls": []}),
     "linux.seccomp.defaultAction: is required"),
])
def test_schema_problem_names_path_and_reason(change, expected):
    spec = with_change(change)
    found = as_text(problems(spec))
    assert expected in found, found
    # create's compiled checker says exactly what jsonschema says.
    assert schema_problems(spec) == reference_schema_problems(spec)


def test_missing_ociversion_is_the_only_problem():
    assert schema_problems(with_change(lambda s: s.pop("ociVersion"))) == [
        Problem("ociVersion", "is required")]


def test_root_object_must_be_an_object():
    assert as_text(schema_problems([1, 2])) == ["must be an object"]


def test_problem_str():
    assert str(Problem("process.args", "must be an array")) == "process.args: must be an array"
    assert str(Problem("", "must be an object")) == "must be an object"


def test_problems_sorted_by_path_with_numeric_indices():
    def change(spec):
        spec["mounts"] = [{"destination": f"/m{i}"} for i in range(12)]
        spec["mounts"][10]["type"] = 1
        spec["mounts"][2]["type"] = 1
        spec["hostname"] = 5
    paths = [p.path for p in schema_problems(with_change(change))]
    assert paths == ["hostname", "mounts[2].type", "mounts[10].type"]


def test_anyof_failure_reports_the_closest_branch(monkeypatch):
    import jsonschema

    from libcontainer.config import reference_schema
    schema = {"properties": {"x": {"anyOf": [{"type": "integer"},
                                             {"type": "object", "required": ["a"]}]}}}
    monkeypatch.setattr(reference_schema, "_VALIDATOR", jsonschema.Draft202012Validator(schema))
    # The object branch fits the value's type, so its complaint is the useful one.
    assert reference_schema_problems({"x": {}}) == [Problem("x.a", "is required")]
    # No branch fits the type: name every type that would have been accepted.
    assert as_text(reference_schema_problems({"x": "s"})) == ["x: must be an integer or an object"]
    assert reference_schema_problems({"x": 3}) == []


# --- semantic problems ------------------------------------------------------

@pytest.mark.parametrize("change, expected", [
    (lambda s: s["linux"]["namespaces"].append({"type": "pid"}),
     "linux.namespaces[5].type: namespace 'pid' is listed more than once"),
    (lambda s: s["process"].__setitem__("cwd", "work"), "process.cwd: must be an absolute path"),
    (lambda s: s["mounts"][3].__setitem__("destination", "dev/shm"),
     "mounts[3].destination: must be an absolute path"),
    (lambda s: s["process"]["capabilities"]["ambient"].append("cap_fly"),
     "process.capabilities.ambient[3]: unknown capability 'cap_fly'"),
    (lambda s: s["process"]["args"].__setitem__(0, ""), "process.args[0]: must not be empty"),
    (lambda s: s["mounts"].append({"destination": "/x", "type": "bind", "source": "/tmp",
                                   "uidMappings": [{"containerID": 0, "hostID": 1000, "size": 0}],
                                   "gidMappings": [{"containerID": 0, "hostID": 1000, "size": 1}]}),
     "mounts[7].uidMappings[0].size: must be at least 1"),
    (lambda s: s["mounts"].append({"destination": "/x", "type": "bind", "source": "/tmp",
                                   "uidMappings": [{"containerID": 0, "hostID": 1000, "size": 10},
                                                   {"containerID": 5, "hostID": 2000, "size": 1}],
                                   "gidMappings": [{"containerID": 0, "hostID": 1000, "size": 1}]}),
     "mounts[7].uidMappings[1].containerID: overlaps an earlier range"),
    (lambda s: s["process"]["env"].append("JUSTANAME"),
     "process.env[2]: 'JUSTANAME' is not NAME=VALUE"),
    (lambda s: s["process"]["rlimits"].append({"type": "RLIMIT_NOFILE", "soft": 1, "hard": 1}),
     "process.rlimits[1].type: rlimit 'RLIMIT_NOFILE' is listed more than once"),
    (lambda s: s["process"]["rlimits"].append({"type": "RLIMIT_BOGUS", "soft": 1, "hard": 1}),
     "process.rlimits[1].type: unknown rlimit 'RLIMIT_BOGUS'"),
    (lambda s: s["linux"]["namespaces"].__setitem__(1, {"type": "network", "path": "run/netns/x"}),
     "linux.namespaces[1].path: must be an absolute path"),
    (lambda s: s["linux"]["namespaces"].__setitem__(3, {"type": "cgroup"}),
     "hostname: needs a uts namespace"),
    (lambda s: s.pop("root"), "root: is required"),
    (lambda s: s.__setitem__("hooks", {"poststart": [{"path": "notify"}]}),
     "hooks.poststart[0].path: must be an absolute path"),
    (lambda s: s["linux"].__setitem__("devices", [{"type": "c", "path": "dev/null"}]),
     "linux.devices[0].path: must be an absolute path"),
    (lambda s: s["linux"].__setitem__("timeOffsets", {"boottime": {"secs": 1}}),
     "linux.timeOffsets: needs a time namespace"),
])
def test_semantic_problem_names_path_and_reason(change, expected):
    found = as_text(problems(with_change(change)))
    assert expected in found, found


def test_sysctl_needs_the_matching_namespace():
    def change(spec):
        spec["linux"]["namespaces"] = [{"type": "mount"}, {"type": "pid"}]
        spec.pop("hostname")
        spec["linux"]["sysctl"] = {"net.ipv4.ip_forward": "1", "kernel.shmmax": "1",
                                   "fs.mqueue.msg_max": "10", "kernel.domainname": "x",
                                   "vm.swappiness": "0"}
    assert as_text(problems(with_change(change))) == [
        "linux.sysctl.fs.mqueue.msg_max: needs an ipc namespace",
        "linux.sysctl.kernel.domainname: needs a uts namespace",
        "linux.sysctl.kernel.shmmax: needs an ipc namespace",
        "linux.sysctl.net.ipv4.ip_forward: needs a network namespace",
        "linux.sysctl.vm.swappiness: is not namespaced: setting it would change the host",
    ]


def test_new_user_namespace_requires_both_mappings():
    spec = with_change(lambda s: s["linux"]["namespaces"].append({"type": "user"}))
    assert as_text(problems(spec)) == [
        "linux.gidMappings: is required with a new user namespace",
        "linux.uidMappings: is required with a new user namespace",
    ]


def test_mappings_without_user_namespace_rejected():
    spec = rich_config()
    spec["linux"]["namespaces"] = [n for n in spec["linux"]["namespaces"] if n["type"] != "user"]
    assert as_text(problems(spec)) == [
        "linux.gidMappings: needs a user namespace",
        "linux.uidMappings: needs a user namespace",
    ]


IDMAP = [{"containerID": 0, "hostID": 1000, "size": 1}]


def idmap_problems(*mounts, user_namespace=False):
    """The semantic problems of a runc-style config with these mounts added."""
    def change(spec):
        spec["mounts"] += list(mounts)
        if user_namespace:
            spec["linux"]["namespaces"].append({"type": "user"})
            spec["linux"]["uidMappings"] = spec["linux"]["gidMappings"] = IDMAP
    return as_text(semantic_problems(with_change(change)))


def bind_mount(*options, **mappings):
    return {"destination": "/data", "type": "bind", "source": "/vol",
            "options": list(options), **mappings}


def test_id_mapped_binds_pass():
    both = dict(uidMappings=IDMAP, gidMappings=IDMAP)
    assert idmap_problems(bind_mount("rbind", "idmap", **both), bind_mount("bind", **both),
                          bind_mount("rbind", "ridmap", **both)) == []
    untyped = {"destination": "/d", "source": "/vol", "options": ["rbind", "ridmap"], **both}
    assert idmap_problems(untyped) == []
    # No maps of its own: the container's user namespace's are used.
    assert idmap_problems(bind_mount("rbind", "idmap"), bind_mount("ridmap", "bind"),
                          user_namespace=True) == []


def test_id_mapping_only_on_binds():
    tmpfs = {"destination": "/t", "type": "tmpfs", "source": "tmpfs"}
    assert idmap_problems(dict(tmpfs, options=["idmap"]),
                          dict(tmpfs, uidMappings=IDMAP, gidMappings=IDMAP)) == [
        "mounts[7].options: idmap is only supported on bind mounts",
        "mounts[8].uidMappings: id mapping is only supported on bind mounts",
    ]


def test_uid_and_gid_mappings_come_together():
    assert idmap_problems(bind_mount("rbind", "idmap", uidMappings=IDMAP),
                          bind_mount("rbind", gidMappings=IDMAP, uidMappings=[]),
                          user_namespace=True) == [
        "mounts[7].gidMappings: is required with uidMappings",
        "mounts[8].uidMappings: is required with gidMappings",
    ]


def test_idmap_without_maps_needs_a_user_namespace():
    assert idmap_problems(bind_mount("rbind", "ridmap"),
                          bind_mount("idmap", uidMappings=[], gidMappings=[])) == [
        "mounts[7].options: ridmap needs uidMappings and gidMappings on the mount, "
        "or a user namespace",
        "mounts[8].options: idmap needs uidMappings and gidMappings on the mount, "
        "or a user namespace",
    ]


def test_root_path_resolved_against_bundle(tmp_path):
    spec = runc_default_config()
    assert as_text(problems(spec, str(tmp_path))) == [
        f"root.path: no such directory: {tmp_path / 'rootfs'}"]
    (tmp_path / "rootfs").write_text("not a dir")
    assert as_text(problems(spec, str(tmp_path))) == [
        f"root.path: not a directory: {tmp_path / 'rootfs'}"]
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    spec["root"]["path"] = str(elsewhere)  # absolute: the bundle does not matter
    assert problems(spec, str(tmp_path / "unrelated")) == []


def test_root_path_not_checked_without_bundle():
    assert problems(runc_default_config()) == []


def test_semantic_skipped_while_schema_fails():
    spec = with_change(lambda s: (s["process"].__setitem__("cwd", "rel"), s.pop("ociVersion")))
    assert as_text(problems(spec)) == ["ociVersion: is required"]
    assert "process.cwd: must be an absolute path" in as_text(semantic_problems(spec, None))


@pytest.mark.parametrize("malformed", [
    None, [], "config", 7,
    {"linux": 5, "process": "x", "mounts": {"a": 1}, "hooks": [], "root": "rootfs"},
    {"linux": {"namespaces": "pid", "sysctl": ["net.x"], "devices": 3, "timeOffsets": []}},
    {"linux": {"namespaces": [5, None, {"type": 3}, {"type": "user", "path": 5},
                              {"type": ["uts"]}, {"path": "rel"}], "uidMappings": {}}},
    {"process": {"cwd": 5, "args": "sh", "capabilities": {"bounding": "CAP_KILL",
                                                          "effective": [1, None]},
                 "rlimits": [1, {"type": None}, {"type": ["RLIMIT_CORE"]}]}},
    {"process": {"args": [None]}, "mounts": [None, {"destination": 7}, {}],
     "hooks": {"prestart": {"path": "x"}, "poststop": [1, {"path": None}]}},
    {"root": {"path": 5}, "hostname": ["h"], "domainname": 3},
    {"root": None, "linux": {"sysctl": {"": "1"}}},
])
def test_semantic_checks_never_crash_on_malformed_specs(tmp_path, malformed):
    found = semantic_problems(malformed, str(tmp_path))
    assert isinstance(found, list)
    assert all(isinstance(p, Problem) and isinstance(p.path, str) for p in found)
    assert isinstance(problems(malformed, str(tmp_path)), list)


def test_malformed_spec_still_yields_the_checks_it_can():
    spec = {"root": {"path": 5}, "process": {"cwd": "rel", "args": "sh"},
            "linux": {"namespaces": [5, {"type": "pid"}, {"type": "pid"}]}}
    assert as_text(semantic_problems(spec, "/nonexistent")) == [
        "linux.namespaces[2].type: namespace 'pid' is listed more than once",
        "process.cwd: must be an absolute path",
    ]


# --- packaging and import cost ----------------------------------------------

def test_import_does_not_load_jsonschema():
    code = ("import sys; from libcontainer.config import validate as v;"
            "v.semantic_problems({'ociVersion': '1'}, None); v.schema_problems({'ociVersion': 1});"
            "print('jsonschema' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], cwd=REPO, capture_output=True,
                         text=True, check=True)
    assert out.stdout.strip() == "False"


def test_reference_validator_is_built_once():
    from libcontainer.config import reference_schema
    reference_schema_problems({"ociVersion": "1.0.0"})
    first = reference_schema._VALIDATOR
    reference_schema_problems({"ociVersion": "1.0.0"})
    assert first is not None and reference_schema._VALIDATOR is first


def test_schemas_are_valid_and_findable():
    import jsonschema
    for name in ("config-schema.json", "state-schema.json", "features-schema.json"):
        path = validate.schema_file(name)
        assert os.path.isabs(path) and os.path.isfile(path)
        with open(path) as f:
            jsonschema.Draft202012Validator.check_schema(json.load(f))


def test_state_schema_accepts_and_rejects():
    import jsonschema
    with open(os.path.join(REPO, "schemas", "state-schema.json")) as f:
        checker = jsonschema.Draft202012Validator(json.load(f))
    state = {"ociVersion": "1.0.2", "id": "c1", "status": "created", "pid": 42,
             "bundle": "/b", "annotations": {"a": "b"}}
    assert checker.is_valid(state)
    assert checker.is_valid(dict(state, status="paused"))
    assert not checker.is_valid(dict(state, status="sleeping"))
    assert not checker.is_valid({k: v for k, v in state.items() if k != "bundle"})


# --- oracle: agree with the upstream runtime-spec schema --------------------

def test_oracle_agrees_with_upstream_schema():
    if not os.path.isdir(UPSTREAM_SCHEMA_DIR):
        pytest.skip("upstream runtime-spec schemas not installed")
    upstream = upstream_validator()
    samples = oracle_samples()
    verdicts = {name: (upstream.is_valid(spec), not schema_problems(spec),
                       not reference_schema_problems(spec)) for name, spec in samples}
    disagreements = {name: v for name, v in verdicts.items() if len(set(v)) != 1}
    assert disagreements == {}
    # The sample set must exercise both outcomes, or agreement means little.
    outcomes = {v[0] for v in verdicts.values()}
    assert outcomes == {True, False}
    assert sum(1 for v in verdicts.values() if not v[0]) >= 10


@pytest.mark.parametrize("version, ok", [
    ("1.0.0", True), ("1.2.0", True), ("1.0.2-dev", True), ("1.3.0+build.5", True),
    ("invalid", False), ("2.0.0", False), ("1.0", False), ("", False),
])
def test_oci_version_must_be_a_1x_semver(version, ok):
    spec = runc_default_config()
    spec["ociVersion"] = version
    found = [str(p) for p in schema_problems(spec)]
    assert found == as_text(reference_schema_problems(spec))
    if ok:
        assert found == []
    else:
        assert found == [f"ociVersion: {version!r} is not a runtime-spec 1.x version "
                         "(SemVer, like 1.2.0)"]
