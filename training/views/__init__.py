from .manage import *  # noqa: F403
from .official import *  # noqa: F403
