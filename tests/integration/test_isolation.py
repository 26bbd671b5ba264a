"""What a process sees inside the container: namespaces, rootfs, masked and
read-only paths, capabilities, rlimits, user, devices, mounts."""
import os
import subprocess

import pytest

from conftest import bind, tmpfs

# The capability numbers of include/uapi/linux/capability.h that these tests use.
CAP_NUMBERS = {"CAP_CHOWN": 0, "CAP_KILL": 5, "CAP_NET_BIND_SERVICE": 10,
               "CAP_SYS_ADMIN": 21, "CAP_AUDIT_WRITE": 29}


def cap_mask(names):
    return sum(1 << CAP_NUMBERS[n] for n in names)


def run_sh(runtime, make_bundle, script, **overrides):
    """Run `sh -c SCRIPT` in a fresh container; returns (rc, stdout, stderr)."""
    b = make_bundle(["sh", "-c", script], **overrides)
    return runtime("run", "--bundle", b.path, b.id)


def output_of(runtime, make_bundle, script, **overrides):
    rc, out, err = run_sh(runtime, make_bundle, script, **overrides)
    assert rc == 0, f"rc {rc}; stdout {out!r}; stderr {err!r}"
    return out


def status_fields(text):
    return dict(line.split(":\t", 1) for line in text.splitlines() if ":\t" in line)


def test_process_is_pid_1(runtime, make_bundle):
    assert output_of(runtime, make_bundle, "echo $$") == "1\n"


def test_only_the_containers_processes_are_visible(runtime, make_bundle):
    out = output_of(runtime, make_bundle, "ls /proc | grep -E '^[0-9]+$'; echo --; ps -o pid,comm; true")
    pids, ps = out.split("--\n")
    # pid 1 (sh), ls, grep: nothing of the host
    assert "1" in pids.split() and len(pids.split()) <= 3, pids
    assert [line.split() for line in ps.splitlines()[1:] if line.split()[0] == "1"] == [["1", "sh"]]


def test_hostname_from_config(runtime, make_bundle):
    out = output_of(runtime, make_bundle, "hostname; cat /proc/sys/kernel/hostname",
                    hostname="pyrunc-test-host")
    assert out == "pyrunc-test-host\npyrunc-test-host\n"
    assert os.uname().nodename != "pyrunc-test-host"


def test_uid_map_without_user_namespace(runtime, make_bundle):
    assert output_of(runtime, make_bundle, "cat /proc/self/uid_map").split() == \
        ["0", "0", "4294967295"]


def test_mountinfo_shows_the_rootfs_as_root(runtime, make_bundle):
    out = output_of(runtime, make_bundle, "cat /proc/self/mountinfo; echo --; ls /")
    mountinfo, listing = out.split("--\n")
    points = [line.split()[4] for line in mountinfo.splitlines()]
    assert points[0] == "/", mountinfo
    assert mountinfo.split()[5].split(",")[0] == "ro"  # root.readonly
    assert "/proc" in points and "/dev" in points and "/sys" in points
    for host_path in ("/work", "/tmp/pytest", "/run", "/home"):
        assert not [p for p in points if p.startswith(host_path)], (host_path, points)
    assert set(listing.split()) >= {"bin", "dev", "etc", "proc", "sys", "tmp"}
    assert "work" not in listing.split()


@pytest.mark.skipif(not os.path.exists("/proc/kcore"), reason="this kernel has no /proc/kcore")
def test_proc_kcore_is_masked(runtime, make_bundle):
    out = output_of(runtime, make_bundle, "stat -c '%F %t,%T' /proc/kcore; wc -c < /proc/kcore")
    assert out.split("\n")[:2] == ["character special file 1,3", "0"]


@pytest.mark.parametrize("path", ["/proc/keys", "/proc/timer_list"])
def test_masked_files_read_empty(runtime, make_bundle, path):
    if not os.path.exists(path):
        pytest.skip(f"the host has no {path}")
    out = output_of(runtime, make_bundle, f"stat -c '%F %t,%T' {path}; wc -c < {path}")
    assert out.split() == ["character", "special", "file", "1,3", "0"]


def test_masked_directory_is_empty(runtime, make_bundle):
    # /sys/firmware exists on every Linux host; masked it is an empty read-only dir.
    if not os.path.isdir("/sys/firmware") or not os.listdir("/sys/firmware"):
        pytest.skip("the host's /sys/firmware is empty anyway")
    rc, out, err = run_sh(runtime, make_bundle, "ls -A /sys/firmware | wc -l; touch /sys/firmware/x")
    assert (rc, out.strip()) == (1, "0"), (rc, out, err)
    assert "Read-only file system" in err


