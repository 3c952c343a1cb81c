"""The hand-written confusion matrix against scikit-learn's, and the confused-pairs analysis."""

from __future__ import annotations

import numpy as np
import pytest
from sklearn import metrics as skmetrics

from mnist_lr import confusion_matrix, most_confused_pairs


@pytest.mark.slow
def test_equals_sklearn_on_real_predictions(article_model, mnist_split):
    _, X_val, _, y_val = mnist_split
    predicted = article_model.predict(X_val)
    ours = confusion_matrix(y_val, predicted)
    np.testing.assert_array_equal(ours, skmetrics.confusion_matrix(y_val, predicted))
    assert ours.sum() == len(y_val)
    assert np.trace(ours) == np.count_nonzero(predicted == y_val)


@pytest.mark.parametrize("seed", range(5))
def test_equals_sklearn_on_random_labels(seed):
    rng = np.random.default_rng(seed)
    y_true = rng.integers(0, 6, 200)
    y_pred = rng.integers(1, 7, 200)  # predictions may use labels the truth never does
    np.testing.assert_array_equal(
        confusion_matrix(y_true, y_pred), skmetrics.confusion_matrix(y_true, y_pred)
    )
    labels = [6, 0, 3]
    np.testing.assert_array_equal(
        confusion_matrix(y_true, y_pred, labels=labels),
        skmetrics.confusion_matrix(y_true, y_pred, labels=labels),
    )


def test_string_labels():
    y_true = np.array(["cat", "dog", "dog", "emu"])
    y_pred = np.array(["cat", "cat", "dog", "dog"])
    np.testing.assert_array_equal(
        confusion_matrix(y_true, y_pred), skmetrics.confusion_matrix(y_true, y_pred)
    )


def test_entry_i_j_counts_truth_i_predicted_as_j():
    # Not symmetric, so a transposed matrix would fail.
    matrix = confusion_matrix(["a", "a", "a", "b"], ["a", "b", "b", "b"])
    np.testing.assert_array_equal(matrix, [[1, 2], [0, 1]])
    assert matrix.dtype == np.int64


def test_labels_choose_rows_and_leave_out_other_samples():
    matrix = confusion_matrix([0, 1, 2, 2, 3], [0, 2, 2, 1, 3], labels=[2, 1])
    np.testing.assert_array_equal(matrix, [[1, 1], [1, 0]])


def test_whole_number_floats_and_bools_are_labels():
    np.testing.assert_array_equal(
        confusion_matrix([0.0, 1.0, 1.0], [0, 1, 0]), [[1, 0], [1, 1]]
    )
    np.testing.assert_array_equal(confusion_matrix([True, False], [True, True]), [[0, 1], [0, 1]])


def test_strings_in_object_and_unicode_arrays_mix():
    y_true = np.array(["cat", "dog"], dtype=object)
    np.testing.assert_array_equal(confusion_matrix(y_true, np.array(["dog", "dog"])),
                                  [[0, 1], [0, 1]])


def test_many_classes_take_linear_time():
    # The one-hot product would need 5,000**3 operations; counting is instant.
    labels = np.arange(5000)
    matrix = confusion_matrix(labels, labels)
    assert matrix.shape == (5000, 5000)
    assert np.trace(matrix) == 5000 and matrix.sum() == 5000


def test_empty_inputs_with_labels_give_an_all_zero_matrix():
    np.testing.assert_array_equal(confusion_matrix([], [], labels=[0, 1]), np.zeros((2, 2)))


# Some messages are checked from their first word to their last (^...$), so that no
# part of them (the remedy at the end, above all) can go missing unnoticed.
@pytest.mark.parametrize(
    "y_true, y_pred, kwargs, match",
    [
        ([], [], {}, r"^y_true and y_pred are empty, .*; pass labels= to get an all-zero matrix$"),
        ([0, 1], [0], {}, r"^y_true and y_pred have different lengths: 2 labels vs 1 labels$"),
        ([[0, 1]], [[0, 1]], {}, "y_true must be 1-D"),
        ([0, 1], [[0], [1]], {}, "y_pred must be 1-D"),
        ([[0], [1]], [0, 1], {}, "y_true must be 1-D"),
        ([0, 1], [[0.9, 0.1], [0.2, 0.8]], {}, "y_pred must be 1-D"),
        (0, 0, {}, "y_true must be 1-D"),
        ([0, 1], [0, 1], {"labels": []}, r"^labels must be a non-empty 1-D list of classes$"),
        ([0, 1], [0, 1], {"labels": [[0, 1]]}, "non-empty 1-D"),
        ([0, 1], [0, 1], {"labels": [0, 0, 1]}, r"^labels must not repeat a class$"),
        ([0, 1], [0, 1], {"labels": [0.0, np.nan]}, "labels contains NaN"),
        ([0, 1], [0, 1], {"labels": ["0", "1"]},
         r"labels holds strings \(<U1\) but y_true holds numbers"),
        (["a"], ["a"], {"labels": [0, 1]}, "labels holds numbers"),
        ([np.nan, 1.0], [1.0, 1.0], {}, "y_true contains NaN"),
        ([1.0, 1.0], [1.0, np.nan], {}, "y_pred contains NaN"),
        ([1.0, np.inf], [1.0, 1.0], {}, "y_true contains NaN or infinity"),
        ([0.5, 1.0], [1.0, 1.0], {}, "y_true holds continuous values such as 0.5"),
        ([1.0, 1.0], [0.25, 1.0], {}, "y_pred holds continuous values"),
        ([1e308, 1.5], [1.0, 1.0], {}, "y_true holds continuous values"),  # no overflow warning
        (np.array(["a", 1], dtype=object), ["a", "b"], {}, "not all strings"),
        (np.array([None, 1], dtype=object), [0, 1], {}, "not all strings"),
        ([b"a", b"b"], [b"a", b"a"], {}, "bytes"),
        ([1 + 2j, 1], [1, 1], {}, "complex128"),
    ],
)
@pytest.mark.filterwarnings("error")
def test_bad_input(y_true, y_pred, kwargs, match):
    with pytest.raises(ValueError, match=match):
        confusion_matrix(y_true, y_pred, **kwargs)


