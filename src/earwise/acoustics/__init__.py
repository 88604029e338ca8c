"""Frequency responses: reading measurements, rig targets, band features, preference scores."""
