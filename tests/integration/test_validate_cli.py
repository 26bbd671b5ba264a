"""`pyrunc validate -b DIR`: exit 0 on a good bundle; on a bad one each problem
on its own line, naming its JSON path."""
import copy


def problem_lines(out, err):
    return [line for line in (out + err).splitlines() if line.strip()]


def test_good_bundle(runtime, make_bundle):
    b = make_bundle(["true"])
    rc, out, err = runtime("validate", "--bundle", b.path)
    assert rc == 0, err
    assert err == ""


def test_good_yaml_bundle(runtime, make_bundle):
    b = make_bundle(["true"], fmt="yaml")
    rc, out, err = runtime("validate", "-b", b.path)
    assert rc == 0, err


def test_schema_problems_each_with_its_path(runtime, make_bundle):
    b = make_bundle(["true"])
    config = copy.deepcopy(b.config)
    config["process"]["args"] = "sh"
    config["hostname"] = 5
    config["process"]["user"]["uid"] = "root"
    b.rewrite(config)
    rc, out, err = runtime("validate", "-b", b.path)
    assert rc != 0
    assert "Traceback" not in err
    lines = problem_lines(out, err)
    for path in ("process.args", "hostname", "process.user.uid"):
        assert len([line for line in lines if f" {path}:" in line]) == 1, (path, lines)


def test_semantic_problems_each_with_its_path(runtime, make_bundle, tmp_path):
    b = make_bundle(["true"])
    config = copy.deepcopy(b.config)
    config["linux"]["namespaces"].append({"type": "pid"})
    config["process"]["capabilities"]["bounding"].append("CAP_NO_SUCH_THING")
    config["root"]["path"] = str(tmp_path / "missing-rootfs")
    b.rewrite(config)
    rc, out, err = runtime("validate", "-b", b.path)
    assert rc != 0
    lines = problem_lines(out, err)
    n = len(config["linux"]["namespaces"]) - 1
    bounding = len(config["process"]["capabilities"]["bounding"]) - 1
    for path in (f"linux.namespaces[{n}]", f"process.capabilities.bounding[{bounding}]",
                 "root.path"):
        assert [line for line in lines if f" {path}" in line], (path, lines)
    assert any("CAP_NO_SUCH_THING" in line for line in lines)


def test_validate_bad_json(runtime, tmp_path):
    (tmp_path / "config.json").write_text("{")
    rc, out, err = runtime("validate", "-b", tmp_path)
    assert rc != 0
    assert len(err.strip().splitlines()) == 1 and "Traceback" not in err


def test_validate_missing_bundle(runtime, tmp_path):
    rc, out, err = runtime("validate", "-b", tmp_path / "absent")
    assert rc != 0
    assert len(err.strip().splitlines()) == 1 and "absent" in err
