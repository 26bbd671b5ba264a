"""linux.seccomp.listenerPath: the notification fd and the container's state
reach the agent listening there (runtime-spec "Seccomp"). The agent here
takes the fd and closes it: a notified syscall then fails with ENOSYS."""
import json
import os
import socket
import sys
import threading

from conftest import TIMEOUT, assert_nothing_left, assert_one_line_error

NOTIFIED = ["mkdir", "mkdirat"]


class Agent:
    """Accepts connections, keeps what each sent: (the JSON, whether an fd came)."""

    def __init__(self, path):
        self.received = []
        self.server = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.server.bind(str(path))
        self.server.listen(4)
        self.server.settimeout(TIMEOUT)
        self.thread = threading.Thread(target=self._serve, daemon=True)
        self.thread.start()

    def _serve(self):
        while True:
            try:
                conn, _ = self.server.accept()
            except OSError:
                return
            with conn:
                data, fds, _, _ = socket.recv_fds(conn, 65536, 4)
                for fd in fds:
                    os.close(fd)  # an agent that gives up: the syscall gets ENOSYS
                self.received.append((json.loads(data), len(fds)))

    def close(self):
        self.server.close()
        self.thread.join(timeout=5)


def profile(path):
    return {"defaultAction": "SCMP_ACT_ALLOW", "architectures": ["SCMP_ARCH_X86_64"],
            "listenerPath": str(path), "listenerMetadata": "from-the-test",
            "syscalls": [{"names": NOTIFIED, "action": "SCMP_ACT_NOTIFY"}]}


def test_the_agent_gets_the_fd_and_state_for_the_init_and_an_exec(runtime, make_bundle, tmp_path):
    agent = Agent(tmp_path / "agent.sock")
    try:
        b = make_bundle(["sh", "-c", "mkdir /tmp/x; sleep 30"],
                        linux={"seccomp": profile(tmp_path / "agent.sock")})
        rc, out, err = runtime("run", "-d", "--bundle", b.path, b.id)
        assert rc == 0, err
        rc, out, err = runtime("exec", b.id, "mkdir", "/tmp/y")
        assert rc != 0 and "Function not implemented" in err, (rc, out, err)
    finally:
        agent.close()
    (init_state, init_fds), (exec_state, exec_fds) = agent.received
    assert (init_fds, exec_fds) == (1, 1)
    pid = runtime.state(b.id)["pid"]
    assert init_state["fds"] == ["seccompFd"] and init_state["metadata"] == "from-the-test"
    assert init_state["pid"] == pid
    assert init_state["state"]["id"] == b.id and init_state["state"]["status"] == "creating"
    assert exec_state["state"]["status"] == "running" and exec_state["pid"] != pid


def test_nobody_listening_fails_create_and_leaves_nothing(runtime, make_bundle, tmp_path):
    b = make_bundle(["true"], linux={"seccomp": profile(tmp_path / "none.sock")})
    rc, out, err = runtime("create", "--bundle", b.path, b.id)
    assert_one_line_error(rc, out, err, "linux.seccomp.listenerPath", "none.sock")
    assert_nothing_left(runtime, b.id)
