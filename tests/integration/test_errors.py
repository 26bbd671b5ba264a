"""Bad input: a non-zero exit, exactly one line on stderr, no traceback, and
nothing left behind (no state dir, cgroup dir, mount or process)."""
import json
import os

import pytest

from conftest import STATE_ROOT, assert_nothing_left, assert_one_line_error


def create_fails(runtime, bundle_path, cid, *must_contain):
    rc, out, err = runtime("create", "--bundle", bundle_path, cid)
    assert_one_line_error(rc, out, err, *must_contain)
    assert_nothing_left(runtime, cid)
    return err


def test_missing_bundle_dir(runtime, tmp_path):
    create_fails(runtime, tmp_path / "no-such-bundle", runtime.new_id(), "no-such-bundle")


def test_bundle_without_config(runtime, tmp_path):
    create_fails(runtime, tmp_path, runtime.new_id(), "config")


def test_invalid_json(runtime, tmp_path):
    (tmp_path / "config.json").write_text('{"ociVersion": "1.2.0", "process": {')
    create_fails(runtime, tmp_path, runtime.new_id(), "config.json")


def test_invalid_yaml(runtime, tmp_path):
    (tmp_path / "config.yaml").write_text("ociVersion: 1.2.0\nprocess: [args: {\n  - x\n")
    create_fails(runtime, tmp_path, runtime.new_id(), "config.yaml")


def test_config_not_an_object(runtime, tmp_path):
    (tmp_path / "config.json").write_text("[1, 2, 3]")
    create_fails(runtime, tmp_path, runtime.new_id(), "config.json")


def test_schema_violation_names_the_field(runtime, make_bundle):
    b = make_bundle(["true"])
    config = dict(b.config)
    config["process"] = dict(config["process"], args="sh -c true")
    b.rewrite(config)
    create_fails(runtime, b.path, b.id, "process.args")


def test_run_with_a_schema_violation(runtime, make_bundle):
    b = make_bundle(["true"])
    b.rewrite(dict(b.config, hostname=42))
    rc, out, err = runtime("run", "--bundle", b.path, b.id)
    assert_one_line_error(rc, out, err, "hostname")
    assert_nothing_left(runtime, b.id)


@pytest.mark.parametrize("command", ["start", "state", "kill", "delete", "exec"])
def test_unknown_container(runtime, command):
    cid = runtime.new_id()
    args = {"exec": [cid, "true"], "kill": [cid, "KILL"]}.get(command, [cid])
    rc, out, err = runtime(command, *args)
    assert_one_line_error(rc, out, err, cid)
    assert not os.path.exists(runtime.state_dir(cid))


def test_delete_force_of_an_unknown_container_succeeds(runtime):
    cid = runtime.new_id()
    assert runtime("delete", "--force", cid) == (0, "", "")


def test_delete_force_removes_what_an_interrupted_create_left(runtime):
    cid = runtime.new_id()
    os.makedirs(runtime.state_dir(cid))  # claimed, but no record was ever written
    assert runtime("delete", "--force", cid) == (0, "", "")
    assert not os.path.exists(runtime.state_dir(cid))


def test_duplicate_id(runtime, make_bundle):
    first = make_bundle(["sleep", "30"])
    runtime.ok("create", "--bundle", first.path, first.id)
    state = runtime.state(first.id)
    second = make_bundle(["true"])
    rc, out, err = runtime("create", "--bundle", second.path, first.id)
    assert_one_line_error(rc, out, err, first.id)
    # the first container is untouched
    assert runtime.state(first.id) == state
    runtime.ok("start", first.id)
    assert runtime.state(first.id)["status"] == "running"


@pytest.mark.parametrize("cid", ["a/b", "..", ".", "", "../escape", "-leading-dash",
                                 "with space", "tab\there"])
def test_bad_container_ids(runtime, make_bundle, cid):
    b = make_bundle(["true"])
    before = sorted(os.listdir(STATE_ROOT)) if os.path.isdir(STATE_ROOT) else []
    parent_before = sorted(os.listdir(os.path.dirname(STATE_ROOT)))
    rc, out, err = runtime("create", "--bundle", b.path, "--", cid) if cid.startswith("-") \
        else runtime("create", "--bundle", b.path, cid)
    assert_one_line_error(rc, out, err)
    after = sorted(os.listdir(STATE_ROOT)) if os.path.isdir(STATE_ROOT) else []
    assert after == before
    assert sorted(os.listdir(os.path.dirname(STATE_ROOT))) == parent_before
    assert not os.path.exists(os.path.join(os.path.dirname(STATE_ROOT), "escape"))


@pytest.mark.parametrize("command", ["state", "start", "delete"])
def test_path_like_ids_for_other_commands(runtime, command):
    for cid in ("../" + os.path.basename(STATE_ROOT), "a/b", ".."):
        rc, out, err = runtime(command, cid)
        assert_one_line_error(rc, out, err)
    assert os.path.isdir("/run")


def test_missing_root_path(runtime, make_bundle, tmp_path):
    b = make_bundle(["true"], root={"path": str(tmp_path / "no-such-rootfs")})
    create_fails(runtime, b.path, b.id, "root.path")


