"""NAT with nftables, through the `nft` command: one table, `ip pyrunc`,
holding a masquerade rule per bridge subnet and a DNAT rule per mapped
port (in prerouting for traffic from outside, in output for this
namespace's own), each carrying a comment that names its owner so that it
can be found and deleted again."""
import json
import os
import shutil
import subprocess

from libcontainer import errors

TABLE = "pyrunc"
# Hooks run with only the env their config gives: look in the usual places.
_SEARCH_PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"
_CHAINS = (("prerouting", "prerouting", "dstnat"), ("output", "output", "-100"),
           ("postrouting", "postrouting", "srcnat"))


def _nft_path():
    return shutil.which("nft", path=os.environ.get("PATH") or _SEARCH_PATH) or \
        shutil.which("nft", path=_SEARCH_PATH)


def available():
    return _nft_path() is not None


def _nft(script):
    result = subprocess.run([_nft_path(), "-f", "-"], input=script, capture_output=True, text=True)
    if result.returncode != 0:
        said = result.stderr.strip().splitlines()
        raise errors.PyruncError(f"nft: {said[0] if said else 'exit status %d' % result.returncode}")


def _owner(container_id):
    return f"pyrunc:{container_id}"


def ensure_masquerade(bridge, subnet):
    """The table, its chains, and the bridge's masquerade rule, once."""
    lines = [f"add table ip {TABLE}"]
    lines += [f"add chain ip {TABLE} {name} {{ type nat hook {hook} priority {priority}; }}"
              for name, hook, priority in _CHAINS]
    _nft("\n".join(lines) + "\n")
    owner = f"pyrunc-bridge:{bridge}"
    if not _handles(owner):
        _nft(f'add rule ip {TABLE} postrouting ip saddr {subnet} ip daddr != {subnet} '
             f'masquerade comment "{owner}"\n')


def map_ports(container_id, address, ports):
    owner = _owner(container_id)
    lines = []
    for port in ports:
        match = (f"fib daddr type local {port['protocol']} dport {port['host']} "
                 f"dnat to {address}:{port['container']}")
        lines += [f'add rule ip {TABLE} {chain} {match} comment "{owner}"'
                  for chain in ("prerouting", "output")]
    if lines:
        _nft("\n".join(lines) + "\n")


def unmap_ports(container_id):
    """Delete every rule the container owns; none (or no table) is fine."""
    lines = [f"delete rule ip {TABLE} {chain} handle {handle}"
             for chain, handle in _handles(_owner(container_id))]
    if lines:
        _nft("\n".join(lines) + "\n")


def _handles(owner):
    """(chain, handle) of each rule in our table whose comment is owner."""
    result = subprocess.run([_nft_path(), "-j", "list", "table", "ip", TABLE],
                            capture_output=True, text=True)
    if result.returncode != 0:
        return []  # no table: no rules
    found = []
    for item in json.loads(result.stdout).get("nftables", []):
        rule = item.get("rule")
        if rule and rule.get("comment") == owner:
            found.append((rule["chain"], rule["handle"]))
    return found
