"""The wire format between the grader and the worker that runs learner code.

A message is one frame: an 8-byte big-endian length, then a 4-byte header length, a UTF-8 JSON header,
and the arrays the header refers to, each as an 8-byte length and an ``.npy`` blob written with
``allow_pickle=False``. Nothing is ever unpickled, so a worker can hand back only arrays and plain
values; every other object stays in the worker and crosses as a handle (``{"$handle": id}``).

Tags in the JSON header (plain JSON objects never appear untagged):

``{"$array": i}``             the i-th array blob
``{"$scalar": i}``            a numpy scalar, sent as a 0-d array blob
``{"$tuple": [...]}``         a tuple (a JSON list is a Python list)
``{"$dict": [[k, v], ...]}``  a dict with any encodable keys
``{"$complex": [re, im]}``    a Python complex
``{"$handle": id, ...}``      an object living in the worker
``{"$kit": "mod:attr", "args": [...], "kwargs": {...}}``
                              a kit object the worker builds by calling ``mod.attr(*args, **kwargs)``
                              (used for functions and environments the learner's code must call)

This module needs only the standard library and numpy: the worker imports it before any learner code.
"""

from __future__ import annotations

import io
import json
import os
import struct
from typing import Any, Callable

import numpy as np

MAX_FRAME_BYTES = 2**34  # 16 GiB: larger frames are a corrupt stream, not data


class ProtocolError(Exception):
    """The stream between grader and worker is broken or a value cannot be sent."""


class KitObject:
    """A recipe for a kit object (a function to differentiate, an environment) built inside the worker.

    ``KitObject("grader.support.functions:Quadratic", A, b)`` crosses the boundary as its recipe; the
    worker imports the factory from the kit (never from learner code) and calls it there.
    """

    def __init__(self, factory: str, *args: Any, **kwargs: Any) -> None:
        if ":" not in factory or not factory.startswith("grader."):
            raise ValueError(f"kit factories live in the grader package as 'module:attr', got {factory!r}")
        self.factory = factory
        self.args = args
        self.kwargs = kwargs

    def __repr__(self) -> str:
        return f"KitObject({self.factory!r})"


def _array_blob(array: np.ndarray) -> bytes:
    buffer = io.BytesIO()
    try:
        np.save(buffer, array, allow_pickle=False)
    except ValueError as exc:  # object arrays cannot be saved without pickle
        raise ProtocolError(f"an array of dtype {array.dtype} cannot be sent (only numeric arrays)") from exc
    return buffer.getvalue()


def encode(value: Any, blobs: list[bytes], handle_for: Callable[[Any], dict] | None = None) -> Any:
    """Turn ``value`` into JSON-ready data, appending array blobs to ``blobs``.

    Objects that are neither arrays nor plain values become handles via ``handle_for``; without it
    they are an error (the grader never sends its own objects to the worker).
    """
    if value is None or isinstance(value, (bool, str)):
        return value
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    if isinstance(value, float):
        return value
    if isinstance(value, np.ndarray):
        if value.dtype.hasobject:
            raise ProtocolError("an array of dtype object cannot be sent (only numeric and string arrays)")
        blobs.append(_array_blob(np.asarray(value)))
        return {"$array": len(blobs) - 1}
    if isinstance(value, np.generic):
        blobs.append(_array_blob(np.asarray(value)))
        return {"$scalar": len(blobs) - 1}
    if isinstance(value, complex):
        return {"$complex": [value.real, value.imag]}
    if type(value) is list:
        return [encode(item, blobs, handle_for) for item in value]
    if type(value) is tuple:
        return {"$tuple": [encode(item, blobs, handle_for) for item in value]}
    if type(value) is dict:
        return {"$dict": [[encode(k, blobs, handle_for), encode(v, blobs, handle_for)] for k, v in value.items()]}
    if isinstance(value, KitObject):
        return {
            "$kit": value.factory,
            "args": encode(list(value.args), blobs, handle_for),
            "kwargs": encode(dict(value.kwargs), blobs, handle_for),
        }
    if handle_for is not None:
        return handle_for(value)
    raise ProtocolError(f"cannot send a {type(value).__name__} to the worker")


def decode(data: Any, blobs: list[bytes], resolve: Callable[[dict], Any]) -> Any:
    """Inverse of :func:`encode`; ``resolve`` turns ``$handle`` and ``$kit`` tags into objects."""
    if isinstance(data, list):
        return [decode(item, blobs, resolve) for item in data]
    if not isinstance(data, dict):
        return data
    if "$array" in data:
        return np.load(io.BytesIO(blobs[data["$array"]]), allow_pickle=False)
    if "$scalar" in data:
        return np.load(io.BytesIO(blobs[data["$scalar"]]), allow_pickle=False)[()]
    if "$tuple" in data:
        return tuple(decode(item, blobs, resolve) for item in data["$tuple"])
    if "$dict" in data:
        return {decode(k, blobs, resolve): decode(v, blobs, resolve) for k, v in data["$dict"]}
    if "$complex" in data:
        real, imag = data["$complex"]
        return complex(real, imag)
    if "$handle" in data or "$kit" in data:
        return resolve(data)
    raise ProtocolError(f"unknown tag in message: {sorted(data)}")


def pack(header: dict, blobs: list[bytes]) -> bytes:
    """One frame: total length, header length, JSON header, then each blob with its length."""
    header_bytes = json.dumps(header, separators=(",", ":")).encode("utf-8")
    parts = [struct.pack(">I", len(header_bytes)), header_bytes]
    for blob in blobs:
        parts.append(struct.pack(">Q", len(blob)))
        parts.append(blob)
    body = b"".join(parts)
    return struct.pack(">Q", len(body)) + body


def unpack(body: bytes) -> tuple[dict, list[bytes]]:
    (header_length,) = struct.unpack_from(">I", body, 0)
    offset = 4 + header_length
    header = json.loads(body[4:offset].decode("utf-8"))
    blobs = []
    while offset < len(body):
        (length,) = struct.unpack_from(">Q", body, offset)
        offset += 8
        blobs.append(body[offset : offset + length])
        offset += length
    return header, blobs


def write_frame(fd: int, frame: bytes) -> None:
    view = memoryview(frame)
    while view:
        written = os.write(fd, view)
        view = view[written:]


def read_exactly(fd: int, size: int) -> bytes:
    """Read ``size`` bytes from a blocking descriptor; EOF before that is a :class:`ProtocolError`."""
    chunks = []
    remaining = size
    while remaining:
        chunk = os.read(fd, min(remaining, 1 << 20))
        if not chunk:
            raise ProtocolError("the other side closed the channel")
        chunks.append(chunk)
        remaining -= len(chunk)
    return b"".join(chunks)


def read_frame(fd: int) -> tuple[dict, list[bytes]]:
    (length,) = struct.unpack(">Q", read_exactly(fd, 8))
    if length > MAX_FRAME_BYTES:
        raise ProtocolError(f"frame of {length} bytes is too large")
    return unpack(read_exactly(fd, length))
