"""Figures of accuracy (fractions, drawn in percent): per epoch, fold, setting, and at the end."""

from collections.abc import Mapping

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.colors import ListedColormap
from matplotlib.patches import Patch
from matplotlib.ticker import MaxNLocator

from ._checks import check_float_array, check_real, check_same_length
from ._plot_base import MAX_WIDTH, _cell_grid, _check_ax, _check_dict, _check_fig, _fitted_attribute
from .model import TrainingHistory

__all__ = ["TRAIN_COLOR", "VAL_COLOR", "plot_training_curves", "plot_histories_side_by_side",
           "plot_kfold_curves", "plot_kfold_comparison", "plot_fold_diagram",
           "plot_validation_curve", "plot_learning_curve", "plot_weight_norm", "plot_error_rates"]

# In every figure: training in Okabe-Ito blue, solid; validation in vermillion, dashed.
TRAIN_COLOR, TRAIN_STYLE, VAL_COLOR, VAL_STYLE = "#0072B2", "-", "#D55E00", "--"
_CURVES = ((TRAIN_COLOR, TRAIN_STYLE, "training"), (VAL_COLOR, VAL_STYLE, "validation"))
MARK_COLOR = "0.3"  # markers such as the best validation epoch
MODEL_COLORS = ("#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000000")  # models compared
HISTORY_FIELDS = ("loss", "train_accuracy", "val_loss", "val_accuracy")  # drawn (not penalty)


def _fractions(value, name, ndim=1, along=None):
    """Accuracies as an array of fractions in [0, 1]; ``along``: (array, name) of same length."""
    array = check_float_array(value, name, ndim)
    if along is not None:
        check_same_length(along[0], array, along[1], name, what=("values", "values"))
    if array.size and (array.min() < 0 or array.max() > 1):
        bad = array.max() if array.max() > 1 else array.min()
        raise ValueError(f"{name} must hold accuracies as fractions between 0 and 1, got {bad:g}"
                         + ("; divide percentages by 100" if 1 < bad <= 100 else ""))
    return array


def _increasing(values, name, zero=False):
    """``values`` as a 1-D float array, increasing and positive (or >= 0, given ``zero``)."""
    values = check_float_array(values, name, 1)
    bad = values.size == 0 or values[0] < 0 or (np.diff(values) <= 0).any()
    if bad or (values[0] == 0 and not zero):
        raise ValueError(f"{name} must be {'>= 0' if zero else 'positive'} and increasing, "
                         f"got {values.tolist()}")
    return values


def _as_history(history, name="history"):
    """A TrainingHistory of equally long arrays from a history, a fitted model or a dict."""
    if isinstance(history, Mapping):
        history = TrainingHistory(**{key: np.atleast_1d(history[key]) for key in HISTORY_FIELDS})
    elif (fitted := _fitted_attribute(history, "history_", name)) is not None:
        history = fitted
    arrays = {key: check_float_array(getattr(history, key), f"{name}.{key}", 1)
              for key in HISTORY_FIELDS}
    lengths = {key: len(value) for key, value in arrays.items()}
    if len(set(lengths.values())) != 1 or not lengths["loss"]:
        raise ValueError(f"{name} needs at least one epoch and as many values in each field, "
                         f"got the lengths {lengths}")
    for key in ("train_accuracy", "val_accuracy"):
        _fractions(arrays[key], f"{name}.{key}")
    return TrainingHistory(**arrays)


def _train_val(ax, x, train, val, label="{}", **style):
    """The training curve, solid, and the validation one, dashed, each in its colour."""
    for y, (color, linestyle, name) in zip((train, val), _CURVES):
        ax.plot(x, y, color=color, linestyle=linestyle, label=label.format(name), **style)


def _epoch_axis(ax, n_epochs, pad=None, first=1):
    """x from epoch ``first`` to the last one (plus a little room), integer ticks."""
    ax.xaxis.set_major_locator(MaxNLocator(integer=True, steps=[1, 2, 5, 10]))
    if pad is None:
        pad = 0.5 if n_epochs == first else 0.02 * (n_epochs - first)
    # Less than a whole epoch of room on the left: no tick at an epoch before `first`.
    ax.set_xlim(first - min(pad, 0.5), n_epochs + pad)


def _label(ax, title, xlabel, ylabel="accuracy (%)", legend=True):
    """Title, axis labels, a light grid and the legend."""
    ax.set(title=title, xlabel=xlabel, ylabel=ylabel)
    ax.grid(alpha=0.3)
    if legend:
        ax.legend(loc="best")


