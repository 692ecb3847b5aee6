"""Hidden suite for exercise 24, feature_engineering.

The output of ``RecordVectorizer`` is fully specified (the column order and names are documented), so
the learner's matrices and learned attributes are compared with a reference written here, on records
generated from the seed: numeric fields given as numbers, numeric strings and bools, missing in every
way (absent key, None, "", NaN, an unparseable string), categorical fields, and free text in mixed case
with punctuation and repeated words. Every mismatch is reported for one cell: the row, the column name,
the record's raw value, expected and got, and the mistake that explains it where one does (a fill with
0 or with the test records' own mean, presence instead of counts, a category not seen in fit mapped to
a column, ...).

The point of the exercise is that ``fit`` alone decides the columns and the fill values. So beyond the
values: categories and words first seen at transform time add no column, the fill value of a missing
number is the TRAINING mean even when the transformed records' own mean is far away, a row depends on
its record alone, the columns do not depend on the order of the training records, ``min_df`` counts
records and not occurrences, and the records (fetched back from the worker) are left untouched. Last,
on the shipped ``listings`` data, a ridge regression fitted here on the learner's ``X_train`` must reach
a decent R² on ``X_test``.
"""

import math
import re

import numpy as np
import pytest

from grader.learner import LearnerError, LearnerNotStarted, LearnerTimeout
from grader.support.checks import expect_array, expect_no_error, expect_value_error, fail, show
from grader.support.datasets import load_records
from grader.support.estimators import RidgeRegressor

NUMERIC = ("size", "age", "furnished")  # not in alphabetical order: the order given is the order of the columns
CATEGORICAL = ("color", "district")
TEXT = ("notes",)
SETTINGS = "numeric=['size', 'age', 'furnished'], categorical=['color', 'district'], text=['notes']"
NUMERIC_ONLY = dict(numeric=NUMERIC, categorical=(), text=())
CATEGORICAL_ONLY = dict(numeric=(), categorical=CATEGORICAL, text=())
TEXT_ONLY = dict(numeric=(), categorical=(), text=TEXT)
COLORS = ["red", "green", "blue", "black", "white", "dark blue"]
DISTRICTS = ["north", "south", "east", "west", "centre"]
WORDS = ["bright", "quiet", "garden", "view", "noisy", "dark", "modern", "old", "large", "small", "2", "room",
         "flat", "station", "park", "lift"]
SEPARATORS = [" ", " ", " ", ", ", ". ", "! ", " - ", "/", "-", " (", ") "]
SIZE_FORMS = ("number", "string", "int", "absent", "none", "empty", "nan", "unparseable")
ABSENT = object()  # a key that is not in the record

LISTINGS_FIELDS = dict(numeric=["area_m2", "rooms", "floor", "has_balcony"], categorical=["city"], text=["description"], min_df=2)
LISTINGS_MIN_R2 = 0.7  # the reference reaches 0.74-0.90 over 1000 splits, median 0.84 (ridge, alpha = 10, 300 train / 100 test)


# --- the reference -----------------------------------------------------------------------------------
def is_missing(value):
    if value is ABSENT or value is None:
        return True
    if isinstance(value, str):
        return value == ""
    return isinstance(value, float) and math.isnan(value)


def number_or_none(value):
    if is_missing(value):
        return None
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    return None if math.isnan(number) else number


def words_of(text):
    return [] if is_missing(text) else re.findall(r"[a-z0-9]+", str(text).lower())


def reference(records, numeric=NUMERIC, categorical=CATEGORICAL, text=TEXT, min_df=1):
    """What fit must learn: means, categories, vocabulary, names, and the kind of each column."""
    means, categories, vocabulary, names, kinds = {}, {}, {}, [], []
    for field in numeric:
        values = [v for v in (number_or_none(r.get(field, ABSENT)) for r in records) if v is not None]
        means[field] = float(np.mean(values))
        names += [field, f"{field}_missing"]
        kinds += [("value", field, None), ("flag", field, None)]
    for field in categorical:
        categories[field] = sorted({str(r[field]) for r in records if not is_missing(r.get(field, ABSENT))})
        names += [f"{field}={c}" for c in categories[field]]
        kinds += [("category", field, c) for c in categories[field]]
    for field in text:
        document_frequency = {}
        for r in records:
            for word in set(words_of(r.get(field, ABSENT))):
                document_frequency[word] = document_frequency.get(word, 0) + 1
        vocabulary[field] = sorted(w for w, c in document_frequency.items() if c >= min_df)
        names += [f"{field}:{w}" for w in vocabulary[field]]
        kinds += [("word", field, w) for w in vocabulary[field]]
    return {"means": means, "categories": categories, "vocabulary": vocabulary, "names": names, "kinds": kinds,
            "records": records, "settings": (numeric, categorical, text, min_df)}


