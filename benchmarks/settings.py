"""The product's settings, plus the benchmark's two baseline pages (benchmarks/urls.py).

Only `make bench` uses this module: the baselines are never in the product's URLs.
"""

from forum.settings import *  # noqa: F403

ROOT_URLCONF = "benchmarks.urls"
