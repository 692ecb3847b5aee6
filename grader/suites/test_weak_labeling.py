"""Hidden suite for exercise 25, weak_labeling.

The label matrix and its summaries have one right answer each, so they are compared with plain loop
references written here: ``apply_labeling_functions`` on kit labeling functions whose votes are scripted
(class 0 votes, ``None`` for abstain, numpy integers), the learner's own keyword functions on crafted
records and on generated e-mails full of traps (capitals, punctuation, words such as "window" that
contain the keyword "win"), ``coverage`` and ``conflicts`` against loops, ``majority_vote`` on rows
where abstains outnumber the votes, on ties (documented: the smallest tied class) and on rows without
any vote (documented: ABSTAIN).

The label model is judged by what it achieves, so that any correct method passes (EM, a method of
moments on triplets of functions...): on label matrices drawn from functions of KNOWN, unequal
accuracies and coverages, conditionally independent given the true label, the accuracies it estimates
from the votes alone must be close to each function's real accuracy in the sample, and its labels must
be clearly more accurate than the majority vote's, in the binary and in the 3-class case. Its
``predict_proba`` must be the posterior its own ``accuracies_`` and ``class_prior_`` define (the
documented model), permuting the functions must permute ``accuracies_``, and ``fit`` takes no labels.
"""

import re

import numpy as np
import pytest

from grader.learner import LearnerError, LearnerNotStarted, LearnerTimeout
from grader.protocol import KitObject
from grader.support.checks import expect_array, expect_close, expect_no_error, expect_value_error, fail, show
from grader.support.weak_supervision import (
    ABSTAIN,
    empirical_accuracies,
    exclamation_marks,
    label_matrix,
    many_links,
    spam_records,
    trusted_sender,
)

KIT = "grader.support.weak_supervision"

# Labeling functions of very unequal quality: a few careful ones that vote rarely, several sloppy ones
# that vote on nearly everything and outvote the careful ones in a majority vote.
ACCURACIES = {2: np.array([0.95, 0.9, 0.8, 0.65, 0.6, 0.55, 0.55]),
              3: np.array([0.9, 0.85, 0.75, 0.6, 0.5, 0.45, 0.45])}  # chance is 1/3 for three classes
COVERAGES = np.array([0.3, 0.35, 0.5, 0.8, 0.85, 0.9, 0.9])
PRIORS = {2: np.array([0.6, 0.4]), 3: np.array([0.5, 0.3, 0.2])}


def setting(rng, n_classes, n_records):
    """A label matrix from 7 functions of known quality in random order: L, y, true accuracies, coverages."""
    order = rng.permutation(len(COVERAGES))
    accuracies, coverages = ACCURACIES[n_classes][order], COVERAGES[order]
    L, y = label_matrix(rng, n_records, accuracies, coverages, PRIORS[n_classes])
    return L, y, accuracies, coverages


def numbers(values, digits=3):
    """All the values of a short vector, for feedback (show() cuts arrays longer than 6)."""
    return "[" + ", ".join(f"{value:.{digits}f}" if isinstance(value, float) else str(value)
                           for value in np.asarray(values).tolist()) + "]"


def expect_int_matrix(got, call, shape):
    got = expect_array(got, call, shape)
    if not np.issubdtype(got.dtype, np.integer):
        if np.all(got == np.round(got)):
            fail(f"{call} returned an array of dtype {got.dtype}; expected integers (votes are classes): "
                 "build it with dtype=int")
        fail(f"{call} returned {show(got)}; expected integer votes (classes or -1)")
    return got


# --- references --------------------------------------------------------------------------------------
def keyword_vote(record, keywords, label, field, how="words"):
    """The documented keyword rule ("words"), and the usual wrong ones for the feedback."""
    text = record.get(field)
    if not isinstance(text, str):
        return ABSTAIN
    if how == "words":
        hit = set(re.findall(r"\w+", text.lower())) & {k.lower() for k in keywords}
    elif how == "substring":
        hit = any(k.lower() in text.lower() for k in keywords)
    elif how == "case":
        hit = set(re.findall(r"\w+", text)) & set(keywords)
    else:  # "split": whitespace split keeps punctuation on the words
        hit = set(text.lower().split()) & {k.lower() for k in keywords}
    return label if hit else ABSTAIN


