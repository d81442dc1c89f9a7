"""The drafted circular: the seed's structure and figures, problems with their units, and staff
edits that survive every re-run."""
from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest

from circular.seed_quarter import PERIOD, seed_registry
from collector.circular import TemplateError, write_draft
from collector.circular.draft import read_article, short
from collector.circular.office import OfficeSettings, OfficeSettingsError, load_office_settings
from collector.periods import CHINA_TZ
from collector.registry import Registry

TEMPLATE = Path(__file__).resolve().parents[2] / "content" / "circulars" / "templates" / "requirements.md"
AS_OF = datetime(2020, 7, 13, 10, tzinfo=CHINA_TZ)


OFFICE = load_office_settings(Path(__file__).resolve().parents[2] / "registry" / "lincang-demo.yaml",
                              seed_registry())


def draft(content, registry, template: Path = TEMPLATE, office: OfficeSettings | None = OFFICE):
    return write_draft(PERIOD, content, registry, AS_OF, template, office)


def body(path: Path) -> str:
    return read_article(path)[1]


def test_the_draft_is_a_pelican_article_that_pelican_will_not_publish(content, registry):
    meta, _ = read_article(draft(content, registry).path)
    assert meta["title"] == "临沧市人民政府办公室关于2020年二季度全市政府网站和政府系统政务新媒体普查情况的通报"
    assert (meta["date"], meta["category"], meta["status"], meta["period"]) == ("2020-07-13", "通报", "draft", "2020Q2")
    assert meta["issuer"] == "临沧市人民政府办公室"
    assert meta["document-number"] == ""
    assert set(meta) >= {"recipients", "cc", "contact", "generated-hash"}


def test_the_draft_has_the_sections_of_the_seed_circular_in_order(content, registry):
    text = body(draft(content, registry).path)
    headings = ["各县、自治县、区人民政府，市直各委、办、局：", "## 一、总体情况", "### （一）政府网站普查情况",
                "### （二）政府系统政务新媒体抽查情况", "### （三）网民留言办理情况", "## 二、存在的主要问题",
                "## 三、下一步工作要求", "联系人及电话：", "2020年7月13日", "抄送："]
    positions = [text.index(h) for h in headings]
    assert positions == sorted(positions)


def test_the_overview_carries_the_seed_figures_linked_to_their_pages(content, registry):
    text = body(draft(content, registry).path)
    assert "登记在运行政府网站 [9 个](../scorecards/index.html)（1 个市级政府门户网站、8 个县级政府门户网站）" in text
    assert "在运行市级部门信息公开专栏 [34 个](../scorecards/index.html)" in text
    assert "发现问题网站 [0 个](../scorecards/index.html)，网站合格率 100%" in text
    assert "发现问题专栏 [3 个](../scorecards/index.html)，专栏合格率 91.2%" in text
    assert "（其中：政务微博 18 个，政务微信公众号 44 个，政务今日头条号 1 个）" in text
    assert "判定为不合格的政务新媒体 [1 个](../scorecards/index.html)，总体合格率 98.4%" in text


def test_the_message_paragraph_lists_platform_owners_and_messages_per_unit(content, registry):
    text = body(draft(content, registry).path)
    assert ("共 [11 个](../messages/2020Q2.html)，即：1 个市级政府门户网站、8 个县级政府门户网站、"
            "临沧市公安局信息公开专栏和临沧市人力资源和社会保障局信息公开专栏") in text
    assert ("共接到网民留言 [95 条](../messages/2020Q2.html)，其中：市级 26 条、临翔区 23 条、永德县 7 条、凤庆县 7 条、"
            "云县 2 条、双江 4 条、镇康县 12 条、沧源县 10 条、耿马县 2 条、市公安局 2 条，均在规定时间按要求答复，"
            "办结率 [100%](../messages/2020Q2.html)") in text


