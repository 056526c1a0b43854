#!/usr/bin/env python3
"""Derives the demo catalogue seed (fields and procedure names) from the
national portal crawl in ../shared/data/dvcqg_procedures_2026.jsonl.gz.

Writes data/demo/fields.tsv (code, name_vi, sort) and
data/demo/procedures.tsv (code, name, field_code) with the records carried
out at province or commune level. The output is committed, so the project
runs without ../shared; rerun this only when the source changes.
The full structured catalogue (steps, documents, fees) is the catalogue
importer's job; this seed gives the home page real names and counts.
"""
import gzip, json, re, sys, unicodedata

src = sys.argv[1] if len(sys.argv) > 1 else "../shared/data/dvcqg_procedures_2026.jsonl.gz"

def slug(s):
    s = unicodedata.normalize("NFD", s.replace("đ", "d").replace("Đ", "D"))
    s = "".join(c for c in s if unicodedata.category(c) != "Mn").lower()
    return re.sub(r"[^a-z0-9]+", "-", s).strip("-")[:60]

def clean(s):
    s = unicodedata.normalize("NFC", " ".join(s.split()))
    return s

fields, procs = {}, {}
for line in gzip.open(src, "rt", encoding="utf-8"):
    d = json.loads(line)
    level = d.get("cap_thuc_hien", "")
    if "Cấp tỉnh" not in level and "Cấp xã" not in level:
        continue
    code, name, field = d["ma_thu_tuc"].strip(), clean(d["ten_thu_tuc"]), clean(d["linh_vuc"])
    if not code or not name or not field or "\t" in name:
        continue
    fields.setdefault(field, 0)
    fields[field] += 1
    procs[code] = (name, slug(field))

with open("data/demo/fields.tsv", "w", encoding="utf-8") as f:
    f.write("code\tname_vi\tsort\n")
    for i, (name, n) in enumerate(sorted(fields.items(), key=lambda kv: (-kv[1], kv[0]))):
        f.write(f"{slug(name)}\t{name}\t{i}\n")
with open("data/demo/procedures.tsv", "w", encoding="utf-8") as f:
    f.write("code\tname\tfield_code\n")
    for code in sorted(procs):
        name, fc = procs[code]
        f.write(f"{code}\t{name}\t{fc}\n")
print(f"{len(fields)} fields, {len(procs)} procedures", file=sys.stderr)
