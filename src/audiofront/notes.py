"""Note names, MIDI numbers and frequencies, librosa's grammar and numbers (A4 = MIDI 69 =
440 Hz, twelve-tone equal temperament).

A note name is a pitch letter ``A``-``G`` (either case), any accidentals (``#`` ``♯`` sharp,
``𝄪`` double sharp, ``b`` ``!`` ``♭`` flat, ``𝄫`` double flat, ``♮`` natural), an optional
octave (default 0, may be negative: ``'C-1'`` is MIDI 0) and an optional offset in cents
(``'A4+25'``, ``'A!1-25'``).
"""

from __future__ import annotations

import re

import numpy as np

from ._checks import ParameterError

__all__ = ["note_to_midi", "note_to_hz", "midi_to_hz", "hz_to_midi", "midi_to_note",
           "hz_to_note"]

_PITCH = {"C": 0, "D": 2, "E": 4, "F": 5, "G": 7, "A": 9, "B": 11}
_ACCIDENTAL = {"#": 1, "\u266f": 1, "\U0001d12a": 2, "b": -1, "!": -1, "\u266d": -1,
               "\U0001d12b": -2, "\u266e": 0}
_NOTE = re.compile(r"^\s*(?P<letter>[A-Ga-g])(?P<accidentals>[#\u266f\U0001d12ab!\u266d"
                   r"\U0001d12b\u266e]*)(?P<octave>[+-]?\d+)?(?P<cents>[+-]\d+)?\s*$")
_SHARPS = ["C", "C#", "D", "D#", "E", "F", "F#", "G", "G#", "A", "A#", "B"]


def _strings(note, one):
    """``one(str)`` for a note name, a float64 array of them for a sequence."""
    if isinstance(note, str):
        return one(note)
    return np.array([one(n) for n in note])


def note_to_midi(note, /, *, round_midi: bool = True):
    """Note name(s) to MIDI numbers: ``'C4'`` -> 60, ``'A!1-25'`` -> 31.75 (unrounded).

    Parameters
    ----------
    note : str or sequence of str
        Names in the grammar of this module's docstring.
    round_midi : bool
        Round to the nearest integer (default True, librosa's), so cents are dropped.

    Returns
    -------
    int for a str (with ``round_midi=False`` a NumPy number, librosa's type); a NumPy array
    for a sequence

    Examples
    --------
    >>> import audiofront as af
    >>> af.note_to_midi("C4"), af.note_to_midi("Bb"), af.note_to_midi("A!1-25", round_midi=False)
    (60, 22, np.float64(31.75))
    """
    def one(name):
        match = _NOTE.match(name)
        if match is None:
            raise ParameterError(
                f"A note is a letter A-G, accidentals (# ♯ 𝄪 b ! ♭ 𝄫 ♮), an optional octave and "
                f"an optional offset in cents, e.g. 'C1', 'Bb3', 'A4+25'. Received: note={name!r}"
            )
        # the accidentals summed by NumPy, so the unrounded value has librosa's type: int64
        # with accidentals, float64 without (NumPy's sum of nothing) or with cents
        offset = np.sum([_ACCIDENTAL[a] for a in match["accidentals"]])
        cents = int(match["cents"]) * 0.01 if match["cents"] else 0
        midi = 12 * (int(match["octave"] or 0) + 1) + _PITCH[match["letter"].upper()] + offset + cents
        return int(np.round(midi)) if round_midi else midi

    return _strings(note, one)


def midi_to_hz(notes, /):
    """MIDI numbers to Hz: ``440 * 2 ** ((notes - 69) / 12)``; float64 (a NumPy scalar for a
    number)."""
    return 440.0 * 2.0 ** ((np.asarray(notes, dtype=np.float64) - 69.0) / 12.0)


def hz_to_midi(frequencies, /):
    """Hz to (fractional) MIDI numbers: ``12 log2(f / 440) + 69``; float64."""
    return 12.0 * (np.log2(np.asarray(frequencies, dtype=np.float64)) - np.log2(440.0)) + 69.0


def note_to_hz(note, /, *, round_midi: bool = True):
    """Note name(s) to Hz: ``'C1'`` -> 32.70, ``'A4'`` -> 440.0, ``'A4+50'`` with
    ``round_midi=False`` -> 452.89.

    Parameters
    ----------
    note : str or sequence of str
        Names in the grammar of this module's docstring.
    round_midi : bool
        As :func:`note_to_midi` (default True: cents offsets are rounded away, as librosa).

    Returns
    -------
    float64 NumPy scalar for a str, float64 array for a sequence

    Examples
    --------
    >>> import audiofront as af
    >>> round(float(af.note_to_hz("C1")), 4), float(af.note_to_hz("A4"))
    (32.7032, 440.0)
    """
    midi = note_to_midi(note, round_midi=round_midi)
    return midi_to_hz(midi)[()] if isinstance(note, str) else midi_to_hz(midi)


def midi_to_note(midi, /, *, octave: bool = True, cents: bool = False, key: str = "C:maj",
                 unicode: bool = True):
    """MIDI numbers to note names, sharps spelled (librosa's spelling in its default key,
    'C:maj'): 61 -> ``'C♯4'``; ``cents=True`` appends the offset from the nearest note
    (61.3 -> ``'C♯4+30'``), ``octave=False`` drops the octave, ``unicode=False`` writes
    ``'#'``.

    Returns
    -------
    str for a number, NumPy array of str otherwise
    """
    if key != "C:maj":
        raise ParameterError(f"Only key='C:maj' (sharps) is spelled so far. Received: key={key!r}")
    values = np.asarray(midi, dtype=np.float64)
    if cents and not octave:
        raise ParameterError("cents=True needs octave=True (librosa's rule). Received: "
                             "octave=False, cents=True")

    def one(m):
        nearest = int(np.round(m))
        name = _SHARPS[nearest % 12].replace("#", "\u266f" if unicode else "#")
        if octave:
            name += str(nearest // 12 - 1)
        if cents:
            name += f"{int(np.round(100 * (m - nearest))):+02d}"
        return name

    if values.ndim == 0:
        return one(float(values))
    return np.array([one(m) for m in values.reshape(-1)]).reshape(values.shape)


def hz_to_note(frequencies, /, **kwargs):
    """Hz to note names, :func:`midi_to_note` of :func:`hz_to_midi` (its keywords): 440 ->
    ``'A4'``, 466 -> ``'A♯4'``, 445 with ``cents=True`` -> ``'A4+20'``.

    Examples
    --------
    >>> import audiofront as af
    >>> af.hz_to_note(440.0), af.hz_to_note(466.0, unicode=False)
    ('A4', 'A#4')
    """
    f = np.asarray(frequencies, dtype=np.float64)
    if np.any(f <= 0):
        raise ParameterError(f"Frequencies must be > 0 Hz. Received: frequencies={frequencies!r}")
    return midi_to_note(hz_to_midi(f), **kwargs)
