"""Government web pages: the article body without navigation, headers and footers, and
the page's metadata block (索引号, 文号, 发文单位/发布机构, 发布日期, 标题) as fields."""
from __future__ import annotations

import re

from bs4 import BeautifulSoup

DROP = ("script", "style", "noscript", "nav", "header", "footer", "aside", "form", "iframe", "button", "select")
NOISE_ATTR = re.compile(r"nav|menu|footer|header|breadcrumb|crumb|share|sidebar|toolbar|copyright|banner|search|"
                        r"friendlink|links|position|location", re.I)
BODY_ATTR = re.compile(r"zoom|article|content|trs_editor|detail|main|text|body", re.I)
META_KEYS = ("索引号", "主题分类", "发文机关", "发文单位", "发布机构", "成文日期", "发布日期", "文号", "发文字号", "标题", "名称",
             "建议标题", "提案标题", "编号", "主办单位", "协办单位")
BLOCK = ("p", "div", "br", "tr", "li", "h1", "h2", "h3", "h4", "h5", "h6", "table", "section", "article")


def _text_of(el) -> str:
    """Text with a line break after every block element."""
    for br in el.find_all("br"):
        br.replace_with("\n")
    for b in el.find_all(BLOCK):
        b.append("\n")
    lines = [re.sub(r"[ \t\xa0]+", " ", l).strip() for l in el.get_text().split("\n")]
    return "\n".join(l for l in lines if l)


def _metadata(soup) -> list[str]:
    """'key: value' lines from the metadata block, in page order, each key once."""
    seen, out = set(), []
    text = soup.get_text("\n")
    for key in META_KEYS:
        m = re.search(rf"{key}\s*[:：]\s*\n?\s*([^\n]{{1,120}})", text)
        if m and key not in seen and m.group(1).strip():
            seen.add(key)
            out.append((text.find(m.group(0)), f"{key}: {m.group(1).strip()}"))
    for meta in soup.find_all("meta"):
        name, content = (meta.get("name") or "").lower(), (meta.get("content") or "").strip()
        if content and name in ("articletitle", "title") and "标题" not in seen:
            seen.add("标题")
            out.append((-1, f"标题: {content}"))
        if content and name in ("pubdate", "publishdate") and "发布日期" not in seen:
            seen.add("发布日期")
            out.append((-1, f"发布日期: {content}"))
    return [line for _, line in sorted(out)]


def html_to_text(html: str) -> str:
    soup = BeautifulSoup(html, "html.parser")
    for tag in soup.find_all(DROP):
        tag.decompose()
    for tag in soup.find_all(True):
        if tag.attrs is None:
            continue
        attrs = " ".join([tag.get("id") or "", *(tag.get("class") or [])])
        if attrs.strip() and NOISE_ATTR.search(attrs) and not BODY_ATTR.search(attrs):
            tag.decompose()
    meta = _metadata(soup)      # after the footer is gone: its 主办单位 is the web site's, not the letter's
    body = _main(soup)
    text = _text_of(body)
    lines = [l for l in meta if l.split(":")[0] not in ("标题",)]
    title = next((l.split(": ", 1)[1] for l in meta if l.startswith("标题")), "")
    if title and title not in text[:300]:
        text = title + "\n" + text
    return "\n".join(lines + [text]) if lines else text


def _main(soup):
    """The element holding the letter: the one with 收悉 and the most Chinese text in the fewest tags."""
    best, score = soup.body or soup, -1
    for el in soup.find_all(["div", "article", "td", "section"]):
        t = el.get_text()
        cjk = len(re.findall(r"[\u4e00-\u9fff]", t))
        if cjk < 50:
            continue
        s = cjk / (1 + len(el.find_all(True))) + (500 if "收悉" in t else 0) + \
            (200 if BODY_ATTR.search(" ".join([el.get("id") or "", *(el.get("class") or [])])) else 0)
        if s > score:
            best, score = el, s
    return best