def reference_transform(ref, records):
    X = np.zeros((len(records), len(ref["names"])))
    for j, (kind, field, extra) in enumerate(ref["kinds"]):
        for i, record in enumerate(records):
            raw = record.get(field, ABSENT)
            if kind == "value":
                number = number_or_none(raw)
                X[i, j] = ref["means"][field] if number is None else number
            elif kind == "flag":
                X[i, j] = float(number_or_none(raw) is None)
            elif kind == "category":
                X[i, j] = float(not is_missing(raw) and str(raw) == extra)
            else:
                X[i, j] = words_of(raw).count(extra)
    return X


# --- records -------------------------------------------------------------------------------------------
def random_text(rng, words, n_words):
    """Words in random case, joined by punctuation, sometimes repeated (a bag of words counts them)."""
    chosen = [words[int(k)] for k in rng.integers(len(words), size=n_words)]
    if n_words >= 2 and rng.random() < 0.5:
        chosen.append(chosen[0])
    styled = [w.upper() if u < 0.15 else (w.capitalize() if u < 0.4 else w) for w, u in zip(chosen, rng.random(len(chosen)))]
    gaps = [SEPARATORS[int(k)] for k in rng.integers(len(SEPARATORS), size=len(styled))]
    return "".join(w + g for w, g in zip(styled, gaps)).strip()


def put_value(record, field, value, form):
    """Store ``value`` in ``record`` in the given form; missing forms store no usable value."""
    stored = {"number": value, "string": repr(value), "int": int(round(value)), "none": None, "empty": "",
              "nan": float("nan"), "unparseable": "n/a", "true": True, "false": False}
    if form != "absent":
        record[field] = stored[form]


def make_records(rng, n, colors=COLORS, districts=DISTRICTS, words=WORDS, size_mean=50.0):
    """Messy records: numbers, numeric strings, bools, categories, text, each missing in several ways.

    The first forms of ``size`` are spread so that every one of SIZE_FORMS occurs; the records are shuffled.
    """
    size_forms = list(SIZE_FORMS) + [SIZE_FORMS[k] for k in rng.choice(len(SIZE_FORMS), size=max(0, n - len(SIZE_FORMS)),
                                                                       p=[0.5, 0.15, 0.1, 0.05, 0.05, 0.05, 0.05, 0.05])]
    records = []
    for i in range(n):
        record = {"id": f"r{i}"}
        put_value(record, "size", round(float(rng.normal(size_mean, 15.0)), 1), size_forms[i])
        u = rng.random(6)
        put_value(record, "age", float(rng.integers(0, 60)), "int" if u[0] < 0.8 else ("none" if u[0] < 0.9 else "absent"))
        put_value(record, "furnished", 0.0, "true" if u[1] < 0.45 else ("false" if u[1] < 0.85 else ("none" if u[1] < 0.93 else "absent")))
        for field, values, w in (("color", colors, u[2]), ("district", districts, u[3])):
            if w < 0.85:
                record[field] = values[int(rng.integers(len(values)))]
            elif w < 0.9:
                record[field] = None
            elif w < 0.95:
                record[field] = ""
            elif w < 0.97:
                record[field] = float("nan")
        if u[4] < 0.85:
            record["notes"] = random_text(rng, words, int(rng.integers(1, 8)))
        elif u[4] < 0.92:
            record["notes"] = "" if u[5] < 0.5 else None
        records.append(record)
    return [records[k] for k in rng.permutation(n)]


def train_and_test(rng, n_train=60, n_test=30):
    """Training records, and test records with new categories and words and a far larger mean size."""
    train = make_records(rng, n_train)
    test = make_records(rng, n_test, colors=COLORS + ["purple", "orange"], districts=DISTRICTS + ["harbour"],
                        words=WORDS + ["sauna", "terrace"], size_mean=150.0)
    return train, test


# --- feedback ------------------------------------------------------------------------------------------
def settings_text(numeric=NUMERIC, categorical=CATEGORICAL, text=TEXT, min_df=1):
    """How the learner's call was written, for feedback: RecordVectorizer(<this>)."""
    parts = [f"{name}={list(fields)}" for name, fields in (("numeric", numeric), ("categorical", categorical), ("text", text)) if fields]
    return ", ".join(parts + ([f"min_df={min_df}"] if min_df != 1 else []))


def describe(raw):
    if raw is ABSENT:
        return "absent (no such key)"
    if isinstance(raw, float) and math.isnan(raw):
        return "NaN"
    return repr(raw)


def as_list(value):
    """A list, tuple or 1-D array as a list of plain values; anything else as None."""
    if isinstance(value, np.ndarray) and value.ndim == 1:
        return value.tolist()
    return list(value) if isinstance(value, (list, tuple)) else None