MISSING_FIELD = "a keyword function abstains when the record has no such field: read it with record.get(field)"

KEYWORD_MISTAKES = {
    "substring": "a keyword matched INSIDE a longer word (a substring test like `keyword in text`): split the text "
                 "into words (re.findall(r'\\w+', text.lower())) and look the keywords up among the words",
    "case": "the match is case-sensitive: lower-case both the text and the keywords before comparing",
    "split": "text.split() keeps punctuation on the words ('cat?' is not 'cat'): take the words with "
             "re.findall(r'\\w+', text.lower()) instead",
}


def coverage_loop(L):
    n, m = L.shape
    return np.array([sum(L[i, j] != ABSTAIN for i in range(n)) / n for j in range(m)])


def conflicts_loop(L):
    n, m = L.shape
    out = np.zeros(m)
    for j in range(m):
        for i in range(n):
            if L[i, j] != ABSTAIN and any(L[i, o] not in (ABSTAIN, L[i, j]) for o in range(m) if o != j):
                out[j] += 1
    return out / n


def vote_rules(row, n_classes):
    """Majority vote of one row under the documented rule and the usual wrong ones."""
    votes = [int(v) for v in row if v != ABSTAIN]
    if not votes:
        return {"documented": ABSTAIN, "class 0 for no vote": 0}
    counts = np.bincount(votes, minlength=n_classes)
    tied = np.flatnonzero(counts == counts.max())
    values, with_abstain = np.unique(np.asarray(row), return_counts=True)
    return {"documented": int(tied[0]), "largest tied class": int(tied[-1]),
            "first vote in the row": next(v for v in votes if v in tied),
            "abstain counted": int(values[np.argmax(with_abstain)])}


def majority_reference(L, n_classes):
    """The documented majority vote, vectorized (for large label matrices)."""
    counts = (L[:, :, None] == np.arange(n_classes)).sum(axis=1)
    return np.where(counts.sum(axis=1) > 0, np.argmax(counts, axis=1), ABSTAIN)


def majority_rules(L, n_classes):
    rules = [vote_rules(row, n_classes) for row in L]
    names = {name for rule in rules for name in rule}
    return {name: np.array([rule.get(name, rule["documented"]) for rule in rules]) for name in names}


MAJORITY_MISTAKES = {
    "largest tied class": "a tie went to the LARGEST tied class; the documented rule is the smallest (np.argmax "
                          "returns the first maximum; a `>=` comparison in a loop keeps the last one)",
    "first vote in the row": "a tie went to the class voted first in the row (Counter.most_common keeps the order "
                             "it met the classes in); the documented rule is the smallest tied class: count the "
                             "votes per class and take np.argmax",
    "abstain counted": "ABSTAIN (-1) was counted like a class, so where most functions abstain the row got -1: "
                       "count only the votes 0..n_classes-1",
    "class 0 for no vote": "a row where every function abstains got class 0 (np.argmax of all-zero counts); it must "
                           "get ABSTAIN (-1): there is nothing to go on",
}


def posterior(L, accuracies, prior, n_classes):
    """The documented model's P(y | votes) for given accuracies and prior."""
    accuracies = np.clip(np.asarray(accuracies, dtype=float), 1e-12, 1 - 1e-12)
    weights = np.log(accuracies * (n_classes - 1) / (1 - accuracies))
    one_hot = L[:, :, None] == np.arange(n_classes)
    with np.errstate(divide="ignore"):
        scores = np.log(np.asarray(prior, dtype=float)) + (one_hot * weights[:, None]).sum(axis=1)
    scores = np.exp(scores - scores.max(axis=1, keepdims=True))
    return scores / scores.sum(axis=1, keepdims=True)