def test_proc_sys_is_read_only(runtime, make_bundle):
    rc, out, err = run_sh(runtime, make_bundle,
                          "echo x > /proc/sys/kernel/hostname && echo wrote; "
                          "grep ' /proc/sys ' /proc/self/mountinfo")
    assert rc == 0 and "wrote" not in out
    assert "Read-only file system" in err, err
    assert out.split()[5].split(",")[0] == "ro", out


def test_readonly_root(runtime, make_bundle):
    rc, out, err = run_sh(runtime, make_bundle, "touch /newfile && echo wrote; echo done")
    assert (rc, out) == (0, "done\n")
    assert "Read-only file system" in err, err


def test_writable_tmpfs_on_readonly_root(runtime, make_bundle):
    out = output_of(runtime, make_bundle, "echo hi > /tmp/f && cat /tmp/f",
                    extra_mounts=[tmpfs("/tmp")])
    assert out == "hi\n"


def test_default_capabilities(runtime, make_bundle, default_spec):
    effective = default_spec["process"]["capabilities"]["effective"]
    status = status_fields(output_of(runtime, make_bundle, "cat /proc/self/status"))
    assert int(status["CapEff"], 16) == cap_mask(effective) == 0x20000420
    assert int(status["CapPrm"], 16) == cap_mask(default_spec["process"]["capabilities"]["permitted"])
    assert int(status["CapBnd"], 16) == cap_mask(default_spec["process"]["capabilities"]["bounding"])
    assert status["NoNewPrivs"].strip() == "1"


def test_capabilities_from_config(runtime, make_bundle):
    caps = ["CAP_CHOWN", "CAP_SYS_ADMIN"]
    status = status_fields(output_of(
        runtime, make_bundle, "cat /proc/self/status",
        process={"capabilities": {"bounding": caps, "effective": caps, "permitted": caps,
                                  "inheritable": [], "ambient": []}}))
    assert int(status["CapEff"], 16) == cap_mask(caps)
    assert int(status["CapBnd"], 16) == cap_mask(caps)
    assert int(status["CapAmb"], 16) == 0


def test_no_new_privileges_false(runtime, make_bundle):
    status = status_fields(output_of(runtime, make_bundle, "cat /proc/self/status",
                                     process={"noNewPrivileges": False}))
    assert status["NoNewPrivs"].strip() == "0"


def test_rlimit_nofile(runtime, make_bundle):
    assert output_of(runtime, make_bundle, "ulimit -n") == "1024\n"


def test_rlimits_from_config(runtime, make_bundle):
    out = output_of(runtime, make_bundle, "ulimit -Sn; ulimit -Hn",
                    process={"rlimits": [{"type": "RLIMIT_NOFILE", "soft": 2048, "hard": 4096}]})
    assert out.split() == ["2048", "4096"]


def test_env_and_cwd(runtime, make_bundle):
    out = output_of(runtime, make_bundle, 'echo "$GREETING"; pwd; env | sort',
                    process={"env": ["PATH=/bin", "GREETING=hello world"], "cwd": "/etc"})
    lines = out.splitlines()
    assert lines[:2] == ["hello world", "/etc"]
    env = dict(line.split("=", 1) for line in lines[2:])
    assert env["PATH"] == "/bin" and env["GREETING"] == "hello world"
    assert not [k for k in env if k.startswith(("PYRUNC", "_PYRUNC", "LD_PRELOAD", "PYTEST"))], env


def test_user_uid_gid(runtime, make_bundle):
    out = output_of(runtime, make_bundle, "id -u; id -g; id -G",
                    process={"user": {"uid": 1000, "gid": 1000, "additionalGids": [2000]}})
    uid, gid, groups = out.splitlines()
    assert (uid, gid) == ("1000", "1000")
    assert set(groups.split()) == {"1000", "2000"}


def test_non_root_user_has_no_capabilities_by_default(runtime, make_bundle):
    status = status_fields(output_of(runtime, make_bundle, "cat /proc/self/status",
                                     process={"user": {"uid": 1000, "gid": 1000},
                                              "capabilities": {"ambient": None}}))
    assert int(status["CapEff"], 16) == 0
    assert status["Uid"].split() == ["1000"] * 4


def test_default_devices(runtime, make_bundle):
    out = output_of(runtime, make_bundle,
                    "for d in null zero full random urandom tty; do "
                    "stat -c \"$d %F %t,%T\" /dev/$d; done; readlink /dev/ptmx; "
                    "head -c 5 /dev/zero | wc -c; echo gone > /dev/null && echo null-ok")
    lines = out.splitlines()
    assert lines[:6] == ["null character special file 1,3",
                         "zero character special file 1,5",
                         "full character special file 1,7",
                         "random character special file 1,8",
                         "urandom character special file 1,9",
                         "tty character special file 5,0"]
    assert lines[6] in ("pts/ptmx", "/dev/pts/ptmx")
    assert lines[7].strip() == "5"
    assert lines[8] == "null-ok"


