"""CVE-2019-5736 class: `#!/proc/self/exe` in the image.

`pyrunc exec ID /bin/evil`, where /bin/evil starts with `#!/proc/self/exe`,
makes the kernel run whatever image the exec'd process was running at its
execve as the script's interpreter, inside the container. If that image is
a host file (the runtime's interpreter), a container process can open it
through /proc/PID/exe and, once nothing executes it, write into it.

The runtime here runs on a private copy of the interpreter (see
security_support.make_private_interpreter): that copy is what an attack
that works damages. The attacker only ever writes to that copy or to a
memfd; any other executable it meets is only looked at.
"""
import hashlib
import os
import time

from conftest import TIMEOUT
from private_interpreter import (base_interpreter, copy_into_rootfs, file_identity,
                                 private_runtime, python_version, shared_libraries)
from security_support import RESULTS, read_lines, results_mount, wait_for_file

__all__ = ["private_runtime"]  # the fixture, imported for pytest to find

MARK = "pyrunc-security-test-was-here"
EXEC_TRIES = 3
WATCH_SECONDS = 60  # the watcher's own limit, should the test die

# The attacker, pid 1 of the container. Every process whose executable is
# not the container's busybox is recorded ("seen PID DEV:INO LINK") and its
# /proc/PID/exe opened read-only. For the private interpreter or a memfd the
# process is then killed and the held fd reopened for appending, again while
# that fails with ETXTBSY (pyrunc itself still runs the file), until a write
# works ("wrote"), fails otherwise ("unwritable": a sealed memfd) or a
# bounded number of tries is spent ("unwritten"); for anything else
# `test -w` says whether it could be written ("writable"), nothing more.
# The count of completed scans is kept in `scans`.
WATCHER = r"""
cd %(results)s
own=$(stat -L -c %%d:%%i /bin/busybox)
end=$(( $(date +%%s) + %(limit)d ))
attack() {
    link=$(readlink /proc/$1/exe)
    echo "seen $1 $2 $link" >> log
    # `command`: a failed redirection of the exec builtin must not end the
    # shell (the process may be gone already).
    command exec 5</proc/$1/exe 2>/dev/null || { echo "unopened $1" >> log; return; }
    case "$2 $link" in
        "$PRIVATE "*|*" /memfd:"*) ;;
        *) [ -w /proc/self/fd/5 ] && echo "writable $1 $link" >> log
           exec 5<&-; return ;;
    esac
    kill -9 $1
    i=0
    while [ $i -lt 100 ]; do
        if err=$(printf %%s "$MARK" 2>&1 >> /proc/self/fd/5); then
            echo "wrote $1 $link" >> log; break
        fi
        case "$err" in
            *busy*) ;;
            *) echo "unwritable $1 $link: $err" >> log; break ;;
        esac
        i=$((i + 1)); usleep 50000
    done
    [ $i -ge 100 ] && echo "unwritten $1 $link" >> log
    exec 5<&-
}
echo watching > ready
scans=0
while [ ! -e stop ] && [ $(date +%%s) -lt $end ]; do
    scans=$((scans + 1)); echo $scans > scans
    for d in /proc/[0-9]*; do
        id=$(stat -L -c %%d:%%i $d/exe 2>/dev/null) || continue
        [ "$id" = "$own" ] && continue
        grep -qx "${d#/proc/}" pids 2>/dev/null && continue
        echo "${d#/proc/}" >> pids
        attack ${d#/proc/} $id
    done
done
echo done > finished
"""

# /bin/evil runs as a script of whatever /proc/self/exe is. Should that be
# a Python interpreter, it finds its `encodings` package in the image, whose
# __init__ blocks on a fifo: the process stays around for the watcher.
EVIL = "#!/proc/self/exe\nprint('evil ran')\n"
HOLD = "import posix\nposix.open('/hold', posix.O_RDONLY)\n"


def build_image(rootfs, python):
    """The busybox rootfs plus the interpreter's ld.so and libraries, /bin/evil,
    and the `encodings` package that holds the interpreter."""
    copy_into_rootfs(rootfs, shared_libraries(python))
    evil = rootfs / "bin" / "evil"
    evil.write_text(EVIL)
    os.chmod(evil, 0o755)
    encodings = rootfs / "usr" / "lib" / f"python{python_version(python)}" / "encodings"
    encodings.mkdir(parents=True)
    (encodings / "__init__.py").write_text(HOLD)
    os.mkfifo(rootfs / "hold")


def wait_for_scans(host_dir, more=2, timeout=TIMEOUT):
    """Wait (bounded) until the watcher has completed `more` scans."""
    def scans():
        try:
            return int((host_dir / "scans").read_text() or 0)
        except (OSError, ValueError):
            return 0
    target = scans() + more
    deadline = time.monotonic() + timeout
    while scans() < target and time.monotonic() < deadline:
        time.sleep(0.05)


def digest(path):
    with open(path, "rb") as f:
        return hashlib.sha256(f.read()).hexdigest()


def test_proc_self_exe_cannot_write_the_runtime(private_runtime, make_bundle, rootfs_copy,
                                                host_dir):
    rt, python = private_runtime
    build_image(rootfs_copy, python)
    before = digest(python)
    private = "%d:%d" % file_identity(python)
    watcher = WATCHER % {"results": RESULTS, "limit": WATCH_SECONDS}
    b = make_bundle(["sh", "-c", watcher], extra_mounts=[results_mount(host_dir)],
                    root={"path": str(rootfs_copy), "readonly": False},
                    process={"env": ["PATH=/bin", f"PRIVATE={private}", f"MARK={MARK}"]})
    rt.track(b.id)
    rt.ok("run", "-d", "--bundle", b.path, b.id)
    try:
        assert wait_for_file(host_dir / "ready") is not None, "the watcher did not start"
        for _ in range(EXEC_TRIES):
            rt.background("exec", b.id, "/bin/evil").wait()
            wait_for_scans(host_dir)  # the watcher is done with that exec's processes
    finally:
        (host_dir / "stop").write_text("")
        finished = wait_for_file(host_dir / "finished")
    log = read_lines(host_dir / "log")
    assert finished is not None, f"the watcher did not finish; log: {log}"
    assert digest(python) == before, \
        f"the container wrote into the runtime's interpreter ({python}); log: {log}"
    wrote = [line for line in log if line.startswith(("wrote", "writable"))]
    assert wrote == [], f"an executable the container saw could be written: {log}"
    host_interpreters = {private, "%d:%d" % file_identity(base_interpreter())}
    ran = [line for line in log
           if line.split()[0] == "seen" and line.split()[2] in host_interpreters]
    assert ran == [], f"a process of the container ran a host interpreter: {ran}"