def fit_label_model(learner, L, n_classes, what):
    call = f"LabelModel(n_classes={n_classes}).fit(L) on {what}"
    model = learner.LabelModel(n_classes=n_classes)
    returned = model.fit(L)
    if returned is None:
        fail(f"{call} returned None; expected the model itself (end fit with `return self`)")
    accuracies = expect_array(model.accuracies_, f"{call}.accuracies_", (L.shape[1],))
    return model, accuracies, call


def expect_accuracies(accuracies, L, y, call, tolerance=0.08):
    """The estimated accuracies must be close to the functions' real accuracies in this sample."""
    real = empirical_accuracies(L, y)
    error = np.abs(accuracies - real)
    if np.all(error <= tolerance):
        return
    j = int(np.argmax(error))
    message = (f"{call}: accuracies_ is {numbers(accuracies)}; the functions are really right on "
               f"{numbers(real)} of their votes (tolerance {tolerance}). Worst: function {j}, "
               f"estimated {accuracies[j]:.3f}, really {real[j]:.3f}")
    n_classes = int(L.max()) + 1
    coverages = (L != ABSTAIN).mean(axis=0)
    if np.all(np.abs(accuracies - real * coverages) <= tolerance):
        fail(message + " — your estimates look like accuracy x coverage: an abstain is not a mistake, so average "
             "over the records where the function votes, not over all records")
    if np.all(np.abs(accuracies - 1.0 / n_classes) < 0.02):
        fail(message + f" — every accuracy is stuck at chance (1/{n_classes}): at chance every vote weighs "
             "log(1) = 0, the posterior is the prior and EM never moves; start better than chance, e.g. 0.7")
    if np.all(np.abs(accuracies - (1 - real)) <= tolerance):
        fail(message + " — your estimates are 1 - accuracy: the classes came out swapped; start the accuracies "
             "above chance (e.g. 0.7) so that agreeing with the others means being right")
    if np.all(accuracies < real):
        fail(message + " — every estimate is below the real one. Two usual causes: abstains counted as mistakes "
             "(the M-step averages the posterior of the voted class over the records where the function VOTES, "
             "not over all records), or weights other than log(a (k-1) / (1 - a)), which let EM drift to swapped "
             "classes")
    if np.allclose(accuracies, accuracies[0], atol=1e-3):
        fail(message + " — every function got the same accuracy: the estimates must come from how each function "
             "agrees with the others (M-step: the mean posterior of the class it voted for, over its votes)")
    fail(message)


# --- the label matrix --------------------------------------------------------------------------------
@pytest.mark.points(2)
def test_apply_labeling_functions(learner, rng):
    """apply_labeling_functions gives L[i, j] = functions[j](records[i]): class 0 votes kept, None as -1"""
    n = 40
    records = [{"id": i, "text": f"record {i}"} for i in range(n)]
    columns = [np.where(rng.uniform(size=n) < 0.6, rng.integers(0, 3, size=n), ABSTAIN) for _ in range(3)]
    columns.append(np.where(rng.uniform(size=n) < 0.5, 0, ABSTAIN))  # votes only for class 0
    columns[0][:3] = [0, 1, 2]  # every class and an abstain appear in the function that returns None
    columns[0][3] = ABSTAIN
    none_flags = [True, False, False, False]
    functions = [KitObject(f"{KIT}:scripted", column, none_for_abstain=flag, name=f"f{j}")
                 for j, (column, flag) in enumerate(zip(columns, none_flags))]
    expected = np.column_stack(columns)
    call = "apply_labeling_functions(records, functions) for 40 records and 4 functions"
    try:
        got = learner.apply_labeling_functions(records, functions)
    except (LearnerNotStarted, LearnerTimeout):
        raise
    except LearnerError as error:
        if "object" in error.message:
            fail(f"{call} returned an array of Python objects ({error.message}): a function that returns None "
                 "abstains, so store ABSTAIN (-1) for it and return an int array")
        fail(f"{call} raised {error.type_name}: {error.message} — note that function 0 returns None when it "
             "abstains: store ABSTAIN (-1) for it")
    if isinstance(got, np.ndarray) and got.shape == (4, n):
        fail(f"{call} returned shape {got.shape}; expected ({n}, 4): one ROW per record, one COLUMN per function")
    got = expect_int_matrix(got, call, (n, 4))
    if np.array_equal(got, expected):
        return
    i, j = (int(v) for v in np.argwhere(got != expected)[0])
    message = (f"{call}: L[{i}, {j}] is {got[i, j]}; function {j} returned "
               f"{'None' if expected[i, j] == ABSTAIN and none_flags[j] else expected[i, j]} on record {i}, so "
               f"expected {expected[i, j]}")
    if np.array_equal(got, np.where(expected == 0, ABSTAIN, expected)):
        fail(message + " — every vote for class 0 became -1: 0 is a real class, but `vote or ABSTAIN` and "
             "`if vote:` treat it as no vote; test `vote is None` instead")
    fail(message)


