"""Notebook 09, regularisation: the worked answer to its exercise, and the exercise's record."""

from __future__ import annotations

import numpy as np

from ._engine import Exercise, Mistake
from .nb02 import _gradient_problem, gradient, read_gradient, same_gradient, show_gradient


def l2_gradient(X, T, W, b, alpha):
    """Gradient (dW, db) of the mean cross-entropy plus alpha/2 * ||W||^2
    (bias not penalised).
    """
    Z = X @ W + b
    E = np.exp(Z - Z.max(axis=1, keepdims=True))
    P = E / E.sum(axis=1, keepdims=True)
    error = (P - T) / len(X)
    # The derivative of alpha/2 * sum(W**2)
    # is alpha * W; the bias has no penalty.
    return X.T @ error + alpha * W, error.sum(axis=0)


def _penalised(penalty, bias_penalty=lambda alpha, b: 0):
    """The cross-entropy gradient plus a penalty term: how the usual mistakes add it."""

    def mistaken(X, T, W, b, alpha):
        dW, db = gradient(X, T, W, b)
        return dW + penalty(alpha, W, len(X)), db + bias_penalty(alpha, b)

    return mistaken


def _cases(rng):
    sizes_and_alphas = (((3, 2, 4), 0.3), ((5, 4, 3), 1.7), ((12, 6, 10), 0.05), ((4, 3, 2), 0.0))
    return [_gradient_problem(rng, *size, alpha=alpha) for size, alpha in sizes_and_alphas]


EXERCISES = (
    Exercise(
        topic="l2_gradient", answer=l2_gradient, cases=_cases, read=read_gradient,
        same=same_gradient, show=show_gradient,
        hint="Start from the cross-entropy gradient (dW, db). The derivative of "
             "alpha/2 * sum(W**2) with respect to W is alpha * W; the bias has no penalty.",
        praise="your l2_gradient adds alpha * W to dW and leaves db unpenalised.",
        mistakes=(
            Mistake(_penalised(lambda alpha, W, n: 0 * W),
                    "Your l2_gradient has no penalty term: add alpha * W to dW."),
            Mistake(_penalised(lambda alpha, W, n: alpha + 0 * W),
                    "Your l2_gradient adds alpha to every weight's gradient: the penalty's "
                    "gradient is alpha * W."),
            Mistake(_penalised(lambda alpha, W, n: 2 * alpha * W),
                    "Your l2_gradient adds 2 * alpha * W: the derivative of alpha/2 * ||W||² "
                    "is alpha * W (the 1/2 cancels the 2)."),
            Mistake(_penalised(lambda alpha, W, n: alpha / 2 * W),
                    "Your l2_gradient adds alpha/2 * W: the derivative of alpha/2 * ||W||² is "
                    "alpha * W (the 2 of the square cancels the 1/2)."),
            Mistake(_penalised(lambda alpha, W, n: -alpha * W),
                    "Your l2_gradient subtracts alpha * W: the penalty pulls the weights "
                    "towards 0, so its gradient is + alpha * W."),
            Mistake(_penalised(lambda alpha, W, n: alpha * W / n),
                    "Your l2_gradient divides the penalty by n: only the cross-entropy is a "
                    "mean over the rows; add alpha * W as it is."),
            Mistake(_penalised(lambda alpha, W, n: alpha * W, lambda alpha, b: alpha * b),
                    "Your l2_gradient penalises the bias: db must stay the cross-entropy "
                    "gradient, with no alpha * b."),
            Mistake(lambda X, T, W, b, alpha: tuple(-g for g in l2_gradient(X, T, W, b, -alpha)),
                    "Your cross-entropy part has the wrong sign (T - P instead of P - T)."),
            Mistake(lambda X, T, W, b, alpha: (l2_gradient(X, T, W, b, alpha)[0]
                                               + (len(X) - 1) * gradient(X, T, W, b)[0],
                                               len(X) * gradient(X, T, W, b)[1]),
                    "Your cross-entropy part is n times too big: divide X.T @ (P - T) and the "
                    "sum of P - T by n = len(X)."),
        ),
    ),
)