def test_default_symlinks(runtime, make_bundle):
    out = output_of(runtime, make_bundle,
                    "for l in fd stdin stdout stderr; do readlink /dev/$l; done")
    assert out.split() == ["/proc/self/fd", "/proc/self/fd/0", "/proc/self/fd/1",
                           "/proc/self/fd/2"]


def test_readonly_bind_mount(runtime, make_bundle, host_dir):
    (host_dir / "greeting").write_text("from the host\n")
    rc, out, err = run_sh(runtime, make_bundle,
                          "cat /root/greeting; touch /root/new && echo wrote; echo done",
                          extra_mounts=[bind(host_dir, "/root", "ro")])
    assert (rc, out) == (0, "from the host\ndone\n"), err
    assert "Read-only file system" in err
    assert sorted(os.listdir(host_dir)) == ["greeting"]


def test_writable_bind_mount(runtime, make_bundle, host_dir):
    out = output_of(runtime, make_bundle, "echo written inside > /root/new; echo ok",
                    extra_mounts=[bind(host_dir, "/root")])
    assert out == "ok\n"
    assert (host_dir / "new").read_text() == "written inside\n"


@pytest.mark.parametrize("propagation, tag", [("rprivate", None), ("rshared", "shared:"),
                                              ("private", None), ("shared", "shared:")])
def test_bind_mount_propagation(runtime, make_bundle, host_dir, propagation, tag):
    """Podman binds /etc/hosts with ["bind", "rprivate"]: the recursive
    propagations are applied (shared:N shows in mountinfo's optional fields)."""
    out = output_of(runtime, make_bundle, "grep ' /root ' /proc/self/mountinfo",
                    extra_mounts=[{"destination": "/root", "type": "bind",
                                   "source": str(host_dir), "options": ["bind", propagation]}])
    optional = out.split(" - ")[0].split()[6:]
    assert [field.split(":")[0] + ":" for field in optional] == ([tag] if tag else []), out


def test_bind_mount_to_a_new_directory(runtime, make_bundle, host_dir, rootfs_copy):
    """A destination missing from the rootfs: pyrunc makes it (in a copy of
    the rootfs here, so the shared one stays as it is)."""
    (host_dir / "f").write_text("x")
    out = output_of(runtime, make_bundle, "cat /data/deep/f",
                    root={"path": str(rootfs_copy)},
                    extra_mounts=[bind(host_dir, "/data/deep", "ro")])
    assert out == "x"


def test_writable_root(runtime, make_bundle, rootfs_copy):
    out = output_of(runtime, make_bundle, "echo made > /newfile; cat /newfile",
                    root={"path": str(rootfs_copy), "readonly": False})
    assert out == "made\n"
    assert (rootfs_copy / "newfile").read_text() == "made\n"


USERNS_MAPPING = [{"containerID": 0, "hostID": 100000, "size": 65536}]


def test_user_namespace_id_maps(runtime, make_bundle, default_spec):
    namespaces = default_spec["linux"]["namespaces"] + [{"type": "user"}]
    rc, out, err = run_sh(runtime, make_bundle,
                          "cat /proc/self/uid_map /proc/self/gid_map; id -u; "
                          "stat -c '%u' /bin/busybox",
                          linux={"namespaces": namespaces, "uidMappings": USERNS_MAPPING,
                                 "gidMappings": USERNS_MAPPING})
    assert rc == 0, err
    lines = [line.split() for line in out.splitlines()]
    assert lines[0] == ["0", "100000", "65536"]
    assert lines[1] == ["0", "100000", "65536"]
    assert lines[2] == ["0"]
    assert lines[3] == ["65534"]  # the host's root files are unmapped: the overflow uid


def test_user_namespace_seen_from_the_host(runtime, make_bundle, default_spec):
    namespaces = default_spec["linux"]["namespaces"] + [{"type": "user"}]
    b = make_bundle(["sleep", "30"], linux={"namespaces": namespaces,
                                            "uidMappings": USERNS_MAPPING,
                                            "gidMappings": USERNS_MAPPING})
    runtime.ok("run", "-d", "--bundle", b.path, b.id)
    pid = runtime.state(b.id)["pid"]
    with open(f"/proc/{pid}/status") as f:
        status = status_fields(f.read())
    assert status["Uid"].split()[0] == "100000"
    assert os.readlink(f"/proc/{pid}/ns/user") != os.readlink("/proc/self/ns/user")


def test_home_from_etc_passwd_when_unset(runtime, make_bundle):
    """As runc: without HOME in process.env, HOME is the user's home from the
    container's /etc/passwd (root -> /root)."""
    out = output_of(runtime, make_bundle, 'echo "HOME=$HOME"', process={"env": ["PATH=/bin"]})
    assert out == "HOME=/root\n"


