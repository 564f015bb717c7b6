"""Qt-free transfers of voiceprints between workspaces: archives, copy/move jobs, bulk import.

* :mod:`.archive` writes and reads the portable archive (a zip with a versioned
  ``manifest.json`` and the audio files as the service stored them), refusing a
  tampered one before anything is written;
* :mod:`.jobs` runs a copy, move or import as a job with an on-disk journal, so a
  job cut short by a crash, a kill or a lost network resumes without duplicates
  and without losing a source;
* :mod:`.cli` is ``voiceprint-studio export`` / ``voiceprint-studio import``.
* :mod:`.reasons` keeps every sentence for the operator translatable: a template
  (``QT_TRANSLATE_NOOP("TransferErrors", ...)``) and its values; ``str()`` is English
  (what the command line prints), the UI translates it.
"""
