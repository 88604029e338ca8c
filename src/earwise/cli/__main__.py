"""``python -m earwise.cli``."""

from earwise.cli import main

main()