def word_mistake(words):
    """Why a list of vocabulary words is wrong, if their spelling shows it (capitals, punctuation), else ''."""
    words = [w for w in words if isinstance(w, str)]
    if any(not re.fullmatch(r"[A-Za-z0-9]+", w) for w in words):
        return (" — words are the runs of letters and digits: punctuation and spaces separate them (use tokenize, "
                "re.findall(r'[a-z0-9]+', text.lower()), not text.split())")
    if any(w != w.lower() for w in words):
        return " — words must be lower-cased (use tokenize, which lower-cases the text first)"
    return ""


def expect_names(got, ref, call, transformed=None):
    """``got`` must be the reference's feature names; a mismatch is explained in the learner's terms.

    ``transformed``: records given to transform since fit, whose new categories and words must not show up.
    """
    expected = ref["names"]
    if as_list(got) is None or not all(isinstance(name, str) for name in as_list(got)):
        fail(f"{call} is {show(got)}; expected a list of str (the column names)")
    got = as_list(got)
    if got == expected:
        return got
    extra = [n for n in got if n not in expected]
    missing = [n for n in expected if n not in got]
    if extra and transformed is not None:
        numeric, categorical, text, min_df = ref["settings"]
        learned_later = set(reference(transformed, (), categorical, text, 1)["names"]) - set(expected)
        if set(extra) <= learned_later:
            fail(f"{call} has new names {extra[:5]}{' ...' if len(extra) > 5 else ''}, from the records given to "
                 "transform: the columns were learned again at transform time. Categories and words come from the "
                 "training records only (in fit); transform fills the columns fit decided")
    flags = [n for n in expected if n.endswith("_missing")]
    if flags and all(n in missing for n in flags):
        fail(f"{call} has no missing-value flag columns ({flags}); expected each numeric field's column to be "
             "followed by '<field>_missing' (1.0 where the value was missing)")
    for name in extra:
        field, _, value = name.partition("=")
        if field in ref["categories"] and value in ("", "None", "nan", "NaN"):
            fail(f"{call} has a column {name!r}: a missing value became a category. None, '' and NaN are missing "
                 "values, not categories: leave them out of categories_")
        field, _, word = name.partition(":")
        if field in ref["vocabulary"] and word_mistake([word]):
            fail(f"{call} has a column {name!r}{word_mistake([word])}")
    if sorted(got) == sorted(expected):
        position = next(k for k, (a, b) in enumerate(zip(got, expected)) if a != b)
        message = (f"{call} has the right names in another order: at position {position} it has {got[position]!r}, "
                   f"expected {expected[position]!r}")
        kind, field, _ = ref["kinds"][position]
        if kind in ("category", "word"):
            fail(f"{message} — the {'categories' if kind == 'category' else 'words'} of {field!r} must be sorted, "
                 "not kept in order of appearance")
        fail(f"{message} — the documented order: each numeric field (in the order given) with its '_missing' "
             "flag, then the categorical fields, then the text fields")
    fail(f"{call} is {show(got)}; expected {show(expected)} ({len(expected)} names). "
         f"Unexpected: {extra[:5]}{' ...' if len(extra) > 5 else ''}; missing: {missing[:5]}{' ...' if len(missing) > 5 else ''}")
    return got


def explain_cell(ref, records, got, expected, i, j):
    """Why row i, column j of the learner's matrix differs from the reference: the mistake, in words."""
    kind, field, extra = ref["kinds"][j]
    raw = records[i].get(field, ABSENT)
    value, want = float(got[i, j]), float(expected[i, j])
    if kind == "value":
        if is_missing(raw) or number_or_none(raw) is None:
            present = [v for v in (number_or_none(r.get(field, ABSENT)) for r in records) if v is not None]
            training = [number_or_none(r.get(field, ABSENT)) for r in ref["records"]]
            typed = [r[field] for r in ref["records"] if isinstance(r.get(field), (int, float)) and not is_missing(r.get(field))]
            if value == 0.0:
                return "a missing value is filled with 0; fill it with the training mean, numeric_means_[field]"
            if present and np.isclose(value, np.mean(present), rtol=1e-9):
                return ("a missing value is filled with the mean of the records being transformed: that leaks "
                        "them into the features; use the training mean stored by fit, numeric_means_[field]")
            if np.isclose(value, np.mean([0.0 if v is None else v for v in training]), rtol=1e-9):
                return ("the fill value is the training mean with the missing values counted as 0: average only the "
                        "values that are present")
            if typed and np.isclose(value, np.mean(typed), rtol=1e-9):
                return ("the fill value leaves the numeric strings (such as '54.5') out of the training mean: parse "
                        "them with float()")
            if isinstance(raw, str) and raw != "":
                return "a string that does not parse as a number counts as missing: fill with the training mean"
            return "a missing value is filled with the training mean, numeric_means_[field]"
        if isinstance(raw, str):
            return f"numeric strings are numbers: float({raw!r}) = {float(raw)!r}, not a missing value"
        if isinstance(raw, bool):
            return f"bools count as numbers: float({raw}) = {float(raw)}"
        return "a present value is copied as it is (as a float)"
    if kind == "flag":
        if want == 1.0:
            return f"the value {describe(raw)} is missing, so its '{field}_missing' flag is 1.0 (absent, None, '', NaN and unparseable strings are all missing)"
        return f"the value {describe(raw)} is present (numeric strings and bools count), so its flag is 0.0"
    if kind == "category":
        if value == 1.0 and not is_missing(raw) and str(raw) not in ref["categories"][field]:
            return (f"the category {raw!r} was not seen in fit, so it has no column: the whole '{field}=...' block "
                    "stays 0 (do not map it to a neighbouring column)")
        if value == 1.0 and is_missing(raw):
            return "a missing value gives zeros in the whole block"
        return f"one-hot: 1.0 in the column '{field}={raw}' of the record's own category, 0.0 in the others"
    words = words_of(raw)
    if value == 1.0 and want > 1.0:
        return f"the word {extra!r} occurs {int(want)} times in this text: a bag of words counts, it does not mark presence"
    if value < want and isinstance(raw, str) and extra in raw.lower() and extra not in raw.split():
        return (f"the text has {extra!r} in capitals or next to punctuation; tokenize lower-cases it and splits on "
                "everything that is not a letter or digit")
    return f"the value is the number of times {extra!r} occurs among the words {words}"


