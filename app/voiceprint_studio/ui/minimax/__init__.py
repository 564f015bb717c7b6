"""MiniMax voices: list and delete."""
