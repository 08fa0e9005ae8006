"""Pictures of features (matplotlib, the optional ``plot`` extra, imported on use)."""

from __future__ import annotations

import numpy as np

__all__ = ["plot_features"]

_PITCH_CLASSES = ["C", "C#", "D", "D#", "E", "F", "F#", "G", "G#", "A", "A#", "B"]


def plot_features(S, /, *, sr: float, hop_length: int, frequencies=None, feature: str = "",
                  title: str = "", path=None, db: bool = True):
    """Draw a ``(bins, frames)`` feature with labelled axes and a colour bar.

    Time is in seconds (``frame * hop_length / sr``); the frequency axis is labelled in Hz for
    linear and mel features, with note names for 'cqt' and 'logfreq', pitch classes for
    'chroma' and coefficient numbers for 'mfcc'. Returns the matplotlib Figure, and saves it
    to ``path`` when given.
    """
    import matplotlib

    if path is not None:
        matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from .notes import hz_to_note

    S = np.asarray(S, dtype=np.float64)
    n_bins, n_frames = S.shape
    fig, ax = plt.subplots(figsize=(9, 4.5), constrained_layout=True)
    image = ax.imshow(S, origin="lower", aspect="auto", cmap="magma", interpolation="nearest",
                      extent=(0, n_frames * hop_length / sr, -0.5, n_bins - 0.5))
    ax.set_xlabel("time (s)")
    ticks = np.unique(np.linspace(0, n_bins - 1, min(n_bins, 9)).round().astype(int))
    ax.set_yticks(ticks)
    if feature == "chroma":
        ax.set_yticks(range(n_bins))
        ax.set_yticklabels([_PITCH_CLASSES[i % 12] for i in range(n_bins)])
        ax.set_ylabel("pitch class")
    elif feature == "mfcc" or frequencies is None or len(frequencies) != n_bins:
        ax.set_ylabel("coefficient" if feature == "mfcc" else "bin")
    elif feature in ("cqt", "logfreq"):
        ax.set_yticklabels([hz_to_note(frequencies[i], unicode=False) for i in ticks])
        ax.set_ylabel("note")
    else:
        ax.set_yticklabels([f"{frequencies[i]:.0f}" for i in ticks])
        ax.set_ylabel("frequency (Hz)")
    fig.colorbar(image, ax=ax, label="dB" if db else "value")
    ax.set_title(title or feature)
    if path is not None:
        fig.savefig(path, dpi=110)
        plt.close(fig)
    return fig
