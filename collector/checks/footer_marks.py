"""网站基本信息: the marks every government site shows at the foot of its pages.

- 网站标识码 in the footer text, equal to the registry's site_code (a disclosure column shows its
  parent site's code), and in the `SiteIDCode` meta, which real pages leave empty or repeat;
- ICP 备案编号: province abbreviation + ICP备 + digits + 号, optionally -n (滇ICP备05001234号-1);
- 公安机关备案: province abbreviation + 公网安备 + 14 digits + 号;
- 党政机关网站标识: the red mark issued through conac.cn (an image or script linking there, or an
  image named or titled 党政机关 / dzjg).
A missing or wrong mark is a finding whose evidence is the text actually seen.
"""
from __future__ import annotations

import re

from collector.checks.base import Check, CheckContext, Code, Settings, register
from collector.footer import (
    ICP_CANDIDATE, ICP_VALID, PSB_CANDIDATE, PSB_VALID, SITE_CODE_TEXT, footer_text, has_party_government_mark,
    site_id_metas,
)
from collector.html import parse
from collector.observations import Evidence, Finding, Observation
from collector.registry import Entry, Registry
from govcensus_data.rules import site_code

def expected_site_code(entry: Entry, registry: Registry) -> str:
    """The code the page must show: the site's own, or for a column its parent site's."""
    code = site_code(entry.kind, entry.id, getattr(entry, "parent", None)) or ""
    if entry.kind == "column":
        try:
            registry.get(code)
        except KeyError:
            return ""
    return code


def _line_with(text: str, needle: str) -> str:
    for line in text.splitlines():
        if needle.lower() in line.lower():
            return line.strip()[:200]
    return ""


def inspect_footer(html: str, expected_code: str) -> list[tuple[str, str, str]]:
    """(code, message, text seen) for every mark that is missing or wrong; pure, for tests."""
    tree = parse(html)
    footer = footer_text(tree)
    problems: list[tuple[str, str, str]] = []

    shown = [m.group(1) for m in SITE_CODE_TEXT.finditer(footer)]
    if not shown:
        problems.append(("site_code_missing", "页脚未显示网站标识码", footer.splitlines()[-1][:200] if footer else ""))
    elif expected_code and expected_code not in shown:
        problems.append(("site_code_mismatch", f"页脚网站标识码「{shown[0] or '（空）'}」与登记的 {expected_code} 不一致",
                         _line_with(footer, "网站标识码")))
    elif not expected_code and not any(re.fullmatch(r"\d{10}", code) for code in shown):
        problems.append(("site_code_mismatch", f"页脚网站标识码「{shown[0] or '（空）'}」不是 10 位数字",
                         _line_with(footer, "网站标识码")))

    metas = site_id_metas(tree)
    meta_seen = " ".join(f'<meta name="SiteIDCode" content="{value}">' for value in metas)
    if not metas:
        problems.append(("site_id_meta_missing", "页面缺少 SiteIDCode 元数据", ""))
    elif not any(metas):
        problems.append(("site_id_meta_empty", "SiteIDCode 元数据为空", meta_seen))
    else:
        def right(value: str) -> bool:
            return value == expected_code if expected_code else bool(re.fullmatch(r"\d{10}", value))

        wrong = sorted({value for value in metas if value and not right(value)})
        if wrong:
            problems.append(("site_id_meta_mismatch",
                             f"SiteIDCode 元数据「{'、'.join(wrong)}」与登记的 {expected_code or '10 位标识码'} 不一致", meta_seen))

    icp = [m.group(0).replace(" ", "") for m in ICP_CANDIDATE.finditer(footer)]
    if not icp:
        problems.append(("icp_missing", "页脚未显示 ICP 备案编号", ""))
    elif not any(ICP_VALID.match(candidate) for candidate in icp):
        problems.append(("icp_malformed", "ICP 备案编号格式不正确（应为省份简称+ICP备+数字+号）", _line_with(footer, "ICP")))

    psb = [m.group(0).replace(" ", "").replace("：", "").replace(":", "") for m in PSB_CANDIDATE.finditer(footer)]
    if not psb:
        problems.append(("psb_missing", "页脚未显示公安机关备案标识", ""))
    elif not any(PSB_VALID.match(candidate) for candidate in psb):
        problems.append(("psb_malformed", "公安机关备案编号格式不正确（应为省份简称+公网安备+14 位数字+号）",
                         _line_with(footer, "公网安备")))

    if not has_party_government_mark(tree):
        problems.append(("party_government_mark_missing", "未发现党政机关网站标识", ""))
    return problems


@register
class FooterMarks(Check[Settings]):
    name = "footer_marks"
    title = "网站基本信息标识"
    indicator = "网站基本信息"
    applies_to = frozenset({"website", "column"})
    codes = {
        "site_code_missing": Code("页脚未显示网站标识码", "deduction"),
        "site_code_mismatch": Code("页脚网站标识码与登记不一致", "deduction"),
        "site_id_meta_missing": Code("缺少 SiteIDCode 元数据", "deduction"),
        "site_id_meta_empty": Code("SiteIDCode 元数据为空", "deduction"),
        "site_id_meta_mismatch": Code("SiteIDCode 元数据与登记不一致", "deduction"),
        "icp_missing": Code("页脚未显示 ICP 备案编号", "deduction"),
        "icp_malformed": Code("ICP 备案编号格式不正确", "deduction"),
        "psb_missing": Code("页脚未显示公安机关备案标识", "deduction"),
        "psb_malformed": Code("公安机关备案编号格式不正确", "deduction"),
        "party_government_mark_missing": Code("未发现党政机关网站标识", "deduction"),
    }
    figures = {
        "expected_site_code": "应有网站标识码",
        "site_id_metas": "SiteIDCode 元标签",
        "marks_missing_or_wrong": "缺失或错误的标识",
        # written by earlier versions of this check; older data files still show it
        "site_code_shown": "页面所示网站标识码",
    }
    figure_values = {"marks_missing_or_wrong": {code: c.label for code, c in codes.items()}}

    async def observe(self, entry: Entry, ctx: CheckContext) -> Observation:
        settings = self.configured(ctx.profile)
        page = await ctx.fetch(entry.url)
        if not page.ok:
            return self.unreachable(entry, ctx, page)
        expected = expected_site_code(entry, ctx.registry)
        problems = inspect_footer(page.text, expected)
        findings = [Finding(code=code, indicator=self.indicator, severity=self.severity(settings, code), message=message,
                            key=f"{entry.url}|{code}",
                            evidence=Evidence(url=entry.url, location="页脚", snippet=seen))
                    for code, message, seen in problems]
        tree = parse(page.text)
        figures = {"expected_site_code": expected, "site_id_metas": site_id_metas(tree),
                   "marks_missing_or_wrong": [code for code, _, _ in problems]}
        return self.observation(entry, ctx, figures, findings)
