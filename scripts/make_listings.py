"""Write ``datasets/listings.jsonl``: 400 made-up rental listings, messy like scraped data (maintainer-only).

The listings are invented (no real city, flat or price): this script draws them from a fixed seed, so it
rewrites the file byte for byte; run it again only to change the data on purpose::

    python scripts/make_listings.py

Each line is one JSON object (``json.dumps`` with ``sort_keys=True``). The fields, and how the price is made:

- ``id``: ``"L0001"`` ... ``"L0400"``, always present (an identifier, not a feature).
- ``city``: one of six invented cities, absent or ``null`` for about 5 % of listings.
- ``rooms``: 1 to 5, absent or ``null`` for about 6 %.
- ``area_m2``: the floor area, about ``16 + 17 * rooms`` m² in steps of 0.5; a number (about 73 %), a
  numeric string such as ``"54.5"`` (15 %), ``""`` (6 %), ``null`` (2 %), ``"n/a"`` (1 %) or absent (3 %).
- ``floor``: 0 (ground floor) to 8, absent or ``null`` for about 8 %.
- ``has_balcony``: ``true``/``false``, absent or ``null`` for about 12 %.
- ``description``: a few phrases of free text; words such as "renovated", "garden", "view" go with a
  higher price, "noisy", "dark", "basement" with a lower one. ``""`` or absent for about 11 %.
- ``price``: the monthly rent, always present, a whole number (multiple of 5)::

      price = city base + 12.5 * area + 30 * rooms + 8 * floor + 60 * balcony
              + the effects of the listing's qualities (renovated +150, noisy -110, ...) + noise (sd 70)

  computed from the true values, also where the record shows them as missing. A quality shows in the
  description only 85 % of the time, as in real listings.

Also updates ``datasets/checksums.json`` (the entry of ``listings.jsonl`` only; the others are kept).
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import numpy as np

DATASETS_DIR = Path(__file__).resolve().parents[1] / "datasets"
FILENAME = "listings.jsonl"
SEED = 20240024
N_LISTINGS = 400

# city -> base rent (monthly, before size and qualities), and how common it is
CITIES = {"Ashford": 260.0, "Brookvale": 120.0, "Eastmere": 20.0, "Harborview": 380.0, "Millbrook": 170.0, "Northgate": 310.0}
CITY_WEIGHTS = [0.18, 0.2, 0.17, 0.12, 0.18, 0.15]

# quality -> (effect on the price, phrases that describe it)
QUALITIES = {
    "renovated": (150.0, ["renovated", "recently renovated", "fully renovated"]),
    "garden": (120.0, ["with garden", "shared garden", "private garden"]),
    "view": (100.0, ["great view", "view over the river", "lovely view of the park"]),
    "modern": (80.0, ["modern kitchen", "new modern bathroom", "modern"]),
    "bright": (50.0, ["bright", "bright and sunny", "very bright rooms"]),
    "quiet": (40.0, ["quiet street", "very quiet", "quiet area"]),
    "noisy": (-110.0, ["noisy street", "busy, noisy road", "a bit noisy"]),
    "dark": (-80.0, ["dark", "a little dark", "dark rooms"]),
    "basement": (-150.0, ["basement flat", "in the basement"]),
    "old": (-60.0, ["old kitchen", "needs some work", "old windows"]),
}
OPENINGS = ["flat", "apartment", "cosy apartment", "{rooms}-room flat", "{rooms} room apartment", "home"]
FILLERS = ["close to shops", "near the station", "pets allowed", "available now", "no agents", "bus stop nearby",
           "{area} m2", "washing machine included"]


def _quality_flags(rng: np.random.Generator, floor: int) -> dict[str, bool]:
    """The hidden qualities of one listing (some depend on the floor: gardens below, views above)."""
    u = rng.random(len(QUALITIES))
    flags = {
        "renovated": u[0] < 0.3,
        "garden": u[1] < (0.45 if floor == 0 else 0.05),
        "view": u[2] < (0.45 if floor >= 5 else 0.06),
        "modern": u[3] < 0.25,
        "noisy": u[6] < 0.2,
        "dark": u[7] < 0.15,
        "basement": floor == 0 and u[8] < 0.25,
        "old": u[9] < 0.18,
    }
    flags["bright"] = not flags["dark"] and u[4] < 0.25
    flags["quiet"] = not flags["noisy"] and u[5] < 0.2
    return flags


def _pick(rng: np.random.Generator, options: list[str]) -> str:
    return options[int(rng.integers(len(options)))]


def _description(rng: np.random.Generator, flags: dict[str, bool], rooms: int, area: float) -> str:
    """A few phrases: an opening, most of the true qualities, a filler or two, in varied case and punctuation."""
    phrases = [_pick(rng, OPENINGS).format(rooms=rooms)]
    for quality, present in flags.items():
        if present and rng.random() < 0.85:
            phrases.append(_pick(rng, QUALITIES[quality][1]))
    for _ in range(int(rng.integers(0, 3))):
        phrases.append(_pick(rng, FILLERS).format(area=f"{area:g}"))
    order = [phrases[0], *[phrases[1:][i] for i in rng.permutation(len(phrases) - 1)]]
    separators = [", " if rng.random() < 0.6 else ". " for _ in order[1:]]
    sentences = [order[0][0].upper() + order[0][1:]]
    for separator, phrase in zip(separators, order[1:]):
        sentences.append(separator + (phrase[0].upper() + phrase[1:] if separator == ". " else phrase))
    text = "".join(sentences)
    ending = rng.random()
    text += "!" if ending < 0.15 else ("." if ending < 0.7 else "")
    if rng.random() < 0.05:
        text = text.upper()
    return text


def _listing(rng: np.random.Generator, number: int) -> dict:
    city = list(CITIES)[int(rng.choice(len(CITIES), p=CITY_WEIGHTS))]
    rooms = int(rng.choice([1, 2, 3, 4, 5], p=[0.2, 0.32, 0.26, 0.15, 0.07]))
    area = max(15.0, round(2.0 * (16.0 + 17.0 * rooms + rng.normal(0.0, 7.0))) / 2.0)
    floor = int(rng.integers(0, 9))
    balcony = bool(rng.random() < (0.15 if floor == 0 else 0.5))
    flags = _quality_flags(rng, floor)
    effects = sum(QUALITIES[quality][0] for quality, present in flags.items() if present)
    price = CITIES[city] + 12.5 * area + 30.0 * rooms + 8.0 * floor + 60.0 * balcony + effects + rng.normal(0.0, 70.0)
    record = {"id": f"L{number:04d}", "price": int(5 * round(price / 5.0))}

    # Now the mess: each field is shown, shown in another form, or missing in one of the ways scrapers produce.
    u = rng.random(6)
    if u[0] >= 0.07:
        record["city"] = city
    elif u[0] >= 0.035:
        record["city"] = None
    if u[1] >= 0.06:
        record["rooms"] = rooms
    elif u[1] >= 0.03:
        record["rooms"] = None
    forms = [area, f"{area:g}", "", None, "n/a", "absent"]
    form = forms[int(rng.choice(len(forms), p=[0.72, 0.14, 0.05, 0.03, 0.02, 0.04]))]
    if form != "absent":
        record["area_m2"] = form
    if u[2] >= 0.08:
        record["floor"] = floor
    elif u[2] >= 0.04:
        record["floor"] = None
    if u[3] >= 0.12:
        record["has_balcony"] = balcony
    elif u[3] >= 0.05:
        record["has_balcony"] = None
    if u[4] >= 0.15:
        record["description"] = _description(rng, flags, rooms, area)
    elif u[4] >= 0.07:
        record["description"] = ""
    return record


def listings_text() -> str:
    """The whole file: one JSON object per listing, keys sorted, each line ending in a newline."""
    rng = np.random.default_rng(SEED)
    return "".join(json.dumps(_listing(rng, number), sort_keys=True) + "\n" for number in range(1, N_LISTINGS + 1))


def main() -> None:
    path = DATASETS_DIR / FILENAME
    with path.open("w", encoding="ascii", newline="\n") as fh:
        fh.write(listings_text())

    checksums_path = DATASETS_DIR / "checksums.json"
    checksums = json.loads(checksums_path.read_text(encoding="utf-8"))
    checksums[FILENAME] = hashlib.sha256(path.read_bytes()).hexdigest()
    with checksums_path.open("w", encoding="ascii", newline="\n") as fh:
        fh.write(json.dumps(checksums, sort_keys=True, indent=2) + "\n")
    print(f"{checksums[FILENAME]}  {FILENAME}")


if __name__ == "__main__":
    main()
