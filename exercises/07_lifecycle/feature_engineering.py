"""Feature engineering: exercise 24 of ml-from-scratch.

Real data rarely arrives as a matrix. It arrives as records, one dict per item, straight from a form, a
database or a web page::

    {"city": "Ashford", "rooms": 3, "area_m2": "54.5", "has_balcony": None, "description": "Bright, renovated flat."}

and every model in this kit wants a float matrix ``X`` of shape ``(n_samples, n_features)``. This exercise
writes the bridge, ``RecordVectorizer``, which turns each kind of field into columns:

- a **numeric** field becomes its value, plus a 0/1 flag that says it was missing (the value itself is
  then filled with the mean, and the flag keeps the fact that it was a guess);
- a **categorical** field becomes one 0/1 column per category (one-hot);
- a **text** field becomes one column per word, holding how often the word occurs (a bag of words).

Like every transformer it works in two steps. ``fit`` looks at the TRAINING records only and decides
the columns and the fill values; ``transform`` only fills those columns, for any records. A category or
word first seen at transform time gets no column, and the test records' own mean is never used: what
the model learns must not depend on the data it will be judged on (that would be leakage), and a model
fitted on ``k`` columns needs exactly those ``k`` columns, in the same order, forever after.

Start with two small private helpers, used everywhere below: ``_is_missing(value)`` (``None``, ``""``
or NaN; an absent key reaches it as ``None`` through ``record.get(field)``) and ``_to_number(value)``
(a float, or ``None`` when the value is missing or does not parse; ``float("54.5")`` and ``float(True)``
both work, ``float("n/a")`` raises ``ValueError``).

Grade your work with ``ml-grade feature_engineering``; stuck? ``ml-grade hint feature_engineering``.
"""

import math
import re

import numpy as np


def tokenize(text):
    """Split a text into lower-case words: the runs of letters and digits, in order.

    A word is a maximal run of ``a``-``z`` and ``0``-``9`` after ``text.lower()``; everything else
    (spaces, punctuation, hyphens, accents) separates words. ``None`` gives no words.

    Parameters
    ----------
    text : str or None

    Returns
    -------
    list of str
        The words, in the order they appear, repeats kept.

    Examples
    --------
    >>> tokenize("Bright, RENOVATED 3-room flat!")
    ['bright', 'renovated', '3', 'room', 'flat']
    >>> tokenize(None), tokenize("")
    ([], [])
    """
    # TODO 1: None has no words; otherwise lower-case the text and find every run of [a-z0-9]
    #         (re.findall with the pattern r"[a-z0-9]+").
    raise NotImplementedError


