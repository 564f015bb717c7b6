"""Qt widgets, models and workers: the only layer that imports QtWidgets."""
