"""Names never substitute silently: a view wrapper that resolves product names like the view
does and keeps the note of every near match, so each answer can say what it showed instead."""

from __future__ import annotations

from earwise.catalog.view import CatalogView


class NotingView:
    """``CatalogView`` for one request, recording near-match notes in ``notes``."""

    def __init__(self, view: CatalogView) -> None:
        self._view = view
        self.notes: list[str] = []

    def __getattr__(self, name: str):
        return getattr(self._view, name)

    def resolve(self, name: str, kind: str | None = None) -> tuple[str, str]:
        m = self._view.match(name, kind)
        if m.note and m.note not in self.notes:
            self.notes.append(m.note)
        return m.id, m.kind

    def match(self, name: str, kind: str | None = None):
        m = self._view.match(name, kind)
        if m.note and m.note not in self.notes:
            self.notes.append(m.note)
        return m

    def headphone(self, name: str):
        return self._view.headphones[self.resolve(name, "headphone")[0]]

    def device(self, name: str):
        return self._view.devices[self.resolve(name, "source")[0]]
