#!/usr/bin/env python3
"""Keeps the layering of STYLE.md (CTest `layering`, label `unit`).

    check_layering.py SOURCE_DIR
    check_layering.py --self-test     # plants one offence of each kind in a temporary tree

Reads the #include lines of every C++ file under SOURCE_DIR (build trees and hidden folders
skipped) and fails, printing file:line for each offence, when
  - <caf/...> is included outside actors/, tests/unit/actors/, tests/support/actors/,
    tests/embed/ and examples/embed_caf/;
  - <boost/...> is included outside net/ and tests/unit/net/;
  - a layer includes an actpip header of a layer it must not depend on:
        core <- resolver;  core <- net, storage;  resolver, net, storage <- actors <- cli
    (cli sees only actpip/api.hpp, actpip/core/* and actpip/storage/*);
  - the installed headers stop being a closed set: actpip/api.hpp includes only standard
    headers, actpip/embed.hpp only those, actpip/api.hpp and <caf/...>; examples/ include no
    other actpip header.
"""
import os
import re
import sys

SOURCE_SUFFIXES = (".cpp", ".hpp", ".h", ".cc", ".hh", ".ipp", ".inl")
INCLUDE = re.compile(r'^\s*#\s*include\s*([<"])([^>"]+)[>"]')

# Which actpip headers a layer's files (public and private) may include, by the header's layer.
# "api" is actpip/api.hpp, "embed" actpip/embed.hpp (both in actors/).
ALLOWED = {
    "core": {"core"},
    "resolver": {"core", "resolver"},
    "net": {"core", "net"},
    "storage": {"core", "storage"},
    "actors": {"core", "resolver", "net", "storage", "actors", "api", "embed"},
    "cli": {"core", "storage", "api"},
    "examples": {"api", "embed"},
}
SHOWN = {"api": "actpip/api.hpp", "embed": "actpip/embed.hpp"}
CAF_ALLOWED = (
    "actors/",
    "tests/unit/actors/",
    "tests/support/actors/",
    "tests/embed/",
    "examples/embed_caf/",
)
BOOST_ALLOWED = ("net/", "tests/unit/net/")
API_HEADER = "actors/include/actpip/api.hpp"
EMBED_HEADER = "actors/include/actpip/embed.hpp"


def header_layer(path):
    """The layer of an included actpip header ("actpip/net/url.hpp" -> "net"), else None."""
    parts = path.split("/")
    if parts[0] != "actpip" or len(parts) < 2:
        return None
    if path == "actpip/api.hpp":
        return "api"
    if path == "actpip/embed.hpp":
        return "embed"
    return parts[1] if len(parts) > 2 else "?"


def includes(text):
    """(line number, delimiter, path) of each #include outside comments."""
    in_block = False
    for number, line in enumerate(text.splitlines(), 1):
        if in_block:
            end = line.find("*/")
            if end < 0:
                continue
            line, in_block = line[end + 2 :], False
        start = line.find("/*")
        if start >= 0 and "*/" not in line[start:]:
            in_block = True
            line = line[:start]
        match = INCLUDE.match(line)
        if match:
            yield number, match.group(1), match.group(2)


def problems(rel, text):
    """Offences of one file (rel: its path from the source root, with '/')."""
    top = rel.split("/", 1)[0]
    for number, delim, path in includes(text):
        where = f"{rel}:{number}"
        if path.startswith("caf/") and not rel.startswith(CAF_ALLOWED):
            yield f"{where}: includes <{path}>: only actors/ (and its tests) may include CAF"
            continue
        if path.startswith("boost/") and not rel.startswith(BOOST_ALLOWED):
            yield f"{where}: includes <{path}>: only net/ (and its tests) may include Boost"
            continue
        if rel == API_HEADER and (delim != "<" or "/" in path or "." in path):
            yield (f"{where}: includes {path}: actpip/api.hpp is installed alone and may "
                   "include standard headers only")
            continue
        if rel == EMBED_HEADER and not (
            path == "actpip/api.hpp" or path.startswith("caf/")
            or (delim == "<" and "/" not in path and "." not in path)
        ):
            yield (f"{where}: includes {path}: actpip/embed.hpp is installed with api.hpp only "
                   "and may include standard headers, actpip/api.hpp and CAF")
            continue
        layer = header_layer(path)
        if layer is None or top not in ALLOWED:
            continue
        if layer not in ALLOWED[top]:
            shown = ", ".join(SHOWN.get(l, f"actpip/{l}/*") for l in sorted(ALLOWED[top]))
            yield f"{where}: includes {path}: {top}/ may include only {shown} of actpip"


