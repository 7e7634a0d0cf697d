"""`python -m user_warehouse` is `uw`."""

import sys

from user_warehouse.cli import main

sys.exit(main())
