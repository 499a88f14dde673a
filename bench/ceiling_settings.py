"""Production settings with one more URL, /__ceiling__/: the bench's ceiling page."""

from config.settings.production import *  # noqa: F403

ROOT_URLCONF = "bench.ceiling_urls"
