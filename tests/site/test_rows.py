"""The scorecard lists' rows: rendered once per row, kept between builds, made again when what they show changes."""
from __future__ import annotations

import pickle
import shutil
from pathlib import Path

from govcensus_site import build_site
from govcensus_site.incremental import cache_dir
from govcensus_site.rows import CHANGES, FILE

REPO = Path(__file__).resolve().parents[2]
SITE = "scorecards/2020Q2/5309210001.html"  # a website of the fixture quarter, passing


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, path
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def rows_file(output: Path) -> Path:
    return cache_dir({"OUTPUT_PATH": str(output)}) / FILE


def plant(output: Path, url: str, marker: str) -> None:
    """Put a marker into the kept rows of one scorecard, as if an earlier build had rendered it so."""
    path = rows_file(output)
    data = pickle.loads(path.read_bytes())
    hits = [key for key in data["rows"] if key[2].startswith(url + "\x1f")]
    assert hits, url
    for key in hits:
        data["rows"][key] = data["rows"][key].replace("</th>", marker + "</th>", 1)
    path.write_bytes(pickle.dumps(data))


def test_a_rebuild_takes_unchanged_rows_from_the_last_build_and_renders_a_changed_one(content_dir, tmp_path):
    output = build_site(content_dir, tmp_path / "output")
    plant(output, "scorecards/2020Q2/5309020001.html", "<!--kept-->")
    edit(content_dir / "scorecards" / "2020Q2" / "website" / "5309210001.md", "result: pass", "result: fail")
    build_site(content_dir, output)
    index = (output / "scorecards" / "index.html").read_text(encoding="utf-8")
    assert "<!--kept-->" in index  # the unchanged row is the kept text, not rendered again
    changed = index[index.index(f'href="../{SITE}"') - 300:index.index(f'href="../{SITE}"')]
    assert 'class="row-fail"' in changed  # the changed one shows its new result


def test_a_template_change_renders_every_row_again(content_dir, tmp_path):
    theme = shutil.copytree(REPO / "theme", tmp_path / "theme")
    output = build_site(content_dir, tmp_path / "output", settings={"THEME": str(theme)})
    plant(output, "scorecards/2020Q2/5309020001.html", "<!--kept-->")
    edit(theme / "templates" / "macros.html", '<td data-label="问题数">', '<td data-label="问题个数">')
    build_site(content_dir, output, settings={"THEME": str(theme)})
    index = (output / "scorecards" / "index.html").read_text(encoding="utf-8")
    assert "<!--kept-->" not in index and 'data-label="问题个数"' in index


def kept_rows(output: Path) -> dict:
    """The rows the next build starts from: the main file with the changes file applied."""
    data = pickle.loads(rows_file(output).read_bytes())
    rows = data["rows"]
    changes = rows_file(output).with_name(CHANGES)
    if changes.exists():
        changed = pickle.loads(changes.read_bytes())
        assert changed["fingerprint"] == data["fingerprint"]
        for key, html in changed["rows"].items():
            if html is None:
                rows.pop(key, None)
            else:
                rows[key] = html
    return rows


def test_rows_no_list_shows_any_more_are_dropped(content_dir, tmp_path):
    output = build_site(content_dir, tmp_path / "output")
    before = kept_rows(output)
    edit(content_dir / "scorecards" / "2020Q2" / "website" / "5309210001.md", "result: pass", "result: fail")
    build_site(content_dir, output)
    after = kept_rows(output)
    old = [key for key in before if key[2].startswith(SITE + "\x1f")]
    new = [key for key in after if key[2].startswith(SITE + "\x1f")]
    assert old and new and not set(old) & set(after)  # the passing row is gone, the failing one kept
    assert len(after) == len(before)


def test_a_build_with_nothing_changed_neither_reads_nor_writes_the_rows(content_dir, tmp_path):
    output = build_site(content_dir, tmp_path / "output")
    rows_file(output).write_bytes(b"not a pickle")  # would be read (and replaced) if any list were rendered
    build_site(content_dir, output)
    assert rows_file(output).read_bytes() == b"not a pickle"


def test_a_rebuild_that_changes_a_few_rows_writes_only_those(content_dir, tmp_path):
    """A national quarter's rows are megabytes: a 1 % change writes its rows beside them, not all again."""
    output = build_site(content_dir, tmp_path / "output")
    main = rows_file(output).read_bytes()
    edit(content_dir / "scorecards" / "2020Q2" / "website" / "5309210001.md", "result: pass", "result: fail")
    build_site(content_dir, output)
    assert rows_file(output).read_bytes() == main
    changed = pickle.loads(rows_file(output).with_name(CHANGES).read_bytes())["rows"]
    assert 0 < len(changed) < len(pickle.loads(main)["rows"]) / 5
    assert {key[2].split("\x1f")[0] for key in changed} == {SITE}  # the row it showed and the one it shows now
    assert None in changed.values()  # the row no list shows any more, marked gone
    # The next build starts from both files: the changed row comes from the changes file.
    path = rows_file(output).with_name(CHANGES)
    data = pickle.loads(path.read_bytes())
    for key, html in data["rows"].items():
        if html is not None:
            data["rows"][key] = html.replace("</th>", "<!--from-the-changes-->" + "</th>", 1)
    path.write_bytes(pickle.dumps(data))
    edit(content_dir / "scorecards" / "2020Q2" / "website" / "5309020001.md", "result: pass", "result: fail")
    build_site(content_dir, output)  # another row changed: the index is rendered again
    assert "<!--from-the-changes-->" in (output / "scorecards" / "index.html").read_text(encoding="utf-8")
