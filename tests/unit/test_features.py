"""`pyrunc features`: the document claims only what the code does."""
import pytest

from libcontainer import features, namespaces, seccomp
from libcontainer.container import OCI_VERSION
from libcontainer.plan.mounts import SUPERBLOCK_OPTIONS, MountOptions


@pytest.fixture(scope="module")
def doc():
    return features.features()


def test_the_document_matches_the_features_schema(doc):
    import json
    import jsonschema
    from libcontainer.config import validate
    with open(validate.schema_file("features-schema.json")) as f:
        checker = jsonschema.Draft202012Validator(json.load(f))
    assert [e.message for e in checker.iter_errors(doc)] == []
    assert not checker.is_valid(dict(doc, linux=dict(doc["linux"], madeUp=True)))
    assert not checker.is_valid({k: v for k, v in doc.items() if k != "ociVersionMax"})


def test_versions_and_hooks(doc):
    assert (doc["ociVersionMin"], doc["ociVersionMax"]) == ("1.0.0", OCI_VERSION)
    assert doc["hooks"] == ["prestart", "createRuntime", "createContainer", "startContainer",
                            "poststart", "poststop"]


def test_every_mount_option_listed_is_one_the_mount_code_handles(doc):
    assert doc["mountOptions"] == sorted(doc["mountOptions"])
    for option in doc["mountOptions"]:
        parsed = MountOptions([option])
        # Understood here; only superblock flags go on to the filesystem.
        assert parsed.data == [] or option in SUPERBLOCK_OPTIONS, option
    assert {"rro", "rnosuid", "rprivate", "tmpcopyup", "idmap", "ridmap"} <= set(
        doc["mountOptions"])
    # What pyrunc refuses or does not know is not claimed.
    for absent in ("acl", "defaults"):
        assert absent not in doc["mountOptions"]


def test_linux_features(doc):
    linux = doc["linux"]
    assert linux["namespaces"] == sorted(namespaces.NAMESPACES)
    assert linux["capabilities"][0] == "CAP_CHOWN" and "CAP_CHECKPOINT_RESTORE" in linux[
        "capabilities"]
    assert linux["cgroup"] == {"v1": True, "v2": True, "systemd": False, "systemdUser": False,
                               "rdma": False}
    for name in ("apparmor", "selinux", "intelRdt"):
        assert linux[name] == {"enabled": False}
    assert linux["mountExtensions"] == {"idmap": {"enabled": True}}


def test_seccomp_lists_what_the_filter_code_accepts(doc):
    sec = doc["linux"]["seccomp"]
    if not sec["enabled"]:
        pytest.skip("libseccomp is not installed")
    assert "SCMP_ACT_NOTIFY" in sec["actions"]
    for action in sec["actions"]:
        seccomp.action_code(action, None, "test")  # raises for what it does not take
    assert sec["operators"] == sorted(seccomp.OPERATORS)
    assert "SCMP_ARCH_X86_64" in sec["archs"] and "SCMP_ARCH_AARCH64" in sec["archs"]
    assert set(sec["supportedFlags"]) <= set(sec["knownFlags"]) == set(seccomp.FLAGS)
    version = doc["annotations"]["io.github.seccomp.libseccomp.version"]
    assert version.count(".") == 2 and all(p.isdigit() for p in version.split("."))


def test_without_libseccomp_seccomp_is_not_claimed(monkeypatch):
    monkeypatch.setattr(features, "_libseccomp", lambda: None)
    doc = features.features()
    assert doc["linux"]["seccomp"] == {"enabled": False}
    assert doc["annotations"] == {}
