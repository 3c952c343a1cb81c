"""Figures of accuracy (fractions, drawn in percent): per epoch, fold, setting, and at the end."""

from collections.abc import Mapping

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.colors import ListedColormap
from matplotlib.patches import Patch
from matplotlib.ticker import MaxNLocator

from ._checks import check_float_array, check_int, check_real
from ._plot_base import MAX_WIDTH, _check_ax, _check_fig, _check_title, _fitted_attribute
from .model import TrainingHistory

#: Colour of everything measured on the training data (Okabe-Ito blue).
TRAIN_COLOR = "#0072B2"
#: Colour of everything measured on the validation data (Okabe-Ito vermillion).
VAL_COLOR = "#D55E00"
#: Line styles: training solid, validation dashed, in every figure.
TRAIN_STYLE, VAL_STYLE = "-", "--"
#: Colour of markers such as the best validation epoch.
MARK_COLOR = "0.3"
#: Colours of the models compared in one figure (Okabe-Ito, after blue and vermillion).
MODEL_COLORS = ("#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000000")
#: The fields of a training history that the curves draw (``penalty`` is not
#: drawn, and a dict of a history may leave it out).
HISTORY_FIELDS = ("loss", "train_accuracy", "val_loss", "val_accuracy")


def _fractions(value, name, length=None):
    """Accuracies (or their spreads) as a 1-D float array of fractions in [0, 1]."""
    array = check_float_array(value, name, 1)
    if length is not None and len(array) != length:
        raise ValueError(f"{name} has {len(array)} entries but there are {length} values; "
                         "they must match")
    if array.size and (array.min() < 0 or array.max() > 1):
        bad = array.max() if array.max() > 1 else array.min()
        raise ValueError(f"{name} must hold accuracies as fractions between 0 and 1, got {bad:g}"
                         + ("; divide percentages by 100" if 1 < bad <= 100 else ""))
    return array


def _as_history(history):
    """A TrainingHistory of finite, equally long arrays from a history, a model or a dict."""
    if isinstance(history, Mapping):
        if missing := sorted(set(HISTORY_FIELDS) - history.keys()):
            raise ValueError(f"history is missing the keys {missing}")
        history = TrainingHistory(**{key: history[key] for key in HISTORY_FIELDS})
    elif not isinstance(history, TrainingHistory):
        fitted = _fitted_attribute(history, "history_", "history")
        if not isinstance(fitted, TrainingHistory):
            raise TypeError("history must be a TrainingHistory or a fitted SoftmaxRegression, got "
                            f"{type(history).__name__}")
        history = fitted
    arrays = {key: check_float_array(getattr(history, key), f"history.{key}", 1)
              for key in HISTORY_FIELDS}
    lengths = {key: len(value) for key, value in arrays.items()}
    if len(set(lengths.values())) != 1:
        raise ValueError(f"history arrays must all have the same length, got {lengths}")
    if lengths["loss"] == 0:
        raise ValueError("history is empty: there is no epoch to plot")
    for key in ("train_accuracy", "val_accuracy"):
        _fractions(arrays[key], f"history.{key}")
    return TrainingHistory(**arrays)


def _epoch_axis(ax, n_epochs, pad=None, first=1):
    """x from epoch ``first`` to the last one (plus a little room), integer ticks."""
    ax.xaxis.set_major_locator(MaxNLocator(integer=True, steps=[1, 2, 5, 10]))
    if pad is None:
        pad = 0.5 if n_epochs == first else 0.02 * (n_epochs - first)
    # Less than a whole epoch of room on the left: no tick at an epoch before `first`.
    ax.set_xlim(first - min(pad, 0.5), n_epochs + pad)


