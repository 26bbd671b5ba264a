"""Addresses and host ports, handed out under a lock and kept in a file, so
two containers created at once never get the same address or port, and a
container's lease outlives the process that made it until delete frees it.

    <root>/.network/lock          flock: held across read-modify-write
    <root>/.network/leases.json   {"<container id>": {"bridge", "subnet", "address",
                                   "ports": [{"host", "container", "protocol"}], "veth"}}
"""
import ipaddress
import json
import os

from libcontainer import errors, flock

DIR_NAME = ".network"


class Leases:
    def __init__(self, state_root):
        self.dir = os.path.join(os.path.abspath(state_root), DIR_NAME)
        self.file = os.path.join(self.dir, "leases.json")

    def exists(self):
        return os.path.isfile(self.file)

    def locked(self):
        os.makedirs(self.dir, mode=0o700, exist_ok=True)
        return flock.lock_file(os.path.join(self.dir, "lock"), self)

    def read(self):
        try:
            with open(self.file) as f:
                return json.load(f)
        except FileNotFoundError:
            return {}

    def write(self, table):
        tmp = self.file + ".tmp"
        with open(tmp, "w") as f:
            json.dump(table, f, indent=1, sort_keys=True)
        os.rename(tmp, self.file)


def port_conflict(table, ports, exclude=None):
    """A one-line reason if a wanted host port is already mapped, else None."""
    taken = {(p["host"], p["protocol"]): cid for cid, lease in table.items()
             if cid != exclude for p in lease.get("ports", [])}
    seen = set()
    for port in ports:
        key = (port["host"], port["protocol"])
        where = f"-p {port['host']}:{port['container']}/{port['protocol']}"
        if key in taken:
            return f"{where}: host port {key[0]}/{key[1]} is already mapped to container {taken[key]}"
        if key in seen:
            return f"{where}: host port {key[0]}/{key[1]} is given twice"
        seen.add(key)
    return None


def allocate(table, container_id, bridge, subnet, ports):
    """Add a lease for the container (the lowest free address of subnet,
    the gateway being the first) to table; returns it."""
    if container_id in table:
        raise errors.PyruncError(f"network: container {container_id} already has an address")
    conflict = port_conflict(table, ports)
    if conflict:
        raise errors.PyruncError(conflict)
    network = ipaddress.ip_network(subnet)
    used = {lease["address"] for lease in table.values() if lease["subnet"] == subnet}
    hosts = network.hosts()
    gateway = next(hosts)
    for candidate in hosts:
        if str(candidate) not in used:
            lease = {"bridge": bridge, "subnet": subnet, "address": str(candidate),
                     "gateway": str(gateway), "prefix": network.prefixlen,
                     "ports": list(ports)}
            table[container_id] = lease
            return lease
    raise errors.PyruncError(f"network: no free address left in {subnet}")
