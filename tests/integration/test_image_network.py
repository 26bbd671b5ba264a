"""The bridge network of run-image (the pyrunc-network hook): containers on
a bridge reach each other, a mapped port is reached from the host, leases
are unique under concurrent creates and freed on delete, and a port that is
taken fails in one line leaving no lease, veth or rule.

Only inside a network namespace this test makes to play the host: every
pyrunc command (and so its hooks) runs under `nsenter --net=` into it, so
the bridge, veths, nftables rules and ip_forward are all made there and go
with it; the real host's network is never touched."""
import json
import subprocess
import time
import uuid

import pytest

from conftest import ROOTFS, SESSION, Runtime, TIMEOUT, assert_one_line_error
from image_fixtures import (BUSYBOX, assert_image_container_gone, image_store,  # noqa: F401
                            leases, run_detached)

SERVE = ["sh", "-c", "mkdir -p /www && echo served by $(hostname) > /www/index.html && "
                     "exec httpd -f -p 80 -h /www"]
GATEWAY = "10.77.0.1"


class NetnsRuntime(Runtime):
    """pyrunc run inside the test's own "host" network namespace."""

    def __init__(self, exe, root, env, netns):
        super().__init__(exe, root, env)
        self.netns = netns

    def argv(self, *args, root=None):
        return ["nsenter", f"--net=/run/netns/{self.netns}"] + super().argv(*args, root=root)

    def in_host(self, *command):
        """A command in the host namespace; returns its stdout."""
        result = subprocess.run(["ip", "netns", "exec", self.netns, *command],
                                capture_output=True, text=True, timeout=TIMEOUT)
        assert result.returncode == 0, f"{command}: {result.stderr}"
        return result.stdout


@pytest.fixture
def net_rt(image_store, pyrunc_exe, pyrunc_env):
    netns = f"pyrunc-test-{SESSION}-{uuid.uuid4().hex[:6]}"
    subprocess.run(["ip", "netns", "add", netns], check=True, timeout=TIMEOUT)
    rt = NetnsRuntime(pyrunc_exe, image_store, pyrunc_env, netns)
    try:
        yield rt
        problems = rt.cleanup()
        assert problems == [], problems
        for cid in rt.ids:
            assert_image_container_gone(rt, cid)
        assert host_veths(rt) == [] and owned_rules(rt) == []
    finally:
        subprocess.run(["ip", "netns", "del", netns], timeout=TIMEOUT)


def host_veths(rt):
    return [line.split(": ")[1].split("@")[0]
            for line in rt.in_host("ip", "-o", "link").splitlines() if ": vp" in line]


def owned_rules(rt):
    """Comments of the port-mapping rules in the host's pyrunc table."""
    result = subprocess.run(["ip", "netns", "exec", rt.netns, "nft", "-j", "list", "table",
                             "ip", "pyrunc"], capture_output=True, text=True, timeout=TIMEOUT)
    if result.returncode != 0:
        return []
    return [item["rule"]["comment"] for item in json.loads(result.stdout)["nftables"]
            if "rule" in item and item["rule"].get("comment", "").startswith("pyrunc:")]


def fetch_from_host(rt, url):
    return rt.in_host(str(ROOTFS / "bin" / "busybox"), "wget", "-qO-", url)


def wait_until_serving(rt, cid):
    """httpd listens a moment after run-image returns."""
    deadline = time.monotonic() + TIMEOUT
    while rt("exec", cid, "wget", "-qO-", "http://127.0.0.1/")[0] != 0:
        assert time.monotonic() < deadline, f"httpd in {cid} never answered"
        time.sleep(0.1)


def test_two_containers_reach_each_other_and_a_mapped_port(net_rt):
    server = run_detached(net_rt, "-p", "8080:80", BUSYBOX, *SERVE)
    wait_until_serving(net_rt, server)
    client = run_detached(net_rt, "--network", "bridge", BUSYBOX, "sleep", "600")
    table = leases(net_rt)
    addresses = {table[server]["address"], table[client]["address"]}
    assert len(addresses) == 2 and all(a.startswith("10.77.0.") for a in addresses)
    server_address = table[server]["address"]
    assert f"default via {GATEWAY}" in net_rt.ok("exec", client, "ip", "route")
    assert net_rt.ok("exec", client, "wget", "-qO-",
                     f"http://{server_address}/") == f"served by {server}\n"
    assert " 0% packet loss" in net_rt.ok("exec", server, "ping", "-c", "1", "-W", "5",
                                          table[client]["address"])
    # The mapped port, from the host namespace itself.
    assert fetch_from_host(net_rt, f"http://{GATEWAY}:8080/") == f"served by {server}\n"
    assert sorted(owned_rules(net_rt)) == [f"pyrunc:{server}"] * 2
    assert len(host_veths(net_rt)) == 2
    for cid in (server, client):
        net_rt.ok("delete", "--force", cid)
        assert_image_container_gone(net_rt, cid)
    assert host_veths(net_rt) == [] and owned_rules(net_rt) == []


