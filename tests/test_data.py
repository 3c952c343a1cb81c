"""Tests of mnist_lr.data on the real MNIST files.

The files are found in the folder of conftest's ``mnist_dir`` fixture
(``$MNIST_LR_DATA``, else ``shared/data/mnist`` beside the repository); if
neither exists, load_mnist finds (or downloads) them the normal way. The full
data set is loaded once per module.
"""

from __future__ import annotations

import gzip
import hashlib
import inspect
import os
import re
import shutil
import stat
import struct
import time
import tracemalloc
from pathlib import Path

import numpy as np
import pytest

import mnist_lr.data
from mnist_lr.data import (
    DATA_ENV,
    FILES,
    fetch_mnist_files,
    load_mnist,
    load_mnist_split,
    load_mnist_train_test,
    read_idx,
    subsample,
    train_val_split,
)

TRAIN_COUNTS = [5923, 6742, 5958, 6131, 5842, 5421, 5918, 6265, 5851, 5949]
TEST_COUNTS = [980, 1135, 1032, 1010, 982, 892, 958, 1028, 974, 1009]
FIRST_TEN_LABELS = [5, 0, 4, 1, 9, 2, 1, 3, 1, 4]


def _sha256(path) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


# --------------------------------------------------------------------------- fixtures


@pytest.fixture(scope="module")
def data_dir(mnist_dir):
    """The folder holding the real files, or None to let mnist_lr find them."""
    return mnist_dir


@pytest.fixture(scope="module")
def source_md(data_dir):
    """The text of SOURCE.md next to the files, or a skip if there is none."""
    if data_dir is None:
        pytest.skip("no folder of real files, so no SOURCE.md")
    path = data_dir / "SOURCE.md"
    if not path.is_file():
        pytest.skip(f"no SOURCE.md at {path}")
    return path.read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def mnist_paths(data_dir):
    """File name -> path of the four verified real files."""
    return fetch_mnist_files(data_dir)


@pytest.fixture(scope="module")
def mnist(data_dir):
    """(X, y) from load_mnist, loaded once for the module."""
    return load_mnist(data_dir)


def _idx_bytes(magic: int, dims, data: bytes) -> bytes:
    return struct.pack(">I", magic) + b"".join(struct.pack(">I", d) for d in dims) + data


def _write(path: Path, payload: bytes) -> Path:
    if path.name.endswith(".gz"):
        with gzip.open(path, "wb") as handle:
            handle.write(payload)
    else:
        path.write_bytes(payload)
    return path


# --------------------------------------------------------------------------- checksums


def test_files_checksums_match_source_md(source_md):
    found = dict(
        re.findall(
            r"^- ((?:train|t10k)-(?:images|labels)) `([0-9a-f]{64})`", source_md, flags=re.MULTILINE
        )
    )
    assert len(found) == 4, f"could not parse four SHA-256 values from SOURCE.md: {found}"
    expected = {
        f"{short}-{'idx3' if short.endswith('images') else 'idx1'}-ubyte.gz": sha
        for short, sha in found.items()
    }
    assert expected == FILES


def test_label_counts_match_source_md(source_md):
    for kind, counts in [("Train", TRAIN_COUNTS), ("Test", TEST_COUNTS)]:
        match = re.search(rf"{kind} label counts for digits 0\.\.9: \[([0-9, ]+)\]", source_md)
        assert match, f"no {kind.lower()} label counts in SOURCE.md"
        assert [int(v) for v in match.group(1).split(",")] == counts


@pytest.mark.parametrize("name", sorted(FILES))
def test_files_checksums_match_actual_files(mnist_paths, name):
    assert _sha256(mnist_paths[name]) == FILES[name]


# --------------------------------------------------------------------------- load_mnist


def test_load_mnist_shapes_and_ranges(mnist):
    X, y = mnist
    assert X.shape == (60000, 784)
    assert X.dtype == np.float32
    assert X.min() == 0.0
    assert X.max() == 1.0
    assert y.shape == (60000,)
    assert y.dtype == np.int64
    assert set(np.unique(y).tolist()) == set(range(10))


def test_load_mnist_label_counts(mnist):
    """By default only the training images come back: the test images stay locked away."""
    _, y = mnist
    assert np.bincount(y, minlength=10).tolist() == TRAIN_COUNTS


