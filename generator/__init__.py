"""kennisbank: a static site generator for education knowledge bases."""

__version__ = "0.1.0"
