"""The quarterly circular: its figures from the period's data files, and a draft staff publish."""
from collector.circular.draft import DraftResult, draft_path, render_draft, write_draft
from collector.circular.figures import load_scorecards, quarter_figures
from collector.circular.template import CircularTemplate, TemplateError, load_template

__all__ = ["CircularTemplate", "DraftResult", "TemplateError", "draft_path", "load_scorecards", "load_template",
           "quarter_figures", "render_draft", "write_draft"]
