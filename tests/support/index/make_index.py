#!/usr/bin/env python3
"""For tests/unit/actors until they migrate: their `make_index.py WWW SPEC.json` is
scripts/make_index.py --spec SPEC.json WWW, the one index generator (support/index.hpp runs it
from C++)."""
import os
import sys

if len(sys.argv) != 3:
    sys.exit("usage: make_index.py WWW SPEC.json")
tool = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "..", "scripts",
                    "make_index.py")
os.execv(sys.executable, [sys.executable, tool, "--spec", sys.argv[2], sys.argv[1]])
