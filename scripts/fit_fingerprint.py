"""Record what SoftmaxRegression.fit produces on fixed runs; compare two recordings exactly.

A change to model.py that is meant to keep the results (a refactoring, a speed-up) must
give the same bits. Record before the change, record after it, and compare:

    python scripts/fit_fingerprint.py before.npz             # on the old code
    python scripts/fit_fingerprint.py after.npz before.npz   # on the new code

The runs cover float32 and float64 data, validation data or none, alpha, restore_best,
full batch, string labels, divergence and 3 epochs on the full 48,000-image split. Each
run's weights, biases, kept and run epochs, divergence flag, warnings and history are
compared with np.array_equal and their dtypes. It needs MNIST (MNIST_LR_DATA).
"""
import sys
import warnings

import numpy as np

import mnist_lr
from mnist_lr import SoftmaxRegression
from mnist_lr.data import load_mnist_split, subsample

print("mnist_lr from", mnist_lr.__file__)  # which copy of the package is measured
X_tr, X_va, y_tr, y_va = load_mnist_split(0.2, random_state=0)
Xs, ys = subsample(X_tr, y_tr, 3000, random_state=1)
Xv, yv = subsample(X_va, y_va, 1000, random_state=2)
base = dict(learning_rate=0.24, batch_size=100, patience=3, max_epochs=15, random_state=0)
runs = {
    "base": (base, Xs, ys, Xv, yv),
    "alpha": ({**base, "alpha": 0.01}, Xs, ys, Xv, yv),
    "last": ({**base, "restore_best": False}, Xs, ys, Xv, yv),
    "fullbatch": ({**base, "batch_size": None, "learning_rate": 2.0}, Xs, ys, Xv, yv),
    "noval": (base, Xs, ys, None, None),
    "float64": (base, Xs.astype(np.float64), ys, Xv.astype(np.float64), yv),
    "diverge": ({**base, "learning_rate": 1e36}, Xs * 100, ys, Xv * 100, yv),
    "diverge_later": ({**base, "learning_rate": 3e33}, Xs * 100, ys, Xv * 100, yv),
    "strings": (base, Xs, np.array([f"d{v}" for v in ys]), Xv,
                np.array([f"d{v}" for v in yv])),
    "patience_none": ({**base, "patience": None, "max_epochs": 4, "batch_size": 37},
                      Xs, ys, Xv, yv),
    "full48k": ({**base, "max_epochs": 3, "patience": None}, X_tr, y_tr, X_va, y_va),
}
out = {}
for name, (params, X, y, X_val, y_val) in runs.items():
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        model = SoftmaxRegression(**params).fit(X, y, X_val, y_val)
    out[f"{name}/warnings"] = np.array(sorted(type(w.message).__name__ for w in caught) or [""])
    for attr in ("coef_", "intercept_", "best_epoch_", "n_iter_", "diverged_", "classes_"):
        out[f"{name}/{attr}"] = np.asarray(getattr(model, attr))
    for key, values in model.history_.as_dict().items():
        out[f"{name}/history_{key}"] = values
    print(name, model.n_iter_, model.best_epoch_, model.diverged_, out[f"{name}/warnings"])
np.savez(sys.argv[1], **out)
if len(sys.argv) > 2:
    ref = np.load(sys.argv[2])
    bad = [k for k in ref.files if k not in out or not (
        np.array_equal(ref[k], out[k]) and ref[k].dtype == out[k].dtype)]
    bad += [k for k in out if k not in ref.files]
    verdict = "ALL IDENTICAL" if not bad else f"DIFFER: {bad}"
    print(f"compared {len(ref.files)} arrays: {verdict}")
    sys.exit(1 if bad else 0)
