"""Chinese words for the codes in data files, and how values are shown to readers.

Codes (`veto`, `pass`, `attempts` …) stay English in data and code; readers see these labels.
An unknown code is shown as itself rather than hidden, so a new check's figures still appear.
"""
from __future__ import annotations

import re
from datetime import date, datetime
from typing import Any

KIND_LABELS = {"website": "政府网站", "column": "信息公开专栏", "account": "政务新媒体", "message_platform": "网民留言平台"}
RECTIFICATION_LABELS = {"overdue": "逾期未整改", "open": "整改中", "rectified": "已整改"}
RECTIFIED_BY_LABELS = {"staff": "工作人员核实", "later_round": "复查未再发现"}
RESULT_LABELS = {"pass": "合格", "fail": "不合格", "unchecked": "未检查"}
SEVERITY_LABELS = {"veto": "单项否决", "deduction": "扣分", "info": "提示"}
OUTCOME_LABELS = {"ok": "正常", "finding": "发现问题", "veto": "单项否决", "unchecked": "未能检查",
                  "unreachable": "无法检查", "error": "检查出错"}
LEVEL_ORDER = ("省级", "市级", "县级", "乡镇级")
PLATFORM_ORDER = ("微博", "微信公众号", "今日头条", "抖音", "快手", "其他")

CHECK_TITLES = {
    "reachability": "首页可访问性",
    "homepage_freshness": "首页更新",
    "column_freshness": "栏目更新",
    "dead_links": "链接可用性",
    "personal_info": "个人信息保护",
    "wording": "严重表述错误与错别字",
    "reprint": "转载与原文一致",
    "footer_marks": "网站基本信息标识",
    "decommissioned_domain": "已下线网站域名注销",
    "newmedia_freshness": "新媒体内容更新",
    "messages": "网民留言办理",
    "newmedia_posts": "新媒体发布内容",
}

FIGURE_LABELS = {
    "attempts": "访问次数",
    "failures": "失败次数",
    "failure_share": "失败比例",
    "worst_week_failure_share": "最差一周失败比例",
    "median_response_ms": "响应时间中位数（毫秒）",
    "newest_item": "最新信息日期",
    "newest_post": "最新发布日期",
    "age_days": "距监测时间（天）",
    "columns": "栏目数",
    "stale_columns": "不更新栏目数",
    "long_term_stale_columns": "长期不更新栏目数",
    "blank_columns": "空白栏目数",
    "links": "检查链接数",
    "links_checked": "检查链接数",
    "dead_links": "不可用链接数",
    "pages": "检查页面数",
    "pages_scanned": "检查页面数",
    "attachments": "检查附件数",
    "matches": "命中数",
    "received": "收到留言",
    "replied": "已答复",
    "on_time": "按时答复",
    "overdue": "超期未答复",
    "completion_rate": "办结率",
    "resolves": "域名仍可解析",
    "registered": "域名仍在注册",
    "domain": "域名",
    "whois": "WHOIS 查询结果",
    "whois_server": "WHOIS 服务器",
    "whois_operator": "WHOIS 服务器所属机构",
    "whois_by_domain": "各域名 WHOIS 查询结果",
    "domains": "域名",
    "offline_since": "下线日期",
    "not_yet_offline": "尚未到下线日期",
    "whois_detail": "WHOIS 说明",
    "registrar": "注册商",
    "registration_time": "注册时间",
    "expiration_time": "到期时间",
    "statuses": "域名状态",
    "dns": "域名解析",
    "dns_records": "解析记录",
    "http_status": "HTTP 状态码",
    "http_error": "HTTP 访问错误",
    "footer_icp": "页面所示 ICP 备案编号",
    "footer_site_code": "页面所示网站标识码",
    "errors": "检查出错",
    "articles_examined": "检查文章数",
    "attachments_unread": "未能读取的附件数",
    "bank_card": "银行卡号",
    "blank": "空白栏目数",
    "by_class": "按结果分类",
    "by_column": "各栏目情况",
    "compared": "已比对文章数",
    "could_not_check": "未能检查",
    "could_not_check_sources": "原文无法获取",
    "csv": "CSV",
    "dated_items": "带日期的信息条数",
    "dead": "不可用链接数",
    "dead_on_homepage": "首页不可用链接数",
    "differing": "与原文不符",
    "docx": "DOCX",
    "expected_site_code": "应有网站标识码",
    "external": "外部链接数",
    "internal": "内部链接数",
    "items": "信息条数",
    "judged_on": "判定依据",
    "lexicon_entries": "词库条目数",
    "links_found": "发现链接数",
    "links_not_checked": "超出上限未查链接数",
    "long_term_stale": "长期不更新栏目数",
    "marks_missing_or_wrong": "缺失或错误的标识数",
    "mobile": "手机号码",
    "newest": "最新信息日期",
    "ok": "正常",
    "pages_crawled": "检查页面数",
    "pages_unread": "未能读取的页面数",
    "pdf": "PDF",
    "posts_in_feed": "订阅源中的发布数",
    "posts_last_14_days": "近 14 天发布数",
    "posts_last_7_days": "近 7 天发布数",
    "rate_limited": "被限流（不计为不可用）",
    "blocked": "被限流或拦截次数（不计入访问次数）",
    "blocked_reasons": "限流或拦截",
    "not_checked": "未能访问次数（非网站原因，不计入）",
    "not_checked_reasons": "未能访问原因",
    "reprints_with_source_link": "注明来源链接的转载",
    "resident_id": "身份证号码",
    "serious": "严重表述错误",
    "site_id_metas": "SiteIDCode 元标签",
    "stale": "未按时更新栏目数",
    "state": "状态",
    "truncated": "内容过长已截断",
    "typo": "错别字",
    "unreachable": "无法访问",
    "unread_reasons": "未能读取的原因",
    "xlsx": "XLSX",
    "platforms": "留言平台数",
    "platforms_unread": "导出未能读取的平台数",
    "messages": "导出中的留言数",
    "open": "未办结",
    "longest_gap_days": "最长未更新间隔（天）",
    "longest_gap_from": "最长间隔起",
    "longest_gap_to": "最长间隔止",
    "posts_checked": "检查发布数",
    "posts_in_period": "本期发布数",
    "posts_per_week_median": "每周发布数中位数",
    "posts_per_week_min": "每周发布数最少",
    "posts_without_link": "无链接的发布数",
    "weeks_counted": "统计周数",
    "name": "名称",
    "type": "类型",
    "url": "网址",
}