def _with_start(history, start):
    """``history`` with the numbers measured before training (``start``) as epoch 0."""
    if not isinstance(start, Mapping) or not set(HISTORY_FIELDS) <= start.keys():
        raise ValueError(f"start must be a dict with the keys {list(HISTORY_FIELDS)}")
    start = _as_history({key: np.atleast_1d(start[key]) for key in HISTORY_FIELDS})
    return TrainingHistory(**{key: np.concatenate([getattr(start, key), getattr(history, key)])
                              for key in HISTORY_FIELDS})


def plot_training_curves(history, fig=None, title="Loss and accuracy per epoch", start=None,
                         log_epochs=False, panels="rows"):
    """Loss (top, or left) and training/validation accuracy (bottom, or right) against the epoch.

    ``history`` is a TrainingHistory, a fitted model (its ``history_``) or a dict
    of the four fields, accuracies as fractions. The best validation epoch (whose
    weights the model keeps) is marked by a dotted line, its accuracy in the
    legend. ``start``: the four numbers measured before training, drawn as epoch
    0 (not on a ``log_epochs`` axis, which keeps the first epochs of a long run
    visible). ``panels="columns"`` puts the two side by side, under a slider.
    Returns the Figure: ``fig.axes[0]`` the loss, ``fig.axes[1]`` the accuracy in %.

    >>> history = TrainingHistory(loss=np.array([0.9, 0.5]), val_loss=np.array([0.95, 0.6]),
    ...                           train_accuracy=np.array([0.80, 0.88]),
    ...                           val_accuracy=np.array([0.78, 0.86]))
    >>> plot_training_curves(history).axes[1].get_ylabel()
    'accuracy (%)'
    """
    history = _as_history(history)
    if panels not in ("rows", "columns"):
        raise ValueError(f'panels must be "rows" or "columns", got {panels!r}')
    best = history.best_epoch
    best_accuracy = 100 * history.val_accuracy[best - 1]
    first = 1
    if start is not None:
        if log_epochs:
            raise ValueError("start (epoch 0) cannot be drawn on a logarithmic epoch axis")
        history, first = _with_start(history, start), 0
    fig = _check_fig(fig, (7.0, 6.0) if panels == "rows" else (9.0, 3.6))
    loss_ax, acc_ax = fig.subplots(*((2, 1) if panels == "rows" else (1, 2)), sharex=True)
    _draw_curves(loss_ax, acc_ax, history, first, best, best_accuracy)
    for ax in (loss_ax, acc_ax):
        if log_epochs:
            ax.set_xscale("log")
            ax.set_xlim(0.9, len(history) * 1.1)
        else:
            _epoch_axis(ax, first + len(history) - 1, first=first)
    for ax in (acc_ax,) if panels == "rows" else (loss_ax, acc_ax):
        ax.set_xlabel("epoch (log scale)" if log_epochs else "epoch")
    acc_ax.legend(loc="best")
    fig.suptitle(title)
    return fig


def _draw_curves(loss_ax, acc_ax, history, first, best, best_accuracy):
    """The loss and accuracy curves, the star at the best epoch and its dotted line."""
    n = len(history)
    epochs = np.arange(first, first + n)
    style = {"marker": "o", "markersize": 3} if n <= 40 else {}
    for ax, train, val, scale, label in (
        (loss_ax, history.loss, history.val_loss, 1, "{} loss"),
        (acc_ax, history.train_accuracy, history.val_accuracy, 100, "{}"),
    ):
        ax.plot(epochs, scale * train, color=TRAIN_COLOR, linestyle=TRAIN_STYLE,
                label=label.format("training"), **style)
        ax.plot(epochs, scale * val, color=VAL_COLOR, linestyle=VAL_STYLE,
                label=label.format("validation"), **style)
    loss_ax.set_ylabel("cross-entropy loss")
    loss_ax.legend(loc="best")
    acc_ax.plot([best], [best_accuracy], marker="*", markersize=13, color=VAL_COLOR,
                markeredgecolor="white", linestyle="none", zorder=3)
    acc_ax.set_ylabel("accuracy (%)")
    for ax in (loss_ax, acc_ax):
        ax.axvline(
            best, color=MARK_COLOR, linestyle=":", linewidth=1.5,
            label=f"best validation: {best_accuracy:.2f}% (epoch {best})" if ax is acc_ax else None,
        )
        ax.grid(alpha=0.3)


