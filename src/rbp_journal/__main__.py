"""`python -m rbp_journal` runs the same app as the `rbp` command."""

from rbp_journal.launch import main

main()
