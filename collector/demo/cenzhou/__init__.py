"""The second demo world: 岑州市 (an invented prefecture-level city in Guizhou) in 2021 Q3.

Built from other CMS shapes than the Lincang world (Hanweb 大汉 jpage lists inline and through
dataproxy.jsp, easysite `[YYYY-MM-DD]` tables, 年月日 and dotted dates, PubDate-only lists), so
that a check tuned to one world's templates cannot pass the other by accident. docs/demo-world.md
lists its planted problems and look-alikes.
"""
