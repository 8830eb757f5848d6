"""Settings for the whole suite."""

from __future__ import annotations

import os
import tempfile

# `alvh check` keeps a result cache in the working folder; the suite runs from the
# repository, so give it a folder of its own that starts empty on every run.
os.environ["ALVH_CACHE_DIR"] = tempfile.mkdtemp(prefix="alvh-test-cache-")
