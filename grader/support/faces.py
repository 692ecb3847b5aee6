"""Tiny face pictures for the cnn exercise: neutral, smiling or frowning, drawn afresh from an ``rng``.

:func:`make_faces` draws small grey-level images, one channel, in the layout convolutions expect
(``(n, 1, size, size)``). Each face has two eyes and a mouth, and half of them a round outline as well:

- class 0, ``"neutral"``: the mouth is a straight line;
- class 1, ``"smiling"``: a U, its ends one or two pixels higher than its middle;
- class 2, ``"frowning"``: an ∩, its ends one or two pixels lower than its middle.

The class is in the SHAPE of the mouth only, never in where it is: every face is shifted by up to
``max_shift`` pixels in each direction, the mouth is 4 or 6 pixels wide, the strokes have a random
brightness, and every pixel gets Gaussian noise. A model cannot memorise the pictures (a fresh sample
every seed, from the ``rng`` only, so the same ``rng`` state gives the same faces); it has to find the
corners of the mouth, which is what a small convolution with a max-pool is good at.

:func:`ascii_picture` renders an image (a face, or a learned filter) as text, one character per pixel
from ``" .:-=+*#%@"`` by intensity, to print in a terminal::

    X, y = make_faces(np.random.default_rng(0), 1, noise=0.0)     # y is [2, 0, 1]
    print(ascii_picture(X[y == 1][0]))                            # the smiling face, rows 2 to 8 of 12:

         @  @
         @  @


        @    @
         @  @
          @@
"""

from __future__ import annotations

import numpy as np

NEUTRAL, SMILING, FROWNING = 0, 1, 2
CLASS_NAMES = np.array(["neutral", "smiling", "frowning"])
RAMP = " .:-=+*#%@"  # from dark (low values) to bright (high values)

BOX = 10  # the face is drawn in a BOX x BOX square, then placed in the middle of the image and shifted
EYES = ((2, 3), (3, 3), (2, 6), (3, 6))  # (row, column) in the box: two eyes, two pixels tall
MOUTH_ROW = 7  # a neutral mouth; a smile or a frown spans the rows MOUTH_ROW - 1 .. MOUTH_ROW + 1
MOUTH_CENTRE = 4.5  # the mouth is symmetric about the box's middle column
MOUTH_WIDTHS = (4, 6)
OUTLINE_RADII = (4.0, 5.0)  # box pixels whose distance from the centre is in [4, 5) form the outline
OUTLINE_BRIGHTNESS = 0.6  # the outline is fainter than the eyes and mouth


def mouth_pixels(label: int, width: int) -> list[tuple[int, int]]:
    """The (row, column) box pixels of a mouth of ``width`` pixels (4 or 6) for class ``label`` (0, 1 or 2).

    A neutral mouth is flat on ``MOUTH_ROW``. A smile is a U: its middle one row below ``MOUTH_ROW``,
    each pixel nearer an end one row higher, up to ``width // 2 - 1`` rows (1 for a mouth of 4 pixels, 2
    for 6). A frown is the same U upside down.
    """
    first = int(MOUTH_CENTRE + 0.5 - width // 2)
    depth = width // 2 - 1
    pixels = []
    for i in range(width):
        rise = depth - min(i, width - 1 - i, depth)  # how far above the middle this pixel is
        row = {NEUTRAL: MOUTH_ROW, SMILING: MOUTH_ROW + 1 - rise, FROWNING: MOUTH_ROW - 1 + rise}[int(label)]
        pixels.append((row, first + i))
    return pixels


def outline_pixels() -> list[tuple[int, int]]:
    """The (row, column) box pixels of the round face outline."""
    rows, columns = np.indices((BOX, BOX))
    distance = np.hypot(rows - (BOX - 1) / 2, columns - (BOX - 1) / 2)
    inside = (distance >= OUTLINE_RADII[0]) & (distance < OUTLINE_RADII[1])
    return list(zip(rows[inside].tolist(), columns[inside].tolist()))


def make_faces(rng: np.random.Generator, n_per_class: int, size: int = 12, noise: float = 0.1, max_shift: int = 1):
    """Draw ``n_per_class`` faces of each class, shuffled, as images of ``size x size`` pixels.

    Parameters
    ----------
    rng : numpy Generator
        The only source of randomness: the same generator state gives the same faces.
    n_per_class : int
        How many neutral, smiling and frowning faces (``3 * n_per_class`` in all).
    size : int, default 12
        Image height and width; at least ``10 + 2 * max_shift`` so that every shifted face fits.
    noise : float, default 0.1
        Standard deviation of the Gaussian noise added to every pixel (before clipping to [0, 1]).
    max_shift : int, default 1
        Each face moves by a random whole number of pixels in ``[-max_shift, max_shift]``, down and right.

    Returns
    -------
    X : ndarray of float, shape (3 * n_per_class, 1, size, size)
        Pixel values in [0, 1]: 0 is the background, strokes are bright.
    y : ndarray of int, shape (3 * n_per_class,)
        0 = neutral, 1 = smiling, 2 = frowning (``CLASS_NAMES[y]`` gives the names).
    """
    if size < BOX + 2 * max_shift:
        raise ValueError(f"size={size} is too small: a {BOX}x{BOX} face shifted by up to {max_shift} pixels needs "
                         f"size >= {BOX + 2 * max_shift}")
    n = 3 * int(n_per_class)
    y = rng.permutation(np.arange(n) % 3)
    X = np.zeros((n, 1, size, size))
    corner = (size - BOX) // 2
    shifts = rng.integers(-max_shift, max_shift + 1, size=(n, 2))
    widths = rng.choice(MOUTH_WIDTHS, size=n)
    brightness = rng.uniform(0.7, 1.0, size=n)
    has_outline = rng.uniform(size=n) < 0.5
    outline = np.array(outline_pixels())
    for i in range(n):
        top, left = corner + shifts[i, 0], corner + shifts[i, 1]
        strokes = np.array(list(EYES) + mouth_pixels(y[i], int(widths[i])))
        if has_outline[i]:
            X[i, 0, top + outline[:, 0], left + outline[:, 1]] = OUTLINE_BRIGHTNESS * brightness[i]
        X[i, 0, top + strokes[:, 0], left + strokes[:, 1]] = brightness[i]
    X += noise * rng.normal(size=X.shape)
    return np.clip(X, 0.0, 1.0), y


def ascii_picture(array) -> str:
    """A picture of a 2-D array (or a single-channel ``(1, H, W)`` one) as lines of text.

    Values are scaled from the array's minimum (``" "``) to its maximum (``"@"``) along ``RAMP``, so a
    learned filter with negative weights shows its pattern too; a constant array is drawn blank. Each
    pixel is one character, each row one line.
    """
    values = np.asarray(array, dtype=float)
    if values.ndim == 3 and values.shape[0] == 1:
        values = values[0]
    if values.ndim != 2:
        raise ValueError(f"ascii_picture draws a 2-D array (or shape (1, H, W)); got shape {values.shape}")
    low, span = (values.min(), np.ptp(values)) if values.size else (0.0, 0.0)
    scaled = (values - low) / span if span > 0 else np.zeros_like(values)
    levels = np.minimum((scaled * len(RAMP)).astype(int), len(RAMP) - 1)
    return "\n".join("".join(RAMP[level] for level in row) for row in levels)
