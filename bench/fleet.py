#!/usr/bin/env python3
"""A fleet of clients sharing one `actpip serve` (not run by CI).

The corpus (../shared/corpus, served over HTTPS by nginx) behind ../shared/bench/latency-proxy
at --rtt ms is the upstream; one `actpip serve` on loopback in front of it; then, for
--stack (default notebook):
  - lan:    one direct cold install from the index at RTT 0 (the speed of a LAN mirror);
  - lan xN: --clients such installs at once (on one machine they share its cores: context
            for wave 2, whose clients share them too);
  - direct: --clients clients (fresh venv, empty cache) installing directly, all at once;
  - wave 1: --clients fresh clients through the server, all at once (the server is cold);
  - wave 2: --clients more fresh clients through the server (now warm).
It prints, per group, the upstream requests (nginx's access log) and each client's wall time,
checks every environment against stacks.json, and the targets: wave 1 at most one upstream
request per artifact (a direct install's count) and done no later than the direct clients;
wave 2 no upstream request and every client within 1.2x of the lan install.

  python3 bench/fleet.py [--actpip PATH] [--stack notebook] [--clients 8] [--rtt 50] [--keep]
Python 3 standard library only; ../shared is $ACTPIP_SHARED, else <repo>/../shared.
"""
import argparse
import json
import os
import re
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import vs_pip as vp  # noqa: E402  (the corpus server, the latency proxy, venvs, the log)


def run_clients(bench, commands, envs):
    """Starts every command at once; returns [(seconds, rc)] in order."""
    results = [None] * len(commands)

    def one(i):
        out = bench.path("logs", "client") + ".log"
        results[i] = vp.timed(commands[i], envs[i], out)[:2] + (out,)

    threads = [threading.Thread(target=one, args=(i,)) for i in range(len(commands))]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return results


