"""Entry point for ``python -m voiceprint_studio``."""

import sys

from voiceprint_studio.main import main

sys.exit(main())
