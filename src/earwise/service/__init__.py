"""The service layer: one typed function per use case; the only thing the CLI and web call."""