@pytest.mark.parametrize("where", ["y_true", "y_pred", "labels"])
@pytest.mark.parametrize(("mixed", "found"), [
    ([0, "a"], "0 is a number, 'a' is a string"),
    ([1, None], "1 is a number, None is no label"),
])
def test_mixed_label_types_are_named(where, mixed, found):
    args = {"y_true": [0, 1], "y_pred": [0, 1], "labels": [0, 1]}
    args[where] = mixed
    with pytest.raises(ValueError, match=f"^{where} mixes label types \\({found}\\)"):
        confusion_matrix(**args)


def test_numbers_against_strings_is_an_error_naming_both():
    # Before, this compared nothing with nothing and returned all zeros.
    with pytest.raises(ValueError, match=r"y_true holds numbers \(int64\) but y_pred holds "
                                         r"strings \(<U1\)"):
        confusion_matrix([0, 1, 2, 2], ["0", "1", "2", "1"])
    with pytest.raises(ValueError, match="y_true holds strings .* but y_pred holds numbers"):
        confusion_matrix(["0", "1"], [0, 1])


def test_continuous_values_fail_at_once():
    # 2,000 floats used to be accepted as 2,000 classes and took minutes.
    rng = np.random.default_rng(0)
    with pytest.raises(ValueError, match="continuous"):
        confusion_matrix(rng.random(2000), rng.random(2000))
    with pytest.raises(ValueError, match="y_pred holds continuous"):
        confusion_matrix(rng.integers(0, 10, 2000), rng.random(2000))


def test_most_confused_pairs_counts_both_directions():
    matrix = np.array([[50, 1, 2, 0], [0, 40, 0, 0], [9, 0, 30, 4], [0, 0, 5, 20]])
    pairs = most_confused_pairs(matrix, labels="abcd", top=2)
    assert (pairs[0].a, pairs[0].b, pairs[0].a_as_b, pairs[0].b_as_a) == ("a", "c", 2, 9)
    assert pairs[0].total == 11
    assert (pairs[1].a, pairs[1].b, pairs[1].total) == ("c", "d", 9)
    assert len(most_confused_pairs(matrix, top=100)) == 6


def test_most_confused_pairs_defaults_and_ties():
    matrix = np.array([[9, 2, 0], [0, 9, 2], [1, 1, 9]])
    pairs = most_confused_pairs(matrix)  # default top=5 is more than the 3 pairs
    # Totals: (0, 1): 2, (0, 2): 1, (1, 2): 3.
    assert [(p.a, p.b, p.total) for p in pairs] == [(1, 2, 3), (0, 1, 2), (0, 2, 1)]
    tied = most_confused_pairs(np.ones((3, 3), dtype=int), labels=["x", "y", "z"], top=None)
    assert [(p.a, p.b) for p in tied] == [("x", "y"), ("x", "z"), ("y", "z")]
    assert all(isinstance(p.a_as_b, int) and isinstance(p.b_as_a, int) for p in tied)


def test_most_confused_pairs_top():
    matrix = np.array([[5, 1, 0], [3, 6, 0], [0, 2, 9]])
    assert len(most_confused_pairs(matrix, top=1)) == 1
    assert len(most_confused_pairs(matrix, top=2)) == 2
    assert len(most_confused_pairs(matrix, top=None)) == 3
    assert len(most_confused_pairs(matrix, top=np.int64(2))) == 2
    # The default is the five largest of 15 pairs, all with different totals.
    many = np.arange(36).reshape(6, 6)
    assert most_confused_pairs(many) == most_confused_pairs(many, top=None)[:5]
    # Whole-number floats, as a float matrix of counts holds, are fine.
    assert most_confused_pairs(matrix.astype(float), top=1) == most_confused_pairs(matrix, top=1)


@pytest.mark.parametrize(
    "top, error, match",
    [
        (0, ValueError, "top must be >= 1, got 0"),
        (-1, ValueError, "top must be >= 1"),
        ("2", TypeError, "top must be an integer"),
        (True, TypeError, "top must be an integer"),
        (2.0, TypeError, "top must be an integer"),
    ],
)
def test_most_confused_pairs_rejects_bad_top(top, error, match):
    with pytest.raises(error, match=match):
        most_confused_pairs(np.eye(3, dtype=int), top=top)


@pytest.mark.parametrize(
    "matrix, labels, match",
    [
        (np.zeros((2, 3)), None, "square"),
        (np.zeros(4), None, "square"),
        (np.zeros((2, 2)), [1, 2, 3], "labels has 3 entries for a 2x2 matrix"),
        ([["a", "b"], ["c", "d"]], None, "numbers"),
        ([[1.0, np.nan], [0.0, 1.0]], None,
         r"^matrix must hold counts \(whole numbers >= 0, no NaN or infinity\), as .*"),
        ([[1, -1], [0, 1]], None, "whole numbers >= 0"),
        ([[0.5, 0.5], [0.0, 1.0]], None,
         r"^matrix must hold counts \(.*\), as .*; pass the raw counts, not a normalised matrix$"),
    ],
)
def test_most_confused_pairs_rejects_bad_matrix(matrix, labels, match):
    with pytest.raises(ValueError, match=match):
        most_confused_pairs(matrix, labels=labels)