@pytest.mark.points(2)
def test_keyword_labeling_function(learner, worker):
    """keyword functions vote on whole words in any case ('cat' in 'My CAT.', not in 'concatenate'), else -1"""
    keywords, label = ["cat", "Kitten"], 2
    records = [
        {"text": "my cat sleeps"}, {"text": "concatenate the strings"}, {"text": "CAT"},
        {"text": "Is that your cat?"}, {"text": "a kitten, asleep"}, {"text": "the category is education"},
        {"text": "cats and dogs"}, {"title": "cat"}, {"text": "A DOG, no KITTENS!"}, {"text": "Kitten."},
        {"text": "dog"}, {"text": "the Cat sat on the mat"},
    ]
    call = 'keyword_labeling_function(["cat", "Kitten"], label=2)'
    labeling_function = learner.keyword_labeling_function(keywords, label)
    for record in records:
        expected = keyword_vote(record, keywords, label, "text")
        got = expect_no_error(lambda: labeling_function(record), f"{call}({record!r})", {"KeyError": MISSING_FIELD})
        if got is None and expected == ABSTAIN:
            fail(f"{call}({record!r}) returned None; expected ABSTAIN (-1) when no keyword is a word of the text")
        if isinstance(got, bool) or not isinstance(got, (int, np.integer)) or got != expected:
            message = f"{call}({record!r}) returned {show(got)}; expected {expected}"
            if "text" not in record:
                fail(message + " — the record has no 'text': abstain (read it with record.get(field))")
            for how, why in KEYWORD_MISTAKES.items():
                if got == keyword_vote(record, keywords, label, "text", how):
                    fail(f"{message} — {why}")
            fail(message + f" (the vote is the given label, {label}, when a keyword is one of the words)")
    call = 'keyword_labeling_function(["dog"], label=0, field="title")'
    by_title = learner.keyword_labeling_function(["dog"], 0, field="title")
    for record, expected in (({"title": "Dog days"}, 0), ({"text": "dog"}, ABSTAIN), ({"title": "hot dogs"}, ABSTAIN)):
        got = expect_no_error(lambda: by_title(record), f"{call}({record!r})", {"KeyError": MISSING_FIELD})
        if got is None or isinstance(got, bool) or got != expected:
            fail(f"{call}({record!r}) returned {show(got)}; expected {expected} (the function reads record[field], "
                 "here record['title'])")
    name = worker.fetch(worker.put(KitObject(f"{KIT}:function_name", labeling_function)))
    if "cat" not in name.lower():
        fail(f'{call}: the function is named {name!r}; expected a name that says what it does, like "keyword_cat" '
             "(set labeling_function.__name__ before returning it)")


