"""Checks, hints and worked answers for the coding exercises of the notebooks.

Write the function an exercise asks for, then hand it (the function itself,
not its result) to its check::

    from mnist_lr import exercises

    exercises.check_softmax(softmax)

A check runs your function on small inputs made up so that each usual
mistake shows a symptom of its own, prints one line (``✓ Correct: ...`` or
``✗`` and what went wrong) and returns True or False. It never changes your
function or the arrays of your notebook. Stuck? ``exercises.hint_softmax()``
prints a hint, and ``exercises.solution_softmax()`` prints a worked answer:
nothing shows an answer unless you ask for it.

Every ``check_<topic>`` has a ``hint_<topic>`` and a ``solution_<topic>``.
The worked answers live in ``mnist_lr/_solutions.py``. The checks are
grouped by topic in this package's private modules; use them from here.

Examples
--------
>>> import numpy as np
>>> check_accuracy(lambda y_true, y_pred: np.sum(y_true == y_pred))
✗ Your accuracy returns 6, the number of right predictions: divide by the number of samples.
False
>>> check_accuracy(lambda y_true, y_pred: np.mean(np.ravel(y_true) == np.ravel(y_pred)))
✓ Correct: your accuracy is the fraction of right predictions, also for a column of labels.
True
"""

from ._comparing import check_mcnemar_test, hint_mcnemar_test, solution_mcnemar_test
from ._loop import check_training_loop, hint_training_loop, solution_training_loop
from ._pieces import (
                      check_cross_entropy_from_scores,
                      check_gradient,
                      check_l2_gradient,
                      check_numerical_gradient,
                      check_one_hot,
                      check_softmax,
                      hint_cross_entropy_from_scores,
                      hint_gradient,
                      hint_l2_gradient,
                      hint_numerical_gradient,
                      hint_one_hot,
                      hint_softmax,
                      solution_cross_entropy_from_scores,
                      solution_gradient,
                      solution_l2_gradient,
                      solution_numerical_gradient,
                      solution_one_hot,
                      solution_softmax,
)
from ._results import (
                      check_best_epoch,
                      check_digit_shares,
                      check_early_stopping,
                      check_ignored_pixels,
                      check_most_confused_pair,
                      check_per_digit_accuracy,
                      check_train_val_gap,
                      hint_best_epoch,
                      hint_digit_shares,
                      hint_early_stopping,
                      hint_ignored_pixels,
                      hint_most_confused_pair,
                      hint_per_digit_accuracy,
                      hint_train_val_gap,
                      solution_best_epoch,
                      solution_digit_shares,
                      solution_early_stopping,
                      solution_ignored_pixels,
                      solution_most_confused_pair,
                      solution_per_digit_accuracy,
                      solution_train_val_gap,
)
from ._scoring import (
                      check_accuracy,
                      check_confusion_matrix,
                      check_fold_scores,
                      check_kfold_indices,
                      hint_accuracy,
                      hint_confusion_matrix,
                      hint_fold_scores,
                      hint_kfold_indices,
                      solution_accuracy,
                      solution_confusion_matrix,
                      solution_fold_scores,
                      solution_kfold_indices,
)

__all__ = [
    "check_one_hot", "hint_one_hot", "solution_one_hot",
    "check_softmax", "hint_softmax", "solution_softmax",
    "check_cross_entropy_from_scores", "hint_cross_entropy_from_scores",
    "solution_cross_entropy_from_scores",
    "check_gradient", "hint_gradient", "solution_gradient",
    "check_numerical_gradient", "hint_numerical_gradient", "solution_numerical_gradient",
    "check_training_loop", "hint_training_loop", "solution_training_loop",
    "check_l2_gradient", "hint_l2_gradient", "solution_l2_gradient",
    "check_accuracy", "hint_accuracy", "solution_accuracy",
    "check_confusion_matrix", "hint_confusion_matrix", "solution_confusion_matrix",
    "check_kfold_indices", "hint_kfold_indices", "solution_kfold_indices",
    "check_fold_scores", "hint_fold_scores", "solution_fold_scores",
    "check_digit_shares", "hint_digit_shares", "solution_digit_shares",
    "check_best_epoch", "hint_best_epoch", "solution_best_epoch",
    "check_early_stopping", "hint_early_stopping", "solution_early_stopping",
    "check_ignored_pixels", "hint_ignored_pixels", "solution_ignored_pixels",
    "check_most_confused_pair", "hint_most_confused_pair", "solution_most_confused_pair",
    "check_train_val_gap", "hint_train_val_gap", "solution_train_val_gap",
    "check_per_digit_accuracy", "hint_per_digit_accuracy", "solution_per_digit_accuracy",
    "check_mcnemar_test", "hint_mcnemar_test", "solution_mcnemar_test",
]

