"""Citizen messages (网民留言): import platform exports, count working days, compute the circular's figures.

Personal data never gets past the importer: `Message` has no field for a name, a phone number or
any free text a citizen wrote, so nothing downstream can publish them.
"""
from collector.message_exports.importer import Anomaly, ImportProblem, ImportResult, Message, load_export
from collector.message_exports.stats import DEFAULT_LIMIT_DAYS, message_stats, rate_text
from collector.message_exports.workdays import CalendarRangeError, due_date, is_working_day, reply_working_days, working_days_between

__all__ = [
    "Anomaly", "CalendarRangeError", "DEFAULT_LIMIT_DAYS", "ImportProblem", "ImportResult", "Message",
    "due_date", "is_working_day", "load_export", "message_stats", "rate_text", "reply_working_days",
    "working_days_between",
]
