"""Entry point: python -m evals.bench."""

import sys

from evals.bench.run import main

sys.exit(main())