def _row_width(panel, n_panels):
    """Inches for a row of panels: ``panel`` each, but no wider than :data:`MAX_WIDTH`."""
    return min(panel * n_panels, MAX_WIDTH)


def plot_histories_side_by_side(histories, title=None, ylim=None, mean_of_last=None):
    """Accuracy curves of several runs ``{panel title: history or fitted model}``, side by side.

    The static counterpart of the explorers in :mod:`mnist_lr.widgets`, on one
    y-scale (``ylim``, in percent, or one that holds every curve). Each panel's
    title quotes the last epoch's validation accuracy or, with ``mean_of_last=k``,
    its mean over the last k epochs (steadier when the curve is jumpy). Returns the Figure.
    """
    fig = plt.figure(figsize=(_row_width(4.4, len(histories)), 3.9), layout="constrained")
    axes = np.atleast_1d(fig.subplots(1, len(histories), sharey=True))
    for i, (ax, (name, history)) in enumerate(zip(axes, histories.items())):
        history = _as_history(history)
        epochs = np.arange(1, len(history) + 1)
        ax.plot(epochs, 100 * history.train_accuracy, color=TRAIN_COLOR,
                linestyle=TRAIN_STYLE, label="training")
        ax.plot(epochs, 100 * history.val_accuracy, color=VAL_COLOR,
                linestyle=VAL_STYLE, label="validation")
        quoted = (f"validation after epoch {len(history)}: {100 * history.val_accuracy[-1]:.1f}%"
                  if mean_of_last is None else f"validation, last {mean_of_last} epochs: "
                  f"mean {100 * history.val_accuracy[-mean_of_last:].mean():.1f}%")
        ax.set_title(f"{name}\n{quoted}", fontsize=10)
        ax.set_xlabel("epoch")
        if i == 0:
            ax.set_ylabel("accuracy (%)")
        if ylim is not None:
            ax.set_ylim(*ylim)
        ax.grid(alpha=0.3)
        _epoch_axis(ax, len(history))
    fig.legend(*axes[0].get_legend_handles_labels(), loc="outside lower center", ncols=2)
    if title is not None:
        fig.suptitle(title)
    return fig


def plot_kfold_curves(curves, ax=None, title=None, legend=True, ylabel=True):
    """Mean training and validation accuracy per epoch across k folds, ± one standard deviation.

    ``curves`` is a :class:`~mnist_lr.KFoldCurves` (from :func:`mnist_lr.kfold_curves`);
    ``legend`` and ``ylabel`` are turned off for the inner panels of a row of such
    plots. The spread is ``ddof=0``, as in ``KFoldCurves.summary``. Returns the Axes.

    >>> from mnist_lr import KFoldCurves
    >>> rng = np.random.default_rng(0)
    >>> ax = plot_kfold_curves(KFoldCurves(train_accuracy=rng.uniform(0.8, 0.9, (5, 4)),
    ...                                    val_accuracy=rng.uniform(0.7, 0.8, (5, 4)),
    ...                                    loss=rng.uniform(0.3, 0.5, (5, 4))))
    >>> [text.get_text() for text in ax.get_legend().get_texts()]
    ['training (mean ± std over 5 folds)', 'validation (mean ± std over 5 folds)']
    """
    if not (hasattr(curves, "train_accuracy") and hasattr(curves, "val_accuracy")):
        raise TypeError("curves must be a KFoldCurves (from kfold_curves), got "
                        f"{type(curves).__name__}")
    train = check_float_array(curves.train_accuracy, "curves.train_accuracy", 2)
    val = check_float_array(curves.val_accuracy, "curves.val_accuracy", 2)
    if train.shape != val.shape:
        raise ValueError("curves.train_accuracy and curves.val_accuracy must have the same shape "
                         f"(n_folds, n_epochs), got {train.shape} and {val.shape}")
    _fractions(np.concatenate([train.ravel(), val.ravel()]), "curves (accuracies)")
    n_folds, n_epochs = train.shape
    ax = _check_ax(ax, (7.0, 4.5))
    marker = {"marker": "o", "markersize": 3} if n_epochs <= 40 else {}
    for data, color, style, name in ((train, TRAIN_COLOR, TRAIN_STYLE, "training"),
                                     (val, VAL_COLOR, VAL_STYLE, "validation")):
        ax.errorbar(np.arange(1, n_epochs + 1), 100 * data.mean(axis=0),
                    yerr=100 * data.std(axis=0), color=color, linestyle=style, capsize=3,
                    elinewidth=1, linewidth=1.5, label=f"{name} (mean ± std over {n_folds} folds)",
                    **marker)
    _epoch_axis(ax, n_epochs, pad=max(0.5, 0.02 * (n_epochs - 1)))  # room for the caps
    ax.set_xlabel("epoch")
    if ylabel:
        ax.set_ylabel("accuracy (%)")
    ax.set_title(f"{n_folds}-fold cross-validation: accuracy per epoch" if title is None else title)
    ax.grid(alpha=0.3)
    if legend:
        ax.legend(loc="best")
    return ax