SETTING_LABELS = {
    "indicator": "指标",
    "severity": "判定",
    "timeout_seconds": "打开超时（秒）",
    "window_days": "监测窗口（天）",
    "attempts_per_day": "每日访问次数",
    "max_failure_share": "失败比例上限",
    "min_attempts_for_verdict": "作出判定所需最少访问次数",
    "max_age_days": "最长未更新天数",
    "long_term_types": "长期类栏目",
    "veto_when_stale_columns_at_least": "不更新栏目达到此数即否决",
    "veto_when_long_term_stale_at_least": "长期不更新栏目达到此数即否决",
    "veto_when_blank_columns_at_least": "空白栏目达到此数即否决",
    "deduction_age_days": "超过此天数未更新即扣分",
    "history_hours": "每次保留此前多少小时的发布（小时）",
    "homepage_max_dead": "首页不可用链接允许数",
    "other_page_max_dead": "其他页面每页不可用链接允许数",
    "limit_working_days": "答复时限（工作日）",
    "lookback_days": "回溯天数",
    "unanswered_veto_days": "超过此天数未答复即否决",
    "max_articles": "每次检查的文章数上限",
    "max_links": "每次检查的链接数上限",
    "max_pages": "每次检查的页面数上限",
    "max_posts": "每次检查的发布数上限",
    "max_snippet_chars": "差异摘录长度上限（字）",
    "soft_404_max_body_chars": "“软 404”页面正文长度上限（字）",
    "window_hours": "检查最近多少小时的发布（小时）",
    "severity_dead_link": "发布链接不可用的判定",
    "severity_pii": "个人信息泄露的判定",
    "severity_serious": "严重表述错误的判定",
    "severity_typo": "错别字的判定",
    "exempt_contact_phones": "联系电话豁免",
}

#: Why a setting exists, shown under the thresholds of its check where a label alone says too little.
SETTING_NOTES = {
    "exempt_contact_phones": (
        "联系电话豁免：为“是”时，紧跟在“联系电话”“咨询电话”“举报电话”“值班电话”“热线”“联系人”等字样之后的手机号码，"
        "视为单位有意公开的联系方式，不计为个人信息泄露；但与身份证号码相邻的手机号码（如名单中的个人电话）仍计入。"
        "为“否”时，页面和附件中所有手机号码均计入。"
    ),
}

_QUARTERS = {"1": "第一季度", "2": "第二季度", "3": "第三季度", "4": "第四季度"}
_PERIOD = re.compile(r"(\d{4})Q([1-4])")


def period_label(period: str) -> str:
    """2020Q2 -> 2020年第二季度, as the circular names quarters."""
    match = _PERIOD.fullmatch(period)
    return f"{match.group(1)}年{_QUARTERS[match.group(2)]}" if match else period


def label(mapping: dict[str, str], code: str | None) -> str:
    return mapping.get(code or "", code or "")


def show_value(key: str, value: Any) -> str:
    """A figure as text: shares as percentages, booleans as 是/否, dates without seconds."""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, float) and (key.endswith("_share") or key.endswith("_rate")):
        return f"{value * 100:.1f}%"
    if isinstance(value, (datetime, date)):
        return show_time(value.isoformat())
    if value is None:
        return "—"
    return str(value)


def show_time(text: str) -> str:
    """ISO timestamps shown to the minute in Beijing time as written (2020-06-09 09:00)."""
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        return text
    if "T" not in text and " " not in text:
        return moment.date().isoformat()
    return moment.strftime("%Y-%m-%d %H:%M")
