"""Mistake: apply_labeling_functions stores `vote or ABSTAIN`: None becomes -1, but so does every vote for class 0."""

import re

import numpy as np

ABSTAIN = -1  # the "no opinion" vote of a labeling function


def apply_labeling_functions(records, labeling_functions):
    """Run every labeling function on every record: the label matrix.

    ``L[i, j] = labeling_functions[j](records[i])``: a class ``0..k-1``, or ``ABSTAIN`` (-1). A function
    that returns ``None`` abstains too, so store ``ABSTAIN`` for it. Careful: class ``0`` is a real vote,
    so do not test a vote with ``if vote:`` or ``vote or ABSTAIN``.

    Parameters
    ----------
    records : sequence of n records (usually dicts)
    labeling_functions : sequence of m callables, each ``f(record) -> int or None``

    Returns
    -------
    L : ndarray of int, shape (n, m)

    Examples
    --------
    >>> records = [{"text": "win cash now"}, {"text": "lunch at noon?"}]
    >>> spam = lambda record: 1 if "cash" in record["text"] else ABSTAIN
    >>> ham = lambda record: 0 if "lunch" in record["text"] else None
    >>> apply_labeling_functions(records, [spam, ham])
    array([[ 1, -1],
           [-1,  0]])
    """
    # BEGIN SOLUTION
    # Step 1: an int array of shape (n_records, n_functions), filled with ABSTAIN.
    records, labeling_functions = list(records), list(labeling_functions)
    L = np.full((len(records), len(labeling_functions)), ABSTAIN, dtype=int)
    # Step 2: call each function on each record; store its vote, leaving ABSTAIN where it returned None
    #         (compare with `is None`: a vote for class 0 is falsy but real).
    for i, record in enumerate(records):
        for j, labeling_function in enumerate(labeling_functions):
            L[i, j] = labeling_function(record) or ABSTAIN
    # Step 3: return the matrix.
    return L
    # END SOLUTION


def keyword_labeling_function(keywords, label, field="text"):
    """Make a labeling function that votes ``label`` when one of ``keywords`` is a word of the record.

    The function it returns takes a record (a dict) and looks at ``record[field]``:

    - it votes ``label`` when any keyword occurs in that text as a **whole word**, ignoring case:
      ``"cat"`` matches ``"Cat."`` and ``"CAT"``, but not ``"concatenate"`` or ``"cats"``;
    - it returns ``ABSTAIN`` otherwise, and also when the record has no ``field`` (or it is not a string).

    Split the lower-cased text into words (``re.findall(r"\\w+", text.lower())`` keeps letters and digits
    and drops punctuation) and look the lower-cased keywords up among them. A plain ``keyword in text``
    is a substring test: it would fire on ``"concatenate"``.

    Name the function after its first keyword (``labeling_function.__name__ = "keyword_cat"``): label
    matrix summaries are read by function name.

    Parameters
    ----------
    keywords : list of str
        Single words, in any case.
    label : int
        The class to vote for.
    field : str, default "text"
        The key of the record to read.

    Returns
    -------
    labeling_function : callable ``f(record) -> int``

    Examples
    --------
    >>> about_cats = keyword_labeling_function(["cat", "kitten"], label=1)
    >>> about_cats.__name__
    'keyword_cat'
    >>> [about_cats({"text": "My CAT, asleep."}), about_cats({"text": "concatenate"}), about_cats({"title": "cat"})]
    [1, -1, -1]
    """
    # BEGIN SOLUTION
    # Step 1: the keywords as a set of lower-case words.
    keywords = list(keywords)
    wanted = {keyword.lower() for keyword in keywords}

    # Step 2: define the labeling function: ABSTAIN unless record[field] is a string; otherwise the set
    #         of lower-case words of the text, and `label` if it shares a word with the keywords.
    def labeling_function(record):
        text = record.get(field)
        if not isinstance(text, str):
            return ABSTAIN
        words = set(re.findall(r"\w+", text.lower()))
        return label if words & wanted else ABSTAIN

    # Step 3: name it "keyword_<first keyword>" and return it.
    labeling_function.__name__ = f"keyword_{keywords[0]}"
    return labeling_function
    # END SOLUTION


