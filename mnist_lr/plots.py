"""The tutorial's figures, one function each.

A single-axes figure takes ``ax=`` and returns the :class:`~matplotlib.axes.Axes`;
a multi-panel one takes ``fig=`` (cleared first, so that a slider can redraw
it) and returns the :class:`~matplotlib.figure.Figure`. Training is always drawn
in :data:`TRAIN_COLOR`, solid, validation in :data:`VAL_COLOR`, dashed, in
matplotlib's default font, the same on every platform. This module imports
matplotlib (the rest of the package does not): ``from mnist_lr.plots import ...``.
"""

from ._plot_base import (
    CONFUSION_CMAP, IMAGE_CMAP, MARK_COLOR, MODEL_COLORS, TRAIN_COLOR, TRAIN_STYLE, VAL_COLOR,
    VAL_STYLE, WEIGHT_CMAP,
)
from ._plot_curves import (
    plot_error_rates, plot_fold_diagram, plot_histories_side_by_side, plot_kfold_comparison,
    plot_kfold_curves, plot_learning_curve, plot_training_curves, plot_validation_curve,
)
from ._plot_images import (
    plot_before_after, plot_confusion_matrix, plot_digit_grid, plot_misclassified,
    plot_score_contributions, plot_weight_rows, plot_weights,
)

__all__ = [
    "TRAIN_COLOR", "VAL_COLOR", "TRAIN_STYLE", "VAL_STYLE", "MARK_COLOR", "MODEL_COLORS",
    "IMAGE_CMAP", "WEIGHT_CMAP", "CONFUSION_CMAP",
    # Drawn as images
    "plot_digit_grid", "plot_misclassified", "plot_before_after", "plot_weights",
    "plot_score_contributions", "plot_weight_rows", "plot_confusion_matrix",
    # Accuracy per epoch, fold, setting and data size, and the final error rates
    "plot_training_curves", "plot_histories_side_by_side", "plot_kfold_curves",
    "plot_kfold_comparison", "plot_fold_diagram", "plot_validation_curve", "plot_learning_curve",
    "plot_error_rates",
]