@pytest.mark.parametrize(("heading", "sentence"), [
    ("### （一）严重表述错误（单项否决项）",
     "[市统计局信息公开专栏](../scorecards/2020Q2/zfxxgk-tjj.html)发布的信息中存在内容严重表述错误的问题。"),
    ("### （二）个人信息被泄漏",
     "[市交通运输局信息公开专栏](../scorecards/2020Q2/zfxxgk-jtj.html)发布的信息中存在个人身份证号码等个人信息被泄漏的情况。"),
    ("### （三）转载与原文不符",
     "[市农业农村局信息公开专栏](../scorecards/2020Q2/zfxxgk-nyj.html)转载的文章存在与原文不符的问题。"),
    ("### （四）政府系统政务新媒体更新不及时",
     "[微信公众号“临沧市自然资源和规划局”](../scorecards/2020Q2/wx-lczrzy.html)因内容不更新被判定为不合格政务新媒体。"),
    ("### （五）应注销未注销已下线网站域名",
     "[市水务局已下线网站（域名：lcsd.gov.cn）](../scorecards/2020Q2/5309000010.html)和"
     "[市档案局已下线网站（域名：lcda.gov.cn）](../scorecards/2020Q2/5309000011.html)未在第三方注册公司进行注销"),
])
def test_each_problem_is_named_with_its_unit_under_its_group(content, registry, heading, sentence):
    text = body(draft(content, registry).path)
    assert text.index(heading) < text.index(sentence) < text.index("## 三、下一步工作要求")


def test_deadlines_are_the_period_end_plus_the_template_offsets(content, registry):
    text = body(draft(content, registry).path)
    assert "于 7 月 24 日前完成域名注销工作" in text
    assert "于 2020 年 7 月 20 日前将整改情况" in text


def test_an_explicit_deadline_date_in_the_template_wins(content, registry, tmp_path):
    template = tmp_path / "t.md"
    template.write_text(TEMPLATE.read_text(encoding="utf-8").replace(
        "report: {after_period_end_days: 20}", "report: {date: 2020-07-31}"), encoding="utf-8")
    assert "于 2020 年 7 月 31 日前将整改情况" in body(draft(content, registry, template).path)


def test_an_unknown_placeholder_in_the_template_is_an_error(content, registry, tmp_path):
    template = tmp_path / "t.md"
    template.write_text(TEMPLATE.read_text(encoding="utf-8") + "\n{report_dedline}\n", encoding="utf-8")
    with pytest.raises(TemplateError, match="report_dedline"):
        draft(content, registry, template)


def test_running_again_on_the_same_data_changes_nothing(content, registry):
    first = draft(content, registry)
    again = draft(content, registry)
    assert (first.written, again.written, again.path, again.notice) == (True, False, first.path, None)


def test_an_untouched_draft_is_refreshed_when_the_data_change(content, registry):
    path = draft(content, registry).path
    card = content / "scorecards" / "2020Q2" / "column" / "zfxxgk-tjj.md"
    card.unlink()
    result = draft(content, registry)
    assert (result.path, result.written, result.notice) == (path, True, None)
    assert "市统计局" not in body(path)


def test_an_edited_circular_survives_a_rerun_and_the_new_draft_goes_beside_it(content, registry):
    path = draft(content, registry).path
    edited = path.read_text(encoding="utf-8").replace("现将临沧市", "现将我市")
    path.write_text(edited, encoding="utf-8")
    (content / "scorecards" / "2020Q2" / "column" / "zfxxgk-tjj.md").unlink()
    result = draft(content, registry)
    assert path.read_text(encoding="utf-8") == edited
    assert result.path == path.with_name("2020Q2-new-draft.md")
    assert "市统计局" not in body(result.path)
    assert result.notice and str(path) in result.notice


def test_an_edited_circular_gets_no_new_draft_while_the_data_are_unchanged(content, registry):
    path = draft(content, registry).path
    path.write_text(path.read_text(encoding="utf-8").replace("现将临沧市", "现将我市"), encoding="utf-8")
    result = draft(content, registry)
    assert (result.path, result.written, result.notice) == (path, False, None)
    assert not path.with_name("2020Q2-new-draft.md").exists()


def test_a_published_circular_is_never_rewritten(content, registry):
    path = draft(content, registry).path
    published = path.read_text(encoding="utf-8").replace("Status: draft", "Status: published")
    path.write_text(published, encoding="utf-8")
    (content / "scorecards" / "2020Q2" / "account" / "wx-lczrzy.md").unlink()
    result = draft(content, registry)
    assert path.read_text(encoding="utf-8") == published
    assert result.path.name == "2020Q2-new-draft.md"


def test_an_edited_new_draft_is_not_overwritten_either(content, registry):
    path = draft(content, registry).path
    path.write_text(path.read_text(encoding="utf-8").replace("Status: draft", "Status: published"), encoding="utf-8")
    (content / "scorecards" / "2020Q2" / "account" / "wx-lczrzy.md").unlink()
    beside = draft(content, registry).path
    beside.write_text(beside.read_text(encoding="utf-8") + "\n补充。\n", encoding="utf-8")
    kept = beside.read_text(encoding="utf-8")
    (content / "scorecards" / "2020Q2" / "column" / "zfxxgk-tjj.md").unlink()
    result = draft(content, registry)
    assert beside.read_text(encoding="utf-8") == kept
    assert result.written is False and "not written" in result.notice


