"""``ml-grade demo``: placeholder until it is written."""

from __future__ import annotations

import click


@click.command()
def demo() -> None:
    """Not written yet."""
    raise click.ClickException("ml-grade demo is not available yet")
