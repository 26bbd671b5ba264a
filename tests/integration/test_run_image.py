"""The "write your own Docker" workflow end to end: run-image from an image
with flags (-ti, -d, -v, -e, -m, --cpus, --cpu-shares, --cpuset-cpus),
logs, exec, stop, delete, commit and image save/load; every container's
root an overlay of the shared image's layers plus its own writable layer."""
import errno
import json
import os
import pty
import select
import subprocess
import time

from conftest import TIMEOUT, assert_one_line_error, leftover_mounts
from image_fixtures import (BUSYBOX, assert_image_container_gone, bundle_dir,
                            image_store, images_rt, run_detached, wait_for_log)  # noqa: F401
from test_cgroup_limits import read, v1_dirs

MIB = 1024 * 1024
# Ends cleanly on SIGTERM, saying so: what `stop` should ask for.
POLITE = ["sh", "-c", 'trap "echo got TERM; exit 0" TERM; echo started; '
          'while true; do sleep 1 & wait; done']


def pty_session(rt, args, keystrokes, prompt=b"# "):
    """Run `pyrunc ARGS` on a new pty and type keystrokes once the prompt
    shows (as a user would: what is typed before pyrunc puts the terminal
    in raw mode is flushed); returns (rc, output)."""
    master, slave = pty.openpty()
    proc = subprocess.Popen(rt.argv(*args), stdin=slave, stdout=slave, stderr=slave,
                            env=rt.env, start_new_session=True)
    os.close(slave)
    chunks, deadline = [], time.monotonic() + TIMEOUT
    while time.monotonic() < deadline:
        if select.select([master], [], [], 0.2)[0]:
            try:
                data = os.read(master, 4096)
            except OSError as exc:
                assert exc.errno == errno.EIO
                break
            chunks.append(data)
            if keystrokes and prompt in b"".join(chunks):
                os.write(master, keystrokes)
                keystrokes = None
        elif proc.poll() is not None:
            break
    os.close(master)
    rc = proc.wait(timeout=TIMEOUT)
    return rc, b"".join(chunks).decode(errors="replace").replace("\r\n", "\n")


def test_run_ti_gives_a_shell_on_a_pty(images_rt):
    cid = images_rt.new_id()
    rc, out = pty_session(images_rt, ["run-image", "-ti", "--name", cid, BUSYBOX, "sh"],
                          b"tty; [ -t 0 ] && echo stdin-is-a-tty; echo $((6*7)); exit 3\n")
    assert rc == 3, out
    assert "/dev/pts/0" in out and "stdin-is-a-tty" in out and "42" in out, out
    assert_image_container_gone(images_rt, cid)  # the foreground run deletes it


def test_detached_logs_exec_stop_rm(images_rt):
    cid = run_detached(images_rt, "-e", "GREETING=hello there", BUSYBOX, *POLITE[:2],
                       POLITE[2].replace("echo started", 'echo "started: $GREETING"'))
    assert images_rt.state(cid)["status"] == "running"
    assert images_rt.state(cid)["bundle"] == bundle_dir(images_rt, cid)
    wait_for_log(images_rt, cid, "started: hello there")
    assert images_rt.ok("exec", cid, "sh", "-c", "echo from exec >&2; hostname") == cid + "\n"
    started = time.monotonic()
    images_rt.ok("stop", "-t", "20", cid)
    assert time.monotonic() - started < 15  # it went on SIGTERM, not the SIGKILL at 20 s
    assert images_rt.state(cid)["status"] == "stopped"
    assert images_rt.ok("logs", cid).endswith("got TERM\n")
    assert os.path.ismount(os.path.join(bundle_dir(images_rt, cid), "rootfs"))  # kept until rm
    images_rt.ok("delete", cid)
    assert_image_container_gone(images_rt, cid)


def test_logs_follow_ends_when_the_container_does(images_rt):
    cid = run_detached(images_rt, BUSYBOX, "sh", "-c", "echo one; sleep 0.3; echo two")
    rc, out, err = images_rt("logs", "-f", cid)
    assert (rc, out, err) == (0, "one\ntwo\n", "")


