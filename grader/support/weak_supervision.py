"""Unlabeled records and labeling functions for the weak_labeling exercise.

Two kinds of data, both drawn from an explicit ``rng``:

- :func:`label_matrix` draws true labels and the votes of labeling functions whose accuracies and
  coverages are KNOWN, conditionally independent given the label (the model a label model assumes). The
  suite judges the learner's label model against those known numbers.
- :func:`spam_records` writes short e-mails (dicts with ``"text"``, ``"subject"``, ``"sender"`` and
  ``"n_links"``), spam or ham, with the traps real text has: capitals, punctuation next to words, and
  "decoy" words that contain a keyword without being it (``"window"`` contains ``"win"``).

And labeling functions the kit provides, which the suite builds inside the worker as
``KitObject("grader.support.weak_supervision:exclamation_marks", 3)`` so that the learner's
``apply_labeling_functions`` calls them there; the grader builds the same ones to compute the expected
label matrix. Each one takes a record (a dict) and returns a class or ``ABSTAIN`` (-1); one of them
returns ``None`` when it has no opinion, which also counts as abstaining.
"""

from __future__ import annotations

import numpy as np

ABSTAIN = -1
HAM, SPAM = 0, 1

SPAM_WORDS = ("free", "win", "cash", "prize", "offer", "click", "urgent", "bonus")
HAM_WORDS = ("meeting", "lunch", "report", "tomorrow", "thanks", "project", "agenda", "notes")
# Words that CONTAIN a keyword above without being it: a substring test votes on them, a word test does not.
DECOY_WORDS = ("freedom", "window", "winter", "cashew", "offering", "clicked", "reporter", "thanksgiving",
               "lunchbox", "carefree", "bonuses", "projector")
FILLER_WORDS = ("the", "a", "you", "your", "we", "is", "for", "today", "please", "now", "this", "our", "team",
                "see", "new", "about", "with", "and", "to", "of", "at", "it", "on", "all")
COMPANY_DOMAINS = ("example.com", "example.org")
OTHER_DOMAINS = ("mail.test", "promo.test", "deals.test", "inbox.test")
NAMES = ("ann", "bob", "chen", "dana", "eli", "fatima", "gus", "hana")


# --- votes with known accuracies -----------------------------------------------------------------------
def label_matrix(rng: np.random.Generator, n_records: int, accuracies, coverages, class_prior):
    """True labels and the votes of conditionally independent labeling functions of known quality.

    Function ``j`` votes on a record with probability ``coverages[j]`` (whatever its label); when it votes
    it is right with probability ``accuracies[j]``, otherwise it names one of the other ``k - 1`` classes
    at random. That is exactly the "one accuracy per function, symmetric errors" model.

    Returns
    -------
    L : ndarray of int, shape (n_records, m)
        Votes in ``0..k-1``, or ``ABSTAIN`` (-1).
    y : ndarray of int, shape (n_records,)
        The true labels, drawn from ``class_prior`` (length ``k``).
    """
    accuracies = np.asarray(accuracies, dtype=float)
    coverages = np.asarray(coverages, dtype=float)
    class_prior = np.asarray(class_prior, dtype=float)
    n_classes, m = len(class_prior), len(accuracies)
    y = rng.choice(n_classes, size=n_records, p=class_prior)
    right = rng.uniform(size=(n_records, m)) < accuracies
    shift = rng.integers(1, n_classes, size=(n_records, m))  # a wrong vote: one of the k - 1 other classes
    votes = np.where(right, y[:, None], (y[:, None] + shift) % n_classes)
    voted = rng.uniform(size=(n_records, m)) < coverages
    return np.where(voted, votes, ABSTAIN), y


def empirical_accuracies(L: np.ndarray, y: np.ndarray) -> np.ndarray:
    """For each function, the fraction of its (non-abstain) votes that equal the true label."""
    voted = L != ABSTAIN
    return ((L == y[:, None]) & voted).sum(axis=0) / np.maximum(voted.sum(axis=0), 1)


