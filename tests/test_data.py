"""Tests of mnist_lr.data: the loaders on the real files, read_idx, the splits.

The real files are in conftest's ``mnist_dir`` (``$MNIST_LR_DATA``); if there is none,
the loaders find (or download) them the normal way.
"""

import gzip
import re
import struct
import time
import tracemalloc

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
    smallest_split,
    subsample,
    train_val_split,
)

TRAIN_COUNTS = [5923, 6742, 5958, 6131, 5842, 5421, 5918, 6265, 5851, 5949]
TEST_COUNTS = [980, 1135, 1032, 1010, 982, 892, 958, 1028, 974, 1009]


@pytest.fixture(scope="module")
def mnist_all(mnist_dir):
    return load_mnist(mnist_dir, subset="all")


def _idx(magic, dims, data=b""):
    return struct.pack(f">I{len(dims)}I", magic, *dims) + data


def _write(path, payload):
    """``payload`` into ``path``, gzip-compressed if the name ends in .gz."""
    with (gzip.open if path.name.endswith(".gz") else open)(path, "wb") as handle:
        handle.write(payload)
    return path


# --------------------------------------------------------------------------- the loaders


def test_files_and_counts_match_source_md(mnist_dir):
    source = mnist_dir / "SOURCE.md" if mnist_dir else None
    if source is None or not source.is_file():
        pytest.skip("no SOURCE.md beside the real files")
    text = source.read_text(encoding="utf-8")
    found = re.findall(r"^- ((?:train|t10k)-(?:images|labels)) `([0-9a-f]{64})`", text, re.M)
    assert {f"{short}-idx{3 if short.endswith('images') else 1}-ubyte.gz": sha
            for short, sha in found} == FILES
    for kind, counts in [("Train", TRAIN_COUNTS), ("Test", TEST_COUNTS)]:
        match = re.search(rf"{kind} label counts for digits 0\.\.9: \[([0-9, ]+)\]", text)
        assert [int(v) for v in match.group(1).split(",")] == counts


def test_the_three_subsets(mnist, mnist_all, mnist_dir):
    """train (the default), test, and all of them in OpenML's order: training, then test."""
    X, y = mnist  # conftest's load_mnist()
    assert X.shape == (60000, 784) and X.dtype == np.float32 and (X.min(), X.max()) == (0, 1)
    assert y.dtype == np.int64 and np.bincount(y).tolist() == TRAIN_COUNTS
    X_all, y_all = mnist_all
    assert X_all.dtype == np.float32 and y_all[:10].tolist() == [5, 0, 4, 1, 9, 2, 1, 3, 1, 4]
    np.testing.assert_array_equal(X_all[:60000], X)
    np.testing.assert_array_equal(y_all[:60000], y)
    X_test, y_test = load_mnist(mnist_dir, subset="test", dtype=np.float64)
    assert X_test.dtype == np.float64 and np.bincount(y_test).tolist() == TEST_COUNTS
    np.testing.assert_array_equal(X_test.astype(np.float32), X_all[60000:])  # same pixels
    np.testing.assert_array_equal(y_test, y_all[60000:])
    raw = read_idx(fetch_mnist_files(mnist_dir)["t10k-images-idx3-ubyte.gz"])
    np.testing.assert_array_equal(X_test[0], raw[0].ravel() / 255)


def test_load_mnist_train_test_reads_only_its_data_dir(mnist_all, mnist_dir, tmp_path,
                                                      monkeypatch):
    if mnist_dir is None:
        pytest.skip("needs a folder of real MNIST files")
    monkeypatch.setenv(DATA_ENV, str(tmp_path))  # an empty folder: the argument wins
    cache = tmp_path / "cache"
    parts = load_mnist_train_test(mnist_dir, cache_dir=cache, download=False)
    X, y = mnist_all
    for got, expected in zip(parts, (X[:60000], y[:60000], X[60000:], y[60000:]), strict=True):
        assert got.dtype == expected.dtype
        np.testing.assert_array_equal(got, expected)
    assert not cache.exists(), "a complete data folder leaves the cache alone"


@pytest.mark.parametrize(("args", "seed", "dtype"), [((), 0, np.float32), ((0.3,), 7, np.float64)])
def test_load_mnist_split_equals_load_then_split(mnist, mnist_dir, args, seed, dtype):
    got = load_mnist_split(*args, random_state=seed, data_dir=mnist_dir, dtype=dtype)
    expected = train_val_split(*mnist, *args, random_state=seed)
    assert len(got[1]) == 60000 * (args or (0.2,))[0]  # the default: one fifth to validate
    for a, b in zip(expected, got, strict=True):
        assert b.dtype == (dtype if b.ndim == 2 else np.int64)
        np.testing.assert_array_equal(a, b.astype(a.dtype))


