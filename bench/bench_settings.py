"""Settings for bench/scorecard_bench.py only: the product's settings with a bench URLconf.

The product is unchanged; this adds the minimal view the scorecard is measured against.
"""

from goldthread.settings import *  # noqa: F403

ROOT_URLCONF = "bench.bench_urls"
DEBUG = False
