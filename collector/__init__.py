"""GovCensus collector: checks government websites and new-media accounts, writes observations and summaries."""

__version__ = "0.1.0"