def expect_matrix(got, ref, records, call, columns=None):
    """``got`` must equal the reference transform of ``records`` (in ``columns``, or everywhere)."""
    expected = reference_transform(ref, records)
    n, k = expected.shape
    if isinstance(got, np.ndarray) and got.ndim == 2 and got.shape[0] == n and got.shape[1] != k:
        fail(f"{call} returned {got.shape[1]} columns; expected {k}, one per name of feature_names_ — the columns are "
             "decided in fit: transform must not add (or drop) columns for the records it is given")
    if isinstance(got, np.ndarray) and got.shape == (n, k) and np.issubdtype(got.dtype, np.floating) and np.isnan(got).any():
        i, j = (int(a) for a in np.argwhere(np.isnan(got))[0])
        fail(f"{call}: row {i}, column {ref['names'][j]!r} is nan (the record's value is "
             f"{describe(records[i].get(ref['kinds'][j][1], ABSENT))}) — a missing value must be replaced by the "
             "training mean, never passed on")
    got = expect_array(got, call, (n, k))
    columns = range(k) if columns is None else columns
    for j in columns:
        wrong = np.flatnonzero(~np.isclose(got[:, j], expected[:, j], rtol=1e-9, atol=1e-9))
        if wrong.size:
            i = int(wrong[0])
            kind, field, _ = ref["kinds"][j]
            fail(f"{call}: row {i}, column {ref['names'][j]!r} is {got[i, j]:.6g}; expected {expected[i, j]:.6g} "
                 f"(the record's {field!r} is {describe(records[i].get(field, ABSENT))}) — "
                 f"{explain_cell(ref, records, got, expected, i, j)}")
    return got


def columns_of(ref, *kinds):
    return [j for j, (kind, _, _) in enumerate(ref["kinds"]) if kind in kinds]


def fitted(learner, records, call, **settings):
    """A learner RecordVectorizer fitted on ``records``; fit must return the vectorizer itself."""
    settings = {"numeric": NUMERIC, "categorical": CATEGORICAL, "text": TEXT, **settings}
    vectorizer = learner.RecordVectorizer(**settings)
    returned = expect_no_error(lambda: vectorizer.fit(records), call)
    if returned is not vectorizer:
        fail(f"{call} returned {show(returned)}; expected the vectorizer itself (end fit with `return self`)")
    return vectorizer


def same_records(a, b):
    """Equal records, NaN equal to NaN (a record fetched back holds a new NaN object)."""
    if isinstance(a, float) and isinstance(b, float) and math.isnan(a) and math.isnan(b):
        return True
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(same_records(a[key], b[key]) for key in a)
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(same_records(x, y) for x, y in zip(a, b))
    return type(a) is type(b) and a == b


# --- tests ---------------------------------------------------------------------------------------------
@pytest.mark.points(1)
def test_tokenize(learner, rng):
    """tokenize lower-cases the text and returns its runs of letters and digits; None gives []"""
    for text, expected in (("Bright, RENOVATED 3-room flat!", ["bright", "renovated", "3", "room", "flat"]),
                           ("", []), (None, []), ("  ...  ", [])):
        got = learner.tokenize(text)
        if not isinstance(got, (list, tuple)) or list(got) != expected:
            fail(f"tokenize({text!r}) returned {show(got)}; expected {expected}")
    for _ in range(5):
        text = random_text(rng, WORDS + ["Sauna", "m2", "4th"], int(rng.integers(3, 10)))
        expected = words_of(text)
        got = learner.tokenize(text)
        if not isinstance(got, (list, tuple)) or list(got) != expected:
            message = f"tokenize({text!r}) returned {show(got)}; expected {expected}"
            if isinstance(got, (list, tuple)) and [w.lower() for w in got if isinstance(w, str)] == expected:
                fail(f"{message} — lower-case the text first")
            if isinstance(got, (list, tuple)) and list(got) in (text.split(), text.lower().split()):
                fail(f"{message} — splitting on spaces keeps the punctuation ('flat,' is not 'flat'): find the runs "
                     "of letters and digits with re.findall(r'[a-z0-9]+', text.lower())")
            fail(message)


