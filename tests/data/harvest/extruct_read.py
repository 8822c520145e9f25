#!/usr/bin/env python3
"""The harvest fixtures read by an independent JSON-LD reader, extruct
(pip package `extruct`), for comparison with faro_formats::course_jsonld.

Usage:
    python3 extruct_read.py [--base-url http://HOST/] FILE.html...

Each page's address is the base URL followed by the file's name (default
base `http://HOST/`, the placeholder of sitemap.xml).

Output: one JSON object on stdout, keys sorted, one line, UTF-8 (no \\u
escapes), then a newline:

    {"<file name>": [{"name": "...", "url": "...",
                      "starts": ["YYYY-MM-DD", ...],
                      "prices": ["120.50", ...]}, ...], ...}

- the file name is the argument's base name (`course-graph.html`);
- one item per schema.org Course found, in document order (see `walk`);
  a page with no Course gives `[]`; courses without a name are left out
  (faro drops them too);
- `name`: the first value of `name` (a string, the `@value` of an object,
  the first of a list; a number as text), as plain text: `<script>` and
  `<style>` elements removed, tags removed, HTML entities decoded, tags
  removed again, whitespace collapsed to single spaces. faro's counterpart:
  `course.original_title()` (the fixtures list the course's own language
  first);
- `url`: the course's `url` resolved against the page's address
  (urllib.parse.urljoin) when that gives http(s), else the page's address.
  faro's counterpart: `course.url`;
- `starts`: the start date (first 10 characters of `startDate`, else of
  its `courseSchedule`'s `startDate`, when they are a YYYY-MM-DD date) of
  each course instance, sorted, duplicates kept. faro's counterpart: the
  non-empty `run_start` of the runs, sorted (faro drops runs it cannot
  represent, e.g. onsite only or with no cost; the fixtures have none);
- `prices`: every price above zero in the course's offers and its
  instances' offers (`price`, else `lowPrice`; a number, or a string
  `120`, `120.50`, `120,50`), written as faro writes them (`120`,
  `120.50`), distinct, sorted as strings. faro's counterpart: the distinct
  non-empty `price` of the runs, sorted (one offer per run in the
  fixtures).

Blocks are read by extruct.extract(html, base_url=..., syntaxes=['json-ld'],
uniform=True). extruct gives up on a whole page when one of its blocks is
not JSON; then each block is read alone (extruct's own block reader, then
without `<!-- -->` / CDATA wrappers with json.loads(strict=False)) and the
broken ones are skipped, as faro does.
"""

import argparse
import html as html_lib
import json
import os
import re
import sys
from decimal import Decimal, InvalidOperation
from urllib.parse import urljoin

import extruct
from extruct.jsonld import JsonLdExtractor
from extruct.utils import parse_html

PREFIXES = ("schema:", "http://schema.org/", "https://schema.org/")


def blocks_of(data, page_url):
    """The JSON-LD values of a page."""
    try:
        return extruct.extract(
            data, base_url=page_url, syntaxes=["json-ld"], uniform=True
        )["json-ld"]
    except Exception:
        pass
    out = []
    tree = parse_html(data, encoding="UTF-8")
    reader = JsonLdExtractor()
    for node in reader._xp_jsonld(tree):
        try:
            out.extend(reader._extract_items(node))
            continue
        except Exception:
            pass
        text = unwrap(node.xpath("string()"))
        try:
            value = json.loads(text, strict=False)
        except ValueError:
            continue
        out.extend(value if isinstance(value, list) else [value])
    return out


def unwrap(s):
    s = s.strip().lstrip("\ufeff").strip()
    while True:
        before = len(s)
        for p in ("<!--", "//<![CDATA[", "/*<![CDATA[*/", "<![CDATA["):
            if s.startswith(p):
                s = s[len(p):].lstrip()
        for p in ("//-->", "-->", "//]]>", "/*]]>*/", "]]>"):
            if s.endswith(p):
                s = s[: -len(p)].rstrip()
        if len(s) == before:
            return s


def prop(node, name):
    if name in node:
        return node[name]
    for p in PREFIXES:
        if p + name in node:
            return node[p + name]
    return None


def as_list(v):
    if v is None:
        return []
    return v if isinstance(v, list) else [v]


def is_course(node):
    for t in as_list(node.get("@type")):
        if isinstance(t, str):
            t = t.strip()
            for p in PREFIXES:
                if t.startswith(p):
                    t = t[len(p):]
                    break
            if t.lower() == "course":
                return True
    return False


def is_stub(node):
    return all(k in ("@id", "@type") for k in node)


