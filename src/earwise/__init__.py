"""earwise: a headphone advisor that computes its answers and shows its reasons."""

__version__ = "0.1.0"
