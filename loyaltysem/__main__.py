import sys

from loyaltysem.cli import main

sys.exit(main())
