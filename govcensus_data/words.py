"""The readers' words for the codes data files carry (a finding's severity, an entry's kind, a
scorecard's result, a check's outcome, a rectification row's status and how it closed).

Codes stay English in data and code. The collector writes these words into its summaries and the
catalogue, and the site shows them on pages; one table each, here, so a page and the Markdown
summary beside it never name the same thing twice in different words. Words about one particular
check (its title, codes, figures, settings) are not here: each check declares them.
"""
from __future__ import annotations

from collections.abc import Mapping

#: A finding's severity, as every check's codes and the scoring use it.
SEVERITY_LABELS: Mapping[str, str] = {"veto": "单项否决", "deduction": "扣分", "info": "提示"}
#: The kinds of registered entry (model.KINDS), as readers call them.
KIND_LABELS: Mapping[str, str] = {"website": "政府网站", "column": "信息公开专栏", "account": "政务新媒体",
                                    "message_platform": "网民留言平台"}
#: A scorecard's result (model.RESULTS).
RESULT_LABELS: Mapping[str, str] = {"pass": "合格", "fail": "不合格", "unchecked": "未检查"}
#: What one check's round on one entry came to, as a scorecard records it.
OUTCOME_LABELS: Mapping[str, str] = {"ok": "正常", "finding": "发现问题", "veto": "单项否决", "unchecked": "未能检查",
                                       "unreachable": "无法检查", "error": "检查出错"}
#: A rectification row's status (model.RECTIFICATION_STATUSES), most urgent first.
RECTIFICATION_LABELS: Mapping[str, str] = {"overdue": "逾期未整改", "open": "整改中", "rectified": "已整改"}
#: How a rectified row was closed: staff marked it, or a later round no longer saw the problem.
RECTIFIED_BY_LABELS: Mapping[str, str] = {"staff": "工作人员核实", "later_round": "复查未再发现"}

#: Every shared table by name: the test that refuses copies elsewhere reads this.
SHARED_TABLES: Mapping[str, Mapping[str, str]] = {
    "SEVERITY_LABELS": SEVERITY_LABELS, "KIND_LABELS": KIND_LABELS, "RESULT_LABELS": RESULT_LABELS,
    "OUTCOME_LABELS": OUTCOME_LABELS, "RECTIFICATION_LABELS": RECTIFICATION_LABELS,
    "RECTIFIED_BY_LABELS": RECTIFIED_BY_LABELS,
}
