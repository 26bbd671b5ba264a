"""The cgroup v1 driver: one directory per mounted hierarchy."""

import posixpath

from libcontainer.errors import PyruncError

from . import manager as m
from .fs import REAL_FS
from .mountinfo import Hierarchy
from .resources import V1_RULES, render

CPUSET_INHERITED = ("cpuset.cpus", "cpuset.mems")
CPUSET_WAIT = 0.5  # seconds; see V1Manager._await_cpuset
# Where pids() and the freezer look: the freezer hierarchy holds every task.
PIDS_SOURCE_ORDER = ("freezer", "pids")


class V1Cgroup:
    """The container's directory in one hierarchy."""

    __slots__ = ("hierarchy", "path")

    def __init__(self, hierarchy: Hierarchy, path: str):
        self.hierarchy, self.path = hierarchy, path

    @property
    def dir(self) -> str:
        return posixpath.join(self.hierarchy.mount_point, self.path.lstrip("/"))

    def has(self, controller: str) -> bool:
        return controller in self.hierarchy.controllers


class V1Manager(m.Manager):
    version = 1

    def __init__(self, cgroups: list, owned_parent_depth: int = 0, fs=REAL_FS):
        self.cgroups = cgroups
        self.owned_parent_depth = owned_parent_depth
        self.fs = fs

    def cgroup_of(self, controller: str):
        for cg in self.cgroups:
            if cg.has(controller):
                return cg
        return None

    # --- lifecycle -----------------------------------------------------------

    def create(self) -> None:
        for cg in self.cgroups:
            levels = m.levels_below(cg.hierarchy.mount_point, cg.path)

            def inherit(level, made, cg=cg, leaf=levels[-1]):
                # Ancestors that were already there are not ours to change.
                if cg.has("cpuset") and (made or level == leaf):
                    if level == leaf and self.owned_parent_depth:
                        self._await_cpuset(posixpath.dirname(level))
                    self._inherit_cpuset(level)
            m.make_levels(self.fs, levels, inherit)

    def _await_cpuset(self, parent: str) -> None:
        """The parent pyrunc makes for its containers (pyrunc/) may have just
        been made by a concurrent create that has not copied its cpus/mems
        in yet: wait a moment for that rather than inherit nothing."""
        def filled():
            try:
                return all(self.fs.read(posixpath.join(parent, name)).strip()
                           for name in CPUSET_INHERITED)
            except OSError:
                return True  # gone or unreadable: _inherit_cpuset reports it
        m.wait_until(filled, CPUSET_WAIT)

    def _inherit_cpuset(self, level: str) -> None:
        """A new v1 cpuset starts with no cpus/mems, and a task cannot join a
        cpuset that has none: copy the parent's values into empty ones."""
        parent = posixpath.dirname(level)
        for name in CPUSET_INHERITED:
            mine = posixpath.join(level, name)
            try:
                if self.fs.read(mine).strip():
                    continue
                self.fs.write(mine, self.fs.read(posixpath.join(parent, name)).strip())
            except OSError as e:
                raise PyruncError(f"cannot set up {mine}: {e.strerror}") from None

    def add_pid(self, pid: int) -> None:
        for cg in self.cgroups:
            m.add_pid_to(self.fs, cg.dir, pid)

    def apply(self, resources: dict) -> None:
        targets = []
        for controller, write in render(V1_RULES, resources):
            cg = self.cgroup_of(controller)
            if cg is None and write.optional:
                from libcontainer import diagnostics
                diagnostics.warning(f"{write.field}: not applied: no {controller} "
                                    "hierarchy is mounted")
                continue
            if cg is None:
                raise PyruncError(
                    f"{write.field}: cgroup file {write.file} is not available "
                    f"(no {controller} hierarchy is mounted)")
            targets.append((write, posixpath.join(cg.dir, write.file)))
        m.write_all(self.fs, targets)

    def destroy(self) -> None:
        errors = []
        for cg in self.cgroups:
            try:
                m.remove_tree(self.fs, cg.dir)
                m.remove_owned_parents(self.fs, cg.hierarchy.mount_point, cg.dir,
                                       self.owned_parent_depth)
            except PyruncError as e:
                errors.append(str(e))  # still clean up the other hierarchies
        if errors:
            raise PyruncError("; ".join(errors))

    # --- processes -----------------------------------------------------------

    def _pids_source(self):
        for controller in PIDS_SOURCE_ORDER:
            cg = self.cgroup_of(controller)
            if cg is not None:
                return cg
        return self.cgroups[0] if self.cgroups else None

    def pids(self) -> list:
        cg = self._pids_source()
        return m.pids_in_subtree(self.fs, cg.dir) if cg else []

    # --- freezer -------------------------------------------------------------

    def has_freezer(self) -> bool:
        return self.cgroup_of("freezer") is not None

    def _state_file(self) -> str:
        cg = self.cgroup_of("freezer")
        if cg is None:
            raise PyruncError("cannot freeze: no freezer hierarchy is mounted")
        return posixpath.join(cg.dir, "freezer.state")

    def _freezer_state(self) -> str:
        try:
            return self.fs.read(self._state_file()).strip()
        except OSError as e:
            raise PyruncError(f"cannot read {self._state_file()}: {e.strerror}") from None

    def _set_freezer(self, state: str) -> None:
        try:
            self.fs.write(self._state_file(), state)
        except OSError as e:
            raise PyruncError(f"cannot write {state} to {self._state_file()}: {e.strerror}") from None

    def freeze(self) -> None:
        def frozen_now():
            # While FREEZING the kernel wants the request repeated.
            if self._freezer_state() == "FROZEN":
                return True
            self._set_freezer("FROZEN")
            return False

        self._set_freezer("FROZEN")
        if not m.wait_until(frozen_now, m.FREEZE_TIMEOUT):
            self._set_freezer("THAWED")
            raise PyruncError("cannot freeze the container's cgroup: it stayed FREEZING")

    def thaw(self) -> None:
        self._set_freezer("THAWED")

    def is_frozen(self) -> bool:
        return self._freezer_state() == "FROZEN"

    # --- usage ---------------------------------------------------------------

    def _dir_of(self, controller: str):
        cg = self.cgroup_of(controller)
        return cg.dir if cg else None

    def stats(self) -> dict:
        from .stats_v1 import v1_stats
        return v1_stats(self.fs, self._dir_of)

    def oom_kills(self) -> int:
        from .stats_v1 import v1_oom_kills
        return v1_oom_kills(self.fs, self._dir_of)

    # --- description ---------------------------------------------------------

    def path_for_cgroupns(self) -> str:
        cg = self._pids_source()
        return cg.path if cg else "/"

    def dirs(self) -> dict:
        """{controllers as mountinfo names them ("cpu,cpuacct"): directory}."""
        return {",".join(cg.hierarchy.controllers): cg.dir for cg in self.cgroups}

    def to_state(self) -> dict:
        return {
            "version": 1,
            "owned_parent_depth": self.owned_parent_depth,
            "hierarchies": [
                {"controllers": list(cg.hierarchy.controllers),
                 "mount_point": cg.hierarchy.mount_point,
                 "root": cg.hierarchy.root,
                 "path": cg.path,
                 "dir": cg.dir}
                for cg in self.cgroups
            ],
        }

    @classmethod
    def from_state(cls, data: dict, fs=REAL_FS):
        cgroups = [
            V1Cgroup(Hierarchy(h["controllers"], h["mount_point"], h.get("root", "/")),
                     h["path"])
            for h in data["hierarchies"]
        ]
        return cls(cgroups, data.get("owned_parent_depth", 0), fs)