def test_stdin_only_with_i(images_rt):
    out = images_rt.ok("run-image", "-i", "--name", images_rt.new_id(), BUSYBOX, "cat",
                       input="piped in\n")
    assert out == "piped in\n"
    out = images_rt.ok("run-image", "--name", images_rt.new_id(), BUSYBOX, "cat",
                       input="not for it\n")
    assert out == ""  # /dev/null


def test_stop_a_paused_container(images_rt):
    cid = run_detached(images_rt, BUSYBOX, *POLITE)
    wait_for_log(images_rt, cid, "started")
    images_rt.ok("pause", cid)
    assert images_rt.state(cid)["status"] == "paused"
    images_rt.ok("stop", "-t", "20", cid)
    assert images_rt.state(cid)["status"] == "stopped"
    assert images_rt.ok("logs", cid).endswith("got TERM\n")  # thawed, it could answer


def test_stop_kills_after_the_grace_period(images_rt):
    # sleep as pid 1 has no handler: SIGTERM from outside its namespace is dropped.
    cid = run_detached(images_rt, BUSYBOX, "sleep", "600")
    images_rt.ok("stop", "-t", "1", cid)
    assert images_rt.state(cid)["status"] == "stopped"


def test_limits_are_in_the_cgroup(images_rt):
    cid = run_detached(images_rt, "-m", "64m", "--cpus", "0.5", "--cpu-shares", "512",
                       "--cpuset-cpus", "0", BUSYBOX, "sleep", "600")
    record = images_rt.state_record(cid)
    if record["cgroup"]["version"] == 2:
        d = record["cgroup"]["dir"]
        assert read(f"{d}/memory.max") == str(64 * MIB)
        assert read(f"{d}/cpu.max") == "50000 100000"
        assert read(f"{d}/cpuset.cpus") == "0"
    else:
        dirs = v1_dirs(record)
        assert read(f"{dirs['memory']}/memory.limit_in_bytes") == str(64 * MIB)
        assert read(f"{dirs['cpu']}/cpu.cfs_quota_us") == "50000"
        assert read(f"{dirs['cpu']}/cpu.cfs_period_us") == "100000"
        assert read(f"{dirs['cpu']}/cpu.shares") == "512"
        assert read(f"{dirs['cpuset']}/cpuset.cpus") == "0"
    inside = images_rt.ok("exec", cid, "cat", "/proc/self/status")
    assert "Cpus_allowed_list:\t0\n" in inside
    images_rt.ok("delete", "--force", cid)
    assert_image_container_gone(images_rt, cid)


def test_volumes_env_and_the_image_config(images_rt, host_dir):
    readonly = host_dir / "ro"
    readonly.mkdir()
    (readonly / "given").write_text("from the host\n")
    cid = images_rt.new_id()
    out = images_rt.ok(
        "run-image", "--name", cid, "-v", f"{host_dir}:/data", "-v", f"{readonly}:/in:ro",
        "-e", "ANSWER=42", BUSYBOX, "sh", "-c",
        'echo "written inside $ANSWER" > /data/out; cat /in/given; '
        'touch /in/nope 2>/dev/null || echo read-only')
    assert out == "from the host\nread-only\n"
    assert (host_dir / "out").read_text() == "written inside 42\n"
    assert_image_container_gone(images_rt, cid)


def test_containers_share_the_image_but_not_their_writes(images_rt):
    first = run_detached(images_rt, BUSYBOX, "sleep", "600")
    second = run_detached(images_rt, BUSYBOX, "sleep", "600")
    images_rt.ok("exec", first, "sh", "-c", "echo first > /etc/motd; rm /bin/ls")
    assert images_rt.ok("exec", second, "sh", "-c", "cat /etc/motd 2>&1; ls / >/dev/null "
                        "&& echo ls-here") == "cat: can't open '/etc/motd': No such file or directory\nls-here\n"
    upper = os.path.join(bundle_dir(images_rt, first), "upper")
    assert open(os.path.join(upper, "etc", "motd")).read() == "first\n"
    whiteout = os.lstat(os.path.join(upper, "bin", "ls"))
    assert (os.major(whiteout.st_rdev), os.minor(whiteout.st_rdev)) == (0, 0)
    for cid in (first, second):
        images_rt.ok("delete", "--force", cid)
        assert_image_container_gone(images_rt, cid)
    # The image itself is untouched.
    out = images_rt.ok("run-image", "--name", images_rt.new_id(), BUSYBOX, "sh", "-c",
                       "ls /etc/motd 2>/dev/null; ls /bin/ls")
    assert out == "/bin/ls\n"