def test_load_mnist_test_subset(data_dir):
    X, y = load_mnist(data_dir, subset="test")
    assert X.shape == (10000, 784) and y.shape == (10000,)
    assert np.bincount(y, minlength=10).tolist() == TEST_COUNTS


@pytest.fixture(scope="module")
def mnist_all(data_dir):
    return load_mnist(data_dir, subset="all")


def test_load_mnist_all_label_counts(mnist_all):
    _, y = mnist_all
    expected = [a + b for a, b in zip(TRAIN_COUNTS, TEST_COUNTS, strict=True)]
    assert np.bincount(y, minlength=10).tolist() == expected
    assert np.bincount(y[:60000], minlength=10).tolist() == TRAIN_COUNTS
    assert np.bincount(y[60000:], minlength=10).tolist() == TEST_COUNTS


def test_load_mnist_openml_order(mnist_all, mnist_paths):
    X, y = mnist_all
    assert y[:10].tolist() == FIRST_TEN_LABELS
    # Row 60000 is the first test image, whose label is 7.
    assert y[60000] == 7
    first_test = read_idx(mnist_paths["t10k-images-idx3-ubyte.gz"], expected_magic=2051)[0]
    np.testing.assert_array_equal(X[60000], first_test.reshape(784) / np.float32(255))
    first_train = read_idx(mnist_paths["train-images-idx3-ubyte.gz"], expected_magic=2051)[0]
    np.testing.assert_array_equal(X[0], first_train.reshape(784) / np.float32(255))


def test_load_mnist_float64_matches_float32(mnist, data_dir):
    X32, y32 = mnist
    X64, y64 = load_mnist(data_dir, dtype=np.float64)
    assert X64.dtype == np.float64
    assert X64.shape == (60000, 784)
    np.testing.assert_array_equal(y64, y32)
    # Compare in blocks: one float64 temporary of the whole array would cost 440 MB.
    worst = max(
        float(np.max(np.abs(X64[i : i + 5000] - X32[i : i + 5000])))
        for i in range(0, len(X64), 5000)
    )
    assert worst <= 1e-7
    assert X64.min() == 0.0 and X64.max() == 1.0


@pytest.mark.parametrize("dtype", [np.int32, np.float16, np.int8, "float33", "int8", "uint8",
                                   "f4,", "nonsense", int, None])
@pytest.mark.parametrize("loader", [load_mnist, load_mnist_train_test, load_mnist_split])
def test_bad_dtype_is_refused_before_any_file_is_read(tmp_path, loader, dtype):
    with pytest.raises(ValueError, match=r"dtype must be float32 or float64, got ") as caught:
        loader(data_dir=tmp_path / "nowhere", dtype=dtype)
    if isinstance(dtype, str):
        assert f"got {dtype!r}" in str(caught.value)


@pytest.mark.parametrize("dtype", ["float32", "f8", np.dtype(np.float64)])
def test_dtype_by_name_or_object(tmp_path, dtype):
    """Accepted dtypes get past the check (and on to the missing folder)."""
    with pytest.raises(FileNotFoundError, match="not a folder"):
        load_mnist(tmp_path / "nowhere", dtype=dtype)


def test_load_mnist_takes_the_fetch_options_by_name():
    """The same keyword options, with the same defaults, as fetch_mnist_files; no **kwargs.

    The other two loaders forward theirs to it, so the options live in one place.
    """
    params = inspect.signature(load_mnist).parameters
    assert not any(p.kind is inspect.Parameter.VAR_KEYWORD for p in params.values())
    fetch_params = inspect.signature(fetch_mnist_files).parameters
    for name, fetch_param in fetch_params.items():
        if name != "data_dir":
            assert params[name].kind is inspect.Parameter.KEYWORD_ONLY, name
            assert params[name].default == fetch_param.default, name


@pytest.mark.parametrize("loader", [load_mnist_train_test, load_mnist_split])
def test_an_unknown_option_is_named(tmp_path, loader):
    with pytest.raises(TypeError, match="colour"):
        loader(data_dir=tmp_path, colour="red")


def test_an_unknown_subset_is_named():
    with pytest.raises(ValueError, match="subset must be 'train', 'test' or 'all', got 'val'"):
        load_mnist(subset="val")


