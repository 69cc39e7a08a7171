#!/usr/bin/env python3
"""Lay out wheels as a PyPI-like simple index (python3 standard library only). The one index
generator of the demo, scripts/serve_index.sh, and every test suite.

usage: make_index.py [--json-dist-info-metadata] DEST WHEELS_DIR...
       make_index.py --spec SPEC.json DEST

Real wheels (the first form: demo/wheels for the demo, the e2e and the embedding tests):
DEST/files/<wheel>                  the wheel (hard link, or a copy across file systems)
DEST/files/<wheel>.metadata         its METADATA, byte for byte (PEP 658 / PEP 714)
DEST/simple/index.html              PEP 503 project list
DEST/simple/index.json              PEP 691 project list
DEST/simple/<project>/index.html    anchors with #sha256=, data-requires-python,
                                    data-dist-info-metadata and data-core-metadata
DEST/simple/<project>/index.json    PEP 691 JSON, api-version 1.1 (PEP 700: size, versions),
                                    metadata under "core-metadata" (PEP 714); the legacy
                                    "dist-info-metadata" key only with --json-dist-info-metadata,
                                    since pip 22.3-23.0 (Debian 12's ensurepip has 23.0.1) crash
                                    on it, as PEP 714 warns servers
URLs in the pages are relative (../../files/<wheel>), so the tree works behind any HTTP
server root (see serve_index.sh, which picks HTML or JSON by the Accept header) and as a
file:// index. DEST is replaced if it exists.

Generated wheels (--spec: the fetch tests' index, each wheel shaped to take one metadata
route). SPEC is a JSON list of wheels to make:
  [{"name", "version", "deps": [...], "meta_name": str (Name in METADATA, default name),
    "pep658": bool (a .metadata file and data-core-metadata), "bad_metadata_hash": bool,
    "bad_file_hash": bool, "comment": int (zip comment bytes), "metadata_first": bool,
    "pad": int (bytes of incompressible data after METADATA), "files": int (extra small
    members)}]
Wheels go to DEST/files/, bare PEP 503 pages (#sha256= and data-core-metadata only, hashes
wrong where asked) to DEST/simple/<name>/index.html; no project list, no JSON. DEST is kept.
"""
import email.parser
import hashlib
import html
import json
import os
import random
import re
import shutil
import sys
import zipfile

# One fixed modification time for every generated file, so a rebuilt tree serves the same
# ETag and Last-Modified as before (a client's cached validators stay valid).
FIXED_MTIME = 1735689600  # 2025-01-01T00:00:00Z


def norm(name):
    """PEP 503 normalized project name."""
    return re.sub(r"[-_.]+", "-", name).lower()


def read_metadata(path, filename):
    """The bytes of the wheel's top-level *.dist-info/METADATA."""
    with zipfile.ZipFile(path) as zf:
        names = zf.namelist()
    parts = filename[:-4].split("-")
    want = "%s-%s.dist-info/METADATA" % (parts[0], parts[1])
    with zipfile.ZipFile(path) as zf:
        if want in names:
            return zf.read(want)
        cands = [n for n in names if n.count("/") == 1 and n.endswith(".dist-info/METADATA")]
        if len(cands) != 1:
            sys.exit("make_index: %s: expected one .dist-info/METADATA, found %d" % (filename, len(cands)))
        return zf.read(cands[0])


def sha256_file(path):
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def describe(path, filename, digest=None):
    """What an index says of one wheel: hashes, size, METADATA and the fields read from it."""
    meta = read_metadata(path, filename)
    msg = email.parser.BytesParser().parsebytes(meta, headersonly=True)
    return dict(filename=filename, name=msg["Name"], version=msg["Version"],
                size=os.path.getsize(path), sha256=digest or sha256_file(path), metadata=meta,
                metadata_sha256=hashlib.sha256(meta).hexdigest(),
                requires_python=str(msg["Requires-Python"]).strip() if msg["Requires-Python"] else None)


def write(path, text):
    with open(path, "w", encoding="utf-8") as f:
        f.write(text)


def write_metadata(files_dir, record):
    with open(os.path.join(files_dir, record["filename"] + ".metadata"), "wb") as f:
        f.write(record["metadata"])


def page_head(title):
    return ('<!DOCTYPE html>\n<html>\n  <head>\n'
            '    <meta name="pypi:repository-version" content="1.1">\n'
            '    <title>%s</title>\n  </head>\n  <body>\n' % html.escape(title))