def plot_kfold_comparison(results, title="k-fold cross-validation with less and less data"):
    """One :func:`plot_kfold_curves` panel per size, ``{n_images: KFoldCurves}``, side by side.

    Each panel keeps its own y-range, so that the gap between training and
    validation shows at every size. Returns the Figure.
    """
    if not isinstance(results, Mapping) or not results:
        raise TypeError("results must be a non-empty dict {n_images: KFoldCurves}")
    fig = plt.figure(figsize=(_row_width(4.6, len(results)), 4.4), layout="constrained")
    axes = np.atleast_1d(fig.subplots(1, len(results)))
    for i, (ax, (n, curves)) in enumerate(zip(axes, results.items())):
        plot_kfold_curves(curves, ax=ax, title=f"{n:,} images", legend=False, ylabel=i == 0)
    fig.legend(*axes[0].get_legend_handles_labels(), loc="outside lower center", ncols=2)
    fig.suptitle(title)
    return fig


def plot_fold_diagram(folds, n_samples, title=None):
    """Which sample is used for what in each fold (``folds`` from
    :func:`mnist_lr.kfold_indices`): a grid of coloured cells. Returns the Axes."""
    n_samples = check_int(n_samples, "n_samples", minimum=1)
    grid = np.zeros((len(folds), n_samples))
    for i, (train, val) in enumerate(folds):
        grid[i, np.asarray(train)] = 1
        grid[i, np.asarray(val)] = 2
    if (grid == 0).any():
        raise ValueError("folds leave some samples unused; are they from kfold_indices?")
    if title is None:
        title = f"{len(folds)}-fold cross-validation of {n_samples} samples"
    ax = _check_ax(None, (0.45 * n_samples + 1.5, 0.45 * len(folds) + 1.3))
    cmap = ListedColormap(["white", TRAIN_COLOR, VAL_COLOR])
    ax.imshow(grid, cmap=cmap, vmin=0, vmax=2, aspect="equal")
    ax.set_xticks(np.arange(n_samples), np.arange(n_samples), fontsize=8)
    ax.set_yticks(np.arange(len(folds)), [f"fold {i + 1}" for i in range(len(folds))])
    ax.set_xticks(np.arange(n_samples + 1) - 0.5, minor=True)  # white lines between the cells
    ax.set_yticks(np.arange(len(folds) + 1) - 0.5, minor=True)
    ax.grid(which="minor", color="white", linewidth=2)
    ax.tick_params(which="both", length=0)
    ax.set_xlabel("sample (row number)")
    ax.set_title(title)
    ax.legend(handles=[Patch(color=TRAIN_COLOR, label="training"),
                       Patch(color=VAL_COLOR, label="validation")],
              loc="upper left", bbox_to_anchor=(1.01, 1.0), frameon=False)
    return ax


