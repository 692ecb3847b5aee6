"""Mistake: tokenize does not lower-case: "Garden" and "garden" are different words."""

import math
import re

import numpy as np


# BEGIN SOLUTION
_WORD = re.compile(r"[A-Za-z0-9]+")


def _is_missing(value):
    """True for None, "" and NaN (an absent key reaches here as None, from record.get(field))."""
    return value is None or (isinstance(value, str) and value == "") or (isinstance(value, float) and math.isnan(value))


def _to_number(value):
    """The value as a float (numbers, bools, numeric strings such as "54.5"), or None when it is missing."""
    if _is_missing(value):
        return None
    try:
        number = float(value)  # True -> 1.0, "54.5" -> 54.5
    except (TypeError, ValueError):
        return None  # "n/a", "unknown": unparseable counts as missing
    return None if math.isnan(number) else number
# END SOLUTION


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
    # BEGIN SOLUTION
    # Step 1: None has no words; otherwise lower-case the text and find every run of [a-z0-9]
    #         (re.findall with the pattern r"[a-z0-9]+").
    if text is None:
        return []
    return _WORD.findall(str(text))
    # END SOLUTION


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
        # BEGIN SOLUTION
        # Step 1: numeric_means_: for each numeric field, the mean of the values that are present (parse
        #         them as floats; leave missing and unparseable ones out). No value at all: raise
        #         ValueError naming the field.
        records = list(records)
        self.numeric_means_ = {}
        for field in self.numeric:
            values = [number for number in (_to_number(record.get(field)) for record in records) if number is not None]
            if not values:
                raise ValueError(f"numeric field {field!r} has no value in the training records: nothing to fill with")
            self.numeric_means_[field] = float(np.mean(values))
        # Step 2: categories_: for each categorical field, the sorted set of str(value) over the records
        #         where it is present.
        self.categories_ = {
            field: sorted({str(record.get(field)) for record in records if not _is_missing(record.get(field))})
            for field in self.categorical
        }
        # Step 3: vocabulary_: for each text field, count in how many records each word occurs (a set of
        #         the record's words, so repeats count once), keep the words with a count >= min_df, sorted.
        self.vocabulary_ = {}
        for field in self.text:
            document_frequency = {}
            for record in records:
                value = record.get(field)
                for word in set(tokenize(None if _is_missing(value) else value)):
                    document_frequency[word] = document_frequency.get(word, 0) + 1
            self.vocabulary_[field] = sorted(word for word, count in document_frequency.items() if count >= self.min_df)
        # Step 4: feature_names_ in the documented order: "<field>" and "<field>_missing" for each numeric
        #         field, "<field>=<category>" for each categorical field, "<field>:<word>" for each text
        #         field. Return self.
        self.feature_names_ = []
        for field in self.numeric:
            self.feature_names_ += [field, f"{field}_missing"]
        for field in self.categorical:
            self.feature_names_ += [f"{field}={category}" for category in self.categories_[field]]
        for field in self.text:
            self.feature_names_ += [f"{field}:{word}" for word in self.vocabulary_[field]]
        return self
        # END SOLUTION

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
        # BEGIN SOLUTION
        # Step 1: start from a zero matrix of shape (n_records, len(feature_names_)); for each field keep
        #         a running column number (or a dict from category / word to its position in the block).
        records = list(records)
        X = np.zeros((len(records), len(self.feature_names_)))
        column = 0
        # Step 2: numeric fields: the parsed value, or numeric_means_[field] when missing, then the
        #         missing flag (1.0 or 0.0) in the next column.
        for field in self.numeric:
            for i, record in enumerate(records):
                number = _to_number(record.get(field))
                X[i, column] = self.numeric_means_[field] if number is None else number
                X[i, column + 1] = float(number is None)
            column += 2
        # Step 3: categorical fields: a 1.0 in the column of str(value) if that category was seen in fit;
        #         a missing value or a new category leaves the block at zero (and adds no column).
        for field in self.categorical:
            position = {category: j for j, category in enumerate(self.categories_[field])}
            for i, record in enumerate(records):
                value = record.get(field)
                if not _is_missing(value) and str(value) in position:
                    X[i, column + position[str(value)]] = 1.0
            column += len(position)
        # Step 4: text fields: add 1 to the word's column for every occurrence of a vocabulary word; skip
        #         the other words. Return X.
        for field in self.text:
            position = {word: j for j, word in enumerate(self.vocabulary_[field])}
            for i, record in enumerate(records):
                value = record.get(field)
                for word in tokenize(None if _is_missing(value) else value):
                    if word in position:
                        X[i, column + position[word]] += 1.0
            column += len(position)
        return X
        # END SOLUTION

    def fit_transform(self, records):
        """``fit(records)``, then ``transform(records)``: the matrix of the training records."""
        # BEGIN SOLUTION
        # Step 1: fit on the records, then transform them.
        return self.fit(records).transform(records)
        # END SOLUTION


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
    # BEGIN SOLUTION
    # Step 1: build a RecordVectorizer with these settings, fit_transform the training records, transform
    #         the test records, and return both matrices with a copy of feature_names_.
    vectorizer = RecordVectorizer(numeric=numeric, categorical=categorical, text=text, min_df=min_df)
    X_train = vectorizer.fit_transform(train_records)
    return X_train, vectorizer.transform(test_records), list(vectorizer.feature_names_)
    # END SOLUTION