@pytest.mark.parametrize("loader", [load_mnist, load_mnist_train_test, load_mnist_split])
def test_loaders_check_dtype_then_pass_every_fetch_option_on(monkeypatch, loader):
    seen = {}

    def record(data_dir, **options):
        seen.update(options, data_dir=data_dir)
        raise LookupError("stop here")

    monkeypatch.setattr(mnist_lr.data, "fetch_mnist_files", record)
    for dtype in (np.int32, np.float16, "uint8", None):
        with pytest.raises(ValueError, match=re.escape(f"float32 or float64, got {dtype!r}")):
            loader(dtype=dtype)
    assert not seen, "refused before any file is looked for"
    options = {"cache_dir": "/some/cache", "mirrors": ["http://mirror.example/"],
               "download": False, "timeout": 3.5, "progress": True, "verbose": True}
    with pytest.raises(LookupError, match="stop here"):
        loader(data_dir="/some/data", dtype="f8", **options)
    assert seen == {**options, "data_dir": "/some/data"}


def test_an_unknown_subset_is_named():
    with pytest.raises(ValueError, match="subset must be 'train', 'test' or 'all', got 'val'"):
        load_mnist(subset="val")


@pytest.mark.parametrize("name", FILES)
def test_a_damaged_file_in_the_data_folder_is_an_error(tmp_path, name):
    (tmp_path / name).write_bytes(b"this is not MNIST")
    with pytest.raises(ValueError, match=re.escape(f"{tmp_path / name} is not the canonical "
                                                   f"{name}: its SHA-256 is ")):
        fetch_mnist_files(tmp_path, cache_dir=tmp_path / "cache", download=False)


@pytest.mark.parametrize("timeout", [0, -1.5])
def test_a_timeout_that_is_not_positive_is_refused(mnist_dir, timeout):
    with pytest.raises(ValueError, match=r"\btimeout\b"):  # even with no download to start
        fetch_mnist_files(mnist_dir, timeout=timeout)


# --------------------------------------------------------------------------- read_idx


@pytest.mark.parametrize("suffix", ["", ".gz"])
def test_read_idx_reads_four_bytes_per_dimension(tmp_path, suffix):
    path = _write(tmp_path / f"f{suffix}", _idx(0x0803, (2, 3, 4), bytes(range(24))))
    out = read_idx(str(path))
    assert out.shape == (2, 3, 4) and out.dtype == np.uint8 and not out.flags.writeable
    np.testing.assert_array_equal(out.ravel(), np.arange(24))
    assert read_idx(path, expected_magic=2051, expected_shape=[2, 3, 4]).shape == (2, 3, 4)


@pytest.mark.parametrize("suffix", ["", ".gz"])
@pytest.mark.parametrize(("content", "options", "match"), [
    (b"Hello, this is a text file.\n", {}, "not an IDX file"),
    (_idx(0x0D01, (1,), b"\0" * 4), {}, "not an IDX file"),  # floats
    (_idx(0x01000801, (1,), b"\0"), {}, "not an IDX file"),
    (b"\0\0\x08", {}, "not an IDX file"),  # shorter than a magic number
    (b"", {}, "not an IDX file"),
    (_idx(2051, (2, 1, 1), b"\0\1"), {"expected_magic": 2049}, "magic number 2051, expected 2049"),
    (_idx(2051, (60000, 28)), {}, "truncated inside its header"),
    (_idx(0x0802, (2, 3), b"\0" * 6), {"expected_shape": (3, 2)}, r"\(2, 3\), expected \(3, 2\)"),
    (_idx(0x0801, (10,), b"\7" * 5), {}, "should hold 10 data bytes .* holds 5:"),
    (_idx(0x0801, (10,)), {}, "should hold 10 data bytes .* holds 0:"),
    (_idx(0x0803, (3, 2, 2), b"\7" * 11), {}, "should hold 12 data bytes .* holds 11:"),
    (_idx(0x0803, (3, 2, 2), b"\7" * 13), {}, "should hold 12 data bytes .* more than 12:"),
])
def test_read_idx_refuses_a_bad_file(tmp_path, suffix, content, options, match):
    with pytest.raises(ValueError, match=match):
        read_idx(_write(tmp_path / f"f{suffix}", content), **options)


@pytest.mark.parametrize(("dims", "expected_shape", "match", "budget"), [
    ((10,), None, "should hold 10 data bytes .* more than 10:", 0),
    ((10000, 28, 28), (10000, 28, 28), "holds more than 7840000:", 7840000),
    ((2**30,), (60000,), re.escape(f"({2**30},), expected (60000,)"), 0),  # and has them
])
def test_read_idx_stops_early_in_a_gzip_bomb(tmp_path, dims, expected_shape, match, budget):
    """A small file that inflates to 256 MiB costs about the array its header declares."""
    path = tmp_path / "bomb.gz"
    member = gzip.compress(bytes(2**20), compresslevel=9)  # 1 MiB of zeros in about 1 KB
    with open(path, "wb") as out:  # gzip members in a row read as one stream
        out.write(gzip.compress(_idx(0x0800 + len(dims), dims)) + member * 256)
    tracemalloc.start()
    start = time.monotonic()
    try:
        with pytest.raises(ValueError, match=match):
            read_idx(path, expected_shape=expected_shape)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 1.5 * budget + 8 * 2**20, f"peak {peak / 2**20:.1f} MiB"
    assert time.monotonic() - start < 10


