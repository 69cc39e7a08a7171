#!/usr/bin/env python3
"""uv's packse scenarios (../shared/conformance/resolution) through `actpip serve`: each
scenario's install runs with --remote --remote-only against a server started on that
scenario's index, and the number of passing scenarios must equal a direct run's.

usage: packse_remote.py ACTPIP_BINARY   (exit 77 when ../shared is missing)
"""
import json
import os
import re
import shlex
import subprocess
import sys
import tempfile

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
SHARED = os.environ.get("ACTPIP_SHARED") or os.path.join(os.path.dirname(REPO), "shared")
RESOLUTION = os.path.join(SHARED, "conformance", "resolution")
sys.path.insert(0, os.path.join(REPO, "tests", "support"))
from scrub_env import scrubbed  # noqa: E402

DIRECT = ("{actpip} install --python {{python}} --dry-run --report {{report}} --no-cache-dir "
          "--index-url {{index_url}} {{args}} -r {{requirements}}")
# The wrapper starts a server on the scenario's index, installs through it, stops it.
REMOTE = ("{python} {wrapper} {actpip} {{index_url}} -- --python {{python}} --dry-run "
          "--report {{report}} --no-cache-dir --index-url {{index_url}} {{args}} "
          "-r {{requirements}}")


def passed(cases, cmd, env, extra):
    """Runs every scenario with CMD; returns (passed, failed, summary table, failure lines)."""
    out = subprocess.run([sys.executable, os.path.join(RESOLUTION, "run_resolution.py"), cases,
                          "-j", "2", "--cmd", cmd, *extra], capture_output=True, text=True,
                         env=env)
    m = re.search(r"TOTAL\s+(\d+)\s+(\d+)\s+(\d+)", out.stdout)
    if not m:
        sys.exit("run_resolution.py printed no total:\n" + out.stdout + out.stderr)
    return int(m.group(1)), int(m.group(2)), out.stdout, out.stderr


def differing(direct_json, remote_json):
    """The scenarios whose outcome through a server is not the direct one, as pairs."""
    with open(direct_json) as f:
        direct = {r["id"]: r for r in json.load(f)["results"]}
    with open(remote_json) as f:
        remote = {r["id"]: r for r in json.load(f)["results"]}
    return [(direct[i], remote[i]) for i in sorted(direct)
            if i not in remote or direct[i]["status"] != remote[i]["status"]
            or direct[i].get("got") != remote[i].get("got")]


def main():
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    actpip = os.path.abspath(sys.argv[1])
    if not os.path.isdir(RESOLUTION):
        print("SKIP: ../shared is missing (" + RESOLUTION + "): packse through a server not run",
              file=sys.stderr)
        sys.exit(77)
    env = scrubbed()
    with tempfile.TemporaryDirectory(prefix="actpip-packse-remote-") as tmp:
        cases = os.path.join(tmp, "packse")
        subprocess.run([sys.executable, os.path.join(RESOLUTION, "gen_packse.py"), "--out", cases],
                       check=True, stdout=subprocess.DEVNULL, env=env)
        q = shlex.quote
        direct_json = os.path.join(tmp, "direct.json")
        direct_pass, direct_fail, _, _ = passed(cases, DIRECT.format(actpip=q(actpip)), env,
                                                ["--json-out", direct_json])
        wrapper = os.path.join(os.path.dirname(os.path.abspath(__file__)), "install_remote.py")
        remote_json = os.path.join(tmp, "remote.json")
        remote_pass, remote_fail, table, _ = passed(
            cases, REMOTE.format(python=q(sys.executable), wrapper=q(wrapper), actpip=q(actpip)),
            env, ["--json-out", remote_json])
        changed = differing(direct_json, remote_json)
    print("direct: %d passed, %d failed; through a server: %d passed, %d failed"
          % (direct_pass, direct_fail, remote_pass, remote_fail))
    if changed:
        print(table)
        for direct, remote in changed:
            print("%s: direct %s (%s), through a server %s (%s), %s s; its output:\n%s\n"
                  % (direct["id"], direct["status"], direct.get("reason"), remote["status"],
                     remote.get("reason"), remote.get("seconds"), remote.get("output_tail", "")))
        sys.exit(1)


if __name__ == "__main__":
    main()