def test_a_vetoed_item_no_group_lists_is_still_reported(content, registry):
    card = content / "scorecards" / "2020Q2" / "column" / "zfxxgk-tjj.md"
    card.write_text(card.read_text(encoding="utf-8").replace("item: 严重表述错误", "item: 新否决项"), encoding="utf-8")
    text = body(draft(content, registry).path)
    assert "其他单项否决问题：新否决项" in text
    assert "[市统计局信息公开专栏](../scorecards/2020Q2/zfxxgk-tjj.html)存在“新否决项”问题。" in text


def test_an_entry_failing_on_score_alone_is_reported(content, registry):
    card = content / "scorecards" / "2020Q2" / "website" / "5309020001.md"
    card.write_text(card.read_text(encoding="utf-8").replace("result: pass", "result: fail"), encoding="utf-8")
    text = body(draft(content, registry).path)
    assert "### （六）得分低于合格线" in text
    assert "[临翔区人民政府门户网站](../scorecards/2020Q2/5309020001.html)扣分后得分低于合格线。" in text


def test_names_cannot_inject_markup(content, registry):
    card = content / "scorecards" / "2020Q2" / "column" / "zfxxgk-tjj.md"
    card.write_text(card.read_text(encoding="utf-8").replace("name: 临沧市统计局信息公开专栏",
                                                             "name: '<b>统计</b>[x](javascript:1)'"), encoding="utf-8")
    text = body(draft(content, registry).path)
    assert "<b>" not in text and "[x](javascript" not in text
    assert "&lt;b&gt;统计&lt;/b&gt;\\[x\\](javascript:1)" in text


# --------------------------------------------------------------------------- the office's own words

LINCANG_WORDS = ("临沧", "0883", "云南", "lcsxxgk", "临政办", "驻临", "自治县")


def test_the_shipped_template_carries_no_office_s_own_words():
    template_text = TEMPLATE.read_text(encoding="utf-8")
    assert not [word for word in LINCANG_WORDS if word in template_text]


def test_the_demo_office_settings_give_the_seed_circular_s_words(content, registry):
    text = body(draft(content, registry).path)
    assert "联系人及电话：市政府办公室政务公开科，电话：0883-2143207；邮箱：lcsxxgk@163.com。" in text
    assert ("抄送：市委办公室，市人大常委会办公室，市政协办公室，市纪委办公室，市法院，市检察院，临沧边合区管委会，"
            "各人民团体，中央、省属驻临单位。") in text
    assert "《云南省人民政府办公厅关于印发云南省政务新媒体管理办法的通知》要求" in text
    assert "按照《云南省政务新媒体管理办法》的要求" in text and "“云南省政务新媒体备案登记系统”" in text
    assert "有关县（区）和市直部门要认真对待" in text and "报送市政府办公室。" in text


def test_another_office_gets_its_own_words_and_none_of_lincang_s(content, tmp_path):
    other = Registry(office="安顺市人民政府办公室", region="安顺市", websites=seed_registry().websites,
                     columns=seed_registry().columns, accounts=seed_registry().accounts,
                     message_platforms=seed_registry().message_platforms)
    registry_file = tmp_path / "anshun.yaml"
    (tmp_path / "anshun.office.yaml").write_text(
        "schema: govcensus.office/1\nissuer: 安顺市人民政府办公室\nreport_to: 市政府办公室\n"
        "recipients: 各县、区人民政府，市政府各部门\naddressees: 各县（区）、市直各部门\nunits_concerned: 有关单位\n"
        "contact: 市政府办公室政务公开科，电话：0851-33221100\ncc: [市委办公室, 市人大常委会办公室]\n"
        "province: 贵州省\nnewmedia_rules: 《贵州省政务新媒体管理办法》\nnewmedia_filing_system: 贵州省政务新媒体管理平台\n"
        "provincial_notices: [《贵州省人民政府办公厅关于印发贵州省政务新媒体管理办法的通知》]\n", encoding="utf-8")
    office = load_office_settings(registry_file, other)

    meta, text = read_article(draft(content, other, office=office).path)

    assert meta["title"].startswith("安顺市人民政府办公室关于2020年二季度全市")
    assert "电话：0851-33221100" in text and "抄送：市委办公室，市人大常委会办公室。" in text
    assert "按照《贵州省政务新媒体管理办法》的要求" in text
    # Unit names come from the (seed) registry's entries; the office's own words must not be Lincang's.
    own_words = text.split("## 三、下一步工作要求")[1]
    assert not [word for word in LINCANG_WORDS if word in own_words + meta["cc"] + meta["contact"]]


