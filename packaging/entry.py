"""The bundle's entry script: the same ``main`` as the ``voiceprint-studio`` console script."""

import sys

from voiceprint_studio.main import main

if __name__ == "__main__":
    sys.exit(main())