@pytest.mark.points(2)
def test_fit_learns_means_categories_vocabulary(learner, rng):
    """fit returns self and learns numeric_means_, categories_ and vocabulary_ from the training records"""
    train = make_records(rng, 50)
    ref = reference(train)
    call = f"RecordVectorizer({SETTINGS}).fit(records)"
    vectorizer = fitted(learner, train, call)
    means = vectorizer.numeric_means_
    if not isinstance(means, dict) or sorted(means) != sorted(NUMERIC):
        fail(f"{call}.numeric_means_ is {show(means)}; expected a dict with one mean per numeric field {list(NUMERIC)}")
    for field in NUMERIC:
        want = ref["means"][field]
        try:
            value = float(means[field])
        except (TypeError, ValueError):
            fail(f"{call}.numeric_means_[{field!r}] is {show(means[field])}; expected a number, {want:.6g}")
        if not np.isclose(value, want, rtol=1e-9):
            values = [number_or_none(r.get(field, ABSENT)) for r in train]
            with_zeros = np.mean([0.0 if v is None else v for v in values])
            typed = [r[field] for r in train if isinstance(r.get(field), (int, float)) and not is_missing(r.get(field))]
            why = ""
            if np.isclose(value, with_zeros, rtol=1e-9):
                why = " — the missing values were counted as 0: average only the values that are present"
            elif typed and np.isclose(value, np.mean(typed), rtol=1e-9):
                why = " — the numeric strings (such as '54.5') were left out: parse them with float()"
            fail(f"{call}.numeric_means_[{field!r}] is {value:.6g}; expected {want:.6g}, the mean of the "
                 f"{sum(v is not None for v in values)} present values{why}")
    for attribute, expected in (("categories_", ref["categories"]), ("vocabulary_", ref["vocabulary"])):
        got = getattr(vectorizer, attribute)
        if not isinstance(got, dict) or sorted(got) != sorted(expected):
            fail(f"{call}.{attribute} is {show(got)}; expected a dict with one entry per field {sorted(expected)}")
        for field, values in expected.items():
            mine = as_list(got[field])
            if mine != values:
                why = ""
                if mine is not None and sorted(map(str, mine)) == values:
                    why = " — sort them"
                elif mine is not None and any(m in ("", None, "None", "nan") or (isinstance(m, float) and math.isnan(m)) for m in mine):
                    why = " — None, '' and NaN are missing values, not categories"
                elif attribute == "vocabulary_" and mine is not None:
                    why = word_mistake(mine)
                fail(f"{call}.{attribute}[{field!r}] is {show(mine)}; expected {show(values)}{why}")


@pytest.mark.points(2)
def test_feature_names_in_documented_order(learner, rng):
    """feature_names_: numeric fields (with _missing flags) in the order given, then field=category, then field:word"""
    train = make_records(rng, 50)
    call = f"RecordVectorizer({SETTINGS}).fit(records)"
    expect_names(fitted(learner, train, call).feature_names_, reference(train), f"{call}.feature_names_")
    settings = dict(numeric=("age",), categorical=("district",), text=())
    call = f"RecordVectorizer({settings_text(**settings)}).fit(records)"
    expect_names(fitted(learner, train, call, **settings).feature_names_, reference(train, **settings), f"{call}.feature_names_")


@pytest.mark.points(2)
def test_numeric_columns_and_missing_flags(learner, rng):
    """numeric columns hold the value (numeric strings parsed, bools as 0/1) or the training mean, plus a 0/1 missing flag"""
    train = make_records(rng, 60)
    ref = reference(train, **NUMERIC_ONLY)
    fit_call = f"RecordVectorizer({settings_text(**NUMERIC_ONLY)}).fit(records)"
    vectorizer = fitted(learner, train, fit_call, **NUMERIC_ONLY)
    expect_names(vectorizer.feature_names_, ref, f"{fit_call}.feature_names_")
    call = f"{fit_call}.transform(records)"
    got = expect_no_error(lambda: vectorizer.transform(train), call)
    expect_matrix(got, ref, train, call, columns_of(ref, "flag"))
    expect_matrix(got, ref, train, call, columns_of(ref, "value"))


