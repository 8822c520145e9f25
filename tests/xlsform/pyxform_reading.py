#!/usr/bin/env python3
"""pyxform's reading of XLSForms, as JSON on stdout: one object per file.

For each file: {"file", "ok", "error", "xform_has_dash_label", "questions", "groups"}.
pyxform converts the form (ODK Validate on: it catches cycles and bad
expressions that pyxform itself lets through); the XForm it writes is parsed
with lxml and reduced to what both readers must agree on:
  questions: path, bind type, body control, relevant, constraint, calculate,
             required, readonly, choices (names), default
  groups:    path, kind (group / repeat), relevant, appearance
Expressions are normalised for comparison: every node path pyxform wrote
(/data/g/q, ../q, current()/../q) becomes ${q}, and whitespace outside
quotes is dropped.
Usage: pyxform_reading.py FILE.xlsx...
"""
import json
import os
import re
import sys
import tempfile

from lxml import etree
from pyxform.xls2xform import convert

NS = {"h": "http://www.w3.org/1999/xhtml", "x": "http://www.w3.org/2002/xforms",
      "jr": "http://openrosa.org/javarosa"}

PATH = re.compile(r"(?:current\(\)/)?(?:\.\./)+([A-Za-z_][\w.\-]*)|/data(?:/[A-Za-z_][\w.\-]*)+")


def norm(expr):
    if expr is None:
        return None
    out, i, q = [], 0, None
    # Replace paths outside string literals, then drop whitespace.
    parts = re.split(r"('[^']*'|\"[^\"]*\")", expr)
    res = []
    for k, p in enumerate(parts):
        if k % 2 == 1:
            res.append(p.replace('"', "'") if "'" not in p[1:-1] else p)
            continue
        p = PATH.sub(lambda m: "${" + (m.group(1) or m.group(0).rsplit("/", 1)[1]) + "}", p)
        res.append(re.sub(r"\s+", "", p))
    return "".join(res)


def reading(path):
    warnings = []
    try:
        with open(path, "rb") as f:
            data = f.read()
        res = convert(xlsform=path, validate=True, warnings=warnings,
                      form_name="data")
        xml = res.xform
    except Exception as e:  # pyxform refuses
        return {"ok": False, "error": f"{type(e).__name__}: {e}"[:2000]}
    root = etree.fromstring(xml.encode())
    model = root.find("h:head/x:model", NS)
    instances = model.findall("x:instance", NS)
    primary = instances[0][0]
    lists = {}
    for inst in instances[1:]:
        lists[inst.get("id")] = [item.findtext("x:name", namespaces=NS) for item in inst.iter("{%s}item" % NS["x"])]
    binds = {}
    for b in model.findall("x:bind", NS):
        binds[b.get("nodeset")] = b
    body = root.find("h:body", NS)
    controls = {}
    groups = []
    repeat_refs = {r.get("nodeset") for r in body.iter("{%s}repeat" % NS["x"])}
    for el in body.iter():
        if not isinstance(el.tag, str):
            continue
        tag = etree.QName(el).localname
        ref = el.get("ref") or el.get("nodeset")
        if tag in ("input", "select1", "select", "trigger"):
            choices = None
            its = el.find("x:itemset", NS)
            if its is not None:
                m = re.match(r"instance\('([^']+)'\)", its.get("nodeset"))
                choices = lists.get(m.group(1)) if m else None
            else:
                items = el.findall("x:item", NS)
                if items:
                    choices = [i.findtext("x:value", namespaces=NS) for i in items]
            controls[ref] = (tag, choices, el.get("appearance"))
        elif tag == "repeat":
            b = binds.get(ref)
            groups.append({"path": ref[len("/data/"):], "kind": "repeat",
                           "relevant": norm(b.get("relevant")) if b is not None else None,
                           "appearance": el.get("appearance")})
        elif tag == "group" and ref not in repeat_refs:
            b = binds.get(ref)
            groups.append({"path": ref[len("/data/"):], "kind": "group",
                           "relevant": norm(b.get("relevant")) if b is not None else None,
                           "appearance": el.get("appearance")})
    questions = []
    for nodeset, b in binds.items():
        if nodeset.startswith("/data/meta/") or nodeset in repeat_refs:
            continue
        if any(g["path"] == nodeset[len("/data/"):] for g in groups):
            continue
        ctl = controls.get(nodeset)
        rel = nodeset[len("/data/"):]
        node = primary
        for seg in rel.split("/"):
            nxt = node.find("x:" + seg, NS)
            node = nxt if nxt is not None else node
        default = node.text if node is not None and len(node) == 0 and node.text else None
        questions.append({
            "path": rel,
            "type": b.get("type"),
            "control": ctl[0] if ctl else None,
            "relevant": norm(b.get("relevant")),
            "constraint": norm(b.get("constraint")),
            "calculate": norm(b.get("calculate")),
            "required": b.get("required") == "true()",
            "readonly": b.get("readonly") == "true()",
            "choices": ctl[1] if ctl else None,
            "appearance": ctl[2] if ctl else None,
            "default": default,
        })
    return {"ok": True, "questions": questions, "groups": groups,
            "dash_labels": xml.count("<value>-</value>"), "warnings": warnings}


out = []
for p in sys.argv[1:]:
    r = reading(p)
    r["file"] = os.path.basename(p)
    out.append(r)
json.dump(out, sys.stdout, indent=1, ensure_ascii=False)