class Fleet:
    def __init__(self, args, bench):
        self.args, self.b = args, bench
        stack = bench.stacks[args.stack]
        self.reqs = stack["requirement"] if isinstance(stack["requirement"], list) else [stack["requirement"]]
        self.want = vp.expected_set(stack)
        self.rows = []

    def client(self, url, remote=None):
        venv = self.b.fresh_venv("actpip")
        cmd = [self.args.actpip, "install", "--python", os.path.join(venv, "bin", "python"), "--index-url", url,
               "--cert", self.b.ca, "--cache-dir", self.b.path("caches", "client"), "-q"]
        if remote:
            cmd += ["--remote", remote, "--remote-only"]
        sp = vp.site_packages(venv)
        return cmd + self.reqs, (sp, set(os.listdir(sp)))

    def group(self, name, url, n, remote=None):
        clients = [self.client(url, remote) for _ in range(n)]
        offset = self.b.access.size()
        results = run_clients(self.b, [c[0] for c in clients], [vp.clean_env(self.b.home, "actpip")] * n)
        upstream = self.b.access.since(offset)
        wrong = 0
        for (sec, rc, out), (_, (sp, baseline)) in zip(results, clients):
            if rc != 0 or vp.installed(sp, baseline) != self.want:
                wrong += 1
                vp.log("%s: a client failed (rc %d) or installed another set; see %s\n%s" % (name, rc, out, vp.tail(out)))
        times = [r[0] for r in results]
        row = {"group": name, "clients": n, "upstream": upstream["requests"], "wrong": wrong,
               "max_s": max(times), "median_s": statistics.median(times), "times": times}
        self.rows.append(row)
        vp.log("%-8s %d clients: upstream %d requests, slowest %.2f s, median %.2f s%s"
               % (name, n, row["upstream"], row["max_s"], row["median_s"], ", %d WRONG" % wrong if wrong else ""))
        return row

    def serve(self, url):
        cache = self.b.path("server", "cache")
        self.server_log = self.b.path("server", "log") + ".log"
        log = open(self.server_log, "w")
        self.server = subprocess.Popen(
            [self.args.actpip, "serve", "--listen", "127.0.0.1:0", "--index-url", url, "--cert", self.b.ca,
             "--cache-dir", cache], stderr=subprocess.PIPE, text=True, env=vp.clean_env(self.b.home, "actpip"))
        for line in self.server.stderr:
            log.write(line)
            m = re.search(r"listening on 127\.0\.0\.1:(\d+)", line)
            if m:
                threading.Thread(target=lambda: [log.write(l) for l in self.server.stderr], daemon=True).start()
                return "127.0.0.1:" + m.group(1)
        raise RuntimeError("actpip serve did not start; see " + self.server_log)

    def run(self):
        a, b = self.args, self.b
        b.serve()
        lan_url = "https://127.0.0.1:%s/simple" % b.ports["HTTPS_PORT"]
        url = b.start_proxy(a.rtt)
        try:
            lan = self.group("lan", lan_url, 1)
            # The same clients at once from the RTT-0 index: on one machine they share its
            # cores, as a fleet's clients (each on its own machine) do not.
            lan_n = self.group("lan x%d" % a.clients, lan_url, a.clients) if a.clients > 1 else lan
            direct = self.group("direct", url, a.clients)
            remote = self.serve(url)
            wave1 = self.group("wave 1", url, a.clients, remote)
            wave2 = self.group("wave 2", url, a.clients, remote)
        finally:
            if getattr(self, "server", None):
                self.server.send_signal(signal.SIGTERM)
                self.server.wait(60)
            b.stop_proxy()
        per_client = direct["upstream"] / max(1, a.clients)
        print()
        print("%-8s %7s %9s %9s %9s %s" % ("group", "clients", "upstream", "slowest", "median", "each client (s)"))
        for r in self.rows:
            print("%-8s %7d %9d %9.2f %9.2f %s%s" % (r["group"], r["clients"], r["upstream"], r["max_s"],
                                                    r["median_s"], " ".join("%.2f" % t for t in r["times"]),
                                                    "  (%d wrong)" % r["wrong"] if r["wrong"] else ""))
        checks = [
            ("wave 1 upstream requests <= one client's direct count (%.0f)" % per_client,
             wave1["upstream"] <= per_client, "%d" % wave1["upstream"]),
            ("wave 1 done no later than the direct clients (%.2f s)" % direct["max_s"],
             wave1["max_s"] <= direct["max_s"], "%.2f s" % wave1["max_s"]),
            ("wave 2 upstream requests == 0", wave2["upstream"] == 0, "%d" % wave2["upstream"]),
            ("wave 2 every client within 1.2x of lan (%.2f s)" % lan["max_s"],
             wave2["max_s"] <= 1.2 * lan["max_s"], "%.2f s (%.2fx)" % (wave2["max_s"], wave2["max_s"] / lan["max_s"])),
            ("every environment is stacks.json's", all(r["wrong"] == 0 for r in self.rows), ""),
        ]
        # Not a target: the one above with this machine's cores shared as in wave 2.
        context = ("wave 2 within 1.2x of lan x%d, as many clients at once (%.2f s)" % (a.clients, lan_n["max_s"]),
                   wave2["max_s"] <= 1.2 * lan_n["max_s"], "%.2f s (%.2fx)" % (wave2["max_s"], wave2["max_s"] / lan_n["max_s"]))
        print("\ntargets (%s, %d clients, %g ms RTT):" % (a.stack, a.clients, a.rtt))
        for what, ok, got in checks:
            print("  %-62s %-16s %s" % (what, got, "PASS" if ok else "MISS"))
        if a.clients > 1:
            what, ok, got = context
            print("context (this machine's cores are shared by all clients, a fleet's are not):")
            print("  %-62s %-16s %s" % (what, got, "yes" if ok else "no"))
        return all(ok for _, ok, _ in checks)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--actpip", default=os.path.join(vp.REPO, "build", "cli", "actpip"))
    ap.add_argument("--stack", default="notebook")
    ap.add_argument("--clients", type=int, default=8)
    ap.add_argument("--rtt", type=float, default=50)
    ap.add_argument("--python", default=sys.executable)
    ap.add_argument("--json-out")
    ap.add_argument("--keep", action="store_true")
    args = ap.parse_args()
    args.actpip = os.path.abspath(args.actpip)
    args.pip_only, args.actpip_only = False, True
    with open(os.path.join(vp.SHARED, "corpus", "stacks.json")) as f:
        stacks = json.load(f)
    if args.stack not in stacks:
        ap.error("unknown stack %s" % args.stack)
    work = tempfile.mkdtemp(prefix="actpip-fleet.")
    bench = vp.Bench(args, stacks, work)
    fleet = Fleet(args, bench)
    try:
        ok = fleet.run()
    finally:
        bench.unserve()
        if args.keep:
            vp.log("kept %s" % work)
        else:
            shutil.rmtree(work, ignore_errors=True)
    if args.json_out:
        with open(args.json_out, "w") as f:
            json.dump({"stack": args.stack, "clients": args.clients, "rtt": args.rtt, "rows": fleet.rows}, f, indent=1)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