@pytest.mark.parametrize("loader", [load_mnist, load_mnist_train_test, load_mnist_split])
def test_loaders_pass_every_fetch_option_on(monkeypatch, loader):
    seen = {}

    def record(data_dir, **options):
        seen.update(options, data_dir=data_dir)
        raise LookupError("stop here")

    monkeypatch.setattr(mnist_lr.data, "fetch_mnist_files", record)
    options = {
        "cache_dir": "/some/cache",
        "mirrors": ["http://mirror.example/"],
        "download": False,
        "timeout": 3.5,
        "progress": True,
        "verbose": True,
    }
    with pytest.raises(LookupError, match="stop here"):
        loader(data_dir="/some/data", **options)
    assert seen == {**options, "data_dir": "/some/data"}


def test_load_mnist_train_test(mnist_all, data_dir, tmp_path, monkeypatch):
    X, y = mnist_all
    options = {}
    if data_dir is not None:  # both parts come from data_dir: elsewhere, empty folders
        monkeypatch.setenv(DATA_ENV, str(tmp_path))
        options = dict(cache_dir=tmp_path, download=False)
    X_train, y_train, X_test, y_test = load_mnist_train_test(data_dir, **options)
    assert X_train.shape == (60000, 784)
    assert X_test.shape == (10000, 784)
    assert y_train.shape == (60000,)
    assert y_test.shape == (10000,)
    assert X_train.dtype == X_test.dtype == np.float32
    assert y_train.dtype == y_test.dtype == np.int64
    assert np.bincount(y_train, minlength=10).tolist() == TRAIN_COUNTS
    assert np.bincount(y_test, minlength=10).tolist() == TEST_COUNTS
    np.testing.assert_array_equal(X_train, X[:60000])
    np.testing.assert_array_equal(X_test, X[60000:])
    np.testing.assert_array_equal(y_train, y[:60000])
    np.testing.assert_array_equal(y_test, y[60000:])


def test_load_from_read_only_folder(tmp_path, mnist_paths, mnist):
    ro = tmp_path / "ro"
    ro.mkdir()
    for name, path in mnist_paths.items():
        shutil.copyfile(path, ro / name)
        os.chmod(ro / name, 0o444)
    os.chmod(ro, 0o555)
    cache = tmp_path / "cache"
    before = sorted((p.name, p.stat().st_size, p.stat().st_mtime_ns) for p in ro.iterdir())
    try:
        X, y = load_mnist(ro, cache_dir=cache, download=False)
        after = sorted((p.name, p.stat().st_size, p.stat().st_mtime_ns) for p in ro.iterdir())
        # Root could write here anyway, so check that nothing was written.
        assert after == before
        assert stat.S_IMODE(ro.stat().st_mode) == 0o555
        assert not cache.exists(), "a complete data_dir must not touch the cache"
        np.testing.assert_array_equal(y, mnist[1])
        np.testing.assert_array_equal(X, mnist[0])
    finally:
        os.chmod(ro, 0o755)
        for p in ro.iterdir():
            os.chmod(p, 0o644)


@pytest.mark.parametrize("name", list(FILES))
def test_data_dir_with_wrong_checksum(tmp_path, name):
    folder = tmp_path / "bad"
    folder.mkdir()
    (folder / name).write_bytes(b"this is not MNIST")
    with pytest.raises(ValueError, match=re.escape(name)) as info:
        fetch_mnist_files(folder, cache_dir=tmp_path / "cache", download=False)
    assert str(folder / name) in str(info.value)
    assert FILES[name] in str(info.value)


@pytest.fixture
def gunzipped(tmp_path, mnist_paths):
    """A folder holding the four real files gunzipped, under their names without .gz."""
    folder = tmp_path / "gunzipped"
    folder.mkdir()
    for name, path in mnist_paths.items():
        with gzip.open(path, "rb") as source, open(folder / name[:-3], "wb") as target:
            shutil.copyfileobj(source, target)
    return folder


def test_a_data_folder_of_gunzipped_files_is_read(gunzipped, tmp_path, mnist):
    cache = tmp_path / "cache"
    paths = fetch_mnist_files(gunzipped, cache_dir=cache, download=False)
    assert paths == {name: gunzipped / name[:-3] for name in FILES}
    X, y = load_mnist(gunzipped, cache_dir=cache, download=False)
    np.testing.assert_array_equal(X, mnist[0])
    np.testing.assert_array_equal(y, mnist[1])
    assert not cache.exists(), "the files were found: nothing to download"