def lay_out_wheels(dest, srcdirs, legacy_json_key):
    """The first form: real wheels, PEP 503 + 691 + 658/714 pages and a project list."""
    for d in srcdirs:
        if not os.path.isdir(d):
            sys.exit("make_index: %s: not a directory" % d)
    if os.path.isdir(dest):
        shutil.rmtree(dest)
    files_dir = os.path.join(dest, "files")
    simple_dir = os.path.join(dest, "simple")
    os.makedirs(files_dir)
    os.makedirs(simple_dir)

    projects = {}  # normalized name -> list of records
    seen = {}      # filename -> sha256
    for d in srcdirs:
        for whl in sorted(os.listdir(d)):
            if not whl.endswith(".whl"):
                continue
            src = os.path.join(d, whl)
            digest = sha256_file(src)
            if whl in seen:
                if seen[whl] != digest:
                    sys.exit("make_index: %s appears twice with different contents" % whl)
                continue
            seen[whl] = digest
            dst = os.path.join(files_dir, whl)
            try:
                os.link(src, dst)
            except OSError:
                shutil.copyfile(src, dst)
            record = describe(src, whl, digest)
            write_metadata(files_dir, record)
            if not record["name"] or not record["version"]:
                sys.exit("make_index: %s: METADATA lacks Name or Version" % whl)
            record["name"], record["version"] = str(record["name"]), str(record["version"])
            projects.setdefault(norm(record["name"]), []).append(record)

    root_html = [page_head("Simple index")]
    root_json = {"meta": {"api-version": "1.1"}, "projects": []}
    for proj in sorted(projects):
        recs = sorted(projects[proj], key=lambda r: r["filename"])
        display = recs[-1]["name"]
        root_html.append('    <a href="%s/">%s</a><br />\n' % (proj, html.escape(display)))
        root_json["projects"].append({"name": display})
        pdir = os.path.join(simple_dir, proj)
        os.makedirs(pdir)
        lines = [page_head("Links for " + proj), "    <h1>Links for %s</h1>\n" % html.escape(proj)]
        files = []
        for r in recs:
            url = "../../files/" + r["filename"]
            attrs = ""
            if r["requires_python"]:
                attrs += ' data-requires-python="%s"' % html.escape(r["requires_python"], quote=True)
            attrs += (' data-dist-info-metadata="sha256=%s" data-core-metadata="sha256=%s"'
                      % (r["metadata_sha256"], r["metadata_sha256"]))
            lines.append('    <a href="%s#sha256=%s"%s>%s</a><br />\n'
                         % (html.escape(url, quote=True), r["sha256"], attrs, html.escape(r["filename"])))
            entry = {"filename": r["filename"], "url": url, "hashes": {"sha256": r["sha256"]},
                     "requires-python": r["requires_python"],
                     "core-metadata": {"sha256": r["metadata_sha256"]},
                     "yanked": False, "size": r["size"]}
            if legacy_json_key:
                entry["dist-info-metadata"] = {"sha256": r["metadata_sha256"]}
            files.append(entry)
        lines.append("  </body>\n</html>\n")
        write(os.path.join(pdir, "index.html"), "".join(lines))
        versions = sorted({r["version"] for r in recs}, key=version_key)
        write(os.path.join(pdir, "index.json"),
              json.dumps({"meta": {"api-version": "1.1"}, "name": proj, "files": files,
                          "versions": versions}, separators=(",", ":")))
    root_html.append("  </body>\n</html>\n")
    write(os.path.join(simple_dir, "index.html"), "".join(root_html))
    write(os.path.join(simple_dir, "index.json"), json.dumps(root_json, separators=(",", ":")))

    for top, _, names in os.walk(dest):
        for n in names:
            if not n.endswith(".whl"):
                os.utime(os.path.join(top, n), (FIXED_MTIME, FIXED_MTIME))
    nwheels = sum(len(v) for v in projects.values())
    nbytes = sum(r["size"] for v in projects.values() for r in v)
    sys.stderr.write("make_index: %d projects, %d wheels, %.1f MB in %s\n"
                     % (len(projects), nwheels, nbytes / 1e6, dest))


def version_key(v):
    """Rough release order for the versions list (only its order, not its content, varies)."""
    return [(0, int(p), "") if p.isdigit() else (1, 0, p) for p in re.split(r"[.+!-]", v)]


def generate_wheel(files_dir, p):
    """Writes the wheel that one --spec entry describes; returns its file name."""
    name, version = p["name"], p["version"]
    dist = name.replace("-", "_")
    fn = f"{dist}-{version}-py3-none-any.whl"
    meta = f"Metadata-Version: 2.1\nName: {p.get('meta_name', name)}\nVersion: {version}\n"
    for d in p.get("deps", []):
        meta += f"Requires-Dist: {d}\n"
    di = f"{dist}-{version}.dist-info"
    rng = random.Random(1)
    with zipfile.ZipFile(os.path.join(files_dir, fn), "w", zipfile.ZIP_DEFLATED) as z:
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
    return fn


def lay_out_spec(dest, spec):
    """The second form: generated wheels on bare pages, hashes wrong where the spec asks."""
    files_dir = os.path.join(dest, "files")
    os.makedirs(files_dir, exist_ok=True)
    pages = {}
    for p in spec:
        fn = generate_wheel(files_dir, p)
        r = describe(os.path.join(files_dir, fn), fn)
        sha = "0" * 64 if p.get("bad_file_hash") else r["sha256"]
        attrs = ""
        if p.get("pep658"):
            write_metadata(files_dir, r)
            mh = "0" * 64 if p.get("bad_metadata_hash") else r["metadata_sha256"]
            attrs = f' data-core-metadata="sha256={mh}"'
        pages.setdefault(p["name"], []).append(f'<a href="../../files/{fn}#sha256={sha}"{attrs}>{fn}</a>')
    for name, links in pages.items():
        d = os.path.join(dest, "simple", name)
        os.makedirs(d, exist_ok=True)
        write(os.path.join(d, "index.html"),
              "<!DOCTYPE html><html><body>\n" + "\n".join(links) + "\n</body></html>\n")


USAGE = ("usage: make_index.py [--json-dist-info-metadata] DEST WHEELS_DIR...\n"
         "       make_index.py --spec SPEC.json DEST\n")


def main(argv):
    args = argv[1:]
    if not args or args[0] in ("-h", "--help"):
        sys.stderr.write(USAGE)
        return 2
    if args[0] == "--spec":
        if len(args) != 3:
            sys.stderr.write(USAGE)
            return 2
        with open(args[1]) as f:
            lay_out_spec(os.path.abspath(args[2]), json.load(f))
        return 0
    legacy_json_key = "--json-dist-info-metadata" in args
    args = [a for a in args if a != "--json-dist-info-metadata"]
    if len(args) < 2:
        sys.stderr.write(USAGE)
        return 2
    lay_out_wheels(os.path.abspath(args[0]), [os.path.abspath(d) for d in args[1:]],
                   legacy_json_key)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
