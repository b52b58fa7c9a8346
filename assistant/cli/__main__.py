"""`python -m assistant.cli`: the same as the `policy-assistant` console script."""

import sys

from assistant.cli.main import main

sys.exit(main())
