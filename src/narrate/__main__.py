"""``python -m narrate`` runs the command line."""

from narrate.cli import main

if __name__ == "__main__":
    main()
