"""The main window, its host (language switches), the offline banner and the connection dialog."""