def _log_positions(values, name):
    """x positions on a log axis for values >= 0; 0 sits one decade left of the smallest other."""
    values = check_float_array(values, name, 1)
    if values.size == 0:
        raise ValueError(f"{name} is empty; give at least one value")
    if (values < 0).any():
        raise ValueError(f"{name} must be >= 0, got {values.min():g}")
    if len(np.unique(values)) != len(values):
        raise ValueError(f"{name} must not repeat a value")
    if (np.diff(values) <= 0).any():
        raise ValueError(f"{name} must be in increasing order")
    positive = values[values > 0]
    return values, np.where(values > 0, values, positive.min() / 10 if positive.size else 1.0)


def plot_validation_curve(values, train_mean, val_mean, train_std=None, val_std=None, chosen=None,
                          param_name="alpha", ax=None, title=None):
    """Training and validation accuracy against a setting such as ``alpha``, on a log axis.

    Made for a cross-validated search (``GridSearchCV``'s mean and std of the
    train and test scores): ``values`` (>= 0, increasing), the mean accuracies
    (fractions) and, optionally, their spreads, drawn as error bars. A value of
    0 sits one decade left of the smallest other, set off by a break in the
    lines. ``chosen`` is marked by a dotted line. Returns the Axes.

    >>> ax = plot_validation_curve([0, 0.01, 0.1], [1.0, 0.96, 0.9], [0.84, 0.85, 0.83],
    ...                            chosen=0.01)
    >>> [t.get_text() for t in ax.get_legend().get_texts()]
    ['training', 'validation', 'chosen: alpha = 0.01']
    """
    param_name = _check_title(param_name, "param_name")
    values, positions = _log_positions(values, "values")
    n = len(values)
    curves = [(_fractions(mean, f"{kind}_mean", n),
               None if std is None else _fractions(std, f"{kind}_std", n), color, style, name)
              for kind, mean, std, color, style, name in (
                  ("train", train_mean, train_std, TRAIN_COLOR, TRAIN_STYLE, "training"),
                  ("val", val_mean, val_std, VAL_COLOR, VAL_STYLE, "validation"))]
    if chosen is not None:
        chosen = check_real(chosen, "chosen")
        if not np.isclose(values, chosen, rtol=1e-9, atol=0).any():
            raise ValueError(f"chosen={chosen:g} is not one of values {values.tolist()}")
    ax = _check_ax(ax, (7.0, 4.5))
    # Lines break between 0 and the first positive value: that stretch is not to scale.
    has_zero = values[0] == 0 and n > 1
    segments = [slice(0, 1), slice(1, n)] if has_zero else [slice(0, n)]
    for mean, std, color, style, name in curves:
        if std is not None:  # one bar per point: a band cannot show the lone point at 0
            ax.errorbar(positions, 100 * mean, yerr=100 * std, fmt="none", ecolor=color,
                        elinewidth=1.2, capsize=0, alpha=0.6)
        for k, part in enumerate(segments):
            ax.plot(positions[part], 100 * mean[part], color=color, linestyle=style, marker="o",
                    markersize=4, label=name if k == len(segments) - 1 else None)
    if chosen is not None:
        ax.axvline(positions[np.argmin(np.abs(values - chosen))], color=MARK_COLOR,
                   linestyle=":", linewidth=1.5, label=f"chosen: {param_name} = {chosen:g}")
    ax.set_xscale("log")
    ax.set_xticks(positions, ["0" if v == 0 else f"{v:g}" for v in values])
    ax.minorticks_off()
    ax.set_xlim(positions.min() / 1.6, positions.max() * 1.6)
    ax.set_xlabel(f"{param_name} (log scale{'; 0 = no penalty' if has_zero else ''})")
    _accuracy_axes(ax, f"Accuracy against {param_name}" if title is None else title)
    return ax


