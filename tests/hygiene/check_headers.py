#!/usr/bin/env python3
"""Every header under <layer>/include/actpip/ compiles on its own (CTest `header_alone`).

    check_headers.py BUILD/tests/hygiene/headers.tsv [-j N]

headers.tsv is written by tests/hygiene/CMakeLists.txt at configure time: the compiler, per
layer the flags a consumer of actpip::<layer> compiles with, and the layer's headers (globbed
with CONFIGURE_DEPENDS). Each header is compiled as a one-line translation unit that includes
it twice (`#include <actpip/...>`), with -fsyntax-only, N at a time. Fails listing each header
that does not compile, with the compiler's first lines; also when the headers on disk are not
those of the list (headers moved since the last configure: build again, or re-run cmake).

Incremental, as make is: a header that compiled is not compiled again while its flags and
every file it includes (the compiler's -MD list) are older than that check; the record is
headers.tsv.done.json beside the list (--all ignores it).
"""
import argparse
import concurrent.futures
import hashlib
import json
import os
import subprocess
import sys
import tempfile
import time

SHOWN_LINES = 25


def read_plan(path):
    compiler, layers, flags, headers = None, {}, {}, []
    with open(path, encoding="utf-8") as f:
        for line in f.read().splitlines():
            kind, *fields = line.split("\t")
            if kind == "compiler":
                compiler = fields[0]
            elif kind == "layer":
                layers[fields[0]] = fields[1]
            elif kind == "flags":
                flags[fields[0]] = [x for flag in fields[1:] if flag
                                    for x in (flag[6:].split() if flag.startswith("SHELL:")
                                              else [flag])]
            elif kind == "header":
                headers.append((fields[0], fields[1]))
    return compiler, layers, flags, headers


def dependencies(text):
    """The files of a make rule written by -MD ("-: a.hpp b.hpp \\ ...")."""
    body = text.split(":", 1)[1] if ":" in text else ""
    body = body.replace("\\\n", " ").replace("\\ ", "\0")
    return [word.replace("\0", " ") for word in body.split()]


def check(compiler, flags, include_dir, header):
    """(name, exit code, output, seconds, included files) of one header's compilation."""
    name = os.path.relpath(header, include_dir).replace(os.sep, "/")
    source = f"#include <{name}>\n#include <{name}>\n"
    with tempfile.TemporaryDirectory() as tmp:
        depfile = os.path.join(tmp, "deps.d")
        command = [compiler, *flags, "-fsyntax-only", "-MD", "-MF", depfile, "-x", "c++", "-"]
        started = time.monotonic()
        run = subprocess.run(command, input=source, capture_output=True, text=True)
        seconds = time.monotonic() - started
        deps = []
        if run.returncode == 0 and os.path.exists(depfile):
            with open(depfile, encoding="utf-8") as f:
                deps = dependencies(f.read())
    output = (run.stdout + run.stderr).strip()
    return name, run.returncode, output, seconds, deps


def key_of(compiler, flags, header):
    compiler_stamp = os.stat(compiler).st_mtime_ns if os.path.exists(compiler) else 0
    text = "\0".join([compiler, str(compiler_stamp), header, *flags])
    return hashlib.sha256(text.encode()).hexdigest()


def up_to_date(entry, key):
    """Whether a recorded success still holds: same flags, every included file older."""
    if not entry or entry.get("key") != key:
        return False
    for path in entry["deps"]:
        try:
            if os.stat(path).st_mtime_ns >= entry["checked_ns"]:
                return False
        except OSError:
            return False
    return True


def load_record(path):
    try:
        with open(path, encoding="utf-8") as f:
            return json.load(f)
    except (OSError, ValueError):
        return {}


def save_record(path, record):
    tmp = f"{path}.{os.getpid()}"
    with open(tmp, "w", encoding="utf-8") as f:
        json.dump(record, f)
    os.replace(tmp, path)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("plan")
    parser.add_argument("-j", "--jobs", type=int, default=2)
    parser.add_argument("--all", action="store_true", help="check every header, ignore the record")
    args = parser.parse_args()
    compiler, layers, flags, headers = read_plan(args.plan)
    record_path = args.plan + ".done.json"
    record = {} if args.all else load_record(record_path)

    failures = []
    listed = {header for _, header in headers}
    for layer, include_dir in sorted(layers.items()):
        for dirpath, _, filenames in os.walk(os.path.join(include_dir, "actpip")):
            for name in sorted(filenames):
                path = os.path.join(dirpath, name)
                if name.endswith(".hpp") and path not in listed:
                    failures.append(f"{path}: not in the list globbed at configure time "
                                    "(build again, or re-run cmake)")
    todo, done = [], {}
    for layer, header in headers:
        if not os.path.exists(header):
            failures.append(f"{header}: gone since configure time (build again, or re-run cmake)")
            continue
        key = key_of(compiler, flags[layer], header)
        if up_to_date(record.get(header), key):
            done[header] = record[header]
        else:
            todo.append((layer, header, key))

    started = time.monotonic()
    slowest = []
    with concurrent.futures.ThreadPoolExecutor(max_workers=max(1, args.jobs)) as pool:
        jobs = []
        for layer, header, key in todo:
            checked_ns = time.time_ns()
            job = pool.submit(check, compiler, flags[layer], layers[layer], header)
            jobs.append((header, key, checked_ns, job))
        for header, key, checked_ns, job in jobs:
            name, code, output, seconds, deps = job.result()
            slowest.append((seconds, name))
            if code == 0:
                done[header] = {"key": key, "checked_ns": checked_ns, "deps": deps}
            else:
                lines = output.splitlines()
                shown = "\n    ".join(lines[:SHOWN_LINES])
                more = f"\n    ... {len(lines) - SHOWN_LINES} more lines" \
                    if len(lines) > SHOWN_LINES else ""
                failures.append(f"{name}: does not compile alone:\n    {shown}{more}")
    elapsed = time.monotonic() - started
    save_record(record_path, done)

    for failure in failures:
        print(failure)
    slowest.sort(reverse=True)
    slow = f" (slowest: {', '.join(f'{n} {s:.1f} s' for s, n in slowest[:3])})" if slowest else ""
    print(f"header_alone: {len(todo)} of {len(headers)} headers compiled in {elapsed:.1f} s "
          f"with {args.jobs} jobs; the others are unchanged since they compiled alone{slow}")
    if failures:
        print(f"header_alone: {len(failures)} problem(s)")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
