"""Properties: honest repacking is always equivalent; any real change is always different and named;
and the canonical form's sha256 agrees with the verdict."""

import tarfile
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.support.archives import Entry, Packing, sdist
from verifier.archive.canonical import write_canonical
from verifier.archive.interface import Limits
from verifier.compare.interface import Verdict
from verifier.compare.run import run_compare
from verifier.normalize.registry import parse_option

DEFAULT = parse_option(None, False)
SETTINGS = settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])

names = st.lists(
    st.text(alphabet="abcdéXY_-.0", min_size=1, max_size=12).filter(lambda s: s not in (".", "..")),
    min_size=1,
    max_size=3,
).map("/".join)
entries = st.lists(
    st.tuples(names, st.binary(max_size=2000), st.sampled_from([0o644, 0o755, 0o600])),
    min_size=1,
    max_size=12,
    unique_by=lambda item: item[0],
).map(lambda items: [Entry(name, data, "file", mode) for name, data, mode in items])


@st.composite
def packings(draw, fmt: int) -> Packing:
    return Packing(
        format=fmt,
        uid=draw(st.integers(0, 70000)),
        gid=draw(st.integers(0, 70000)),
        uname=draw(st.sampled_from(["root", "runner", "", "üser"])),
        gname=draw(st.sampled_from(["root", "docker", "", "grüp"])),
        mtime=draw(st.one_of(st.integers(0, 2**33 - 1), st.floats(1e9, 2e9).map(lambda f: round(f, 3)))),
        mtime_step=draw(st.sampled_from([0, 1, 0.5])),
        gzip_level=draw(st.integers(0, 9)),
        gzip_mtime=draw(st.integers(0, 2**32 - 1)),
        gzip_name=draw(st.sampled_from(["", "pkg-1.0.tar", "x"])),
        compressor=draw(st.sampled_from(["zlib", "zlib-ng"])),
    )


pairs = st.sampled_from([tarfile.PAX_FORMAT, tarfile.GNU_FORMAT]).flatmap(lambda fmt: st.tuples(packings(fmt), packings(fmt)))


def compare(left: list[Entry], right: list[Entry], packing_left: Packing, packing_right: Packing):
    with tempfile.TemporaryDirectory() as directory:
        root = Path(directory)
        a = sdist(root / "a.tar.gz", left, packing=packing_left)
        b = sdist(root / "b.tar.gz", right, packing=packing_right)
        result = run_compare(a, b, DEFAULT, Limits())
        digest_a = write_canonical(a, root / "a.norm.tar.gz", DEFAULT, Limits())
        digest_b = write_canonical(b, root / "b.norm.tar.gz", DEFAULT, Limits())
        assert (digest_a == digest_b) == result.reproducible, (result.verdict, result.differences)
        return result


@SETTINGS
@given(entries, pairs)
def test_repacking_is_always_equivalent(files, packing):
    result = compare(files, files, *packing)
    assert result.verdict in (Verdict.IDENTICAL, Verdict.EQUIVALENT), [d.message for d in result.differences]


@SETTINGS
@given(entries, pairs, st.data())
def test_a_flipped_byte_is_different_and_named(files, packing, data):
    candidates = [i for i, entry in enumerate(files) if entry.data]
    if not candidates:
        return
    index = data.draw(st.sampled_from(candidates))
    position = data.draw(st.integers(0, len(files[index].data) - 1))
    flipped = bytearray(files[index].data)
    flipped[position] ^= data.draw(st.integers(1, 255))
    changed = list(files)
    changed[index] = Entry(files[index].name, bytes(flipped), "file", files[index].mode)
    result = compare(files, changed, *packing)
    assert result.verdict is Verdict.DIFFERENT
    found = [d for d in result.differences if d.kind == "content"]
    assert [d.path for d in found] == [f"pkg-1.0/{files[index].name}"]
    assert found[0].reference["first_difference_offset"] == position


@SETTINGS
@given(entries, pairs, st.sampled_from(["add", "remove", "duplicate", "link"]), st.data())
def test_added_removed_duplicated_or_relinked_members_are_named(files, packing, change, data):
    changed = list(files)
    if change == "add":
        changed.append(Entry("zz-added.txt", b"new"))
        expected = ("only-in-candidate", "pkg-1.0/zz-added.txt")
    elif change == "remove":
        if len(files) < 2:
            return
        removed = data.draw(st.sampled_from(files))
        changed.remove(removed)
        expected = ("only-in-reference", f"pkg-1.0/{removed.name}")
    elif change == "duplicate":
        twin = data.draw(st.sampled_from(files))
        changed.append(twin)
        expected = ("duplicate", f"pkg-1.0/{twin.name}")
    else:
        files = [*files, Entry("zz-link", kind="symlink", target=files[0].name.split("/")[-1])]
        changed = [*files[:-1], Entry("zz-link", kind="symlink", target="elsewhere")]
        expected = ("link-target", "pkg-1.0/zz-link")
    result = compare(files, changed, *packing)
    assert result.verdict is Verdict.DIFFERENT
    assert expected in {(d.kind, d.path) for d in result.differences}