@pytest.mark.parametrize("damage", ["flip", "truncate"])
def test_a_damaged_gunzipped_file_is_named(gunzipped, tmp_path, damage):
    path = gunzipped / "t10k-labels-idx1-ubyte"
    data = bytearray(path.read_bytes())
    if damage == "flip":
        data[len(data) // 2] ^= 0xFF
    else:
        del data[-1]
    path.write_bytes(bytes(data))
    with pytest.raises(ValueError, match=f"{re.escape(str(path))} is not the canonical "
                                         r"t10k-labels-idx1-ubyte\.gz gunzipped"):
        fetch_mnist_files(gunzipped, cache_dir=tmp_path / "cache", download=False)


# --------------------------------------------------------------------------- read_idx


@pytest.mark.parametrize("suffix", ["", ".gz"])
def test_read_idx_roundtrip(tmp_path, suffix):
    payload = _idx_bytes(0x00000803, (2, 3, 4), bytes(range(24)))
    path = _write(tmp_path / f"small-idx3-ubyte{suffix}", payload)
    out = read_idx(str(path), expected_magic=2051, expected_shape=(2, 3, 4))
    assert out.dtype == np.uint8
    assert out.shape == (2, 3, 4)
    np.testing.assert_array_equal(out.ravel(), np.arange(24))
    assert not out.flags.writeable


@pytest.mark.parametrize(
    ("name", "magic", "shape"),
    [
        ("train-labels-idx1-ubyte.gz", 2049, (60000,)),
        ("t10k-labels-idx1-ubyte.gz", 2049, (10000,)),
    ],
)
def test_read_idx_real_labels(mnist_paths, name, magic, shape):
    labels = read_idx(mnist_paths[name], expected_magic=magic, expected_shape=shape)
    assert labels.shape == shape
    assert labels.max() == 9


@pytest.mark.parametrize("suffix", ["", ".gz"])
def test_read_idx_wrong_magic(tmp_path, suffix):
    path = _write(tmp_path / f"f{suffix}", _idx_bytes(2051, (2, 1, 1), b"\x00\x01"))
    with pytest.raises(ValueError, match="magic number 2051, expected 2049"):
        read_idx(path, expected_magic=2049)


def test_read_idx_images_given_as_labels(mnist_paths):
    with pytest.raises(ValueError, match="magic number 2051, expected 2049"):
        read_idx(mnist_paths["t10k-images-idx3-ubyte.gz"], expected_magic=2049)


def test_read_idx_truncated_gzip(tmp_path, mnist_paths):
    data = Path(mnist_paths["train-labels-idx1-ubyte.gz"]).read_bytes()
    path = tmp_path / "train-labels-idx1-ubyte.gz"
    path.write_bytes(data[: len(data) // 2])
    with pytest.raises(ValueError, match="truncated or not a valid gzip"):
        read_idx(path)


def test_read_idx_gzip_with_bad_crc(tmp_path):
    payload = gzip.compress(_idx_bytes(2049, (4,), b"\x01\x02\x03\x04"))
    broken = bytearray(payload)
    broken[-8] ^= 0xFF  # the CRC-32 in the gzip trailer
    path = tmp_path / "labels.gz"
    path.write_bytes(bytes(broken))
    with pytest.raises(ValueError, match="not a valid gzip"):
        read_idx(path)


@pytest.mark.parametrize("suffix", ["", ".gz"])
@pytest.mark.parametrize(
    ("dims", "n_bytes", "held"),
    [((10,), 5, "5"), ((3, 2, 2), 11, "11"), ((3, 2, 2), 13, "more than 12"), ((10,), 0, "0")],
)
def test_read_idx_wrong_data_length(tmp_path, suffix, dims, n_bytes, held):
    magic = 0x0800 + len(dims)
    path = _write(tmp_path / f"f{suffix}", _idx_bytes(magic, dims, b"\x07" * n_bytes))
    size = int(np.prod(dims))
    with pytest.raises(ValueError, match=rf"should hold {size} data bytes .* holds {held}:"):
        read_idx(path)


@pytest.mark.parametrize("name", ["tiny.idx", "tiny.idx.gz"])
def test_read_idx_shorter_than_its_magic_number_is_named(tmp_path, name):
    path = _write(tmp_path / name, b"\x00\x00\x08")
    with pytest.raises(ValueError, match="tiny.idx"):
        read_idx(path)


def test_read_idx_truncated_header(tmp_path):
    # Says 3 dimensions but has room for only 2 sizes.
    path = _write(tmp_path / "f.gz", struct.pack(">IIII", 2051, 60000, 28, 0)[:12])
    with pytest.raises(ValueError, match="truncated inside its header"):
        read_idx(path)


@pytest.mark.parametrize(
    ("expected_shape", "actual"),
    [((3, 2), (2, 3)), ((6,), (2, 3)), ((2, 3, 1), (2, 3)), ((60000,), (10000,))],
)
def test_read_idx_shape_differs_from_expected(tmp_path, expected_shape, actual):
    magic = 0x0800 + len(actual)
    size = int(np.prod(actual))
    path = _write(tmp_path / "f.gz", _idx_bytes(magic, actual, b"\x00" * size))
    with pytest.raises(ValueError, match=re.escape(f"shape {actual}, expected {expected_shape}")):
        read_idx(path, expected_shape=expected_shape)


@pytest.mark.parametrize(
    ("filename", "content", "match"),
    [
        ("notes.txt", b"Hello, this is a text file.\n", "not an IDX file"),
        ("notes.txt.gz", b"Hello, this is a text file.\n", "not an IDX file"),
        ("floats-idx1", _idx_bytes(0x00000D01, (1,), b"\x00" * 4), "not an IDX file"),
        ("nonzero-idx1", _idx_bytes(0x01000801, (1,), b"\x00"), "not an IDX file"),
        ("nonzero2-idx1", _idx_bytes(0x00010801, (1,), b"\x00"), "not an IDX file"),
        ("plain-text.gz", b"not gzip at all", "not a valid gzip"),
        ("tiny", b"\x00\x00", "too short .*2 bytes"),
        ("three-bytes", b"\x00\x00\x08", "too short .*3 bytes"),
        ("three-bytes.gz", b"\x00\x00\x08", "too short .*3 bytes"),
        ("empty.gz", b"", "too short .*0 bytes"),
    ],
)
def test_read_idx_not_idx(tmp_path, filename, content, match):
    if filename == "plain-text.gz":
        path = tmp_path / filename
        path.write_bytes(content)  # named .gz, but not gzip
    else:
        path = _write(tmp_path / filename, content)  # gzip-compressed if named .gz
    with pytest.raises(ValueError, match=match):
        read_idx(path)


def _write_gzip_bomb(path: Path, header: bytes, inflated_mib: int) -> Path:
    """``header``, then ``inflated_mib`` MiB of zeros, as concatenated gzip members.

    Python reads concatenated members as one stream. Each member is a 1 MiB
    block of zeros compressed to about 1 KB, so the file stays near 1 MB while
    its content is 1 GiB, and nothing large is ever held while writing it.
    """
    member = gzip.compress(bytes(1 << 20), compresslevel=9)
    with open(path, "wb") as out:
        out.write(gzip.compress(header))
        for _ in range(inflated_mib):
            out.write(member)
    return path


def _peak_memory_and_error(path, **kwargs):
    """Run read_idx on ``path``; return its ValueError, its peak traced memory and its time."""
    tracemalloc.start()
    start = time.monotonic()
    try:
        with pytest.raises(ValueError) as info:
            read_idx(path, **kwargs)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    return info.value, peak, time.monotonic() - start


@pytest.mark.parametrize(
    ("dims", "expected_shape"),
    [((10,), None), ((10000, 28, 28), None), ((10000, 28, 28), (10000, 28, 28))],
)
def test_read_idx_stops_early_in_a_gzip_bomb(tmp_path, dims, expected_shape):
    """A valid header, then far more data than it declares: reading stops just past the end."""
    magic = 0x0800 + len(dims)
    path = _write_gzip_bomb(tmp_path / "bomb.gz", _idx_bytes(magic, dims, b""), 1024)
    assert path.stat().st_size < 2 * 2**20  # a small file that inflates to 1 GiB
    error, peak, seconds = _peak_memory_and_error(path, expected_shape=expected_shape)
    size = int(np.prod(dims))
    assert re.search(rf"should hold {size} data bytes .* holds more than {size}:", str(error))
    # About the array the header declares, not the gigabyte behind it.
    assert peak < 1.5 * size + 8 * 2**20, f"peak {peak / 2**20:.1f} MiB"
    assert seconds < 10


def test_read_idx_checks_the_header_before_reading_data(tmp_path):
    header = _idx_bytes(0x0801, (2**30,), b"")  # claims 1 GiB of labels, and has it
    path = _write_gzip_bomb(tmp_path / "labels.gz", header, 1024)
    error, peak, _ = _peak_memory_and_error(path, expected_shape=(60000,))
    assert f"shape ({2**30},), expected (60000,)" in str(error)
    assert peak < 4 * 2**20


@pytest.mark.parametrize("suffix", ["", ".gz"])
def test_read_idx_one_byte_too_many_or_too_few(tmp_path, suffix):
    dims = (60000,)
    for n_bytes, held in [(60001, "more than 60000"), (59999, "59999")]:
        path = _write(tmp_path / f"f{n_bytes}{suffix}", _idx_bytes(0x0801, dims, b"\x01" * n_bytes))
        with pytest.raises(ValueError, match=f"should hold 60000 data bytes .* holds {held}:"):
            read_idx(path, expected_magic=2049, expected_shape=dims)


# --------------------------------------------------------------------------- train_val_split


def _toy(n, n_features=3):
    """Rows whose first column encodes the label, so alignment is checkable."""
    y = np.arange(n)
    X = np.repeat(y[:, None], n_features, axis=1) * 10 + np.arange(n_features)
    return X, y


@pytest.mark.parametrize(
    ("n", "fraction"), [(10, 0.2), (7, 0.3), (101, 0.25), (1000, 0.2), (3, 0.5), (50, 0.99)]
)
def test_train_val_split_sizes_and_partition(n, fraction):
    X, y = _toy(n)
    X_train, X_val, y_train, y_val = train_val_split(X, y, fraction, random_state=0)
    n_val = int(n * fraction)
    assert len(X_val) == len(y_val) == n_val
    assert len(X_train) == len(y_train) == n - n_val
    assert not set(y_train.tolist()) & set(y_val.tolist())
    assert sorted(np.concatenate([y_train, y_val]).tolist()) == list(range(n))
    # X and y rows stay aligned.
    np.testing.assert_array_equal(X_train[:, 0], y_train * 10)
    np.testing.assert_array_equal(X_val[:, 0], y_val * 10)
    np.testing.assert_array_equal(X_val, X[y_val])


def test_train_val_split_default_fraction_on_real_data(mnist):
    X, y = mnist
    X_train, X_val, y_train, y_val = train_val_split(X, y, random_state=42)
    assert X_val.shape == (12000, 784)
    assert X_train.shape == (48000, 784)
    assert y_val.shape == (12000,) and y_train.shape == (48000,)
    counts = np.bincount(y_train, minlength=10) + np.bincount(y_val, minlength=10)
    assert counts.tolist() == np.bincount(y, minlength=10).tolist()


def test_train_val_split_is_shuffled():
    X, y = _toy(200)
    _, _, y_train, y_val = train_val_split(X, y, 0.2, random_state=1)
    assert y_val.tolist() != list(range(40))
    assert y_train.tolist() != sorted(y_train.tolist())


def test_train_val_split_same_seed_same_split():
    X, y = _toy(100)
    a = train_val_split(X, y, 0.2, random_state=7)
    b = train_val_split(X, y, 0.2, random_state=7)
    for left, right in zip(a, b, strict=True):
        np.testing.assert_array_equal(left, right)
    c = train_val_split(X, y, 0.2, random_state=np.random.default_rng(7))
    np.testing.assert_array_equal(a[3], c[3])


def test_train_val_split_different_seed_different_split():
    X, y = _toy(100)
    a = train_val_split(X, y, 0.2, random_state=7)
    b = train_val_split(X, y, 0.2, random_state=8)
    assert a[3].tolist() != b[3].tolist()


@pytest.mark.parametrize(
    ("fraction", "error"),
    [
        (0, ValueError),
        (1, ValueError),
        (0.0, ValueError),
        (1.0, ValueError),
        (-0.1, ValueError),
        (1.5, ValueError),
        (float("nan"), ValueError),
        (0.01, ValueError),  # int(10 * 0.01) == 0 rows for validation
        ("a", TypeError),
        (None, TypeError),
        (True, TypeError),
    ],
)
def test_train_val_split_bad_fraction(fraction, error):
    X, y = _toy(10)
    with pytest.raises(error, match="val_fraction"):
        train_val_split(X, y, fraction, random_state=0)


def test_train_val_split_default_fraction_is_one_fifth():
    X, y = _toy(10)
    X_train, X_val, y_train, y_val = train_val_split(X, y, random_state=0)
    assert len(y_val) == 2 and len(y_train) == 8
    np.testing.assert_array_equal(y_val, train_val_split(X, y, 0.2, random_state=0)[3])


def test_train_val_split_two_samples():
    X, y = _toy(2)
    X_train, X_val, y_train, y_val = train_val_split(X, y, 0.5, random_state=0)
    assert len(y_train) == len(y_val) == 1
    assert sorted([*y_train.tolist(), *y_val.tolist()]) == [0, 1]
    np.testing.assert_array_equal(X_val[:, 0], y_val * 10)
    np.testing.assert_array_equal(X_train[:, 0], y_train * 10)
    # Two samples at the default fraction leave none for validation.
    with pytest.raises(ValueError, match="val_fraction=0.2 of 2 samples leaves 0"):
        train_val_split(X, y, random_state=0)


def test_train_val_split_one_sample():
    with pytest.raises(ValueError, match="at least 2 samples, got 1"):
        train_val_split(np.zeros((1, 3)), np.zeros(1), 0.5)


@pytest.mark.parametrize(("n_X", "n_y"), [(10, 9), (9, 10), (0, 1)])
def test_train_val_split_mismatched_lengths(n_X, n_y):
    with pytest.raises(ValueError, match="different lengths"):
        train_val_split(np.zeros((n_X, 3)), np.zeros(n_y), 0.2)


# --------------------------------------------------------------------------- subsample


@pytest.mark.parametrize("n", [1, 7, 99, 100])
def test_subsample_size_and_alignment(n):
    X, y = _toy(100)
    X_small, y_small = subsample(X, y, n, random_state=0)
    assert X_small.shape == (n, 3)
    assert y_small.shape == (n,)
    assert len(set(y_small.tolist())) == n, "rows must be drawn without replacement"
    np.testing.assert_array_equal(X_small, X[y_small])


def test_subsample_on_real_data(mnist):
    X, y = mnist
    X_small, y_small = subsample(X, y, 500, random_state=3)
    assert X_small.shape == (500, 784)
    assert X_small.dtype == np.float32
    assert len(np.unique(y_small)) == 10


def test_subsample_deterministic():
    X, y = _toy(100)
    a = subsample(X, y, 10, random_state=5)
    b = subsample(X, y, 10, random_state=5)
    c = subsample(X, y, 10, random_state=6)
    np.testing.assert_array_equal(a[0], b[0])
    np.testing.assert_array_equal(a[1], b[1])
    assert a[1].tolist() != c[1].tolist()


@pytest.mark.parametrize(
    ("n", "error"),
    [(101, ValueError), (10**6, ValueError), (0, ValueError), (-1, ValueError), (2.5, TypeError)],
)
def test_subsample_bad_n(n, error):
    X, y = _toy(100)
    with pytest.raises(error, match="n must"):
        subsample(X, y, n, random_state=0)


def test_subsample_mismatched_lengths():
    with pytest.raises(ValueError, match="different lengths"):
        subsample(np.zeros((10, 2)), np.zeros(9), 5)


@pytest.mark.parametrize(("seed", "fraction"), [(0, None), (7, 0.3)])
def test_load_mnist_split_equals_load_then_split(data_dir, mnist, seed, fraction):
    X, y = mnist
    if fraction is None:  # the default split: one fifth for validation
        got = load_mnist_split(random_state=seed, data_dir=data_dir)
        expected = train_val_split(X, y, 0.2, random_state=seed)
        assert got[1].shape == (12000, 784) and got[0].shape == (48000, 784)
    else:
        got = load_mnist_split(fraction, random_state=seed, data_dir=data_dir)
        expected = train_val_split(X, y, fraction, random_state=seed)
        assert got[1].shape == (18000, 784)
    for a, b in zip(expected, got, strict=True):
        assert a.dtype == b.dtype
        np.testing.assert_array_equal(a, b)


@pytest.mark.parametrize("timeout", [0, -1.5])
def test_a_timeout_that_is_not_positive_is_refused(data_dir, timeout):
    if data_dir is None:
        pytest.skip("needs a folder of MNIST files (MNIST_LR_DATA)")
    # Refused even when the files are there and no download would start.
    with pytest.raises(ValueError, match=r"\btimeout\b"):
        fetch_mnist_files(data_dir, timeout=timeout)