# --- e-mails -------------------------------------------------------------------------------------------
def _sentence(rng: np.random.Generator, label: int, n_words: int, shouty: bool) -> str:
    own, other = (SPAM_WORDS, HAM_WORDS) if label == SPAM else (HAM_WORDS, SPAM_WORDS)
    words = []
    for _ in range(n_words):
        u = rng.uniform()
        pool = own if u < 0.22 else other if u < 0.27 else DECOY_WORDS if u < 0.40 else FILLER_WORDS
        word = str(pool[rng.integers(len(pool))])
        style = rng.uniform()
        if style < 0.12:
            word = word.capitalize()
        elif style < 0.18 or (shouty and style < 0.35):
            word = word.upper()
        mark = rng.uniform()
        if mark < 0.08:
            word += ","
        elif mark < 0.14:
            word += "."
        elif mark < 0.17:
            word += "?"
        words.append(word)
    return " ".join(words)


def spam_records(rng: np.random.Generator, n_records: int, spam_share: float = 0.4):
    """Short e-mails, spam (1) or ham (0): records for labeling functions, and their true labels.

    Each record is a dict::

        {"id": 17, "subject": "FREE bonus, now", "text": "click the window ...", "sender": "ann@promo.test",
         "n_links": 3}

    Spam uses words of ``SPAM_WORDS`` more, has more "!", more links and mostly outside senders; ham
    the other way round. Every text also draws from ``DECOY_WORDS`` ("window", "cashew", ...), which contain
    keywords without being them, and from plain filler words; words are sometimes Capitalised or
    UPPER-CASE and followed by punctuation. Some records have no subject at all (the key is missing).

    Returns ``records`` (a list of dicts of plain Python values) and ``labels`` (ndarray of int).
    """
    labels = (rng.uniform(size=n_records) < spam_share).astype(int)
    records = []
    for index, label in enumerate(labels):
        spam = label == SPAM
        text = _sentence(rng, label, int(rng.integers(8, 16)), shouty=spam)
        text += "!" * int(rng.poisson(1.8 if spam else 0.3))
        trusted = rng.uniform() < (0.15 if spam else 0.7)
        domains = COMPANY_DOMAINS if trusted else OTHER_DOMAINS
        record = {
            "id": index,
            "text": text,
            "sender": f"{NAMES[rng.integers(len(NAMES))]}@{domains[rng.integers(len(domains))]}",
            "n_links": int(rng.poisson(2.5 if spam else 0.6)),
        }
        if rng.uniform() < 0.8:
            record["subject"] = _sentence(rng, label, int(rng.integers(2, 6)), shouty=spam)
        records.append(record)
    return records, labels


# --- labeling functions the kit provides ---------------------------------------------------------------
def exclamation_marks(min_count: int = 3, label: int = SPAM):
    """Votes ``label`` when the text has at least ``min_count`` "!" marks; otherwise ABSTAIN."""

    def labeling_function(record):
        text = record.get("text")
        return label if isinstance(text, str) and text.count("!") >= min_count else ABSTAIN

    labeling_function.__name__ = f"exclamation_marks_{min_count}"
    return labeling_function


def trusted_sender(label: int = HAM, domains=COMPANY_DOMAINS):
    """Votes ``label`` when the sender's address ends in one of ``domains``; otherwise returns None.

    ``None`` means "no opinion", as ABSTAIN does: apply_labeling_functions must store it as -1.
    """
    domains = tuple(domains)

    def labeling_function(record):
        sender = record.get("sender") or ""
        return label if sender.rsplit("@", 1)[-1] in domains else None

    labeling_function.__name__ = "trusted_sender"
    return labeling_function


def many_links(min_links: int = 3, label: int = SPAM):
    """Votes ``label`` (as a numpy integer, as numpy-based heuristics do) when ``n_links >= min_links``."""

    def labeling_function(record):
        return np.int64(label) if record.get("n_links", 0) >= min_links else np.int64(ABSTAIN)

    labeling_function.__name__ = f"many_links_{min_links}"
    return labeling_function


def scripted(votes, none_for_abstain: bool = False, name: str = "scripted"):
    """A labeling function whose votes are known in advance: ``votes[record["id"]]``.

    It stands in for any heuristic in tests of ``apply_labeling_functions``. With ``none_for_abstain`` it
    returns ``None`` instead of ``ABSTAIN``; class votes come back as plain Python ints.
    """
    votes = [int(vote) for vote in np.asarray(votes).ravel()]

    def labeling_function(record):
        vote = votes[record["id"]]
        return None if (vote == ABSTAIN and none_for_abstain) else vote

    labeling_function.__name__ = name
    return labeling_function


def function_name(function) -> str:
    """``function.__name__`` (or '' if it has none): lets a suite read a worker-side function's name."""
    return str(getattr(function, "__name__", ""))