def plot_training_curves(history, fig=None, title="Loss and accuracy per epoch", start=None,
                         log_epochs=False):
    """Loss (top) and training/validation accuracy (bottom) against the epoch; a dotted line
    marks the best validation epoch, its accuracy in the legend. ``history``: a TrainingHistory,
    a fitted model or a dict of its four fields; ``start``: the four numbers measured before
    training, drawn as epoch 0. Returns the Figure."""
    history = _as_history(history)
    best, first = history.best_epoch, 1
    best_accuracy = 100 * history.val_accuracy[best - 1]
    if start is not None:
        if log_epochs:
            raise ValueError("start (epoch 0) cannot be drawn on a logarithmic epoch axis")
        start = _as_history(start, "start")
        history, first = TrainingHistory(**{key: np.concatenate(
            [getattr(start, key), getattr(history, key)]) for key in HISTORY_FIELDS}), 0
    fig = _check_fig(fig, (7.0, 6.0))
    loss_ax, acc_ax = fig.subplots(2, 1, sharex=True)
    epochs = np.arange(first, first + len(history))
    style = {"marker": "o", "markersize": 3} if len(history) <= 40 else {}
    _train_val(loss_ax, epochs, history.loss, history.val_loss, "{} loss", **style)
    _train_val(acc_ax, epochs, 100 * history.train_accuracy, 100 * history.val_accuracy, **style)
    acc_ax.plot([best], [best_accuracy], marker="*", markersize=13, color=VAL_COLOR,
                markeredgecolor="white", linestyle="none", zorder=3)
    for ax, label in ((loss_ax, None),
                      (acc_ax, f"best validation: {best_accuracy:.2f}% (epoch {best})")):
        ax.axvline(best, color=MARK_COLOR, linestyle=":", linewidth=1.5, label=label)
        if log_epochs:
            ax.set_xscale("log")
            ax.set_xlim(0.9, len(history) * 1.1)
        else:
            _epoch_axis(ax, first + len(history) - 1, first=first)
    _label(loss_ax, "", "", "cross-entropy loss")
    _label(acc_ax, "", "epoch (log scale)" if log_epochs else "epoch")
    fig.suptitle(title)
    return fig


def plot_histories_side_by_side(histories, title=None, mean_of_last=None):
    """Accuracy curves of several runs ``{panel title: history or fitted model}``, side by side
    on one y-scale; each title quotes the last epoch's validation accuracy or, with
    ``mean_of_last=k``, its mean over the last k epochs. Returns the Figure."""
    _check_dict(histories, "histories", "{panel title: history}")
    fig = plt.figure(figsize=(min(4.4 * len(histories), MAX_WIDTH), 3.9), layout="constrained")
    axes = fig.subplots(1, len(histories), sharey=True, squeeze=False)[0]
    for ax, (name, history) in zip(axes, histories.items()):
        history = _as_history(history)
        _train_val(ax, np.arange(1, len(history) + 1), 100 * history.train_accuracy,
                   100 * history.val_accuracy)
        quoted = (f"validation after epoch {len(history)}: {100 * history.val_accuracy[-1]:.1f}%"
                  if mean_of_last is None else f"validation, last {mean_of_last} epochs: "
                  f"mean {100 * history.val_accuracy[-mean_of_last:].mean():.1f}%")
        _label(ax, "", "epoch", "accuracy (%)" if ax is axes[0] else "", legend=False)
        ax.set_title(f"{name}\n{quoted}", fontsize=10)
        _epoch_axis(ax, len(history))
    fig.legend(*axes[0].get_legend_handles_labels(), loc="outside lower center", ncols=2)
    if title is not None:
        fig.suptitle(title)
    return fig