# --------------------------------------------------------------------------- the splits


def _toy(n):
    """Rows whose first column is ten times their label, so alignment is checkable."""
    y = np.arange(n)
    return y[:, None] * 10 + np.arange(3), y


@pytest.mark.parametrize(("n", "fraction"),
                         [(10, None), (7, 0.3), (101, 0.25), (3, 0.5), (2, 0.5), (50, 0.99)])
def test_train_val_split_sizes_partition_alignment(n, fraction):
    X, y = _toy(n)
    args = () if fraction is None else (fraction,)
    X_train, X_val, y_train, y_val = train_val_split(X, y, *args, random_state=0)
    n_val = int(n * (fraction or 0.2))
    assert (len(X_val), len(y_val), len(X_train), len(y_train)) == (n_val, n_val, n - n_val,
                                                                      n - n_val)
    assert sorted([*y_train, *y_val]) == list(range(n)), "a partition of the rows"
    np.testing.assert_array_equal(X_train, X[y_train])
    np.testing.assert_array_equal(X_val, X[y_val])


def test_train_val_split_shuffles_by_its_seed():
    X, y = _toy(200)
    a = train_val_split(X, y, 0.2, random_state=7)
    assert a[3].tolist() != list(range(40)) and a[2].tolist() != sorted(a[2].tolist())
    for seed in (7, np.random.default_rng(7)):
        for left, right in zip(a, train_val_split(X, y, 0.2, random_state=seed), strict=True):
            np.testing.assert_array_equal(left, right)
    assert a[3].tolist() != train_val_split(X, y, 0.2, random_state=8)[3].tolist()


@pytest.mark.parametrize(("rows", "fraction", "error", "match"), [
    *(((10, 10), f, ValueError, "val_fraction") for f in (0, 1.0, -0.1, 1.5, float("nan"))),
    *(((10, 10), f, TypeError, "val_fraction") for f in ("a", None, True)),
    ((10, 10), 0.01, ValueError, "val_fraction=0.01 of 10 samples leaves 0 for validation"),
    ((2, 2), 0.2, ValueError, "val_fraction=0.2 of 2 samples leaves 0"),
    ((1, 1), 0.5, ValueError, "at least 2 samples, got 1"),
    ((10, 9), 0.2, ValueError, "different lengths"),
])
def test_train_val_split_refuses(rows, fraction, error, match):
    with pytest.raises(error, match=match):
        train_val_split(np.zeros((rows[0], 3)), np.zeros(rows[1]), fraction, random_state=0)


@pytest.mark.parametrize("n", [1, 7, 100])
def test_subsample_draws_aligned_rows_without_replacement(n):
    X, y = _toy(100)
    X_small, y_small = subsample(X, y, n, random_state=5)
    assert X_small.shape == (n, 3) and len(set(y_small.tolist())) == n
    np.testing.assert_array_equal(X_small, X[y_small])
    np.testing.assert_array_equal(y_small, subsample(X, y, n, random_state=5)[1])
    if n > 1:
        assert y_small.tolist() != subsample(X, y, n, random_state=6)[1].tolist()


@pytest.mark.parametrize(("n", "labels", "error", "match"), [
    (101, 100, ValueError, "n must"), (0, 100, ValueError, "n must"),
    (2.5, 100, TypeError, "n must"), (5, 99, ValueError, "different lengths"),
])
def test_subsample_refuses(n, labels, error, match):
    with pytest.raises(error, match=match):
        subsample(np.zeros((100, 2)), np.zeros(labels), n)


def test_smallest_split_is_the_fewest_rows_the_split_accepts():
    for fraction in (0.01, 0.2, 0.5, 0.9):
        for batch in (1, 7, 100):
            n = smallest_split(fraction, min_train=batch)
            X_t, X_v, _, _ = train_val_split(np.zeros((n, 1)), np.arange(n), fraction)
            assert len(X_v) >= 1 and len(X_t) >= batch
            short = n - 1  # one image fewer is not enough
            assert n <= 2 or int(short * fraction) < 1 or short - int(short * fraction) < batch
    # A fraction near 0 or 1 is answered at once, not by counting up image by image.
    assert smallest_split(1e-9) == 10**9 and smallest_split(0.999999, min_train=100) == 99000001


@pytest.mark.parametrize("args, name", [((1.0,), "val_fraction"), ((0.2, 0), "min_train")])
def test_smallest_split_names_a_bad_argument(args, name):
    with pytest.raises(ValueError) as caught:
        smallest_split(*args)
    assert caught.value.parameter == name and str(caught.value).startswith(name)