def source_files(root):
    for dirpath, dirnames, filenames in os.walk(root):
        # hidden folders and build trees (anything with a CMakeCache.txt, or build* at the top)
        dirnames[:] = sorted(
            d for d in dirnames
            if not d.startswith(".")
            and not (dirpath == root and d.startswith("build"))
            and not os.path.exists(os.path.join(dirpath, d, "CMakeCache.txt"))
        )
        for name in sorted(filenames):
            if name.endswith(SOURCE_SUFFIXES):
                yield os.path.join(dirpath, name)


# --self-test: a throwaway tree with one offence of each kind (and includes that are fine),
# so that a check that no longer finds anything fails too.
SELF_TEST_TREE = {
    "core/include/actpip/core/a.hpp": '#include "actpip/net/url.hpp"\n#include <string>\n',
    "resolver/src/a.cpp": ('#include "actpip/storage/cache_layout.hpp"\n'
                           '#include "actpip/core/a.hpp"\n'),
    "net/src/a.cpp": '#include <boost/asio.hpp>\n#include "actpip/resolver/solver.hpp"\n',
    "storage/src/a.cpp": ('/* #include <caf/actor.hpp>\n*/\n// #include "actpip/net/url.hpp"\n'
                          '#include "actpip/actors/host_pool.hpp"\n'),
    "actors/src/a.cpp": '#include <caf/all.hpp>\n#include "actpip/net/client.hpp"\n',
    "actors/include/actpip/api.hpp": '#include <vector>\n#include "actpip/core/error.hpp"\n',
    "actors/include/actpip/embed.hpp": ('#include "actpip/api.hpp"\n#include <caf/atom.hpp>\n'
                                        '#include "actpip/actors/fetch_options.hpp"\n'),
    "cli/src/a.cpp": ('#include "actpip/api.hpp"\n#include "actpip/storage/installed.hpp"\n'
                      '#include "actpip/net/client.hpp"\n#include "actpip/embed.hpp"\n'
                      '#include <caf/actor.hpp>\n'),
    "tests/unit/core/a.cpp": '#include <boost/beast.hpp>\n#include <caf/actor.hpp>\n',
    "tests/unit/net/a.cpp": '#include <boost/beast.hpp>\n',
    "examples/embed_install/main.cpp": '#include <actpip/actors/job_setup.hpp>\n',
    "build/CMakeCache.txt": "",
    "build/a.cpp": "#include <caf/all.hpp>\n",
}
SELF_TEST_EXPECTED = [
    "actors/include/actpip/api.hpp:2", "actors/include/actpip/embed.hpp:3",
    "cli/src/a.cpp:3", "cli/src/a.cpp:4", "cli/src/a.cpp:5",
    "core/include/actpip/core/a.hpp:1", "examples/embed_install/main.cpp:1",
    "resolver/src/a.cpp:1", "storage/src/a.cpp:4", "tests/unit/core/a.cpp:1",
    "tests/unit/core/a.cpp:2", "net/src/a.cpp:2",
]


def self_test():
    import tempfile
    with tempfile.TemporaryDirectory() as root:
        for rel, text in SELF_TEST_TREE.items():
            os.makedirs(os.path.dirname(os.path.join(root, rel)), exist_ok=True)
            with open(os.path.join(root, rel), "w", encoding="utf-8") as f:
                f.write(text)
        found = list(check(root)[0])
    where = sorted(line.split(": ", 1)[0] for line in found)
    if where != sorted(SELF_TEST_EXPECTED):
        print("layering self-test: expected offences at", sorted(SELF_TEST_EXPECTED))
        print("found:", *found, sep="\n  ")
        return 1
    print(f"layering self-test: the {len(found)} planted offences are found")
    return 0


def check(root):
    found, checked = [], 0
    for path in source_files(root):
        rel = os.path.relpath(path, root).replace(os.sep, "/")
        with open(path, encoding="utf-8", errors="replace") as f:
            found.extend(problems(rel, f.read()))
        checked += 1
    return found, checked


def main(argv):
    if argv[1:] == ["--self-test"]:
        return self_test()
    if len(argv) != 2:
        print(f"usage: {argv[0]} SOURCE_DIR | --self-test", file=sys.stderr)
        return 2
    root = os.path.abspath(argv[1])
    if not os.path.isdir(os.path.join(root, "core")):
        print(f"layering: {root} is not actpip's source tree", file=sys.stderr)
        return 2
    found, checked = check(root)
    for line in found:
        print(line)
    if found:
        print(f"layering: {len(found)} offending include(s) in {checked} files "
              "(STYLE.md: Layout, and tests/hygiene/check_layering.py)")
        return 1
    print(f"layering: {checked} files, every include keeps the layering")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
