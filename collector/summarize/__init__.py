"""Summaries: observations of a period -> Markdown data files in content/."""
