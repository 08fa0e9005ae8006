from audiofront.compat.nnaudio.features import *  # noqa: F401,F403
