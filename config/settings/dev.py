"""Local development and `make run`: debug on, everything on this machine."""

from config.settings.base import *  # noqa: F403
from config.settings.env import env_bool

DEBUG = env_bool("POLKA_DEBUG", True)
