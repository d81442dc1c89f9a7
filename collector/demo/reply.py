"""What the demo world answers to one request, before the server turns it into HTTP."""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Reply:
    status: int
    body: bytes
    content_type: str


NOT_FOUND = Reply(404, "<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>404</title></head><body>"
                       "<h1>404 Not Found</h1><p>您访问的页面不存在或已被删除。</p></body></html>".encode(),
                  "text/html; charset=utf-8")
