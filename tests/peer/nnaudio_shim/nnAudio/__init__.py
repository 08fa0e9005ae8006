"""A stand-in ``nnAudio`` package for running nnAudio's own tests against
``audiofront.compat.nnaudio`` (see ../../run_nnaudio_suite.py)."""

__version__ = "0.3.4"