@pytest.mark.points(2)
def test_missing_numbers_get_the_training_mean(learner, rng):
    """transform fills a missing number with the TRAINING mean, even for test records whose own mean is far away"""
    train, test = train_and_test(rng)
    ref = reference(train, **NUMERIC_ONLY)
    fit_call = f"RecordVectorizer({settings_text(**NUMERIC_ONLY)}).fit(train)"
    vectorizer = fitted(learner, train, fit_call, **NUMERIC_ONLY)
    expect_names(vectorizer.feature_names_, ref, f"{fit_call}.feature_names_")
    call = f"{fit_call}.transform(test) (the test sizes are about 150, the training sizes about 50)"
    got = expect_no_error(lambda: vectorizer.transform(test), call)
    expect_matrix(got, ref, test, call)


@pytest.mark.points(2)
def test_categorical_one_hot(learner, rng):
    """each categorical field becomes one 0/1 column per training category; a missing value gives zeros"""
    train = make_records(rng, 60)
    ref = reference(train, **CATEGORICAL_ONLY)
    fit_call = f"RecordVectorizer({settings_text(**CATEGORICAL_ONLY)}).fit(records)"
    vectorizer = fitted(learner, train, fit_call, **CATEGORICAL_ONLY)
    expect_names(vectorizer.feature_names_, ref, f"{fit_call}.feature_names_")
    call = f"{fit_call}.transform(records)"
    expect_matrix(expect_no_error(lambda: vectorizer.transform(train), call), ref, train, call)


@pytest.mark.points(2)
def test_unseen_categories_and_words_add_no_column(learner, rng):
    """a category or word first seen at transform time adds no column and gives zeros, without an error"""
    train, test = train_and_test(rng)
    settings = dict(numeric=(), categorical=CATEGORICAL, text=TEXT)
    ref = reference(train, **settings)
    fit_call = f"RecordVectorizer({settings_text(**settings)}).fit(train)"
    vectorizer = fitted(learner, train, fit_call, **settings)
    expect_names(vectorizer.feature_names_, ref, f"{fit_call}.feature_names_")
    call = f"{fit_call}.transform(test), where test has categories and words not seen in fit ('purple', 'sauna', ...)"
    try:
        got = vectorizer.transform(test)
    except (LearnerNotStarted, LearnerTimeout):
        raise
    except LearnerError as error:
        fail(f"{call} raised {error.type_name}: {error.message} — a category or word not seen in fit has no column: "
             "skip it (zeros in its block), do not raise")
    expect_names(vectorizer.feature_names_, ref, "after transform(test), feature_names_", transformed=test)
    expect_matrix(got, ref, test, call)


@pytest.mark.points(2)
def test_transform_uses_only_what_fit_learned(learner, rng):
    """a row depends on its own record only: transforming fewer records, or one, gives the same rows"""
    train, test = train_and_test(rng)
    ref = reference(train)
    fit_call = f"RecordVectorizer({SETTINGS}).fit(train)"
    vectorizer = fitted(learner, train, fit_call)
    expect_names(vectorizer.feature_names_, ref, f"{fit_call}.feature_names_")
    for part, label in ((test, "test"), (test[:7], "test[:7]"), (test[7:8], "test[7:8]"), (train, "train")):
        call = f"{fit_call}.transform({label})"
        got = expect_no_error(lambda: vectorizer.transform(part), call)
        expect_names(vectorizer.feature_names_, ref, f"after transform({label}), feature_names_", transformed=part)
        expect_matrix(got, ref, part, call)


@pytest.mark.points(2)
def test_bag_of_words_counts(learner, rng):
    """each text field becomes word counts over the sorted vocabulary, case-insensitive, punctuation ignored"""
    train = make_records(rng, 60)
    ref = reference(train, **TEXT_ONLY)
    fit_call = f"RecordVectorizer({settings_text(**TEXT_ONLY)}).fit(records)"
    vectorizer = fitted(learner, train, fit_call, **TEXT_ONLY)
    expect_names(vectorizer.feature_names_, ref, f"{fit_call}.feature_names_")
    call = f"{fit_call}.transform(records)"
    expect_matrix(expect_no_error(lambda: vectorizer.transform(train), call), ref, train, call)


