"""The cgroup v2 driver: one directory in the unified hierarchy."""

import posixpath
import _signal as signal  # the C module: signal.py would import enum (~5 ms)

from libcontainer.errors import PyruncError

from . import manager as m
from .fs import REAL_FS
from .resources import V2_RULES, render


class V2Manager(m.Manager):
    version = 2

    def __init__(self, mount_point: str, path: str, owned_parent_depth: int = 0, fs=REAL_FS):
        self.mount_point = mount_point
        self.path = path
        self.owned_parent_depth = owned_parent_depth
        self.fs = fs

    @property
    def dir(self) -> str:
        return posixpath.join(self.mount_point, self.path.lstrip("/"))

    def file(self, name: str) -> str:
        return posixpath.join(self.dir, name)

    # --- lifecycle -----------------------------------------------------------

    def create(self) -> None:
        levels = m.levels_below(self.mount_point, self.path)

        def delegate(level, made):
            # A cgroup only gets the controllers its parent delegates, so each
            # ancestor this call makes passes on all it has. Existing ones are
            # someone else's policy (the host's root included) and are left as
            # they are; the container's own dir delegates nothing, as v2 bars
            # tasks from a cgroup that does.
            if made and level != levels[-1]:
                self._delegate_controllers(level)
        m.make_levels(self.fs, levels, delegate)

    def _delegate_controllers(self, directory: str) -> None:
        try:
            available = self.fs.read(posixpath.join(directory, "cgroup.controllers")).split()
            enabled = set(self.fs.read(posixpath.join(directory, "cgroup.subtree_control")).split())
        except OSError:
            return
        control = posixpath.join(directory, "cgroup.subtree_control")
        for controller in available:
            if controller in enabled:
                continue
            try:
                self.fs.write(control, "+" + controller)
            except OSError:
                pass  # e.g. EBUSY: the ancestor holds tasks; do without it

    def add_pid(self, pid: int) -> None:
        m.add_pid_to(self.fs, self.dir, pid)

    def apply(self, resources: dict) -> None:
        targets = [(w, self.file(w.file)) for _, w in render(V2_RULES, resources)]
        m.write_all(self.fs, targets)
        self._apply_devices((resources or {}).get("devices"))

    def _apply_devices(self, rules) -> None:
        """v2 has no devices files: the rules become an eBPF program."""
        if not rules:
            return
        from .devices_bpf import program
        from .resources import DEFAULT_DEVICE_RULES
        code = program(list(rules) + DEFAULT_DEVICE_RULES)
        try:
            self.fs.attach_device_program(self.dir, code)
        except OSError as e:
            raise PyruncError(f"linux.resources.devices: {e.strerror}") from None

    def destroy(self) -> None:
        m.remove_tree(self.fs, self.dir)
        m.remove_owned_parents(self.fs, self.mount_point, self.dir, self.owned_parent_depth)

    # --- processes -----------------------------------------------------------

    def pids(self) -> list:
        return m.pids_in_subtree(self.fs, self.dir)

    def kill_fast(self, sig: int) -> bool:
        """cgroup.kill (Linux 5.14+) SIGKILLs the whole subtree atomically."""
        if sig != signal.SIGKILL or not self.fs.exists(self.file("cgroup.kill")):
            return False
        try:
            self.fs.write(self.file("cgroup.kill"), "1")
        except FileNotFoundError:
            return False
        except OSError as e:
            raise PyruncError(f"cannot write {self.file('cgroup.kill')}: {e.strerror}") from None
        return True

    # --- freezer -------------------------------------------------------------

    def has_freezer(self) -> bool:
        return self.fs.exists(self.file("cgroup.freeze"))

    def _set_freeze(self, value: str) -> None:
        try:
            self.fs.write(self.file("cgroup.freeze"), value)
        except FileNotFoundError:
            raise PyruncError("cannot freeze: this kernel has no cgroup.freeze (Linux 5.2+)") from None
        except OSError as e:
            raise PyruncError(f"cannot write {value} to {self.file('cgroup.freeze')}: {e.strerror}") from None

    def freeze(self) -> None:
        self._set_freeze("1")
        # cgroup.freeze is the request; cgroup.events says when it is done.
        if not m.wait_until(self.is_frozen, m.FREEZE_TIMEOUT):
            self._set_freeze("0")
            raise PyruncError("cannot freeze the container's cgroup: it did not report frozen")

    def thaw(self) -> None:
        self._set_freeze("0")

    def is_frozen(self) -> bool:
        try:
            events = self.fs.read(self.file("cgroup.events"))
        except FileNotFoundError:
            events = None
        except OSError as e:
            raise PyruncError(f"cannot read {self.file('cgroup.events')}: {e.strerror}") from None
        if events is None:
            return self._read_freeze_request() == "1"
        for line in events.splitlines():
            key, _, value = line.partition(" ")
            if key == "frozen":
                return value.strip() == "1"
        return False

    def _read_freeze_request(self) -> str:
        try:
            return self.fs.read(self.file("cgroup.freeze")).strip()
        except FileNotFoundError:
            return "0"

    # --- usage ---------------------------------------------------------------

    def stats(self) -> dict:
        from .stats_v2 import v2_stats
        return v2_stats(self.fs, self.dir)

    def oom_kills(self) -> int:
        from .stats_v2 import v2_oom_kills
        return v2_oom_kills(self.fs, self.dir)

    # --- description ---------------------------------------------------------

    def path_for_cgroupns(self) -> str:
        return self.path

    def dirs(self) -> dict:
        """{"": the directory}, as V1Manager.dirs keys hierarchies."""
        return {"": self.dir}

    def to_state(self) -> dict:
        return {
            "version": 2,
            "owned_parent_depth": self.owned_parent_depth,
            "mount_point": self.mount_point,
            "path": self.path,
            "dir": self.dir,
        }

    @classmethod
    def from_state(cls, data: dict, fs=REAL_FS):
        return cls(data["mount_point"], data["path"], data.get("owned_parent_depth", 0), fs)
