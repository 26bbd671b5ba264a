"""A container as recorded in the state store, and its live status."""
import os

from libcontainer import errors, state as statestore

OCI_VERSION = "1.2.0"


class Container:
    def __init__(self, store, record):
        self.store = store
        self.record = record

    @classmethod
    def load(cls, store, container_id):
        return cls(store, store.load(container_id))

    @property
    def id(self):
        return self.record["id"]

    @property
    def pid(self):
        return self.record["pid"]

    @property
    def spec(self):
        return self.record["config"]

    @property
    def fifo_path(self):
        return self.store.path(self.id, statestore.FIFO_NAME)

    def is_alive(self):
        return statestore.is_same_process(self.pid, self.record.get("pidStartTime"))

    def cgroup(self):
        from libcontainer import cgroups
        if not self.record.get("cgroup"):
            raise errors.PyruncError(
                f"container {self.id} has no cgroup (an unprivileged user created it)")
        return cgroups.manager_from_state(self.record["cgroup"])

    def status(self):
        if not self.pid:
            return "creating"  # or a create that was killed: see create._record
        if not self.is_alive():
            return "stopped"
        if os.path.exists(self.fifo_path):
            return "created"
        if self.record["cgroup"] and self._frozen():
            return "paused"
        return "running"

    def _frozen(self):
        try:
            return self.cgroup().is_frozen()
        except (OSError, errors.PyruncError):  # a vanished cgroup is not frozen
            return False

    def oci_state(self):
        """The runtime-spec state object (runtime.md "State"), plus runc's extras."""
        status = self.status()
        state = {
            "ociVersion": self.spec.get("ociVersion", OCI_VERSION),
            "id": self.id,
            "pid": self.pid if status != "stopped" else 0,
            "status": status,
            "bundle": self.record["bundle"],
            "rootfs": self.record["rootfs"],
            "created": self.record["created"],
        }
        # runc leaves annotations out when there are none.
        if self.spec.get("annotations"):
            state["annotations"] = self.spec["annotations"]
        state["owner"] = ""
        return state