def plot_kfold_curves(curves, ax=None, title=None, legend=True, ylabel=True):
    """Mean training and validation accuracy per epoch across k folds, ± one standard deviation
    (``ddof=0``, as in ``KFoldCurves.summary``); ``curves``: a :class:`~mnist_lr.KFoldCurves`.
    ``legend=False``, ``ylabel=False``: for inner panels. Returns the Axes."""
    train = _fractions(curves.train_accuracy, "curves.train_accuracy", 2)
    val = _fractions(curves.val_accuracy, "curves.val_accuracy", 2)
    n_folds, n_epochs = train.shape
    ax = _check_ax(ax, (7.0, 4.5))
    marker = {"marker": "o", "markersize": 3} if n_epochs <= 40 else {}
    for data, (color, style, name) in zip((train, val), _CURVES):
        ax.errorbar(np.arange(1, n_epochs + 1), 100 * data.mean(axis=0),
                    yerr=100 * data.std(axis=0), color=color, linestyle=style, capsize=3,
                    elinewidth=1, linewidth=1.5, label=f"{name} (mean ± std over {n_folds} folds)",
                    **marker)
    _epoch_axis(ax, n_epochs, pad=max(0.5, 0.02 * (n_epochs - 1)))  # room for the caps
    _label(ax, f"{n_folds}-fold cross-validation: accuracy per epoch" if title is None else title,
           "epoch", "accuracy (%)" if ylabel else "", legend)
    return ax


def plot_kfold_comparison(results, title="k-fold cross-validation with less and less data"):
    """One :func:`plot_kfold_curves` panel per size ``{n_images: KFoldCurves}``, side by side,
    each on its own y-range so that the gap shows at every size. Returns the Figure."""
    _check_dict(results, "results", "{n_images: KFoldCurves}")
    fig = plt.figure(figsize=(min(4.6 * len(results), MAX_WIDTH), 4.4), layout="constrained")
    axes = fig.subplots(1, len(results), squeeze=False)[0]
    for ax, (n, curves) in zip(axes, results.items()):
        plot_kfold_curves(curves, ax=ax, title=f"{n:,} images", legend=False,
                          ylabel=ax is axes[0])
    fig.legend(*axes[0].get_legend_handles_labels(), loc="outside lower center", ncols=2)
    fig.suptitle(title)
    return fig


def plot_fold_diagram(folds, n_samples, title=None):
    """Which sample trains and which validates in each fold (``folds`` from
    :func:`mnist_lr.kfold_indices`), as a grid of coloured cells. Returns the Axes."""
    grid = np.zeros((len(folds), n_samples))
    for i, (train, val) in enumerate(folds):
        grid[i, np.asarray(train)] = 1
        grid[i, np.asarray(val)] = 2
    ax = _check_ax(None, (0.45 * n_samples + 1.5, 0.45 * len(folds) + 1.3))
    ax.imshow(grid, cmap=ListedColormap(["white", TRAIN_COLOR, VAL_COLOR]), vmin=0, vmax=2)
    _cell_grid(ax, range(n_samples), [f"fold {i + 1}" for i in range(len(folds))], linewidth=2)
    ax.tick_params(axis="x", labelsize=8)
    ax.set_xlabel("sample (row number)")
    ax.set_title(title or f"{len(folds)}-fold cross-validation of {n_samples} samples")
    ax.legend(handles=[Patch(color=color, label=name) for color, _, name in _CURVES],
              loc="upper left", bbox_to_anchor=(1.01, 1.0), frameon=False)
    return ax


def plot_validation_curve(values, train_mean, val_mean, train_std=None, val_std=None, chosen=None,
                          param_name="alpha", ax=None, title=None):
    """Training and validation accuracy against a setting such as ``alpha``, on a log axis: the
    ``values`` tried (>= 0, increasing), the mean accuracies (fractions) of a cross-validated
    search and their spreads (error bars, optional). 0 sits a decade left of the smallest other
    value, after a break in the lines; a dotted line marks ``chosen``. Returns the Axes."""
    values = _increasing(values, "values", zero=True)
    curves = [(_fractions(mean, f"{kind}_mean", along=(values, "values")),
               None if std is None else _fractions(std, f"{kind}_std", along=(values, "values")))
              for kind, mean, std in (("train", train_mean, train_std), ("val", val_mean, val_std))]
    if chosen is not None:
        chosen = check_real(chosen, "chosen")
        if not np.isclose(values, chosen, rtol=1e-9, atol=0).any():
            raise ValueError(f"chosen={chosen:g} is not one of values {values.tolist()}")
    ax = _check_ax(ax, (7.0, 4.5))
    positive = values[values > 0]
    positions = np.where(values > 0, values, positive[0] / 10 if positive.size else 1.0)
    # Lines break between 0 and the first positive value: that stretch is not to scale.
    has_zero = values[0] == 0 and len(values) > 1
    segments = [slice(0, 1), slice(1, None)] if has_zero else [slice(None)]
    for (mean, std), (color, style, name) in zip(curves, _CURVES):
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
    _label(ax, f"Accuracy against {param_name}" if title is None else title,
           f"{param_name} (log scale{'; 0 = no penalty' if has_zero else ''})")
    return ax