def build_index(values):
    """The fullest node of each @id."""
    index = {}
    stack = list(values)
    while stack:
        v = stack.pop()
        if isinstance(v, dict):
            i = v.get("@id")
            if isinstance(i, str) and not is_stub(v):
                if i not in index or len(v) > len(index[i]):
                    index[i] = v
            stack.extend(v.values())
        elif isinstance(v, list):
            stack.extend(v)
    return index


def deref(v, index):
    if isinstance(v, dict):
        i = v.get("@id")
        if is_stub(v) and isinstance(i, str) and i in index:
            return index[i]
        return v
    if isinstance(v, str):
        return index.get(v)
    return None


def walk(values, index):
    """Course nodes in document order, not inside another course, one per @id."""
    out, seen = [], set()
    stack = list(reversed(values))
    while stack:
        v = stack.pop()
        if isinstance(v, dict):
            if is_course(v):
                i = v.get("@id")
                if isinstance(i, str):
                    if i in seen:
                        continue
                    seen.add(i)
                    v = index.get(i, v)
                out.append(v)
            else:
                # faro's JSON objects iterate keys in sorted order.
                for k in sorted(v, reverse=True):
                    if k != "@context":
                        stack.append(v[k])
        elif isinstance(v, list):
            stack.extend(reversed(v))
    return out


def first_text(v):
    for x in as_list(v):
        if isinstance(x, dict):
            x = x.get("@value")
        if isinstance(x, bool) or x is None:
            continue
        if isinstance(x, (int, float)):
            x = str(x)
        if isinstance(x, str) and x.strip():
            return x.strip()
    return None


SCRIPT_STYLE = re.compile(r"<(script|style)\b.*?(</\1\s*>|$)", re.I | re.S)
TAG = re.compile(r"<[A-Za-z/!?][^>]*(>|$)", re.S)


def plain(s):
    s = TAG.sub(" ", SCRIPT_STYLE.sub(" ", s))
    s = html_lib.unescape(s)
    s = TAG.sub(" ", SCRIPT_STYLE.sub(" ", s))
    return " ".join(s.split())


def day(v):
    t = first_text(v)
    if t and re.fullmatch(r"\d{4}-\d{2}-\d{2}([Tt ].*)?", t):
        return t[:10]
    return None


def price(v):
    if isinstance(v, bool) or v is None:
        return None
    if isinstance(v, (int, float)):
        d = Decimal(str(v))
    else:
        t = first_text(v)
        if t is None or not re.fullmatch(r"\d+([.,]\d{1,2})?", t):
            return None
        d = Decimal(t.replace(",", "."))
    if d <= 0:
        return None
    cents = int((d * 100).to_integral_value())
    return str(cents // 100) if cents % 100 == 0 else f"{cents // 100}.{cents % 100:02d}"


def offers_prices(node, index):
    out = []
    for o in as_list(prop(node, "offers")):
        o = deref(o, index)
        if not isinstance(o, dict):
            continue
        p = prop(o, "price")
        if p is None:
            p = prop(o, "lowPrice")
        p = price(p)
        if p is not None:
            out.append(p)
    return out


def read_course(c, index, page_url):
    name = first_text(prop(c, "name"))
    name = plain(name) if name else ""
    if not name:
        return None
    url = page_url
    u = first_text(prop(c, "url"))
    if u:
        joined = urljoin(page_url, u)
        if joined.lower().startswith(("http://", "https://")):
            url = joined
    starts, prices = [], offers_prices(c, index)
    for inst in as_list(prop(c, "hasCourseInstance")):
        inst = deref(inst, index)
        if not isinstance(inst, dict):
            continue
        start = day(prop(inst, "startDate"))
        if start is None:
            for s in as_list(prop(inst, "courseSchedule")):
                s = deref(s, index)
                if isinstance(s, dict):
                    start = day(prop(s, "startDate"))
                    break
        if start is not None:
            starts.append(start)
        prices.extend(offers_prices(inst, index))
    return {
        "name": name,
        "url": url,
        "starts": sorted(starts),
        "prices": sorted(set(prices)),
    }


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--base-url", default="http://HOST/")
    ap.add_argument("files", nargs="+")
    args = ap.parse_args()
    result = {}
    for path in args.files:
        name = os.path.basename(path)
        page_url = args.base_url + name
        with open(path, "rb") as f:
            data = f.read()
        values = blocks_of(data, page_url)
        index = build_index(values)
        courses = []
        for c in walk(values, index):
            item = read_course(c, index, page_url)
            if item is not None:
                courses.append(item)
        result[name] = courses
    sys.stdout.write(json.dumps(result, sort_keys=True, ensure_ascii=False) + "\n")


if __name__ == "__main__":
    main()
