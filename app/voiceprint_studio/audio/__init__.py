"""Qt-free audio: reading and checking enrollment recordings, microphone capture."""