def test_without_office_settings_the_draft_has_clear_blanks_not_another_city_s_words(content, tmp_path):
    other = Registry(office="安顺市人民政府办公室", region="安顺市")
    office = load_office_settings(tmp_path / "registry.yaml", other)

    meta, text = read_article(draft(content, other, office=office).path)

    assert meta["issuer"] == "安顺市人民政府办公室"
    assert "联系人及电话：【请填写：联系人及电话】。" in text and "抄送：【请填写：抄送单位】。" in text
    assert "按照【请填写：本省政务新媒体管理办法名称】的要求" in text
    assert "【请填写：本省相关文件名称（没有可删去）】要求" in text
    own_words = text.split("## 三、下一步工作要求")[1]
    assert not [word for word in LINCANG_WORDS if word in own_words + meta["cc"] + meta["contact"] + meta["recipients"]]


@pytest.mark.parametrize("settings, message", [
    ("schema: govcensus.office/1\ncontakt: x\n", "unknown field(s) contakt"),
    ("issuer: x\n", "schema: govcensus.office/1"),
    ("schema: govcensus.office/1\ncc: {a: 1}\n", "field cc must be text"),
    ("schema: govcensus.office/1\nprovincial_notices: 《x》\n", "provincial_notices must be a list"),
    ("schema: govcensus.office/1\ncc: [a, b\n", "line 3"),
])
def test_a_bad_office_settings_file_is_a_located_error(tmp_path, registry, settings, message):
    (tmp_path / "r.office.yaml").write_text(settings, encoding="utf-8")
    with pytest.raises(OfficeSettingsError) as raised:
        load_office_settings(tmp_path / "r.yaml", registry)
    assert str(tmp_path / "r.office.yaml") in str(raised.value) and message in str(raised.value)


def test_message_platforms_whose_data_could_not_be_read_are_named(content, registry):
    """Written by the real statistics writer: one export without a reply-time column, one not fetched."""
    from collector.summarize.messages import UnreachableExport, write_message_summary

    ok = "留言编号,留言时间,答复时间,状态\r\nA1,2020-05-06 09:00,2020-05-07 10:00,已办结\r\n".encode("utf-8")
    exports: dict = {p.id: ok for p in registry.message_platforms}
    unreadable, unreachable = registry.message_platforms[1], registry.message_platforms[2]
    exports[unreadable.id] = "留言编号,留言时间,状态\r\nA1,2020-05-06 09:00,已办结\r\n".encode("utf-8")
    exports[unreachable.id] = UnreachableExport(unreachable.export, "HTTP 404")
    write_message_summary(registry, PERIOD, datetime(2020, 7, 13, 9, tzinfo=CHINA_TZ), exports, content)
    text = body(draft(content, registry).path)
    received = len(registry.message_platforms) - 2
    assert f"共接到网民留言 [{received} 条](../messages/2020Q2.html)（其中 2 个平台的留言导出未能取得或无法读取，合计数不完整）" in text
    named = text.split("以下留言平台数据无法读取：")[1].split("\n")[0]
    assert named.startswith(f"{unreadable.name}（文件缺少必需的列“答复时间”")
    assert f"{unreachable.name}（HTTP 404）" in named and named.endswith("，其留言未计入上述数字。")


def test_no_platform_is_named_when_every_export_was_read(content, registry):
    assert "数据无法读取" not in body(draft(content, registry).path)


@pytest.mark.parametrize(("name", "region", "expected"), [
    ("临沧市统计局", "临沧市", "市统计局"),
    ("临沧市交通运输局信息公开专栏", "临沧市", "市交通运输局信息公开专栏"),
    ("岑州市岑江区人民政府门户网站", "岑州市", "岑江区人民政府门户网站"),
    ("临沧市临翔区人民政府办公室", "临沧市", "临翔区人民政府办公室"),
    ("岑州市城区管理局", "岑州市", "市城区管理局"),
    ("凤庆县人民政府门户网站", "临沧市", "凤庆县人民政府门户网站"),
])
def test_the_regions_units_are_named_by_its_level_word_and_county_governments_by_their_own_name(name, region, expected):
    assert short(name, region) == expected
