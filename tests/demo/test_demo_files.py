"""The demo world's files (attachments, message exports) are the same bytes whenever they are made:
a replay serves what it served before, and a run's downloads can be compared with another's."""
from __future__ import annotations

import io
import time
import zipfile
from datetime import datetime

import docx
import openpyxl

from collector.demo.files import attachment_bytes, export_bytes
from collector.demo.world import build_world


AFTER_QUARTER = datetime.fromisoformat("2020-07-15T12:00:00+08:00")


def test_workbooks_and_documents_do_not_carry_the_clocks_time(monkeypatch):
    world = build_world()
    attachments = {a.kind: a for site in world.portals for channel in site.channels
                   for article in channel.articles for a in article.attachments}
    workbook_export = next(p for p in world.platforms if p.export_kind == "xlsx")
    made = {kind: attachment_bytes(a) for kind, a in attachments.items()}
    made["export"] = export_bytes(workbook_export, AFTER_QUARTER)
    later = time.time() + 3 * 86400  # zipfile stamps its members with time.time(); three days on
    monkeypatch.setattr(time, "time", lambda: later)
    again = {kind: attachment_bytes(a) for kind, a in attachments.items()}
    again["export"] = export_bytes(workbook_export, AFTER_QUARTER)
    assert set(made) >= {"xlsx", "docx", "pdf", "csv", "export"}
    assert again == made
    for kind in ("xlsx", "docx", "export"):  # still packages the libraries read back
        assert {m.date_time for m in zipfile.ZipFile(io.BytesIO(made[kind])).infolist()} == {(2020, 1, 1, 0, 0, 0)}
    assert openpyxl.load_workbook(io.BytesIO(made["export"])).active.max_row > 1
    assert docx.Document(io.BytesIO(made["docx"])).paragraphs
