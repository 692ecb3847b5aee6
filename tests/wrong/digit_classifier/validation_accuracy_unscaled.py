"""Mistake: validation_accuracy_ is measured with the network on unscaled validation rows."""
"""Handwritten digits, end to end: exercise 21 of ml-from-scratch.

The "hello world" of machine learning: 8 x 8 images of handwritten digits (64 pixel values from 0 to 16)
go in, the digit comes out. Nothing here is new: the exercise assembles pieces you wrote earlier into a
pipeline, the way a real project does::

    X, y ──train_test_split──> training part ──StandardScaler.fit──> scaler_
                │                     │                                  │
                │                     └───── scaler_.transform ──> MLPClassifier.fit ──> model_
                └─────────> validation part ── predict ──> accuracy ──> validation_accuracy_

Your own modules are imported by name (the grader puts every stage folder on the import path), so your
``train_test_split`` splits, your ``StandardScaler`` scales, your ``MLPClassifier`` learns and your
``accuracy`` and ``confusion_matrix`` judge.

The one rule that matters: **the scaler learns from the training part only**. Its means and standard
deviations are part of the model. Fitted on all of ``X`` before the split, the validation rows would
shape the preprocessing of the training rows (a *leak*), and ``validation_accuracy_`` would no longer
tell how the model does on digits it has never seen. Split first, then fit.

Grade your work with ``ml-grade digit_classifier``; stuck? ``ml-grade hint digit_classifier``.
"""

import numpy as np

from metrics import accuracy, confusion_matrix
from mlp import MLPClassifier
from preprocessing import StandardScaler, train_test_split


class DigitClassifier:
    """A pipeline: split, scale with the training statistics, train a network, measure on validation.

    ``fit(X, y)`` does four things, in this order:

    1. split ``X, y`` with your ``train_test_split(X, y, test_size=validation_size, stratify=y,
       random_state=random_state)`` into a training part and a validation part (stratified: every digit
       keeps its share in both parts);
    2. fit a ``StandardScaler`` on the training part ONLY: ``scaler_``;
    3. train an ``MLPClassifier(hidden, learning_rate, epochs, random_state=random_state)`` on the
       scaled training part: ``model_``;
    4. ``validation_accuracy_ = accuracy(y_val, predict(X_val))``, on the validation part, which the
       scaler and the network never saw.

    ``predict(X)`` is ``model_.predict(scaler_.transform(X))``: new data gets the TRAINING statistics.

    Parameters
    ----------
    hidden : tuple of int, default (64,)
        The sizes of the network's hidden layers.
    learning_rate : float, default 0.1
    epochs : int, default 30
    validation_size : float, default 0.2
        The fraction of the rows given to ``fit`` that is kept aside for ``validation_accuracy_``.
    random_state : int or None, default 0
        Seeds both the split and the network, so the same ``random_state`` gives the same model.

    Attributes
    ----------
    scaler_ : StandardScaler
        Fitted on the training part of ``X`` (not on the validation part, never on test data).
    model_ : MLPClassifier
        Trained on the scaled training part.
    classes_ : ndarray of shape (n_classes,)
        The labels seen in ``fit``, sorted (``np.unique(y)``).
    validation_accuracy_ : float
        The accuracy on the validation part.

    Examples
    --------
    >>> X = [[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0], [0.5, 0.5],
    ...      [9.0, 9.0], [9.0, 10.0], [10.0, 9.0], [10.0, 10.0], [9.5, 9.5]]
    >>> y = [0, 0, 0, 0, 0, 1, 1, 1, 1, 1]
    >>> model = DigitClassifier(hidden=(8,), epochs=100).fit(X, y)   # 8 rows train, 2 validate
    >>> model.predict([[0.2, 0.8], [9.8, 9.1]]), model.validation_accuracy_
    (array([0, 1]), 1.0)
    >>> model.scaler_.mean_.shape                                    # learned from the 8 training rows
    (2,)
    """

    def __init__(self, hidden=(64,), learning_rate=0.1, epochs=30, validation_size=0.2, random_state=0):
        self.hidden = hidden
        self.learning_rate = learning_rate
        self.epochs = epochs
        self.validation_size = validation_size
        self.random_state = random_state

    def fit(self, X, y):
        """Split, scale with the training part's statistics, train, and measure on validation; return ``self``.

        Parameters
        ----------
        X : array_like of shape (n_samples, n_features)
            Pixel values (any numbers). Lists are accepted; ``X`` itself must not be changed.
        y : array_like of shape (n_samples,)
            The labels (the digits).
        """
        # BEGIN SOLUTION
        # Step 1: turn X and y into arrays and split them with your train_test_split:
        #         test_size=self.validation_size, stratify=y, random_state=self.random_state.
        X, y = np.asarray(X, dtype=float), np.asarray(y)
        X_train, X_val, y_train, y_val = train_test_split(
            X, y, test_size=self.validation_size, random_state=self.random_state, stratify=y
        )
        # Step 2: fit a StandardScaler on X_train only (never on X_val, never on all of X): scaler_.
        self.scaler_ = StandardScaler().fit(X_train)
        # Step 3: train an MLPClassifier with hidden, learning_rate, epochs and random_state on the
        #         SCALED training part: model_; classes_ is np.unique(y).
        self.model_ = MLPClassifier(
            hidden=self.hidden, learning_rate=self.learning_rate, epochs=self.epochs, random_state=self.random_state
        ).fit(self.scaler_.transform(X_train), y_train)
        self.classes_ = np.unique(y)
        # Step 4: validation_accuracy_ is your accuracy of predict(X_val) against y_val (predict scales);
        #         return self.
        self.validation_accuracy_ = accuracy(y_val, self.model_.predict(X_val))
        return self
        # END SOLUTION

    def predict(self, X):
        """The predicted digit of each row: the network's prediction for ``scaler_.transform(X)``.

        Returns
        -------
        y_pred : ndarray of shape (n_samples,), labels from ``classes_``.
        """
        # BEGIN SOLUTION
        # Step 1: scale X with the FITTED scaler_ (transform, not fit), then predict with model_.
        return self.model_.predict(self.scaler_.transform(X))
        # END SOLUTION

    def score(self, X, y):
        """Accuracy of ``predict(X)`` against ``y``, as a float (your ``accuracy``)."""
        # BEGIN SOLUTION
        # Step 1: your accuracy of the predictions.
        return accuracy(y, self.predict(X))
        # END SOLUTION


