"""``librosa.core``: the same functions as the package's top level."""

from . import (amplitude_to_db, cqt, cqt_frequencies, db_to_amplitude, db_to_power,  # noqa: F401
               estimate_tuning, fft_frequencies, hz_to_mel, hz_to_midi, hz_to_note, istft,
               interval_frequencies, magphase, mel_frequencies, mel_to_hz, midi_to_hz,
               midi_to_note, mu_compress, mu_expand, note_to_hz, note_to_midi, pcen, piptrack,
               pitch_tuning, plimit_intervals, power_to_db, pseudo_cqt, pythagorean_intervals,
               stft, vqt)
