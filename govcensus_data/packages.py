"""Zip packages (DOCX, XLSX) that are the same bytes whenever they are made.

zipfile stamps each member with the clock, so a workbook or document written twice differs though
nothing in it changed: a download would be published again as changed, a demo replay would serve
other bytes. Both the site's circular downloads and the demo world's files are stamped here.
"""
from __future__ import annotations

import io
import zipfile

#: The earliest time a zip member can carry.
ZIP_EPOCH = (1980, 1, 1, 0, 0, 0)


def stamped(package: bytes, date_time: tuple[int, int, int, int, int, int] = ZIP_EPOCH) -> bytes:
    """The package with every member stamped `date_time`, each compressed and permitted as it was."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(package)) as source, zipfile.ZipFile(out, "w") as target:
        for member in source.infolist():
            fixed = zipfile.ZipInfo(member.filename, date_time=date_time)
            fixed.compress_type = member.compress_type
            fixed.external_attr = member.external_attr
            target.writestr(fixed, source.read(member.filename))
    return out.getvalue()
