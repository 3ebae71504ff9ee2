"""``python -m newsledger`` runs the command-line interface."""

from .cli import main

main()