KEYWORD_SPECS = [(["free", "win", "cash"], 1, "text"), (["Prize", "CLICK", "bonus"], 1, "text"),
                 (["meeting", "report", "thanks"], 0, "text"), (["lunch", "agenda"], 0, "subject")]


@pytest.mark.points(2)
def test_label_matrix_of_spam_records(learner, rng):
    """on generated e-mails, the learner's keyword functions and the kit's functions give the right label matrix"""
    records, _ = spam_records(rng, 300)
    keyword = [(f"keyword_labeling_function({keywords}, {label}, field={field!r})",
                learner.keyword_labeling_function(keywords, label, field=field),
                lambda record, spec=(keywords, label, field): keyword_vote(record, *spec), (keywords, label, field))
               for keywords, label, field in KEYWORD_SPECS]
    kit = [("the kit's exclamation_marks(3)", KitObject(f"{KIT}:exclamation_marks", 3), exclamation_marks(3), None),
           ("the kit's trusted_sender() (returns None when it has no opinion)", KitObject(f"{KIT}:trusted_sender"),
            trusted_sender(), None),
           ("the kit's many_links(3) (returns numpy integers)", KitObject(f"{KIT}:many_links", 3), many_links(3), None)]
    columns = [kit[0], keyword[0], kit[1], keyword[1], keyword[2], kit[2], keyword[3]]
    functions = [remote for _, remote, _, _ in columns]
    expected = np.array([[ABSTAIN if (vote := local(record)) is None else int(vote) for _, _, local, _ in columns]
                         for record in records])
    call = "apply_labeling_functions(records, functions) on 300 e-mails with 7 functions"
    got = expect_no_error(lambda: learner.apply_labeling_functions(records, functions), call,
                          {"KeyError": "some e-mails have no 'subject': " + MISSING_FIELD})
    got = expect_int_matrix(got, call, (300, 7))
    if np.array_equal(got, expected):
        return
    j = int(np.argmax((got != expected).any(axis=0)))
    i = int(np.argmax(got[:, j] != expected[:, j]))
    name, _, _, spec = columns[j]
    message = (f"{call}: column {j}, {name}, differs from the expected votes on {int((got[:, j] != expected[:, j]).sum())} "
               f"of the 300 records; e.g. record {i}, {records[i]!r}: got {got[i, j]}, expected {expected[i, j]}")
    if spec is not None:
        keywords, label, field = spec
        for how, why in KEYWORD_MISTAKES.items():
            if np.array_equal(got[:, j], [keyword_vote(record, keywords, label, field, how) for record in records]):
                fail(f"{message} — {why}")
    fail(message)


@pytest.mark.points(2)
def test_coverage_and_conflicts(learner, rng):
    """coverage and conflicts match loop references (a function that never votes, one that always does)"""
    for n_classes, n, m in ((3, 60, 6), (2, 45, 5)):
        coverages = rng.uniform(0.2, 0.9, size=m)
        coverages[0], coverages[-1] = 0.0, 1.0
        L = np.where(rng.uniform(size=(n, m)) < coverages, rng.integers(0, n_classes, size=(n, m)), ABSTAIN)
        what = f"L of shape {L.shape} with {n_classes} classes (function 0 never votes, function {m - 1} always does)"
        given = L if n_classes == 3 else L.tolist()  # plain lists are accepted too
        expected = coverage_loop(L)
        call = f"coverage(L) for {what}"
        got = expect_array(expect_no_error(lambda: learner.coverage(given), call), call, (m,))
        if not np.allclose(got, expected, atol=1e-12):
            if np.allclose(got, np.count_nonzero(L, axis=0) / n):
                fail(f"{call} returned {show(got)}; expected {show(expected)} — you counted the non-zero entries: "
                     "abstains (-1) are non-zero and votes for class 0 are zero; count L != ABSTAIN")
            if np.allclose(got, 1 - expected):
                fail(f"{call} returned {show(got)}; expected {show(expected)} — that is the fraction of ABSTAINS; "
                     "coverage is the fraction of records a function votes on")
            expect_close(got, expected, call, atol=1e-12, why="(the fraction of records where L[:, j] != -1)")
        expected = conflicts_loop(L)
        call = f"conflicts(L) for {what}"
        got = expect_array(expect_no_error(lambda: learner.conflicts(given), call), call, (m,))
        if not np.allclose(got, expected, atol=1e-12):
            voted = L != ABSTAIN
            counting_abstains = np.array([np.mean([voted[i, j] and any(L[i, o] != L[i, j] for o in range(m) if o != j)
                                                   for i in range(n)]) for j in range(m)])
            if np.allclose(got, counting_abstains):
                fail(f"{call} returned {show(got)}; expected {show(expected)} — an abstain is not a disagreement: "
                     "a conflict needs another function that VOTES for a different class")
            voted_rows = voted.sum(axis=0)
            if np.allclose(got, expected * n / np.maximum(voted_rows, 1)):
                fail(f"{call} returned {show(got)}; expected {show(expected)} — divide by the number of records "
                     "(n), not by the number of the function's votes")
            expect_close(got, expected, call, atol=1e-12,
                         why="(the fraction of records where the function votes and another votes a different class)")