@pytest.mark.points(2)
def test_min_df_counts_records(learner, rng):
    """min_df keeps the words that appear in at least min_df training records (repeats within a record count once)"""
    words = [WORDS[k] for k in rng.permutation(len(WORDS))[:8]]
    # word -> (number of records it appears in, times it is repeated in each): with min_df = 3 the first three
    # are kept (one at exactly 3 records), the others not, though three of them occur 3 or more times in all
    plan = dict(zip(words, [(3, 1), (5, 1), (4, 2), (2, 1), (1, 4), (2, 3), (1, 1), (2, 1)]))
    texts = [[] for _ in range(12)]
    for word, (n_records, repeats) in plan.items():
        for k in rng.choice(12, size=n_records, replace=False):
            texts[k] += [word] * repeats
    records = []
    for text in texts:
        order = rng.permutation(len(text))
        records.append({"text": ", ".join(text[m] for m in order).capitalize() if text else None})
    settings = dict(numeric=(), categorical=(), text=("text",), min_df=3)
    ref = reference(records, **settings)
    call = f"RecordVectorizer({settings_text(**settings)}).fit(records)"
    vectorizer = fitted(learner, records, call, **settings)
    vocabulary = vectorizer.vocabulary_
    got = as_list(vocabulary.get("text")) if isinstance(vocabulary, dict) else None
    expected = ref["vocabulary"]["text"]
    if got != expected:
        occurrences = sorted(w for w, (n, r) in plan.items() if n * r >= 3)
        strict = sorted(w for w, (n, r) in plan.items() if n > 3)
        why = ""
        if got is not None and sorted(map(str, got)) == occurrences:
            why = (" — that counts occurrences; min_df counts the RECORDS a word appears in (a word repeated in one "
                   "record counts once: count a set of each record's words)")
        elif got is not None and sorted(map(str, got)) == strict:
            why = " — a word in exactly min_df records is kept: use >= min_df"
        elif got is not None:
            why = word_mistake(got)
        counts = {w: n for w, (n, _) in plan.items()}
        fail(f"{call}.vocabulary_['text'] is {show(got)}; expected {expected} (the words in at least 3 of the 12 "
             f"records; records per word: {counts}){why}")
    expect_names(vectorizer.feature_names_, ref, f"{call}.feature_names_")


@pytest.mark.points(2)
def test_order_of_training_records_does_not_matter(learner, rng):
    """shuffling the training records gives the same columns and means, and the rows follow the shuffle"""
    train = make_records(rng, 50)
    ref = reference(train)
    fit_call = f"RecordVectorizer({SETTINGS}).fit(records)"
    first = fitted(learner, train, fit_call)
    expect_names(first.feature_names_, ref, f"{fit_call}.feature_names_")
    X = expect_matrix(expect_no_error(lambda: first.transform(train), f"{fit_call}.transform(records)"), ref, train,
                      f"{fit_call}.transform(records)")
    order = rng.permutation(len(train))
    shuffled = [train[k] for k in order]
    call = f"RecordVectorizer({SETTINGS}).fit(shuffled)"
    second = fitted(learner, shuffled, call)
    expect_names(second.feature_names_, ref, f"{call}.feature_names_ (the same records in another order)")
    got = expect_no_error(lambda: second.transform(shuffled), f"{call}.transform(shuffled)")
    got = expect_array(got, f"{call}.transform(shuffled)", X.shape)
    if not np.allclose(got, X[order], rtol=1e-9, atol=1e-9):
        i, j = (int(a) for a in np.argwhere(~np.isclose(got, X[order], rtol=1e-9, atol=1e-9))[0])
        fail(f"{call}.transform(shuffled): row {i} (record {int(order[i])} of the original order), column "
             f"{ref['names'][j]!r} is {got[i, j]:.6g}; expected {X[order][i, j]:.6g} as before the shuffle — the "
             "columns and their values must not depend on the order of the training records")


@pytest.mark.points(1)
def test_records_are_not_modified(learner, worker, rng):
    """fit, transform and vectorize_records leave the records unchanged (no key added, no value replaced)"""
    train = make_records(rng, 40)
    seen = reference(train)["categories"]
    test = make_records(rng, 20, colors=seen["color"], districts=seen["district"])
    def fit_then_transform(train_records, test_records):
        vectorizer = learner.RecordVectorizer(numeric=NUMERIC, categorical=CATEGORICAL, text=TEXT)
        vectorizer.fit(train_records)
        return vectorizer.transform(test_records)

    for label, run in (
        (f"RecordVectorizer({SETTINGS}).fit(train), then transform(test)", fit_then_transform),
        (f"vectorize_records(train, test, {SETTINGS})",
         lambda tr, te: learner.vectorize_records(tr, te, numeric=NUMERIC, categorical=CATEGORICAL, text=TEXT)),
    ):
        stored_train, stored_test = worker.put(train), worker.put(test)
        expect_no_error(lambda: run(stored_train, stored_test), label)
        for name, before, handle in (("train", train, stored_train), ("test", test, stored_test)):
            after = worker.fetch(handle)
            if same_records(before, after):
                continue
            if not isinstance(after, list) or len(after) != len(before):
                fail(f"{label} changed the list {name}: it had {len(before)} records, now {show(after)}")
            k = next(k for k, (a, b) in enumerate(zip(before, after)) if not same_records(a, b))
            changed = sorted(key for key in set(before[k]) | set(after[k])
                             if not same_records(before[k].get(key, ABSENT), after[k].get(key, ABSENT)))
            key = changed[0] if changed else None
            fail(f"{label} changed {name}[{k}] in place: its {key!r} was {describe(before[k].get(key, ABSENT))}, now "
                 f"{describe(after[k].get(key, ABSENT))} — read the records, never write into them (parse and fill "
                 "into the matrix, not into the dicts)")


