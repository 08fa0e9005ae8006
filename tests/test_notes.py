"""Note names, MIDI numbers and frequencies against librosa's own conversions."""

import numpy as np
import pytest

import audiofront as af
from helpers import optional

librosa = optional("librosa")

NAMES = ["C4", "A4", "a4", "Bb", "A!1-25", "C\u266f4+10", "C\U0001d12a4", "D\U0001d12b4",
         "E\u266e4", "C-1", "G#-2+49", "Cb4-50", "B#3", "F##5-3", "Ebb2"]


@pytest.mark.parametrize("round_midi", [True, False])
def test_note_names_as_librosa(round_midi):
    for name in NAMES:
        ours, theirs = af.note_to_midi(name, round_midi=round_midi), librosa.note_to_midi(
            name, round_midi=round_midi)
        assert ours == theirs and type(ours) is type(theirs), (name, ours, theirs)
        hz, ref = af.note_to_hz(name, round_midi=round_midi), librosa.note_to_hz(
            name, round_midi=round_midi)
        assert type(hz) is type(ref) and hz == pytest.approx(ref, rel=1e-14), name
    np.testing.assert_array_equal(af.note_to_midi(NAMES, round_midi=round_midi),
                                  librosa.note_to_midi(NAMES, round_midi=round_midi))
    np.testing.assert_allclose(af.note_to_hz(NAMES, round_midi=round_midi),
                               librosa.note_to_hz(NAMES, round_midi=round_midi), rtol=1e-14)


@pytest.mark.parametrize("kwargs", [{}, {"cents": True}, {"octave": False}, {"unicode": False},
                                    {"cents": True, "unicode": False}], ids=str)
def test_midi_and_hz_to_note_names_as_librosa(kwargs):
    midi = np.array([60, 61.3, 59.74, 0, 127, 69.5, 70.49])
    assert list(af.midi_to_note(midi, **kwargs)) == list(librosa.midi_to_note(midi, **kwargs))
    assert af.midi_to_note(61.3, **kwargs) == librosa.midi_to_note(61.3, **kwargs)
    hz = np.array([27.5, 440.0, 445.0, 466.0, 4186.0, 93.1])
    assert list(af.hz_to_note(hz, **kwargs)) == list(librosa.hz_to_note(hz, **kwargs))


def test_midi_hz_round_trip_as_librosa():
    midi = np.linspace(-5, 130, 271)
    np.testing.assert_allclose(af.midi_to_hz(midi), librosa.midi_to_hz(midi), rtol=1e-14)
    np.testing.assert_allclose(af.hz_to_midi(af.midi_to_hz(midi)), midi, atol=1e-10)
    assert type(af.midi_to_hz(69)) is type(librosa.midi_to_hz(69))
    assert float(af.midi_to_hz(69)) == 440.0 and float(af.hz_to_midi(440.0)) == 69.0


def test_bad_notes_say_what_they_received():
    for bad in ("H4", "C#4x", "", "4C"):
        with pytest.raises(af.ParameterError, match=f"note={bad!r}"):
            af.note_to_midi(bad)
    with pytest.raises(af.ParameterError, match="frequencies"):
        af.hz_to_note(0.0)
    with pytest.raises(af.ParameterError, match="key='D:min'"):
        af.midi_to_note(60, key="D:min")
    with pytest.raises(af.ParameterError, match="cents=True"):
        af.midi_to_note(60, octave=False, cents=True)
