"""How a product's maker and model read together (shared by the catalog, the CLI and the web)."""

from __future__ import annotations


def display_name(brand: str, model: str) -> str:
    """Maker and model as a reader sees them, the maker once: "Drop + Sennheiser HD 6XX" by Drop
    stays itself (never "Drop Drop + ..."); "NuraLoop" by Nura reads "Nura NuraLoop"."""
    if model.lower().startswith(brand.lower() + " "):
        return model
    return f"{brand} {model}"
