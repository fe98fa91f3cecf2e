"""``python -m newsledger.cli``: the same as the ``newsledger`` command."""

import sys

from newsledger.cli import main

sys.exit(main())