def evaluate(model, X, y):
    """Judge a fitted model on test data: accuracy, confusion matrix and the recall of each class.

    With ``y_pred = model.predict(X)`` and ``labels = model.classes_``::

        matrix[i, j]        = number of samples whose TRUE label is labels[i], PREDICTED labels[j]
                              (your confusion_matrix(y, y_pred, labels=labels): rows are the truth)
        per_class_recall[i] = matrix[i, i] / matrix[i, :].sum()      of the true i's, the share found
                              (0.0 for a class with no sample in y)

    Recall divides by the ROW sum (all samples truly of class i); dividing by the column sum (all samples
    predicted as i) would give the precision instead.

    Parameters
    ----------
    model : a fitted DigitClassifier (anything with ``predict`` and ``classes_``)
    X : array_like of shape (n_samples, n_features)
    y : array_like of shape (n_samples,)

    Returns
    -------
    dict with the keys
        ``"accuracy"``: float, your ``accuracy(y, y_pred)``;
        ``"confusion_matrix"``: ndarray of int, shape (n_classes, n_classes), (10, 10) for the digits;
        ``"per_class_recall"``: ndarray of float, shape (n_classes,).

    Examples
    --------
    >>> X = [[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0], [0.5, 0.5],
    ...      [9.0, 9.0], [9.0, 10.0], [10.0, 9.0], [10.0, 10.0], [9.5, 9.5]]
    >>> model = DigitClassifier(hidden=(8,), epochs=100).fit(X, [0, 0, 0, 0, 0, 1, 1, 1, 1, 1])
    >>> model.predict([[0.5, 0.0], [9.5, 10.0], [10.0, 9.5]])     # the last one is truly a 0
    array([0, 1, 1])
    >>> result = evaluate(model, [[0.5, 0.0], [9.5, 10.0], [10.0, 9.5]], [0, 1, 0])
    >>> result["confusion_matrix"]           # true 0: once right, once taken for a 1; true 1: right
    array([[1, 1],
           [0, 1]])
    >>> result["per_class_recall"], result["accuracy"]
    (array([0.5, 1. ]), 0.6666666666666666)
    """
    # BEGIN SOLUTION
    # Step 1: predict X with the model, once.
    y, y_pred = np.asarray(y), model.predict(X)
    # Step 2: your confusion_matrix with labels=model.classes_ (rows are the true labels).
    matrix = confusion_matrix(y, y_pred, labels=model.classes_)
    # Step 3: recall of each class: the diagonal over the row sums (0.0 where a row sum is 0).
    found, actual = np.diag(matrix).astype(float), matrix.sum(axis=1).astype(float)
    recall = np.divide(found, actual, out=np.zeros_like(found), where=actual > 0)
    # Step 4: return the dict with "accuracy" (your accuracy), "confusion_matrix" and "per_class_recall".
    return {"accuracy": accuracy(y, y_pred), "confusion_matrix": matrix, "per_class_recall": recall}
    # END SOLUTION