def plot_learning_curve(sizes, curves, ax=None, title="Learning curve: accuracy against data"):
    """Training and validation accuracy against the number of training images ``sizes``
    (increasing; a log axis), per model: ``curves`` maps a model name to its pair
    (train_accuracy, val_accuracy), fractions, one per size. Returns the Axes."""
    sizes = _increasing(sizes, "sizes")
    _check_dict(curves, "curves", "{model name: (train_accuracy, val_accuracy)}",
                most=len(MODEL_COLORS))
    ax = _check_ax(ax, (7.0, 4.5))
    for (name, (train, val)), color in zip(curves.items(), MODEL_COLORS):
        for accuracy, kind, marker, style in ((train, "training", "o", TRAIN_STYLE),
                                              (val, "validation", "s", VAL_STYLE)):
            accuracy = _fractions(accuracy, f"curves[{name!r}] {kind} accuracy",
                                  along=(sizes, "sizes"))
            ax.plot(sizes, 100 * accuracy, color=color, marker=marker, markersize=4,
                    linestyle=style, label=f"{name}: {kind}")
    ax.set_xscale("log")
    ax.set_xticks(sizes, [f"{int(s):,}" if s.is_integer() else f"{s:g}" for s in sizes])
    ax.minorticks_off()
    _label(ax, title, "training images (log scale)")
    return ax


def plot_weight_norm(epochs, norms, stops=None, ax=None,
                     title="Size of the weights during training"):
    """The weights' norm against the epoch (log axis), one line per model: ``norms`` {model
    name: one norm per epoch in ``epochs``}; ``stops`` {name: the (epoch, norm) where early
    stopping kept the weights}, drawn as a star. Returns the Axes."""
    epochs = _increasing(epochs, "epochs")
    _check_dict(norms, "norms", "{model name: norms}", most=len(MODEL_COLORS))
    ax = _check_ax(ax, (7.0, 4.5))
    for (name, values), color in zip(norms.items(), MODEL_COLORS):
        values = check_float_array(values, f"norms[{name!r}]", 1)
        check_same_length(epochs, values, "epochs", f"norms[{name!r}]", what=("epochs", "norms"))
        ax.plot(epochs, values, color=color, marker="o", markersize=4, label=name)
        if stops and name in stops:
            epoch, norm = stops[name]
            ax.plot([epoch], [norm], color=color, marker="*", markersize=14, linestyle="none",
                    markeredgecolor="black", label=f"{name}: kept by early stopping")
    ax.set_xscale("log")
    _label(ax, title, "epoch (log scale)", "size of the weights ||W||")
    return ax


def plot_error_rates(measured, published=None, ax=None,
                     title="Test error of linear models on MNIST"):
    """Bars of test error, each labelled: what we measured (``{name: accuracy}``) next to
    ``published`` errors, in percent as papers quote them (e.g. 12.0), hatched in grey.
    Returns the Axes."""
    published = published or {}
    accuracies = _fractions(list(measured.values()), "measured")
    measured = {name: 100 * (1 - accuracy) for name, accuracy in zip(measured, accuracies)}
    names = [*measured, *published]
    ax = _check_ax(ax, (7.5, 0.45 * len(names) + 1.4))
    rows = np.arange(len(names))[::-1]  # first entry on top
    # Measured errors to two decimals (1 in 10,000 images is 0.01%), published ones to one.
    for errors, where, color, hatch, label, form in (
            (measured, rows[:len(measured)], MODEL_COLORS[0], None, "measured here", "{:.2f}%"),
            (published, rows[len(measured):], "0.8", "//", "published", "{:.1f}%")):
        if errors:
            bars = ax.barh(where, list(errors.values()), color=color, hatch=hatch,
                           edgecolor="0.3", height=0.6, label=label)
            ax.bar_label(bars, [form.format(e) for e in errors.values()], padding=3, fontsize=9)
    ax.set_yticks(rows, names)
    ax.set_xlim(0, max([*measured.values(), *published.values()]) * 1.18 or 1.0)
    ax.set(title=title, xlabel="test error (%), lower is better")
    ax.grid(axis="x", alpha=0.3)
    # Below the axes, where it cannot cover a bar or its label.
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.16), ncols=2, frameon=False)
    return ax