def _accuracy_axes(ax, title):
    ax.set_ylabel("accuracy (%)")
    ax.set_title(title)
    ax.grid(alpha=0.3)
    ax.legend(loc="best")


def plot_learning_curve(sizes, curves, ax=None, title="Learning curve: accuracy against data"):
    """Training and validation accuracy against the number of training images, per model.

    ``sizes`` increase (a log axis); ``curves`` maps a model name to its pair
    (train_accuracy, val_accuracy), fractions, one per size. Returns the Axes.

    >>> ax = plot_learning_curve([100, 1000], {"no penalty": ([1.0, 0.97], [0.70, 0.86])})
    >>> [t.get_text() for t in ax.get_legend().get_texts()]
    ['no penalty: training', 'no penalty: validation']
    """
    sizes = check_float_array(sizes, "sizes", 1)
    if sizes.size == 0 or (sizes <= 0).any() or (np.diff(sizes) <= 0).any():
        raise ValueError("sizes must be positive numbers of images, in increasing order")
    if not isinstance(curves, Mapping) or not curves:
        raise TypeError("curves must be a non-empty dict {model name: (train_accuracy, "
                        f"val_accuracy)}}, got {type(curves).__name__}")
    if len(curves) > len(MODEL_COLORS):
        raise ValueError(f"curves can hold at most {len(MODEL_COLORS)} models, got {len(curves)}")
    ax = _check_ax(ax, (7.0, 4.5))
    for (name, pair), color in zip(curves.items(), MODEL_COLORS):
        _check_title(name, "curves keys (model names)")
        if not isinstance(pair, (tuple, list)) or len(pair) != 2:
            raise ValueError(f"curves[{name!r}] must be a pair (train_accuracy, val_accuracy)")
        for accuracy, kind, marker, style in zip(pair, ("training", "validation"), "os",
                                                 (TRAIN_STYLE, VAL_STYLE)):
            accuracy = _fractions(accuracy, f"curves[{name!r}] {kind} accuracy", len(sizes))
            ax.plot(sizes, 100 * accuracy, color=color, marker=marker, markersize=4,
                    linestyle=style, label=f"{name}: {kind}")
    ax.set_xscale("log")
    ax.set_xticks(sizes, [f"{int(s):,}" if float(s).is_integer() else f"{s:g}" for s in sizes])
    ax.minorticks_off()
    ax.set_xlabel("training images (log scale)")
    _accuracy_axes(ax, title)
    return ax


def plot_weight_norm(epochs, norms, stops=None, ax=None,
                     title="Size of the weights during training"):
    """The weights' norm against the epoch (log axis), one line per model.

    ``epochs`` increase; ``norms`` maps a model name to its norms, one per
    epoch in ``epochs``; ``stops`` (optional) maps the same names to the
    ``(epoch, norm)`` where early stopping kept the weights, drawn as a marker.
    Returns the Axes.

    >>> ax = plot_weight_norm([1, 10, 100], {"alpha = 0": [1.0, 5.0, 10.0]},
    ...                       stops={"alpha = 0": (12, 5.2)})
    >>> [t.get_text() for t in ax.get_legend().get_texts()]
    ['alpha = 0', 'alpha = 0: kept by early stopping']
    """
    epochs = check_float_array(epochs, "epochs", 1)
    if epochs.size == 0 or (epochs <= 0).any() or (np.diff(epochs) <= 0).any():
        raise ValueError("epochs must be positive and increasing")
    if not isinstance(norms, Mapping) or not 0 < len(norms) <= len(MODEL_COLORS):
        raise TypeError(f"norms must be a dict {{model name: norms}} of 1 to {len(MODEL_COLORS)} "
                        "models")
    stops = {} if stops is None else stops
    ax = _check_ax(ax, (7.0, 4.5))
    for (name, values), color in zip(norms.items(), MODEL_COLORS):
        values = check_float_array(values, f"norms[{name!r}]", 1)
        if values.shape != epochs.shape:
            raise ValueError(f"norms[{name!r}] needs one norm per epoch ({epochs.size})")
        ax.plot(epochs, values, color=color, marker="o", markersize=4,
                label=_check_title(name, "name"))
        if name in stops:
            epoch, norm = stops[name]
            ax.plot([epoch], [norm], color=color, marker="*", markersize=14, linestyle="none",
                    markeredgecolor="black", label=f"{name}: kept by early stopping")
    ax.set_xscale("log")
    ax.set_xlabel("epoch (log scale)")
    ax.set_ylabel("size of the weights ||W||")
    ax.set_title(_check_title(title, "title"))
    ax.grid(alpha=0.3)
    ax.legend(loc="best")
    return ax


