"""Rectification tracking: each problem of a quarter with its deadline and status."""
from collector.rectification.tracking import (
    MarksError, item_id, load_marks, rectification_items, write_rectification_status,
)

__all__ = ["MarksError", "item_id", "load_marks", "rectification_items", "write_rectification_status"]