def coverage(L):
    """The fraction of records each labeling function votes on (does not abstain).

    Parameters
    ----------
    L : array_like of int, shape (n, m)

    Returns
    -------
    coverage : ndarray of float, shape (m,)
        ``coverage[j] = mean over records i of (L[i, j] != ABSTAIN)``.

    Examples
    --------
    >>> coverage([[0, -1], [1, -1], [-1, 1], [0, 0]])
    array([0.75, 0.5 ])
    """
    # BEGIN SOLUTION
    # Step 1: a boolean matrix "voted" (L != ABSTAIN), averaged down each column.
    return (np.asarray(L) != ABSTAIN).mean(axis=0)
    # END SOLUTION


def conflicts(L):
    """The fraction of records where a function votes and another function votes a different class.

    Record ``i`` counts for function ``j`` when ``L[i, j]`` is a vote (not ABSTAIN) and some other column
    of row ``i`` holds a vote for a *different* class. Abstains never conflict. The fraction is over all
    ``n`` records (as in Snorkel's ``lf_conflicts``), so ``conflicts <= coverage``.

    Without a loop: count each row's votes per class, ``counts`` of shape (n, k). A voting function
    disagrees with someone when its row has more votes than the ones for its own class.

    Parameters
    ----------
    L : array_like of int, shape (n, m)

    Returns
    -------
    conflicts : ndarray of float, shape (m,)

    Examples
    --------
    >>> conflicts([[0, 1, -1], [0, 0, -1], [1, -1, 0], [-1, -1, 1]])
    array([0.5 , 0.25, 0.25])
    """
    # BEGIN SOLUTION
    # Step 1: the votes per class in each row: counts[i, c] = number of functions voting c on record i,
    #         by one-hot sums (the ABSTAIN entries add nothing).
    L = np.asarray(L, dtype=int)
    n_classes = max(int(L.max(initial=ABSTAIN)) + 1, 1)
    counts = (L[:, :, None] == np.arange(n_classes)).sum(axis=1)  # (n, k)
    # Step 2: for each vote, the votes in its row for its own class (take_along_axis on counts), and
    #         whether the row holds more votes than those: that is a conflict.
    voted = L != ABSTAIN
    own_class = np.take_along_axis(counts, np.where(voted, L, 0), axis=1)  # (n, m)
    in_conflict = voted & (counts.sum(axis=1, keepdims=True) > own_class)
    # Step 3: average over the records.
    return in_conflict.mean(axis=0)
    # END SOLUTION


def majority_vote(L, n_classes):
    """One label per record: the class with the most (non-abstain) votes.

    Count the votes per class in each row, ignoring ABSTAIN, and take the class with the most. The
    rules for the edge cases:

    - a tie goes to the **smallest** tied class (``np.argmax`` returns the first maximum);
    - a record where every function abstains gets ``ABSTAIN``: there is nothing to go on.

    No loop over the records: build ``counts`` of shape ``(n, n_classes)`` at once, by summing one-hot
    rows (``L[:, :, None] == np.arange(n_classes)``) or with ``np.add.at``.

    Parameters
    ----------
    L : array_like of int, shape (n, m)
    n_classes : int

    Returns
    -------
    labels : ndarray of int, shape (n,)
        Classes ``0..n_classes-1``, or ABSTAIN for rows without any vote.

    Examples
    --------
    >>> majority_vote([[1, 1, 0], [-1, -1, 2], [2, 0, -1], [-1, -1, -1]], n_classes=3)
    array([ 1,  2,  0, -1])
    """
    # BEGIN SOLUTION
    # Step 1: counts[i, c], the votes for class c in row i (ABSTAIN matches no class).
    L = np.asarray(L, dtype=int)
    counts = (L[:, :, None] == np.arange(n_classes)).sum(axis=1)
    # Step 2: the class with the most votes (first maximum on a tie), and ABSTAIN where a row has no vote.
    labels = np.argmax(counts, axis=1)
    labels[counts.sum(axis=1) == 0] = ABSTAIN
    return labels
    # END SOLUTION


