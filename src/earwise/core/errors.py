"""One error base class for everything a user can get wrong.

The CLI maps :class:`EarwiseError` to ``error: <message>`` and exit code 2; the web maps it to a
4xx JSON body ``{"detail": [{"loc": [<where>, <field>], "msg": <message>}]}``. ``field`` names the
offending input as the user gave it (``budget``, ``target``, ``file`` ...), so the web's ``loc``
points at the real field. Messages are one readable line and never echo file contents.
"""

from __future__ import annotations


class EarwiseError(ValueError):
    """A request that cannot be answered as given; one readable line naming the problem."""

    status_code = 422

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.field = field


class NotFoundError(EarwiseError):
    """Something named (a product, a category) that does not exist."""

    status_code = 404


class ConflictError(EarwiseError):
    """The request would damage something already saved (a foreign file, most of an index)."""

    status_code = 409