def test_home_from_env_is_kept(runtime, make_bundle):
    out = output_of(runtime, make_bundle, 'echo "$HOME"',
                    process={"env": ["PATH=/bin", "HOME=/tmp"]})
    assert out == "/tmp\n"


def test_tmpcopyup_tmpfs_starts_with_the_directory_it_covers(runtime, make_bundle, rootfs_copy):
    """runc's tmpcopyup (podman's --read-only and --tmpfs use it)."""
    (rootfs_copy / "etc" / "sub").mkdir()
    (rootfs_copy / "etc" / "sub" / "note").write_text("from the image\n")
    os.chmod(rootfs_copy / "etc" / "sub", 0o750)
    os.symlink("sub/note", rootfs_copy / "etc" / "link")
    script = ("cat /etc/sub/note /etc/link; stat -c '%a' /etc/sub; grep -c root /etc/passwd; "
              "echo new > /etc/written && grep -c ' /etc ' /proc/self/mountinfo")
    b = make_bundle(["sh", "-c", script], root={"path": str(rootfs_copy), "readonly": True},
                    extra_mounts=[{"destination": "/etc", "type": "tmpfs", "source": "tmpfs",
                                   "options": ["rw", "nosuid", "nodev", "tmpcopyup"]}])
    rc, out, err = runtime("run", "--bundle", b.path, b.id)
    assert rc == 0, err
    assert out.split("\n")[:6] == ["from the image", "from the image", "750", "1", "1", ""]
    assert not (rootfs_copy / "etc" / "written").exists()  # written to the tmpfs only


def test_recursive_read_only_reaches_submounts(runtime, make_bundle):
    """rro (mount_setattr AT_RECURSIVE): every mount of the bound tree is
    read-only, not only its top; plain ro leaves the submounts as they were.
    /sys/fs/cgroup has submounts here (one per hierarchy); only read."""
    # Mount points the rootfs has: the shared example rootfs is not changed.
    script = ("awk '$5 ~ \"^/(root|tmp)/\" {split($6, o, \",\"); print $5, o[1]}' "
              "/proc/self/mountinfo | sort")
    b = make_bundle(["sh", "-c", script], extra_mounts=[
        bind("/sys/fs/cgroup", "/root", "rro"), bind("/sys/fs/cgroup", "/tmp")])
    rc, out, err = runtime("run", "--bundle", b.path, b.id)
    assert rc == 0, err
    lines = [line.split() for line in out.splitlines()]
    recursive = [opt for where, opt in lines if where.startswith("/root/")]
    plain = [opt for where, opt in lines if where.startswith("/tmp/")]
    assert recursive and set(recursive) == {"ro"}, out
    assert "rw" in plain, out  # the host's hierarchies are rw: left as they are


@pytest.fixture
def locked_source(tmp_path):
    """A tmpfs of the test's own with nosuid,nodev,noexec: in a user
    namespace, a bind of it must keep those flags (the kernel locks them)."""
    target = tmp_path / "locked"
    target.mkdir()
    subprocess.run(["mount", "-t", "tmpfs", "-o", "nosuid,nodev,noexec,size=1m", "tmpfs",
                    str(target)], check=True)
    (target / "file").write_text("locked\n")
    yield target
    subprocess.run(["umount", str(target)], check=True)


def test_user_namespace_bind_keeps_the_sources_locked_flags(runtime, make_bundle,
                                                            default_spec, locked_source):
    namespaces = default_spec["linux"]["namespaces"] + [{"type": "user"}]
    script = "cat /root/file; grep ' /root ' /proc/self/mountinfo | cut -d' ' -f6"
    rc, out, err = run_sh(runtime, make_bundle, script,
                          extra_mounts=[bind(locked_source, "/root", "ro")],
                          linux={"namespaces": namespaces, "uidMappings": USERNS_MAPPING,
                                 "gidMappings": USERNS_MAPPING})
    assert rc == 0, err
    content, options = out.splitlines()
    assert content == "locked"
    assert set(options.split(",")) >= {"ro", "nosuid", "nodev", "noexec"}


def test_overlay_mount_entry(runtime, make_bundle, tmp_path):
    """An `overlay` entry in mounts (the image/container layers of ORIGINS.md)."""
    lower, upper, work = (tmp_path / name for name in ("lower", "upper", "work"))
    for d in (lower, upper, work):
        d.mkdir()
    (lower / "from-lower").write_text("lower\n")
    overlay = {"destination": "/root", "type": "overlay", "source": "overlay",
               "options": [f"lowerdir={lower}", f"upperdir={upper}", f"workdir={work}"]}
    rc, out, err = run_sh(runtime, make_bundle,
                          "cat /root/from-lower; echo new > /root/written",
                          extra_mounts=[overlay])
    assert (rc, out) == (0, "lower\n"), err
    assert (upper / "written").read_text() == "new\n"
    assert not (lower / "written").exists()