@pytest.mark.points(1)
def test_majority_vote_ignores_abstains(learner, rng):
    """majority_vote counts only real votes, even where most functions abstain"""
    n_classes, m = 3, 7
    rows = []
    while len(rows) < 40:  # rows with a clear winner and more abstains than votes for it
        row = np.where(rng.uniform(size=m) < 0.35, rng.integers(0, n_classes, size=m), ABSTAIN)
        counts = np.bincount(row[row != ABSTAIN], minlength=n_classes)
        if counts.sum() and (counts == counts.max()).sum() == 1:
            rows.append(row)
    L = np.array(rows)
    rules = majority_rules(L, n_classes)
    call = f"majority_vote(L, n_classes={n_classes}) for L of shape {L.shape}, mostly abstains"
    got = expect_int_matrix(expect_no_error(lambda: learner.majority_vote(L, n_classes), call), call, (len(L),))
    check_majority(got, L, rules, call)


def check_majority(got, L, rules, call):
    expected = rules["documented"]
    if np.array_equal(got, expected):
        return
    i = int(np.argmax(got != expected))
    message = f"{call}: row {i} is {numbers(L[i])}, got {got[i]}, expected {expected[i]}"
    for name, why in MAJORITY_MISTAKES.items():
        if name in rules and got[i] == rules[name][i] and np.mean(got == rules[name]) >= np.mean(got == expected):
            fail(f"{message} — {why}")
    fail(message + " (the class with the most votes; ABSTAIN (-1) votes do not count)")


@pytest.mark.points(2)
def test_majority_vote_ties_and_empty_rows(learner, rng):
    """a tie goes to the smallest tied class; a row where every function abstains gets ABSTAIN (-1)"""
    for n_classes, m in ((3, 6), (2, 4)):
        rows = []
        for index in range(24):
            if index % 6 == 5:
                rows.append(np.full(m, ABSTAIN))
                continue
            while True:  # a tie whose classes are not in ascending order in the row
                row = np.where(rng.uniform(size=m) < 0.8, rng.integers(0, n_classes, size=m), ABSTAIN)
                votes = row[row != ABSTAIN]
                counts = np.bincount(votes, minlength=n_classes)
                tied = np.flatnonzero(counts == counts.max())
                if votes.size and len(tied) > 1 and votes[0] != tied[0] and counts.max() > (row == ABSTAIN).sum():
                    rows.append(row)
                    break
        L = np.array(rows)
        rules = majority_rules(L, n_classes)
        call = f"majority_vote(L, n_classes={n_classes}) for L of shape {L.shape} with ties and rows without votes"
        got = expect_int_matrix(expect_no_error(lambda: learner.majority_vote(L.tolist(), n_classes), call), call, (len(L),))
        check_majority(got, L, rules, call)