def test_commit_then_run_the_new_image(images_rt, tmp_path):
    image = f"committed-{os.getpid()}"
    cid = run_detached(images_rt, BUSYBOX, "sleep", "600")
    images_rt.ok("exec", cid, "sh", "-c", "mkdir -p /srv/app && echo kept > /srv/app/file; "
                 "rm /bin/ls; rm -r /root; mkdir /root; echo new > /root/only")
    assert images_rt.ok("commit", cid, image) == image + "\n"
    assert images_rt.state(cid)["status"] == "running"  # frozen for the copy only
    images_rt.ok("delete", "--force", cid)
    check = "cat /srv/app/file; ls /bin/ls 2>&1 | grep -c 'No such'; ls /root"
    try:
        out = images_rt.ok("run-image", "--name", images_rt.new_id(), image, "sh", "-c", check)
        assert out == "kept\n1\nonly\n"
        # Exported and loaded again under another name: the same root.
        archive = tmp_path / "image.tar"
        images_rt.ok("image", "save", image, archive)
        assert images_rt.ok("image", "load", "--name", image + "-copy", archive) \
            == image + "-copy\n"
        out = images_rt.ok("run-image", "--name", images_rt.new_id(), image + "-copy",
                           "sh", "-c", check)
        assert out == "kept\n1\nonly\n"
    finally:
        images_rt("image", "rm", image)
        images_rt("image", "rm", image + "-copy")
    assert image not in images_rt.ok("image", "ls", "-q").split()


def test_export_the_root_and_the_layer(images_rt, tmp_path):
    import tarfile
    cid = run_detached(images_rt, BUSYBOX, "sleep", "600")
    images_rt.ok("exec", cid, "sh", "-c", "echo exported > /etc/note; rm /bin/ls")
    root_tar, layer_tar = tmp_path / "root.tar", tmp_path / "layer.tar"
    images_rt.ok("export", cid, root_tar)
    images_rt.ok("export", "--layer", cid, layer_tar)
    with tarfile.open(layer_tar) as tar:
        assert sorted(tar.getnames()) == ["bin", "bin/.wh.ls", "etc", "etc/note"]
    with tarfile.open(root_tar) as tar:
        names = tar.getnames()
        assert "etc/note" in names and "bin/ls" not in names and "bin/sh" in names
    image = f"exported-{os.getpid()}"
    images_rt.ok("image", "load", "--name", image, root_tar)
    try:
        out = images_rt.ok("run-image", "--name", images_rt.new_id(), image, "sh", "-c",
                           "cat /etc/note; ls /bin/ls 2>/dev/null || echo no-ls")
        assert out == "exported\nno-ls\n"
    finally:
        images_rt("image", "rm", image)
    rc, out, err = images_rt("export", "no-such-container", tmp_path / "x.tar")
    assert_one_line_error(rc, out, err, "container no-such-container does not exist")
    assert not (tmp_path / "x.tar").exists()
    rc, out, err = images_rt("export", cid, tmp_path / "missing" / "x.tar")
    assert_one_line_error(rc, out, err, f"FILE {tmp_path}/missing/x.tar: the directory")
    rc, out, err = images_rt("image", "save", BUSYBOX, tmp_path / "missing" / "x.tar")
    assert_one_line_error(rc, out, err, f"FILE {tmp_path}/missing/x.tar: the directory")
    rc, out, err = images_rt("commit", cid, "Bad Name")
    assert_one_line_error(rc, out, err, "IMAGE 'Bad Name'")