def test_a_mapped_port_is_not_mapped_twice(net_rt):
    first = run_detached(net_rt, "-p", "8081:80", BUSYBOX, *SERVE)
    second = net_rt.new_id()
    rc, out, err = net_rt("run-image", "-d", "--name", second, "-p", "8081:81", BUSYBOX, "true")
    assert_one_line_error(rc, out, err, "-p 8081:81/tcp: host port 8081/tcp is already mapped",
                          first)
    assert_image_container_gone(net_rt, second)
    assert list(leases(net_rt)) == [first]
    assert len(host_veths(net_rt)) == 1
    assert owned_rules(net_rt) == [f"pyrunc:{first}"] * 2
    rc, out, err = net_rt("run-image", "--name", second, "-p", "9000:80", "-p", "9000:81",
                          BUSYBOX, "true")
    assert_one_line_error(rc, out, err, "host port 9000/tcp is given twice")


def test_concurrent_creates_get_distinct_addresses_and_one_port(net_rt):
    """Four at once, two of them wanting the same host port: the allocator's
    lock gives four addresses and the port once; the loser leaves nothing."""
    ids = [net_rt.new_id() for _ in range(4)]
    port = [["-p", "8082:80"], ["-p", "8082:80"], ["--network", "bridge"],
            ["--network", "bridge"]]
    runs = [net_rt.background("run-image", "-d", "--name", cid, *extra, BUSYBOX, "sleep", "600")
            for cid, extra in zip(ids, port)]
    results = [r.wait() for r in runs]
    for cid, (rc, _, _) in zip(ids, results):
        if rc == 0:
            net_rt.track_pid(cid, net_rt.state(cid)["pid"])
    port_winners = [rc for rc, _, _ in results[:2]].count(0)
    assert port_winners == 1, results[:2]
    loser = ids[0] if results[0][0] else ids[1]
    assert_one_line_error(*results[ids.index(loser)], "-p 8082:80/tcp")
    assert_image_container_gone(net_rt, loser)
    assert all(rc == 0 for rc, _, _ in results[2:]), results[2:]
    table = leases(net_rt)
    assert sorted(table) == sorted(set(ids) - {loser})
    assert len({lease["address"] for lease in table.values()}) == 3
    assert len(host_veths(net_rt)) == 3


def test_an_address_is_reused_after_delete(net_rt):
    first = run_detached(net_rt, "--network", "bridge", BUSYBOX, "sleep", "600")
    address = leases(net_rt)[first]["address"]
    net_rt.ok("delete", "--force", first)
    second = run_detached(net_rt, "--network", "bridge", BUSYBOX, "sleep", "600")
    assert leases(net_rt)[second]["address"] == address
    assert "eth0" in net_rt.ok("exec", second, "ip", "-o", "addr")


def test_a_bridge_name_taken_by_another_interface(net_rt):
    net_rt.in_host("ip", "link", "add", "pyrunc0", "type", "veth", "peer", "name", "pyrunc0-peer")
    cid = net_rt.new_id()
    rc, out, err = net_rt("run-image", "-d", "--name", cid, "--network", "bridge",
                          BUSYBOX, "sleep", "600")
    assert_one_line_error(rc, out, err, "hooks.createRuntime[0]",
                          "pyrunc0 exists and is not a bridge")
    assert_image_container_gone(net_rt, cid)
    assert leases(net_rt) == {} and host_veths(net_rt) == []
    assert "10.77.0.1" not in net_rt.in_host("ip", "-o", "addr")  # it was left alone


def test_a_hook_failing_half_way_leaves_no_lease_veth_or_rule(net_rt):
    """nft refuses our nat chain (one of that name, of another type, is
    there) after the veth pair exists: the hook undoes the veth and the
    lease, create the rest."""
    net_rt.in_host("nft", "add table ip pyrunc; "
                   "add chain ip pyrunc prerouting { type filter hook prerouting priority 0; }")
    cid = net_rt.new_id()
    rc, out, err = net_rt("run-image", "-d", "--name", cid, "-p", "8083:80",
                          BUSYBOX, "sleep", "600")
    assert_one_line_error(rc, out, err, "hooks.createRuntime[0]", "nft:")
    assert_image_container_gone(net_rt, cid)
    assert leases(net_rt) == {} and host_veths(net_rt) == [] and owned_rules(net_rt) == []
