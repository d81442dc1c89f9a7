"""Plausible government prose for the 岑州 world, drawn from a seeded RNG.

Its own words, not the Lincang world's: a check or a template that leaks one world's words into
the other's circular is caught by the end-to-end test. The sentences carry the wording
look-alikes (correct political formulations) and document numbers a careful check must not flag.
"""
from __future__ import annotations

import hashlib
import random

TOPICS = ("乡村振兴", "易地扶贫搬迁后续扶持", "大数据产业发展", "防汛抗旱", "疫情防控", "茶产业提质增效",
          "生态环境保护", "安全生产", "优化营商环境", "政务公开", "“放管服”改革", "民族团结进步创建",
          "城镇老旧小区改造", "农村人居环境整治", "森林防火", "义务教育“双减”")
PLACES = ("岑州市", "岑江区", "苗岭县", "清溪县")

_TITLES = {
    "news": ("{unit}召开{topic}工作推进会", "{place}扎实推进{topic}", "{unit}开展{topic}专题调研",
             "{place}{topic}取得阶段性成效", "{unit}召开党史学习教育专题会议", "{place}多措并举抓好{topic}"),
    "notice": ("关于开展{year}年{topic}专项检查的通知", "关于做好{topic}有关工作的通知", "{unit}关于{topic}的公告",
               "关于{year}年{topic}工作督查情况的通报"),
    "policy": ("{place}人民政府办公室关于印发{place}{topic}实施方案的通知", "关于进一步加强{topic}工作的实施意见",
               "{unit}关于印发{topic}工作制度的通知"),
    "personnel": ("{unit}{year}年公开招聘事业单位工作人员公告", "{unit}干部任前公示", "{unit}{year}年公开遴选公务员公告"),
    "planning": ("{unit}{year}年工作要点", "{unit}{year}年度部门预算公开", "{place}{topic}“十四五”规划"),
}
TYPE_FAMILY = {"要闻动态": "news", "工作动态": "news", "通知公告": "notice", "政策文件": "policy",
               "人事信息": "personnel", "规划计划": "planning"}
_SENTENCES = (
    "会议强调，要深入学习贯彻习近平新时代中国特色社会主义思想，把{topic}作为当前重要任务抓紧抓实。",
    "{unit}认真贯彻落实中国共产党第十九次全国代表大会和党的十九届五中全会精神，推动{topic}各项工作落地见效。",
    "会议传达学习了庆祝中国共产党成立100周年大会精神，对下一步{topic}工作作出安排。",
    "各县（区）、各部门要压实工作责任，确保{topic}各项任务落到实处。",
    "下一步，{unit}将继续聚焦{topic}，细化工作措施，强化督促检查，推动工作取得新成效。",
    "按照岑府办发〔{year}〕{n}号文件要求，{place}对{topic}工作进行了全面部署。",
    "咨询电话：0856-3221708（工作日9:00—17:00）。",
)


class Prose:
    """Titles and paragraphs from a RNG seeded by a fixed string (never the process's hash seed)."""

    def __init__(self, seed: str):
        self.rng = random.Random(int.from_bytes(hashlib.sha256(seed.encode()).digest()[:8], "big"))

    def _fill(self, template: str, unit: str, year: int) -> str:
        return template.format(unit=unit, place=self.rng.choice(PLACES), topic=self.rng.choice(TOPICS), year=year,
                               n=self.rng.randint(1, 60))

    def title(self, column_type: str, unit: str, year: int) -> str:
        return self._fill(self.rng.choice(_TITLES[TYPE_FAMILY[column_type]]), unit, year)

    def paragraphs(self, unit: str, year: int) -> list[str]:
        return [self._fill(s, unit, year) for s in self.rng.sample(_SENTENCES, 3)]
