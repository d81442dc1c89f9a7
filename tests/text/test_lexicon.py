"""The wording lexicon file: its format, the mistakes staff can make in it, and how it matches."""
from __future__ import annotations

import pytest

from collector.text.lexicon import DEFAULT_LEXICON, LexiconError, load_lexicon, parse_lexicon


def test_the_shipped_lexicon_loads_and_has_serious_entries_and_typos():
    lexicon = load_lexicon()
    severities = {entry.severity for entry in lexicon.entries}
    assert severities == {"serious", "typo"}
    assert DEFAULT_LEXICON.name == "serious.tsv"


def test_a_match_reports_offsets_in_the_original_text_even_across_a_line_break():
    text = "贯彻中国共产党第十九次全国人\n民代表大会精神"
    [match] = load_lexicon().find(text)
    assert text[match.start:match.end] == "中国共产党第十九次全国人\n民代表大会"
    assert match.entry.correct == "中国共产党第十九次全国代表大会"


def test_an_exception_covers_a_longer_correct_word_that_contains_the_wrong_form():
    lexicon = parse_lexicon("按装\t安装\ttypo\t\t按装机\n")
    assert lexicon.find("按装机容量计算") == []
    assert [m.entry.wrong for m in lexicon.find("按装空调，按装机容量")] == ["按装"]


def test_comments_and_blank_lines_are_ignored_and_the_note_is_optional():
    lexicon = parse_lexicon("# comment\n\n再接再励\t再接再厉\ttypo\t\n")
    assert [(e.wrong, e.correct, e.note, e.line) for e in lexicon.entries] == [("再接再励", "再接再厉", "", 3)]


def test_every_problem_of_a_bad_file_is_reported_with_its_line():
    text = ("甲\t乙\tfatal\t\n"          # unknown severity
            "只有两列\t错\n"              # too few fields
            "渡假\t度假\ttypo\t\t度假村\n"  # exception without the wrong form
            "渡假\t度假\ttypo\t\n")       # duplicate
    with pytest.raises(LexiconError) as error:
        parse_lexicon(text, source="serious.tsv")
    problems = error.value.problems
    assert [p.split(":")[0] for p in problems] == ["serious.tsv, line 1", "serious.tsv, line 2",
                                                 "serious.tsv, line 3", "serious.tsv, line 4"]


def test_a_wrong_form_that_occurs_inside_a_correct_form_is_refused_unless_an_exception_covers_it():
    with pytest.raises(LexiconError, match="occurs in the correct form"):
        parse_lexicon("主任\t主任委员\ttypo\t\n")
    parse_lexicon("主任\t主任委员\ttypo\t\t主任委员\n")
    with pytest.raises(LexiconError, match="line 3: .* of line 1"):
        parse_lexicon("办公室\t办公厅\tserious\t\n国务院办公室\t国务院办公厅\tserious\t\n"
                      "厅\t室\ttypo\t\n")


def test_whitespace_is_dropped_and_every_kept_character_keeps_its_offset():
    """Every kind of space str.isspace() knows (ideographic, no-break, line and paragraph
    separators, vertical tab…) goes; what stays maps back to where it was."""
    from collector.text.lexicon import _without_whitespace

    spaces = "".join(chr(c) for c in range(0x3001) if chr(c).isspace())
    text = f"{spaces}关于 做好\u3000政务\xa0公开\u2028工作a\u2029b\x0bc{spaces}的通知\t\n"
    compact, offsets = _without_whitespace(text)
    assert compact == "".join(c for c in text if not c.isspace()) == "关于做好政务公开工作abc的通知"
    assert offsets == [i for i, c in enumerate(text) if not c.isspace()]
    assert _without_whitespace("") == ("", []) and _without_whitespace(" \u3000\n") == ("", [])
