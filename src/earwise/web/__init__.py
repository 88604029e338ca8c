"""earwise in a browser: server-rendered pages and a JSON API over the same service functions."""
