"""Stations: the registry, map and provider feeds for China's trade-union service points."""

__version__ = "0.1.0"