# --- the label model ---------------------------------------------------------------------------------
@pytest.mark.points(2)
def test_label_model_accuracies_binary(learner, rng):
    """two classes: the accuracies estimated from the votes alone are within 0.08 of the real ones"""
    L, y, _, _ = setting(rng, 2, 4000)
    _, accuracies, call = fit_label_model(learner, L, 2, "4000 records and 7 functions of unequal accuracy")
    expect_accuracies(accuracies, L, y, call)


@pytest.mark.points(2)
def test_label_model_accuracies_three_classes(learner, rng):
    """three classes: the accuracies estimated from the votes alone are within 0.08 of the real ones"""
    L, y, _, _ = setting(rng, 3, 4000)
    _, accuracies, call = fit_label_model(learner, L, 3, "4000 records, 3 classes, 7 functions of unequal accuracy")
    expect_accuracies(accuracies, L, y, call)


@pytest.mark.points(3)
def test_label_model_beats_majority_vote(learner, rng):
    """the label model's labels are clearly more accurate than the majority vote's (2 and 3 classes)"""
    for n_classes in (2, 3):
        L, y, accuracies, coverages = setting(rng, n_classes, 3000)
        model, _, call = fit_label_model(learner, L, n_classes, f"3000 records from 7 functions, {n_classes} classes")
        predicted = expect_int_matrix(model.predict(L), f"{call}.predict(L)", (len(L),))
        majority = majority_reference(L, n_classes)
        rows = majority != ABSTAIN
        ours, theirs = np.mean(predicted[rows] == y[rows]), np.mean(majority[rows] == y[rows])
        if ours >= theirs + 0.02:
            continue
        message = (f"{call}.predict(L) labels {ours:.1%} of the records right, majority vote {theirs:.1%} (on the "
                   f"{rows.sum()} records majority vote labels; the functions' accuracies are {numbers(accuracies, 2)}, "
                   f"their coverages {numbers(coverages, 2)}); expected at least {theirs + 0.02:.1%}")
        if np.mean(predicted[rows] == majority[rows]) > 0.97:
            fail(message + " — your labels are the majority vote's: weigh each vote by its function's log-odds "
                 "log(a (k-1) / (1 - a)), so a careful function outweighs several sloppy ones")
        fail(message)


