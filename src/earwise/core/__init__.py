"""The bottom layer every other layer may use: the typed user error and safe file access."""
