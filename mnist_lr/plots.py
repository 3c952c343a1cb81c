"""The tutorial's figures, one function each.

Every function draws one figure and hands back what it drew on, so a notebook
cell can keep adjusting it: single-axes figures take ``ax=`` and return the
:class:`~matplotlib.axes.Axes`; multi-panel figures take ``fig=`` (cleared
first, so a slider can redraw it) and return the :class:`~matplotlib.figure.Figure`.

Training data is always drawn in :data:`TRAIN_COLOR`, solid, and validation
data in :data:`VAL_COLOR`, dashed. Only matplotlib's default font (DejaVu Sans)
is used, so the figures look the same on every platform.

This module imports matplotlib; the rest of the package does not, so import it
explicitly::

    from mnist_lr.plots import plot_training_curves

The figures live in three modules: images (``_plot_images``), training curves
(``_plot_training``) and what a model learned (``_plot_models``).
"""

from ._plot_base import (
    CONFUSION_CMAP, IMAGE_CMAP, MARK_COLOR, MODEL_COLORS, TRAIN_COLOR, TRAIN_STYLE, VAL_COLOR,
    VAL_STYLE, WEIGHT_CMAP,
)
from ._plot_images import plot_before_after, plot_digit_grid, plot_misclassified
from ._plot_models import (
    plot_confusion_matrix, plot_error_rates, plot_score_contributions, plot_weight_rows,
    plot_weights,
)
from ._plot_training import (
    plot_fold_diagram, plot_histories_side_by_side, plot_kfold_comparison, plot_kfold_curves,
    plot_learning_curve, plot_training_curves, plot_validation_curve,
)

__all__ = [
    "TRAIN_COLOR", "VAL_COLOR", "TRAIN_STYLE", "VAL_STYLE", "MARK_COLOR", "MODEL_COLORS",
    "IMAGE_CMAP", "WEIGHT_CMAP", "CONFUSION_CMAP",
    # The data and the mistakes
    "plot_digit_grid", "plot_misclassified", "plot_before_after",
    # Training, cross-validation, regularisation and data size
    "plot_training_curves", "plot_histories_side_by_side", "plot_kfold_curves",
    "plot_kfold_comparison", "plot_fold_diagram", "plot_validation_curve", "plot_learning_curve",
    # What the model learned, and how well it does
    "plot_weights", "plot_score_contributions", "plot_weight_rows", "plot_confusion_matrix",
    "plot_error_rates",
]