@pytest.mark.points(1)
def test_numeric_field_without_values_is_an_error(learner, rng):
    """fit raises a ValueError naming the field when a numeric field has no present value in the training records"""
    train = make_records(rng, 20)
    for k, record in enumerate(train):
        put_value(record, "rent", 0.0, ("absent", "none", "empty", "nan", "unparseable")[k % 5])
    call = "RecordVectorizer(numeric=['size', 'rent']).fit(records) where 'rent' is missing in every record"
    vectorizer = learner.RecordVectorizer(numeric=("size", "rent"))
    message = expect_value_error(lambda: vectorizer.fit(train), call, "(there is no mean to fill 'rent' with)")
    if "rent" not in message:
        fail(f"{call} raised ValueError({message!r}); expected a message that names the field 'rent'")


@pytest.mark.points(1)
def test_fit_transform_and_vectorize_records(learner, rng):
    """fit_transform(train) is fit then transform; vectorize_records fits on train only and returns (X_train, X_test, names)"""
    train, test = train_and_test(rng)
    ref = reference(train, min_df=2)
    call = f"RecordVectorizer({SETTINGS}, min_df=2).fit_transform(train)"
    vectorizer = learner.RecordVectorizer(numeric=NUMERIC, categorical=CATEGORICAL, text=TEXT, min_df=2)
    got = expect_no_error(lambda: vectorizer.fit_transform(train), call)
    expect_names(vectorizer.feature_names_, ref, f"after {call}, feature_names_")
    expect_matrix(got, ref, train, call)
    call = f"vectorize_records(train, test, {SETTINGS}, min_df=2)"
    result = expect_no_error(lambda: learner.vectorize_records(train, test, numeric=NUMERIC, categorical=CATEGORICAL,
                                                            text=TEXT, min_df=2), call)
    if not isinstance(result, (tuple, list)) or len(result) != 3:
        fail(f"{call} returned {show(result)}; expected a tuple (X_train, X_test, feature_names)")
    X_train, X_test, names = result
    expect_names(names, ref, f"{call}[2] (feature_names)", transformed=test)
    expect_matrix(X_train, ref, train, f"{call}[0] (X_train)")
    expect_matrix(X_test, ref, test, f"{call}[1] (X_test)")


@pytest.mark.points(2)
def test_listings_price_model(learner, rng):
    """on the listings data, a ridge regression fitted on X_train predicts the prices of X_test with R² >= 0.7"""
    records = load_records("listings")
    prices = np.array([record.pop("price") for record in records], dtype=float)  # the target is not an input
    order = rng.permutation(len(records))
    train, test = [records[k] for k in order[:300]], [records[k] for k in order[300:]]
    y_train, y_test = prices[order[:300]], prices[order[300:]]
    call = ("vectorize_records(train, test, numeric=['area_m2', 'rooms', 'floor', 'has_balcony'], "
            "categorical=['city'], text=['description'], min_df=2) on the listings data")
    result = expect_no_error(lambda: learner.vectorize_records(train, test, **LISTINGS_FIELDS), call)
    if not isinstance(result, (tuple, list)) or len(result) != 3:
        fail(f"{call} returned {show(result)}; expected a tuple (X_train, X_test, feature_names)")
    X_train, X_test, names = result
    for got, label, rows in ((X_train, "X_train", 300), (X_test, "X_test", 100)):
        if not isinstance(got, np.ndarray) or got.ndim != 2 or got.shape[0] != rows:
            expect_array(got, f"{call}: {label}", (rows, len(as_list(names)) if as_list(names) is not None else "n_features"))
        if np.issubdtype(got.dtype, np.floating) and np.isnan(got).any():
            j = int(np.argwhere(np.isnan(got))[0][1])
            column = as_list(names)[j] if as_list(names) is not None and len(as_list(names)) == got.shape[1] else f"number {j}"
            fail(f"{call}: {label} has nan in column {column!r} — a missing value (absent, None, '', 'n/a') must be "
                 "replaced by the training mean, never passed on")
    if X_test.shape[1] != X_train.shape[1]:
        fail(f"{call}: X_train has {X_train.shape[1]} columns but X_test has {X_test.shape[1]} — the test records "
             "must get exactly the columns learned from the training records")
    if as_list(names) is None or len(as_list(names)) != X_train.shape[1]:
        fail(f"{call}: the feature names are {show(names)}; expected a list of {X_train.shape[1]} names, one per column")
    X_train = expect_array(X_train, f"{call}: X_train", X_train.shape)
    X_test = expect_array(X_test, f"{call}: X_test", X_test.shape)
    r2 = RidgeRegressor(alpha=10.0).fit(X_train, y_train).score(X_test, y_test)
    if not r2 >= LISTINGS_MIN_R2:
        fail(f"a ridge regression (alpha=10) fitted on your X_train predicts the 100 test prices with R² = {r2:.3f}; "
             f"expected at least {LISTINGS_MIN_R2} (the documented features reach about 0.83)")
