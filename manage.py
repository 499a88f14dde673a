#!/usr/bin/env python
"""Django's command-line utility; `polka` is the same with a friendlier error path."""

from polka.cli.main import main

if __name__ == "__main__":
    main()
