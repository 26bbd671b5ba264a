"""`pyrunc validate -b DIR`: exit 0 on a good bundle; on a bad one each problem
on its own line, naming its JSON path."""
import copy
import subprocess
import sys
import tempfile
from pathlib import Path


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
    config["root"]["path"] = str(tmp_path / "missing-rootfs")
    b.rewrite(config)
    rc, out, err = runtime("validate", "-b", b.path)
    assert rc != 0
    lines = problem_lines(out, err)
    n = len(config["linux"]["namespaces"]) - 1
    for path in (f"linux.namespaces[{n}]", "root.path"):
        assert [line for line in lines if f" {path}" in line], (path, lines)


def test_validate_bad_json(runtime, tmp_path):
    (tmp_path / "config.json").write_text("{")
    rc, out, err = runtime("validate", "-b", tmp_path)
    assert rc != 0
    assert len(err.strip().splitlines()) == 1 and "Traceback" not in err


def test_validate_missing_bundle(runtime, tmp_path):
    rc, out, err = runtime("validate", "-b", tmp_path / "absent")
    assert rc != 0
    assert len(err.strip().splitlines()) == 1 and "absent" in err


# --- create and validate agree ------------------------------------------------

def _semantic_changes(tmp_path):
    return [
        ("duplicate namespace", lambda c: c["linux"]["namespaces"].append({"type": "pid"})),
        ("relative cwd", lambda c: c["process"].__setitem__("cwd", "work")),
        ("valid: an unknown capability (dropped)",
         lambda c: c["process"]["capabilities"]["bounding"].append("CAP_FLY")),
        ("missing rootfs", lambda c: c["root"].__setitem__("path", str(tmp_path / "none"))),
        ("host sysctl", lambda c: c["linux"].__setitem__("sysctl", {"vm.swappiness": "1"})),
        ("two problems", lambda c: (c["process"].__setitem__("args", "sh"),
                                    c.__setitem__("hostname", 5))),
        ("valid: annotations", lambda c: c.__setitem__("annotations", {"org.example": "x"})),
        ("valid: unchanged", lambda c: None),
    ]


def test_create_and_validate_agree(runtime, make_bundle, tmp_path):
    """Over the upstream oracle's samples and our own: `validate` accepts exactly
    what `create` accepts, and create's one-line error is validate's first line."""
    from config_samples import ORACLE_CHANGES
    b = make_bundle(["true"])
    base = copy.deepcopy(b.config)
    accepted = rejected = 0
    for name, change in ORACLE_CHANGES + _semantic_changes(tmp_path):
        config = copy.deepcopy(base)
        change(config)
        b.rewrite(config)
        rc, out, err = runtime("validate", "-b", b.path)
        problems = problem_lines("", err)
        cid = runtime.new_id()
        create_rc, _, create_err = runtime("create", "--bundle", b.path, cid)
        if rc == 0:
            assert create_rc == 0, (name, create_err)
            runtime.ok("delete", "--force", cid)
            accepted += 1
            continue
        assert create_rc != 0, name
        more = len(problems) - 1
        suffix = f" (and {more} more; `pyrunc validate` lists all)" if more else ""
        assert create_err.strip() == f"pyrunc: {problems[0]}{suffix}", (name, problems)
        assert runtime("state", cid)[0] != 0  # nothing left behind
        rejected += 1
    assert accepted >= 3 and rejected >= 20


def _run(argv, env):
    """(rc, stderr) of argv; output to files, not pipes: the container's init
    inherits them and outlives `create`."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        rc = subprocess.run(argv, env=env, stdin=subprocess.DEVNULL, stdout=out, stderr=err,
                            timeout=30).returncode
        err.seek(0)
        return rc, err.read().decode(errors="replace")


# The Python command line, as the C `pyrunc` runs it for create: a script
# file here, so that Python-level instruments can be put around it.
PYTHON_ENTRY = str(Path(__file__).resolve().parents[2] / "bin" / "pyrunc")


# Modules `create` must not import: jsonschema (~95 ms with its dependencies),
# yaml (~22 ms) for a config.json, json (~5 ms with re and enum: fast_json
# parses with json's C scanner instead).
HEAVY = ("jsonschema", "referencing", "rpds", "attrs", "attr", "yaml", "json")


def test_create_imports_nothing_heavy(runtime, make_bundle):
    b = make_bundle(["true"], hostname="fresh-config")  # never seen before
    argv = [sys.executable, "-X", "importtime", PYTHON_ENTRY, "--root", runtime.root,
            "create", "--bundle", str(b.path), b.id]
    rc, err = _run(argv, runtime.env)
    assert rc == 0, err[-2000:]
    runtime.ok("delete", "--force", b.id)
    imported = [line.split("|")[-1].strip() for line in err.splitlines()
                if line.startswith("import time:") and "|" in line]
    assert "libcontainer.config.compiled_schema" in imported  # the measurement saw create
    heavy = [m for m in imported if m.split(".")[0] in HEAVY]
    assert heavy == [], heavy


def test_the_command_imports_our_modules_from_the_code_pack(runtime):
    """The C `pyrunc` installs runtime/code_pack.py's finder first (the
    tests keep the pack fresh, as pip's build makes it)."""
    rc, _, err = runtime("--debug", "state", "no-such-container")
    assert rc != 0
    assert "code from the code pack" in err, err


# Reports, from inside `pyrunc create`, every open for writing and every call
# that changes the filesystem (CPython audit events), one per line.
AUDITED_CREATE = """
import os, sys
WRITE_FLAGS = os.O_WRONLY | os.O_RDWR | os.O_CREAT | os.O_TRUNC | os.O_APPEND
EVENTS = {"os.mkdir", "os.rename", "os.replace", "os.remove", "os.rmdir", "os.symlink",
          "os.link", "os.truncate", "os.chmod", "os.chown", "os.utime", "os.mknod", "os.mkfifo"}
report = open(os.environ["AUDIT_REPORT"], "a", buffering=1)
def hook(event, args):
    if event == "open":
        path, mode, flags = args
        if (mode and any(c in mode for c in "wax+")) or (flags or 0) & WRITE_FLAGS:
            report.write(f"{path}\\n")
    elif event in EVENTS:
        for path in args[:2 if event in ("os.rename", "os.replace", "os.symlink", "os.link") else 1]:
            report.write(f"{path}\\n")
sys.addaudithook(hook)
sys.argv = sys.argv[1:]
exec(compile(open(sys.argv[0]).read(), sys.argv[0], "exec"))
"""


def test_create_writes_only_under_root_and_cgroups(runtime, make_bundle, tmp_path):
    b = make_bundle(["true"], hostname="another-fresh-config")
    report = tmp_path / "writes"
    env = dict(runtime.env, AUDIT_REPORT=str(report), HOME=str(tmp_path / "home"))
    argv = [sys.executable, "-c", AUDITED_CREATE, PYTHON_ENTRY, "--root", runtime.root,
            "create", "--bundle", str(b.path), b.id]
    rc, err = _run(argv, env)
    assert rc == 0, err[-2000:]
    runtime.ok("delete", "--force", b.id)
    allowed = (runtime.root + "/", "/sys/fs/cgroup/", "/proc/", "/dev/")
    written = [p for p in report.read_text().splitlines()
               if not (p == runtime.root or p.startswith(allowed))]
    assert written == []
    assert f"{runtime.root}/{b.id}" in report.read_text()  # the hook did see create's writes