def _scores_by_name(mapping, name, top, what):
    """``{model name: number}`` with each number in [0, ``top``]."""
    if mapping is None:
        return {}
    if not isinstance(mapping, Mapping):
        raise TypeError(f"{name} must be a dict {{model name: number}}, "
                        f"got {type(mapping).__name__}")
    checked = {key: check_real(value, f"{name}[{key!r}]") for key, value in mapping.items()}
    for key, value in checked.items():
        if not 0 <= value <= top:
            raise ValueError(f"{name}[{key!r}] = {value} is not {what}")
    return checked


def plot_error_rates(measured, published=None, ax=None,
                     title="Test error of linear models on MNIST"):
    """Bars of test error: what we measured (``{name: accuracy}``) next to published numbers.

    ``published`` errors are in percent, as papers quote them (e.g. 12.0), and
    drawn hatched in grey. Each bar is labelled with its error. Returns the Axes.

    >>> ax = plot_error_rates({"ours": 0.925}, {"LeCun et al. 1998": 12.0})
    >>> [t.get_text() for t in ax.texts]
    ['7.50%', '12.0%']
    """
    measured = _scores_by_name(measured, "measured", 1, "an accuracy between 0 and 1")
    published = _scores_by_name(published, "published", 100, "an error in percent (0-100)")
    if not measured and not published:
        raise ValueError("give at least one measured or published score")
    ax = _check_ax(ax, (7.5, 0.45 * (len(measured) + len(published)) + 1.4))
    names = list(measured) + list(published)
    errors = [100 * (1 - a) for a in measured.values()] + list(published.values())
    rows = np.arange(len(names))[::-1]  # first entry on top
    bars = ax.barh(rows, errors, color=[MODEL_COLORS[0]] * len(measured) + ["0.8"] * len(published),
                   edgecolor="0.3", height=0.6)
    for bar in bars[len(measured):]:
        bar.set_hatch("//")
    # Measured errors to two decimals (1 in 10,000 images is 0.01%), published ones to one.
    labels = [f"{e:.2f}%" for e in errors[: len(measured)]]
    labels += [f"{e:.1f}%" for e in published.values()]
    for row, error, label in zip(rows, errors, labels):
        ax.annotate(label, (error, row), xytext=(3, 0), textcoords="offset points",
                    va="center", ha="left", fontsize=9)
    ax.set_yticks(rows, names)
    ax.set_xlim(0, max(errors) * 1.18 or 1.0)
    ax.set_xlabel("test error (%), lower is better")
    ax.set_title(title)
    ax.grid(axis="x", alpha=0.3)
    kinds = [(MODEL_COLORS[0], None, "measured here")] * bool(measured)
    kinds += [("0.8", "//", "published")] * bool(published)
    handles = [plt.Rectangle((0, 0), 1, 1, facecolor=color, edgecolor="0.3", hatch=hatch,
                             label=label) for color, hatch, label in kinds]
    # Below the axes, where it cannot cover a bar or its label.
    ax.legend(handles=handles, loc="upper center", bbox_to_anchor=(0.5, -0.16), ncols=2,
              frameon=False)
    return ax
