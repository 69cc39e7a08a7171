#!/usr/bin/env python3
"""Lays out a tiny PEP 503 index of generated wheels for the fetch actors' tests.

usage: make_index.py WWW SPEC.json
SPEC: [{"name", "version", "deps": [...], "pep658": bool, "bad_metadata_hash": bool,
        "comment": int (zip comment bytes), "metadata_first": bool, "pad": int (bytes of
        incompressible data after METADATA), "files": int (extra small members)}]
Pages go to WWW/simple/<name>/index.html, files to WWW/files/.
"""
import hashlib, json, os, random, sys, zipfile

www, spec = sys.argv[1], json.load(open(sys.argv[2]))
os.makedirs(os.path.join(www, "files"), exist_ok=True)
pages = {}
for p in spec:
    name, version = p["name"], p["version"]
    dist = name.replace("-", "_")
    fn = f"{dist}-{version}-py3-none-any.whl"
    path = os.path.join(www, "files", fn)
    meta = f"Metadata-Version: 2.1\nName: {p.get('meta_name', name)}\nVersion: {version}\n"
    for d in p.get("deps", []):
        meta += f"Requires-Dist: {d}\n"
    di = f"{dist}-{version}.dist-info"
    rng = random.Random(1)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        if p.get("metadata_first"):
            z.writestr(f"{di}/METADATA", meta)
        z.writestr(f"{dist}/__init__.py", "x = 1\n")
        if p.get("pad"):
            z.writestr(f"{dist}/blob.bin", bytes(rng.getrandbits(8) for _ in range(p["pad"])),
                       compress_type=zipfile.ZIP_STORED)
        for i in range(p.get("files", 0)):
            z.writestr(f"{dist}/{'m' * 60}_{i}.py", "")
        if not p.get("metadata_first"):
            z.writestr(f"{di}/METADATA", meta)
        z.writestr(f"{di}/WHEEL", "Wheel-Version: 1.0\nRoot-Is-Purelib: true\nTag: py3-none-any\n")
        z.writestr(f"{di}/RECORD", "")
        if p.get("comment"):
            z.comment = b"c" * p["comment"]
    data = open(path, "rb").read()
    sha = hashlib.sha256(data).hexdigest()
    if p.get("bad_file_hash"):
        sha = "0" * 64
    attrs = ""
    if p.get("pep658"):
        open(path + ".metadata", "w").write(meta)
        mh = hashlib.sha256(meta.encode()).hexdigest()
        if p.get("bad_metadata_hash"):
            mh = "0" * 64
        attrs = f' data-core-metadata="sha256={mh}"'
    pages.setdefault(name, []).append(f'<a href="../../files/{fn}#sha256={sha}"{attrs}>{fn}</a>')
for name, links in pages.items():
    d = os.path.join(www, "simple", name)
    os.makedirs(d, exist_ok=True)
    open(os.path.join(d, "index.html"), "w").write(
        "<!DOCTYPE html><html><body>\n" + "\n".join(links) + "\n</body></html>\n")