@pytest.mark.points(2)
def test_predict_proba_is_the_posterior(learner, rng):
    """predict_proba is the posterior of the model's own accuracies_ and class_prior_; predict its argmax"""
    n_classes = 3
    L, y, _, _ = setting(rng, n_classes, 2000)
    L[rng.choice(len(L), size=50, replace=False)] = ABSTAIN  # rows without any vote get the prior
    model, accuracies, call = fit_label_model(learner, L, n_classes, "2000 records, 3 classes")
    prior = expect_array(model.class_prior_, f"{call}.class_prior_", (n_classes,))
    proba = expect_array(model.predict_proba(L), f"{call}.predict_proba(L)", (len(L), n_classes))
    empty = np.all(L == ABSTAIN, axis=1)
    expect_close(proba[empty], np.tile(prior, (empty.sum(), 1)), f"{call}.predict_proba(L) on the rows without votes",
                 atol=1e-6, why="(with no vote to go on, the posterior is class_prior_)")
    expected = posterior(L, accuracies, prior, n_classes)
    if not np.allclose(proba, expected, atol=1e-6):
        i = int(np.argmax(np.abs(proba - expected).max(axis=1)))
        message = (f"{call}.predict_proba(L): row {i}, votes {numbers(L[i])}, got {numbers(proba[i], 4)}; the "
                   f"model's own accuracies_ {numbers(accuracies)} and class_prior_ {numbers(prior)} give "
                   f"{numbers(expected[i], 4)}")
        one_hot = L[:, :, None] == np.arange(n_classes)
        for scores, why in (
            (np.log(prior) + (one_hot * accuracies[:, None]).sum(axis=1),
             "each vote added its accuracy; it must add the log-odds log(a (k-1) / (1 - a))"),
            (np.log(prior) + (one_hot * np.log(accuracies / (1 - accuracies))[:, None]).sum(axis=1),
             "the weights miss the factor k - 1: with k classes a wrong vote is spread over k - 1 classes, so "
             "w = log(a (k-1) / (1 - a))"),
            (np.log(prior) + one_hot.sum(axis=1), "every vote weighed the same"),
        ):
            alternative = np.exp(scores - scores.max(axis=1, keepdims=True))
            if np.allclose(proba, alternative / alternative.sum(axis=1, keepdims=True), atol=1e-6):
                fail(f"{message} — {why}")
        fail(message + " — P(y = c | votes) = softmax over c of log(class_prior_[c]) + the weights "
             "log(a_j (k-1) / (1 - a_j)) of the functions voting c")
    share = np.bincount(y, minlength=n_classes) / len(y)
    if abs(prior.sum() - 1) > 1e-6 or np.any(np.abs(prior - share) > 0.05):
        fail(f"{call}.class_prior_ is {show(prior)}; expected the share of each class, close to {show(share)} "
             "(the mean of the posteriors over the records) and summing to 1")
    predicted = expect_int_matrix(model.predict(L), f"{call}.predict(L)", (len(L),))
    if not np.array_equal(predicted, np.argmax(proba, axis=1)):
        i = int(np.argmax(predicted != np.argmax(proba, axis=1)))
        fail(f"{call}.predict(L)[{i}] is {predicted[i]}; predict_proba(L)[{i}] is {show(proba[i])}, so expected "
             f"{int(np.argmax(proba[i]))} (the most probable class, the smallest on a tie)")


@pytest.mark.points(1)
def test_fit_uses_only_the_label_matrix(learner, worker, rng):
    """fit(L) returns self, leaves L unchanged, takes lists, and permuting the functions permutes accuracies_"""
    L, _, _, _ = setting(rng, 2, 1500)
    stored = worker.put(L)
    model = learner.LabelModel(n_classes=2)
    returned = model.fit(stored)
    if returned is not model:
        fail(f"LabelModel(n_classes=2).fit(L) returned {returned!r}; expected the model itself (end fit with `return self`)")
    if not np.array_equal(worker.fetch(stored), L):
        fail("LabelModel(n_classes=2).fit(L) changed its input L in place; work on a copy")
    accuracies = expect_array(model.accuracies_, "LabelModel(n_classes=2).fit(L).accuracies_", (7,))
    order = rng.permutation(7)
    while np.array_equal(order, np.arange(7)):
        order = rng.permutation(7)
    call = "LabelModel(n_classes=2).fit(L[:, order]).accuracies_ (the same functions in another order, L as a list)"
    permuted = learner.LabelModel(n_classes=2).fit(L[:, order].tolist()).accuracies_
    expect_close(permuted, accuracies[order], call, atol=1e-3,
                 why="(accuracies_[order]: each function keeps its accuracy whatever its column)")


@pytest.mark.points(1)
def test_fit_rejects_votes_outside_the_classes(learner, rng):
    """fit raises ValueError when L holds a vote that is not -1 or 0..n_classes-1 (n_classes forgotten)"""
    L, _, _, _ = setting(rng, 3, 200)
    L[0, 0] = 2  # votes for class 2, which does not exist with n_classes=2
    expect_value_error(lambda: learner.LabelModel(n_classes=2).fit(L),
                       "LabelModel(n_classes=2).fit(L) with votes for class 2",
                       "(a vote outside 0..n_classes-1 means n_classes is wrong: say so instead of learning nonsense)")
    L[1, 1] = -2
    expect_value_error(lambda: learner.LabelModel(n_classes=3).fit(L),
                       "LabelModel(n_classes=3).fit(L) with a vote of -2", "(ABSTAIN is -1; classes are 0..n_classes-1)")