class RecordVectorizer:
    """Turn records (dicts) with numeric, categorical and text fields into a float matrix.

    A value is **missing** when its key is absent, or it is ``None``, ``""`` or NaN. A numeric value may
    be a number, a bool (``True`` is 1.0) or a numeric string (``"54.5"``, parsed with ``float``); a
    string that does not parse (``"n/a"``) counts as missing too.

    ``fit`` learns everything from the training records only:

    - ``numeric_means_[field]``: the mean of the field's present values (missing ones left out);
    - ``categories_[field]``: the distinct present values, as strings (``str(value)``), sorted;
    - ``vocabulary_[field]``: the words (``tokenize``) that occur in at least ``min_df`` of the training
      records (document frequency: a word used twice in one record counts once), sorted.

    The columns of ``transform``, in this order (``feature_names_`` lists their names):

    1. for each numeric field, in the order given: ``"<field>"``, the value, or ``numeric_means_[field]``
       when it is missing; then ``"<field>_missing"``, 1.0 when it is missing, else 0.0;
    2. for each categorical field, in the order given: ``"<field>=<category>"`` for each category of
       ``categories_[field]``: 1.0 in the record's own category, 0.0 elsewhere. A missing value, or a
       category not seen in ``fit``, gives zeros in the whole block;
    3. for each text field, in the order given: ``"<field>:<word>"`` for each word of
       ``vocabulary_[field]``: how many times the word occurs in the record's text (a bag of words).
       Words not in the vocabulary are ignored; a missing text has no words.

    Records are never modified.

    Parameters
    ----------
    numeric, categorical, text : sequence of str, default ()
        The names of the fields of each kind. A field that is in none of them is ignored.
    min_df : int, default 1
        The number of training records a word must appear in to get a column.

    Attributes
    ----------
    numeric_means_ : dict of str to float
    categories_ : dict of str to list of str
    vocabulary_ : dict of str to list of str
    feature_names_ : list of str
        The names of the columns of ``transform``, in order.

    Examples
    --------
    >>> records = [{"rooms": 2, "city": "Ashford", "text": "Bright flat, bright rooms"},
    ...            {"rooms": "4", "city": "Brookvale"},
    ...            {"rooms": None, "city": "Ashford", "text": "Quiet flat"}]
    >>> vectorizer = RecordVectorizer(numeric=["rooms"], categorical=["city"], text=["text"]).fit(records)
    >>> vectorizer.feature_names_
    ['rooms', 'rooms_missing', 'city=Ashford', 'city=Brookvale', 'text:bright', 'text:flat', 'text:quiet', 'text:rooms']
    >>> vectorizer.transform([{"city": "Eastmere", "text": "a bright, quiet flat"}])
    array([[3., 1., 0., 0., 1., 1., 1., 0.]])
    """

    def __init__(self, numeric=(), categorical=(), text=(), min_df=1):
        self.numeric = numeric
        self.categorical = categorical
        self.text = text
        self.min_df = min_df

    def fit(self, records):
        """Learn the fill values, categories, vocabulary and column names from training records; return ``self``.

        Parameters
        ----------
        records : list of dict
            The training records. They are read, never changed.

        Raises
        ------
        ValueError
            If a numeric field has no present value in the training records (there is no mean to fill
            with), with a message that names the field.
        """
        # TODO 1: numeric_means_: for each numeric field, the mean of the values that are present (parse
        #         them as floats; leave missing and unparseable ones out). No value at all: raise
        #         ValueError naming the field.
        # TODO 2: categories_: for each categorical field, the sorted set of str(value) over the records
        #         where it is present.
        # TODO 3: vocabulary_: for each text field, count in how many records each word occurs (a set of
        #         the record's words, so repeats count once), keep the words with a count >= min_df, sorted.
        # TODO 4: feature_names_ in the documented order: "<field>" and "<field>_missing" for each numeric
        #         field, "<field>=<category>" for each categorical field, "<field>:<word>" for each text
        #         field. Return self.
        raise NotImplementedError

    def transform(self, records):
        """The matrix of the records, one row per record, one column per name of ``feature_names_``.

        Uses only what ``fit`` learned: the same columns in the same order whatever records are given,
        so row ``i`` depends on ``records[i]`` alone.

        Parameters
        ----------
        records : list of dict

        Returns
        -------
        X : ndarray of float, shape (n_records, len(feature_names_))
        """
        # TODO 1: start from a zero matrix of shape (n_records, len(feature_names_)); for each field keep
        #         a running column number (or a dict from category / word to its position in the block).
        # TODO 2: numeric fields: the parsed value, or numeric_means_[field] when missing, then the
        #         missing flag (1.0 or 0.0) in the next column.
        # TODO 3: categorical fields: a 1.0 in the column of str(value) if that category was seen in fit;
        #         a missing value or a new category leaves the block at zero (and adds no column).
        # TODO 4: text fields: add 1 to the word's column for every occurrence of a vocabulary word; skip
        #         the other words. Return X.
        raise NotImplementedError

    def fit_transform(self, records):
        """``fit(records)``, then ``transform(records)``: the matrix of the training records."""
        # TODO 1: fit on the records, then transform them.
        raise NotImplementedError


def vectorize_records(train_records, test_records, numeric=(), categorical=(), text=(), min_df=1):
    """Vectorize a train/test split: fit on the training records only, transform both.

    Parameters
    ----------
    train_records, test_records : list of dict
    numeric, categorical, text, min_df
        As for ``RecordVectorizer``.

    Returns
    -------
    X_train : ndarray of shape (n_train, n_features)
    X_test : ndarray of shape (n_test, n_features)
        The same columns as ``X_train``, learned from the training records only.
    feature_names : list of str
        The names of the ``n_features`` columns.

    Examples
    --------
    >>> X_train, X_test, names = vectorize_records([{"size": 1.0, "kind": "a"}, {"size": 3.0, "kind": "b"}],
    ...                                            [{"kind": "c"}], numeric=["size"], categorical=["kind"])
    >>> names, X_test
    (['size', 'size_missing', 'kind=a', 'kind=b'], array([[2., 1., 0., 0.]]))
    """
    # TODO 1: build a RecordVectorizer with these settings, fit_transform the training records, transform
    #         the test records, and return both matrices with a copy of feature_names_.
    raise NotImplementedError
