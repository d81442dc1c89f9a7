"""Staff and drafts in the build: a fresh draft waiting beside an edited circular is announced on
stderr (visible under `pelican -q`) and on the circular's local preview, never on the public site;
a draft's local preview is removed once the circular is published."""
from __future__ import annotations

from pathlib import Path

import lxml.html

from govcensus_site import build_site

EXTRAS = Path(__file__).resolve().parents[2] / "tests" / "fixtures" / "site"


def test_the_build_says_on_stderr_when_a_new_draft_waits_beside_an_edited_circular(content_dir, tmp_path, capfd):
    build_site(content_dir, tmp_path / "output")
    err = capfd.readouterr().err
    assert ("notice: circular 2020Q2.md was edited or published by staff and is left as it is; the figures have "
            "changed since: review the fresh draft 2020Q2-new-draft.md") in err


def test_the_edited_circular_s_local_preview_links_the_waiting_draft(read_page):
    page = read_page("circulars/2020q2.html")
    [banner] = page.xpath('//div[contains(@class, "pending-draft-notice")]')
    assert "2020Q2-new-draft.md" in banner.text_content()
    assert banner.xpath('.//a/@href') == ["../drafts/2020q2-new-draft.html"]


def test_the_public_site_shows_no_such_notice(published_site):
    page = lxml.html.fromstring((published_site / "circulars" / "2020q2.html").read_text(encoding="utf-8"))
    assert not page.xpath('//div[contains(@class, "pending-draft-notice")]')
    assert not (published_site / "drafts").exists()


def test_a_draft_s_preview_is_removed_once_the_circular_is_published(content_dir, tmp_path, capfd):
    circulars = content_dir / "circulars"
    (circulars / "2020Q2-new-draft.md").unlink()
    published = (EXTRAS / "circulars" / "2020Q2.md").read_text(encoding="utf-8")
    (circulars / "2020Q2.md").write_text(published.replace("Status: published", "Status: draft"), encoding="utf-8")
    output = tmp_path / "output"
    build_site(content_dir, output)
    assert (output / "drafts" / "2020q2.html").is_file() and not (output / "circulars" / "2020q2.html").exists()

    (circulars / "2020Q2.md").write_text(published, encoding="utf-8")
    capfd.readouterr()
    build_site(content_dir, output)
    assert (output / "circulars" / "2020q2.html").is_file()
    assert not (output / "drafts" / "2020q2.html").exists()
    assert "removed the local preview drafts/2020q2.html" in capfd.readouterr().err


def test_previews_of_drafts_still_waiting_are_kept(content_dir, tmp_path):
    output = tmp_path / "output"
    build_site(content_dir, output)
    build_site(content_dir, output)
    assert (output / "drafts" / "2020q2-new-draft.html").is_file()
    assert sorted(p.name for p in (output / "drafts").iterdir()) == ["2020q2-new-draft.html"]
