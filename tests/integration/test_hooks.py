"""OCI hooks: each kind runs at its point of the lifecycle, in the right
namespaces, with the state on stdin; a failing creation hook fails create
and leaves nothing behind."""
import json

from conftest import assert_nothing_left, assert_one_line_error, bind


def logging_hook(kind, log):
    """A hook appending `kind <status> <hostname>` and its stdin's state to log."""
    script = (f'read -r state; echo "{kind} $(hostname)" >> {log}; '
              f'echo "$state" >> {log}')
    return {"path": "/bin/sh", "args": ["sh", "-c", script]}


def read_log(path):
    lines = path.read_text().splitlines()
    return [(lines[i], json.loads(lines[i + 1])) for i in range(0, len(lines), 2)]


def test_every_hook_kind_in_lifecycle_order(runtime, make_bundle, host_dir):
    host_log = host_dir / "hooks.log"
    in_container = "/root/hooks.log"  # startContainer runs after pivot_root
    hooks = {kind: [logging_hook(kind, host_log)]
             for kind in ("prestart", "createRuntime", "createContainer", "poststart", "poststop")}
    hooks["startContainer"] = [logging_hook("startContainer", in_container)]
    # Onto an existing directory, so that the shared rootfs stays as it is.
    b = make_bundle(["sleep", "30"], hostname="in-the-box", hooks=hooks,
                    extra_mounts=[bind(host_dir, "/root")])
    runtime.ok("create", "--bundle", b.path, b.id)
    assert [kind for kind, _ in read_log(host_log)] == [
        "prestart " + _host_name(), "createRuntime " + _host_name(), "createContainer in-the-box"]
    runtime.ok("start", b.id)
    runtime.ok("delete", "--force", b.id)
    entries = read_log(host_log)
    assert [kind.split()[0] for kind, _ in entries] == [
        "prestart", "createRuntime", "createContainer", "startContainer", "poststart", "poststop"]
    assert entries[3][0] == "startContainer in-the-box"  # inside the container
    states = {kind.split()[0]: state for kind, state in entries}
    assert {s["id"] for s in states.values()} == {b.id}
    assert states["createRuntime"]["status"] == "creating"
    assert states["poststart"]["status"] == "running"
    assert states["poststop"]["status"] == "stopped"
    assert states["createRuntime"]["pid"] == states["poststart"]["pid"] > 0
    assert states["createRuntime"]["bundle"] == str(b.path)


def test_run_keeps_the_hook_order_without_an_exec_fifo(runtime, make_bundle, host_dir):
    """run has its process exec'd as soon as it is set up (no exec fifo, no
    `start` round trip): the hooks still come in create-then-start order,
    poststart once the process runs; a prestart hook finds no fifo."""
    host_log = host_dir / "hooks.log"
    hooks = {kind: [logging_hook(kind, host_log)]
             for kind in ("prestart", "createRuntime", "createContainer", "poststart", "poststop")}
    hooks["startContainer"] = [logging_hook("startContainer", "/root/hooks.log")]
    b = make_bundle(["true"], hostname="in-the-box", hooks=hooks,
                    extra_mounts=[bind(host_dir, "/root")])
    fifo = f"{runtime.state_dir(b.id)}/exec.fifo"
    looks = f"if test -e {fifo}; then echo fifo; else echo none; fi > {host_dir}/fifo"
    b.config["hooks"]["prestart"].append({"path": "/bin/sh", "args": ["sh", "-c", looks]})
    b.rewrite(b.config)
    runtime.ok("run", "--bundle", b.path, b.id)
    entries = read_log(host_log)
    assert [kind.split()[0] for kind, _ in entries] == [
        "prestart", "createRuntime", "createContainer", "startContainer", "poststart", "poststop"]
    assert entries[3][0] == "startContainer in-the-box"
    assert entries[4][1]["status"] == "running"
    assert (host_dir / "fifo").read_text() == "none\n"
    assert_nothing_left(runtime, b.id)


def test_failing_create_runtime_hook_fails_create(runtime, make_bundle):
    hooks = {"createRuntime": [{"path": "/bin/sh",
                                "args": ["sh", "-c", "echo no network for you >&2; exit 3"]}]}
    b = make_bundle(["true"], hooks=hooks)
    rc, out, err = runtime("create", "--bundle", b.path, b.id)
    assert_one_line_error(rc, out, err, "hooks.createRuntime[0]", "exit status 3",
                          "no network for you")
    assert_nothing_left(runtime, b.id)


def test_hook_timeout(runtime, make_bundle):
    hooks = {"prestart": [{"path": "/bin/sleep", "args": ["sleep", "5"], "timeout": 1}]}
    b = make_bundle(["true"], hooks=hooks)
    rc, out, err = runtime("create", "--bundle", b.path, b.id)
    assert_one_line_error(rc, out, err, "hooks.prestart[0]", "timed out after 1 s")
    assert_nothing_left(runtime, b.id)


def test_failing_poststop_hook_only_warns_in_the_log(runtime, make_bundle, tmp_path):
    b = make_bundle(["true"], hooks={"poststop": [{"path": "/bin/false"}]})
    log = tmp_path / "log.json"
    rc, out, err = runtime("--log", log, "--log-format", "json", "run", "--bundle", b.path, b.id)
    assert rc == 0
    # Not on stderr: under the shims that is the container's own stderr.
    assert err == ""
    lines = [json.loads(line) for line in log.read_text().splitlines()]
    assert {"level": "warning", "msg": "hooks.poststop[0] /bin/false: exit status 1"} in [
        {k: line[k] for k in ("level", "msg")} for line in lines]
    assert_nothing_left(runtime, b.id)


def _host_name():
    with open("/proc/sys/kernel/hostname") as f:
        return f.read().strip()