def test_relative_root_path_missing(runtime, make_bundle):
    b = make_bundle(["true"], root={"path": "rootfs"})
    create_fails(runtime, b.path, b.id, "root")


def test_missing_mount_namespace(runtime, make_bundle, default_spec):
    namespaces = [ns for ns in default_spec["linux"]["namespaces"] if ns["type"] != "mount"]
    b = make_bundle(["true"], linux={"namespaces": namespaces})
    create_fails(runtime, b.path, b.id, "mount")


def test_args0_not_found(runtime, make_bundle):
    """Either create or start fails, naming the command; nothing ran."""
    b = make_bundle(["no-such-program", "arg"])
    rc, out, err = runtime("create", "--bundle", b.path, b.id)
    if rc != 0:
        assert_one_line_error(rc, out, err, "no-such-program")
        assert_nothing_left(runtime, b.id)
        return
    rc, out, err = runtime("start", b.id)
    assert_one_line_error(rc, out, err, "no-such-program")


def test_args0_not_found_with_run(runtime, make_bundle):
    b = make_bundle(["/bin/no-such-program"])
    rc, out, err = runtime("run", "--bundle", b.path, b.id)
    assert_one_line_error(rc, out, err, "/bin/no-such-program")
    assert_nothing_left(runtime, b.id)


def test_args0_not_executable(runtime, make_bundle):
    b = make_bundle(["/etc/passwd"])
    rc, out, err = runtime("run", "--bundle", b.path, b.id)
    assert_one_line_error(rc, out, err, "/etc/passwd")
    assert_nothing_left(runtime, b.id)


def test_bad_cwd(runtime, make_bundle):
    b = make_bundle(["true"], process={"cwd": "/no/such/dir"})
    rc, out, err = runtime("run", "--bundle", b.path, b.id)
    assert_one_line_error(rc, out, err, "/no/such/dir")
    assert_nothing_left(runtime, b.id)


def test_bind_mount_source_missing(runtime, make_bundle, tmp_path):
    b = make_bundle(["true"], extra_mounts=[{"destination": "/root", "type": "bind",
                                             "source": str(tmp_path / "absent"),
                                             "options": ["rbind"]}])
    rc, out, err = runtime("run", "--bundle", b.path, b.id)
    assert_one_line_error(rc, out, err, "absent")
    assert_nothing_left(runtime, b.id)


@pytest.mark.parametrize("sig", ["NOSUCHSIG", "SIGFOO", "99", "-9", "1.5"])
def test_bad_signal_for_kill(runtime, make_bundle, sig):
    b = make_bundle(["sleep", "30"])
    runtime.ok("create", "--bundle", b.path, b.id)
    rc, out, err = runtime("kill", b.id, sig)
    assert_one_line_error(rc, out, err)
    assert runtime.state(b.id)["status"] == "created"


@pytest.mark.parametrize("args", [["no-such-command"], ["create", "--no-such-flag", "x"],
                                  ["kill"], ["list", "--format", "xml"]])
def test_bad_command_lines(runtime, args):
    rc, out, err = runtime(*args)
    assert_one_line_error(rc, out, err)
    assert not err.startswith("pyrunc: pyrunc:"), f"the prefix is doubled: {err!r}"


def test_bad_input_with_json_log(runtime, tmp_path):
    """--log-format json: the error is a JSON line in the log, as containerd reads it."""
    log = tmp_path / "log.json"
    cid = runtime.new_id()
    rc, out, err = runtime("--log", log, "--log-format", "json", "state", cid)
    assert rc != 0
    entries = [json.loads(line) for line in log.read_text().splitlines()]
    assert entries and entries[-1]["level"] == "error"
    assert cid in entries[-1]["msg"] and entries[-1]["time"]


def test_valid_config_yaml_runs(runtime, make_bundle):
    b = make_bundle(["sh", "-c", "echo from yaml; hostname"], fmt="yaml",
                    hostname="yaml-host")
    assert not (b.path / "config.json").exists()
    assert runtime("run", "--bundle", b.path, b.id) == (0, "from yaml\nyaml-host\n", "")


def test_run_with_a_duplicate_id_leaves_the_first_alone(runtime, make_bundle):
    first = make_bundle(["sleep", "30"])
    runtime.ok("run", "-d", "--bundle", first.path, first.id)
    pid = runtime.state(first.id)["pid"]
    second = make_bundle(["true"])
    rc, out, err = runtime("run", "--bundle", second.path, first.id)
    assert_one_line_error(rc, out, err, first.id)
    state = runtime.state(first.id)
    assert (state["status"], state["pid"], state["bundle"]) == ("running", pid, str(first.path))


def test_an_apparmor_profile_is_refused_not_ignored(runtime, make_bundle):
    b = make_bundle(["true"], process={"apparmorProfile": "docker-default"})
    rc, out, err = runtime("run", "--bundle", b.path, b.id)
    assert_one_line_error(rc, out, err, "process.apparmorProfile", "not supported")
    assert_nothing_left(runtime, b.id)
