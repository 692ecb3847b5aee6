"""Mistake: softmax subtracts the maximum of the whole array, not of each row: rows far below it become 0 / 0."""

import numpy as np


def relu(x):
    return np.maximum(np.asarray(x, dtype=float), 0.0)


def relu_grad(x):
    return (np.asarray(x, dtype=float) > 0).astype(float)


def sigmoid(x):
    x = np.asarray(x, dtype=float)
    e = np.exp(-np.abs(x))
    return np.where(x >= 0, 1.0 / (1.0 + e), e / (1.0 + e))


def sigmoid_grad(x):
    s = sigmoid(x)
    return s * (1.0 - s)


def tanh(x):
    return np.tanh(np.asarray(x, dtype=float))


def tanh_grad(x):
    t = np.tanh(np.asarray(x, dtype=float))
    return 1.0 - t**2


def softmax(z, axis=-1):
    z = np.asarray(z, dtype=float)
    shifted = z - z.max()
    exp_shifted = np.exp(shifted)
    return exp_shifted / exp_shifted.sum(axis=axis, keepdims=True)


def log_softmax(z, axis=-1):
    z = np.asarray(z, dtype=float)
    shifted = z - z.max(axis=axis, keepdims=True)
    return shifted - np.log(np.exp(shifted).sum(axis=axis, keepdims=True))


def softmax_grad(z, grad_output, axis=-1):
    s = softmax(z, axis=axis)
    g = np.asarray(grad_output, dtype=float)
    return s * (g - (g * s).sum(axis=axis, keepdims=True))


def cross_entropy(logits, labels):
    log_probs = log_softmax(logits, axis=1)
    labels = np.asarray(labels)
    n_samples = log_probs.shape[0]
    if labels.ndim == 1:
        picked = log_probs[np.arange(n_samples), labels.astype(int)]
    else:
        picked = (labels * log_probs).sum(axis=1)
    return float(-picked.mean())


def cross_entropy_grad(logits, labels):
    probabilities = softmax(logits, axis=1)
    n_samples, n_classes = probabilities.shape
    labels = np.asarray(labels)
    if labels.ndim == 1:
        targets = np.eye(n_classes)[labels.astype(int)]
    else:
        targets = labels.astype(float)
    return (probabilities - targets) / n_samples