def test_bad_flags_name_the_flag_and_leave_nothing(images_rt, tmp_path):
    before = sorted(os.listdir(os.path.join(images_rt.root, ".images", "containers")))
    cases = [
        (["no-such-image", "true"], "IMAGE no-such-image: no such image"),
        (["-m", "lots", BUSYBOX, "true"], "-m lots: not a size"),
        (["-m", "12q", BUSYBOX, "true"], "-m 12q"),
        (["-v", f"{tmp_path}/missing:/data", BUSYBOX, "true"], f"-v {tmp_path}/missing:/data"),
        (["-v", "nocolon", BUSYBOX, "true"], "-v nocolon: must be SRC:DST"),
        (["-v", f"{tmp_path}:relative", BUSYBOX, "true"], "destination must be an absolute"),
        (["--cpus", "many", BUSYBOX, "true"], "--cpus many"),
        (["--cpus", "100000", BUSYBOX, "true"], "--cpus 100000"),
        (["--cpuset-cpus", "0-", BUSYBOX, "true"], "--cpuset-cpus 0-"),
        (["--cpuset-cpus", "4096", BUSYBOX, "true"], "--cpuset-cpus 4096: CPU 4096"),
        (["--cpu-shares", "1", BUSYBOX, "true"], "--cpu-shares 1"),
        (["-e", "=x", BUSYBOX, "true"], "-e =x"),
        (["-p", "80", BUSYBOX, "true"], "-p 80"),
        (["-p", "80:99999", BUSYBOX, "true"], "-p 80:99999"),
        (["--network", "none", "-p", "80:80", BUSYBOX, "true"], "-p: port mappings need"),
        (["--network", "host", BUSYBOX, "true"], "--network host"),
        (["--name", "-bad", BUSYBOX, "true"], "--name"),
        (["-d", "-t", BUSYBOX, "sh"], "-d: cannot be combined with -t"),
        (["--bogus", BUSYBOX], "unknown flag --bogus"),
    ]
    for args, expected in cases:
        rc, out, err = images_rt("run-image", *args)
        assert_one_line_error(rc, out, err, expected)
    assert sorted(os.listdir(os.path.join(images_rt.root, ".images", "containers"))) == before
    assert leftover_mounts([os.path.join(images_rt.root, ".images", "containers")]) == []


def test_a_taken_name_is_refused_and_the_first_container_kept(images_rt):
    cid = run_detached(images_rt, BUSYBOX, "sleep", "600")
    rc, out, err = images_rt("run-image", "-d", "--name", cid, BUSYBOX, "true")
    assert_one_line_error(rc, out, err, f"--name {cid}: a container with that name")
    assert images_rt.state(cid)["status"] == "running"
    assert os.path.ismount(os.path.join(bundle_dir(images_rt, cid), "rootfs"))


def test_a_failing_create_leaves_no_bundle(images_rt):
    cid = images_rt.new_id()
    rc, out, err = images_rt("run-image", "--name", cid, BUSYBOX, "/no/such/program")
    assert rc != 0 and "/no/such/program" in err, err
    assert_image_container_gone(images_rt, cid)


def test_the_bundle_is_a_normal_one(images_rt):
    """config.json is readable and `create` runs it like any bundle."""
    cid = run_detached(images_rt, "-e", "K=V", "-m", "32m", BUSYBOX, "sleep", "600")
    with open(os.path.join(bundle_dir(images_rt, cid), "config.json")) as f:
        config = json.load(f)
    assert config["process"]["args"] == ["sleep", "600"]
    assert "K=V" in config["process"]["env"]
    assert config["root"] == {"path": "rootfs", "readonly": False}
    assert config["linux"]["resources"]["memory"] == {"limit": 32 * MIB}
    assert config["annotations"]["org.opencontainers.image.ref.name"] == BUSYBOX
    rc, out, err = images_rt("validate", "--bundle", bundle_dir(images_rt, cid))
    assert rc == 0, err
