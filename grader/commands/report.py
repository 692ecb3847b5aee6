"""``ml-grade report``: placeholder until it is written."""

from __future__ import annotations

import click


@click.command()
def report() -> None:
    """Not written yet."""
    raise click.ClickException("ml-grade report is not available yet")
