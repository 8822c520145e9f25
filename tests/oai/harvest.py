"""Harvests Faro's /oai with an outside client (oaipmh-scythe) and checks every
raw response against the OAI-PMH 2.0 schema (lxml). Prints a JSON summary.

    python3 tests/oai/harvest.py http://127.0.0.1:8080
"""
import json
import sys
import urllib.parse
import urllib.request
from pathlib import Path

from lxml import etree
from oaipmh_scythe import Scythe

BASE = sys.argv[1].rstrip("/") + "/oai"
NS = {"o": "http://www.openarchives.org/OAI/2.0/", "dc": "http://purl.org/dc/elements/1.1/",
      "oai_dc": "http://www.openarchives.org/OAI/2.0/oai_dc/"}
XSD = Path(__file__).resolve().parent.parent / "data/xsd"
SCHEMA = etree.XMLSchema(etree.parse(str(XSD / "OAI-PMH.xsd")))
OAI_DC = etree.XMLSchema(etree.parse(str(XSD / "oai_dc.xsd")))
validated = 0
payloads = 0

# The payload schema must be able to fail: an element outside simple Dublin
# Core, and a malformed xml:lang, are refused.
_ok = b'<oai_dc:dc xmlns:oai_dc="http://www.openarchives.org/OAI/2.0/oai_dc/" xmlns:dc="http://purl.org/dc/elements/1.1/"><dc:title xml:lang="es">t</dc:title></oai_dc:dc>'
assert OAI_DC.validate(etree.fromstring(_ok))
assert not OAI_DC.validate(etree.fromstring(_ok.replace(b"dc:title", b"dc:isbn")))
assert not OAI_DC.validate(etree.fromstring(_ok.replace(b'"es"', b'"not a tag"')))


def raw(**args):
    """One response, validated against the schema; returns the parsed tree."""
    global validated
    url = BASE + "?" + urllib.parse.urlencode(args)
    with urllib.request.urlopen(url) as r:
        doc = etree.fromstring(r.read())
    SCHEMA.assertValid(doc)
    validated += 1
    # The envelope schema skips <metadata>; each oai_dc payload is checked
    # against the oai_dc schema on its own.
    global payloads
    for dc in doc.iterfind(".//o:metadata/oai_dc:dc", NS):
        OAI_DC.assertValid(etree.fromstring(etree.tostring(dc)))
        payloads += 1
    for md in doc.iterfind(".//o:metadata", NS):
        assert md.find("oai_dc:dc", NS) is not None, "every metadata block is oai_dc"
    return doc


def error_code(**args):
    doc = raw(**args)
    err = doc.find("o:error", NS)
    return None if err is None else err.get("code")


def all_pages(verb, **args):
    """Follows resumption tokens by hand, validating every page."""
    items, pages = [], 0
    doc = raw(verb=verb, **args)
    while True:
        pages += 1
        body = doc.find(f"o:{verb}", NS)
        if body is None:
            return items, pages, doc.find("o:error", NS).get("code")
        tag = "o:record" if verb == "ListRecords" else "o:header"
        items += body.findall(tag, NS)
        token = body.find("o:resumptionToken", NS)
        if token is None or not (token.text or "").strip():
            return items, pages, None
        assert token.get("expirationDate"), "tokens say when they expire"
        doc = raw(verb=verb, resumptionToken=token.text)


scythe = Scythe(BASE)
summary = {}
summary["identify"] = scythe.identify().repositoryName
# Identify itself against the schema (adminEmail must be an address).
_ident = raw(verb="Identify").find("o:Identify", NS)
summary["admin_email"] = _ident.find("o:adminEmail", NS).text
summary["formats"] = [f.metadataPrefix for f in scythe.list_metadata_formats()]
sets = [s.setSpec for s in scythe.list_sets()]
summary["sets"] = len(sets)
records = list(scythe.list_records(metadata_prefix="oai_dc", ignore_deleted=False))
summary["scythe_records"] = len(records)
summary["deleted"] = sum(1 for r in records if r.deleted)
summary["titles_with_lang"] = sum(1 for r in records if not r.deleted and r.xml.find(".//dc:title[@{http://www.w3.org/XML/1998/namespace}lang]", NS) is not None)
summary["scythe_identifiers"] = len(list(scythe.list_identifiers(metadata_prefix="oai_dc", ignore_deleted=False)))
recs, pages, _ = all_pages("ListRecords", metadataPrefix="oai_dc")
ids, id_pages, _ = all_pages("ListIdentifiers", metadataPrefix="oai_dc")
summary["raw_records"], summary["raw_record_pages"] = len(recs), pages
summary["raw_identifiers"], summary["raw_identifier_pages"] = len(ids), id_pages
per_set = {}
for s in sets:
    got, _, err = all_pages("ListRecords", metadataPrefix="oai_dc", set=s)
    per_set[s] = len(got)
    for rec in got:
        specs = [e.text for e in rec.findall("o:header/o:setSpec", NS)]
        assert s in specs, (s, specs)
summary["per_set_ok"] = all(n > 0 for n in per_set.values())
summary["set_type_dataset"] = per_set.get("type:dataset", 0)
first = records[0].header.identifier
summary["get_record"] = raw(verb="GetRecord", identifier=first, metadataPrefix="oai_dc").find("o:GetRecord", NS) is not None
summary["errors"] = {
    "badVerb": error_code(verb="Nope"),
    "missingVerb": error_code(),
    "badArgument": error_code(verb="ListRecords"),
    "illegalArgument": error_code(verb="Identify", foo="1"),
    "cannotDisseminateFormat": error_code(verb="ListRecords", metadataPrefix="marc21"),
    "idDoesNotExist": error_code(verb="GetRecord", identifier="oai:faro:nope", metadataPrefix="oai_dc"),
    "noRecordsMatch": error_code(verb="ListRecords", metadataPrefix="oai_dc", until="2000-01-01"),
    "badResumptionToken": error_code(verb="ListRecords", resumptionToken="zz"),
    # Non-ASCII (multi-byte) tokens, in both list verbs: an error, never a panic.
    "nonAsciiToken": error_code(verb="ListRecords", resumptionToken="a\u00e9b"),
    "nonAsciiTokenIds": error_code(verb="ListIdentifiers", resumptionToken="7\u20ac32"),
    "badDate": error_code(verb="ListRecords", metadataPrefix="oai_dc", **{"from": "yesterday"}),
    "mixedGranularity": error_code(verb="ListRecords", metadataPrefix="oai_dc", **{"from": "2020-01-01", "until": "2030-01-01T00:00:00Z"}),
}
in_future = error_code(verb="ListRecords", metadataPrefix="oai_dc", **{"from": "2000-01-01"})
summary["from_2000_ok"] = in_future is None
summary["validated"] = validated
summary["oai_dc_validated"] = payloads
print(json.dumps(summary))
