"""``python -m learnware_core.cli``: the same as the ``bmw`` command."""

from learnware_core.cli import main

raise SystemExit(main())
