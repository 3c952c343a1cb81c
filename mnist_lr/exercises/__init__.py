"""Checks, hints and worked answers for the coding exercises of the notebooks.

Write the function an exercise asks for, then hand it (the function itself,
not its result) to its check::

    from mnist_lr import exercises

    exercises.check_softmax(softmax)

A check draws fresh inputs of several sizes on every call, runs your function
on them beside the worked answer and the usual mistakes, and answers with one
line: ``✓ Correct: ...``, or ``✗`` and the mistake it recognises, or the
first input on which your answer differs. It never changes your function or
the arrays of your notebook. Stuck? ``exercises.hint_softmax()`` prints a
hint, and ``exercises.solution_softmax()`` prints a worked answer: nothing
shows an answer unless you ask for it.

Every exercise is one record (:class:`~mnist_lr.exercises._engine.Exercise`)
in the module of its notebook, ``nb01`` to ``nb10``, beside its worked
answer; ``check_<topic>``, ``hint_<topic>`` and ``solution_<topic>`` are
made from the records in :data:`EXERCISES`.

Examples
--------
>>> import numpy as np
>>> check_accuracy(lambda y_true, y_pred: np.sum(np.ravel(y_true) == np.ravel(y_pred)))
✗ Your accuracy returns the number of right predictions: divide by the number of samples.
>>> result = check_accuracy(lambda y_true, y_pred: np.mean(np.ravel(y_true) == np.ravel(y_pred)))
>>> result
✓ Correct: your accuracy is the fraction of right predictions, for rows and columns of labels alike.
>>> bool(result), result.passed
(True, True)
"""

from . import nb01, nb02, nb03, nb04, nb05, nb06, nb07, nb08, nb09, nb10
from ._engine import Result, make_check, make_hint, make_solution

#: Every exercise of the series, by topic, in the order of the notebooks.
EXERCISES = {exercise.topic: exercise
             for notebook in (nb01, nb02, nb03, nb04, nb05, nb06, nb07, nb08, nb09, nb10)
             for exercise in notebook.EXERCISES}


def _publish():
    """Define check_<topic>, hint_<topic> and solution_<topic> for every exercise."""
    names = []
    for exercise in EXERCISES.values():
        for make in (make_check, make_hint, make_solution):
            function = make(exercise)
            globals()[function.__name__] = function
            names.append(function.__name__)
    return names


__all__ = ["EXERCISES", "Result", *_publish()]
