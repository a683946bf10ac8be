"""``python -m caredesk``: the same as the ``caredesk`` command."""

from caredesk.cli import main

main()
