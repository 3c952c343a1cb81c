"""scikit-learn's own conformance checks of SoftmaxRegression.

Apart from test_model.py because the estimators are built while the tests are collected:
mutation testing (make mutation) leaves this file out, since a mutant of the constructor
would break the collection of every test in the file rather than fail one test.
"""

from sklearn.utils.estimator_checks import parametrize_with_checks

from mnist_lr import SoftmaxRegression

# -- scikit-learn's own conformance suite --------------------------------------


@parametrize_with_checks(
    [
        # Full-batch gradient descent, and small mini-batches: the suite's data
        # sets have fewer rows than the article's batch of 100, which our
        # batch_size check rightly rejects.
        SoftmaxRegression(batch_size=None, random_state=0),
        SoftmaxRegression(batch_size=5, learning_rate=0.05, random_state=0),
        SoftmaxRegression(batch_size=None, alpha=0.01, random_state=0),
    ]
)
def test_sklearn_estimator_checks(estimator, check):
    check(estimator)
