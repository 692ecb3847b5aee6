"""``ml-grade watch``: placeholder until it is written."""

from __future__ import annotations

import click


@click.command()
def watch() -> None:
    """Not written yet."""
    raise click.ClickException("ml-grade watch is not available yet")
