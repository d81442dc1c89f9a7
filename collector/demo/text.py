"""Plausible Chinese government prose for the demo world, drawn from a seeded RNG.

The sentences deliberately contain the look-alikes a careful check must not flag: correct
political formulations, document numbers (临政办发〔2020〕12号), dates written as digit runs and
the office's public landline. Nothing here is a planted problem; those live in world.py.
"""
from __future__ import annotations

import random

TOPICS = (
    "脱贫攻坚", "疫情防控", "森林草原防火", "安全生产", "优化营商环境", "乡村振兴", "河长制", "禁毒防艾",
    "民族团结进步示范区建设", "沿边开放", "高原特色现代农业", "茶产业发展", "坚果产业提质增效",
    "生态文明建设", "扫黑除恶专项斗争", "全国文明城市创建", "政务公开", "“放管服”改革", "招商引资",
    "人居环境整治", "防汛抗旱", "食品安全", "安全生产大检查", "“一部手机办事通”推广应用", "干部作风建设",
)
PLACES = ("临沧市", "临翔区", "凤庆县", "云县", "永德县", "镇康县", "双江县", "耿马县", "沧源县")

_TITLES = {
    "news": (
        "{unit}召开{topic}工作推进会", "{unit}开展{topic}专题培训", "{place}扎实推进{topic}",
        "{unit}党组理论学习中心组开展专题学习", "{place}{topic}取得阶段性成效", "{unit}赴{place}调研{topic}工作",
        "{unit}召开{year}年{topic}工作会议", "{place}多措并举抓好{topic}", "{unit}传达学习全省{topic}电视电话会议精神",
    ),
    "notice": (
        "关于开展{year}年{topic}专项检查的通知", "关于做好{topic}有关工作的通知", "{unit}关于{topic}的公告",
        "关于征求《{place}{topic}实施方案（征求意见稿）》意见的公告", "关于{year}年{topic}工作督查情况的通报",
    ),
    "policy": (
        "{place}人民政府办公室关于印发{place}{topic}实施方案的通知", "关于进一步加强{topic}工作的实施意见",
        "{unit}关于印发{topic}工作制度的通知", "{place}{topic}三年行动计划（{year}—{year2}年）",
    ),
    "personnel": (
        "{unit}{year}年公开招聘工作人员公告", "{unit}干部任前公示", "{unit}{year}年公开遴选公务员公告",
        "{unit}{year}年事业单位公开招聘拟聘用人员公示",
    ),
    "planning": (
        "{place}{topic}“十三五”规划中期评估报告", "{unit}{year}年工作要点", "{unit}{year}年度部门预算公开",
        "{unit}{year}年上半年工作总结和下半年工作计划",
    ),
}
TYPE_FAMILY = {"要闻动态": "news", "工作动态": "news", "通知公告": "notice", "政策文件": "policy",
               "人事信息": "personnel", "规划计划": "planning"}

_SENTENCES = (
    "会议强调，要深入学习贯彻习近平新时代中国特色社会主义思想和党的十九大精神，把{topic}作为当前重要任务抓紧抓实。",
    "{unit}坚持以人民为中心的发展思想，认真贯彻落实中国共产党第十九次全国代表大会部署。",
    "会议传达学习了第十三届全国人民代表大会第三次会议精神，对下一步{topic}工作作了安排部署。",
    "各县（区）、各部门要进一步提高政治站位，压实工作责任，确保{topic}各项任务落到实处。",
    "下一步，{unit}将继续聚焦{topic}，细化工作措施，强化督促检查，推动工作取得新成效。",
    "据统计，今年以来全市共开展{topic}检查{n1}次，发现并整改问题{n2}个，整改率达{pct}%。",
    "根据《{place}人民政府办公室关于做好{topic}工作的通知》（临政办发〔{year}〕{doc}号）要求，现将有关事项通知如下。",
    "各单位要于{month}月{day}日前将工作开展情况报送{unit}，联系电话：0883-2143207。",
    "此次活动共发放宣传资料{n3}份，接受群众咨询{n2}人次，营造了良好的社会氛围。",
    "{place}结合实际，制定了{topic}工作方案，明确了时间表、路线图和责任清单。",
    "会上，与会人员围绕{topic}进行了交流发言，并就存在的困难和问题提出了意见建议。",
    "本次检查批次号为{stamp}，检查结果将在{unit}门户网站予以公开。",
)

SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕苏卢蒋蔡贾丁魏薛叶阎余潘杜戴夏钟汪田任姜范方石姚谭廖邹熊金陆郝孔白崔康毛邱秦江史顾侯邵孟龙万段雷钱汤尹黎易常武乔贺赖龚文"
GIVEN = "明华建国志强秀英丽娟海燕伟芳敏静军洋勇艳杰娜涛超刚平辉玲桂兰文斌霞红梅鹏飞雪琴云亮林波宇婷浩然"


class Prose:
    """Titles, paragraphs and names from one seeded RNG, so an entity's text never changes.

    The world's prose is most of the time it takes to build (hundreds of thousands of draws), so
    the draws are made here from `rng.getrandbits` exactly as `random.Random.randint` and `choice`
    make them (tests/demo/test_demo_text.py holds them to it): the same seed gives the same text,
    and the world builds in about two thirds of the time.
    """

    def __init__(self, seed: str):
        self.rng = random.Random(seed)
        self._bits = self.rng.getrandbits

    def _below(self, n: int) -> int:
        """random.Random._randbelow(n): as randint and choice draw (Python 3.11)."""
        bits, k = self._bits, n.bit_length()
        r = bits(k)
        while r >= n:
            r = bits(k)
        return r

    def _between(self, low: int, high: int) -> int:
        """random.Random.randint(low, high), drawn as it draws."""
        return low + self._below(high - low + 1)

    def fill(self, template: str, unit: str, year: int) -> str:
        below, between = self._below, self._between
        return template.format(
            unit=unit, topic=TOPICS[below(len(TOPICS))], place=PLACES[below(len(PLACES))], year=year, year2=year + 2,
            n1=between(12, 300), n2=between(5, 120), n3=between(200, 5000), pct=between(90, 100),
            doc=between(1, 60), month=between(1, 12), day=between(1, 28),
            stamp=f"{year}{between(1, 12):02d}{between(1, 28):02d}",
        )

    def title(self, column_type: str, unit: str, year: int) -> str:
        return self.fill(self.rng.choice(_TITLES[TYPE_FAMILY[column_type]]), unit, year)

    def paragraphs(self, unit: str, year: int) -> tuple[str, ...]:
        below, fill = self._below, self.fill
        return tuple("".join(fill(_SENTENCES[below(len(_SENTENCES))], unit, year) for _ in range(self._between(2, 3)))
                     for _ in range(self._between(3, 5)))

    def person(self) -> str:
        r = self.rng
        return r.choice(SURNAMES) + "".join(r.choice(GIVEN) for _ in range(r.randint(1, 2)))

    def mobile(self) -> str:
        r = self.rng
        return r.choice(("138", "139", "150", "151", "158", "187", "188")) + f"{r.randint(0, 99999999):08d}"