class LabelModel:
    """Learn how accurate each labeling function is, from the label matrix alone, and vote with weights.

    **The model.** Each record has an unknown true class ``y`` (drawn with probabilities ``class_prior_``).
    Function ``j`` votes or abstains independently of ``y``; when it votes it is right with probability
    ``a_j = accuracies_[j]``, and otherwise names one of the other ``k - 1`` classes, each equally
    likely. Given ``y``, the functions err independently of each other.

    **The posterior** (``predict_proba``): by Bayes' rule, with ``w_j`` the log-odds weight of function ``j``::

        w_j = log(a_j (k - 1) / (1 - a_j))              0 for a function at chance (a_j = 1/k)
        score[i, c] = log(class_prior_[c]) + sum of w_j over the functions j with L[i, j] == c
        P(y_i = c | L_i) = softmax(score[i])[c]

    A function at 95% accuracy gets ``w = 2.9`` (binary); one at 55% gets ``0.2``: a careful function
    outweighs many sloppy ones, which a majority vote cannot do. A row where all abstain gets the prior.

    **Fitting by EM** (no true label, ever). Start every ``a_j`` at 0.7 (better than chance: that fixes
    which class is which; 0.5 would be exactly chance for two classes and EM would never move) and a
    uniform prior, then repeat ``n_iters`` times, or until no accuracy moves by more than ``tol``:

    - E-step: ``posterior = predict_proba(L)`` with the current accuracies and prior;
    - M-step: ``a_j`` = the expected fraction of function ``j``'s votes that are right:
      the mean of ``posterior[i, L[i, j]]`` over the records ``i`` where ``j`` votes (not over all
      records: an abstain is not a mistake), clipped to ``[0.01, 0.99]`` so the weights stay finite;
      ``class_prior_ = posterior.mean(axis=0)``.

    (Any method that estimates the accuracies well is accepted, e.g. one built on the agreement rates
    of triplets of functions.)

    Parameters
    ----------
    n_classes : int, default 2
    n_iters : int, default 100
        The most EM iterations.
    tol : float, default 1e-6
        Stop when the largest change of an accuracy in one iteration is below this.

    Attributes
    ----------
    accuracies_ : ndarray of shape (m,)
        The estimated probability that each function is right when it votes. A function that never
        votes keeps its starting 0.7.
    class_prior_ : ndarray of shape (n_classes,)
        The estimated share of each class; sums to 1.

    Examples
    --------
    >>> L = [[0, 1, 0], [1, 1, 0], [0, 0, 0], [1, 0, 1], [0, 0, 1], [1, 1, 1]]
    >>> model = LabelModel(n_classes=2).fit(L)
    >>> model.accuracies_.round(2)     # function 0 always sides with the others: it must be good
    array([0.99, 0.67, 0.67])
    >>> model.predict([[0, 1, 1]]), majority_vote([[0, 1, 1]], n_classes=2)
    (array([0]), array([1]))
    >>> model.predict_proba([[-1, -1, -1]])      # no votes: the class prior
    array([[0.5, 0.5]])
    """

    def __init__(self, n_classes=2, n_iters=100, tol=1e-6):
        self.n_classes = n_classes
        self.n_iters = n_iters
        self.tol = tol

    def fit(self, L):
        """Estimate ``accuracies_`` and ``class_prior_`` from the label matrix by EM; return ``self``.

        Parameters
        ----------
        L : array_like of int, shape (n, m)
            Votes in ``0..n_classes-1`` or ABSTAIN. Not changed. No true labels: there are none.

        Raises
        ------
        ValueError
            If ``L`` is not 2-D, or holds a value other than ABSTAIN and ``0..n_classes-1`` (a vote of 2
            with ``n_classes=2`` usually means ``n_classes`` was forgotten).
        """
        # BEGIN SOLUTION
        # Step 1: L as a 2-D int array; raise ValueError for any value outside -1..n_classes-1.
        L = np.asarray(L)
        if L.ndim != 2:
            raise ValueError(f"L must be a 2-D label matrix (records x functions); got shape {L.shape}")
        if np.any((L < ABSTAIN) | (L >= self.n_classes)):
            raise ValueError(f"L holds votes outside ABSTAIN (-1) and 0..{self.n_classes - 1} "
                             f"(n_classes={self.n_classes}): found {sorted(set(L[(L < -1) | (L >= self.n_classes)].tolist()))}")
        L = L.astype(int)
        # Step 2: start from accuracies_ = 0.7 for every function (better than chance) and a uniform
        #         class_prior_, stored on self (predict_proba reads them); note where each function votes,
        #         (n, m), and how many votes it cast, (m,).
        voted = L != ABSTAIN
        n_votes = voted.sum(axis=0)
        self.accuracies_ = np.full(L.shape[1], 0.7)
        self.class_prior_ = np.full(self.n_classes, 1.0 / self.n_classes)
        # Step 3: repeat: E-step posterior = self.predict_proba(L); M-step accuracies = the mean posterior
        #         of the class each function voted for, over its own votes only, clipped to [0.01, 0.99];
        #         class_prior_ = mean posterior. Stop early when no accuracy moves by more than tol.
        for _ in range(self.n_iters):
            posterior = self.predict_proba(L)
            # posterior of the class each function voted for; 0 where it abstained
            agreement = np.where(voted, np.take_along_axis(posterior, np.where(voted, L, 0), axis=1), 0.0)
            accuracies = np.where(n_votes > 0, agreement.sum(axis=0) / np.maximum(n_votes, 1), self.accuracies_)
            accuracies = np.clip(accuracies, 0.01, 0.99)
            change = np.max(np.abs(accuracies - self.accuracies_), initial=0.0)
            self.accuracies_, self.class_prior_ = accuracies, posterior.mean(axis=0)
            if change < self.tol:
                break
        # Step 4: return self.
        return self
        # END SOLUTION

    def predict_proba(self, L):
        """``P(y = c | votes)`` for each record: the softmax of the weighted votes (see the class docstring).

        Parameters
        ----------
        L : array_like of int, shape (n, m)

        Returns
        -------
        proba : ndarray of shape (n, n_classes)
            Rows sum to 1; a row where every function abstains equals ``class_prior_``.
        """
        # BEGIN SOLUTION
        # Step 1: one-hot votes, shape (n, m, k): True where function j voted class c (ABSTAIN matches none).
        L = np.asarray(L, dtype=int)
        k = self.n_classes
        one_hot = L[:, :, None] == np.arange(k)
        # Step 2: the log-odds weights w_j = log(a_j (k - 1) / (1 - a_j)) and the scores
        #         log(prior_c) + sum of w_j over the functions voting c, shape (n, k).
        weights = np.log(self.accuracies_ * (k - 1) / (1.0 - self.accuracies_))
        scores = np.log(self.class_prior_) + (one_hot * weights[:, None]).sum(axis=1)
        # Step 3: a stable softmax of each row (subtract the row maximum before np.exp).
        scores = np.exp(scores - scores.max(axis=1, keepdims=True))
        return scores / scores.sum(axis=1, keepdims=True)
        # END SOLUTION

    def predict(self, L):
        """The most probable class of each record; a tie goes to the smallest class.

        Returns
        -------
        labels : ndarray of int, shape (n,)
        """
        # BEGIN SOLUTION
        # Step 1: np.argmax of predict_proba along each row (it returns the first maximum).
        return np.argmax(self.predict_proba(L), axis=1)
        # END SOLUTION
