"""Fetching: the async HTTP client, host resolution overrides, charset detection."""
from collector.fetch.client import Fetcher, FetchResult, FetchSettings
from collector.fetch.resolve import ResolveTransport, parse_resolve

__all__ = ["Fetcher", "FetchResult", "FetchSettings", "ResolveTransport", "parse_resolve"]
