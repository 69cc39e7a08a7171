#!/usr/bin/env python3
"""actpip against pip on the real-wheel corpus, over HTTPS behind a latency proxy (not run by CI).

Lays out ../shared/corpus as a PyPI-like index under a temporary directory, serves it with nginx
(../shared/corpus/serve) on loopback, puts ../shared/bench/latency-proxy in front of it at each
RTT, and runs `actpip install` and `python -m pip install` alternately into fresh venvs for each
stack of stacks.json: cold (empty cache) and warm (cache filled by the same tool's previous run,
fresh venv). Prints medians, request counts from nginx's access log, actpip's ratio to the
critical-path bound (cold) or to `cp -al` of the installed files (warm), and peak memory.

  python3 bench/vs_pip.py [--actpip PATH] [--stacks notebook,requests] [--rtt 0,50] [--runs 3]
                          [--modes cold,warm,noop,stale] [--oracle] [--json-out FILE] [--pip-only] [--keep]
Python 3 standard library only. ../shared is $ACTPIP_SHARED, else <repo>/../shared.
"""
import argparse, glob, json, os, re, shutil, signal, socket, statistics, subprocess, sys, tempfile
import threading, time

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SHARED = os.environ.get("ACTPIP_SHARED") or os.path.join(os.path.dirname(REPO), "shared")
TIMEOUT_S = 900

# Targets from the project issue: notebook stack at 50 ms RTT.
TARGET_STACK, TARGET_RTT = "notebook", 50
TARGET_COLD_VS_BOUND, TARGET_WARM_VS_CPAL, TARGET_PEAK_MB = 1.15, 1.2, 64.0
TARGET_NOOP_MS = 20.0


def norm(name):
    return re.sub(r"[-_.]+", "-", name).lower()


def log(msg):
    print(msg, file=sys.stderr, flush=True)


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_port(port, timeout=10.0):
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return True
        except OSError:
            time.sleep(0.05)
    return False


def clean_env(home, tool):
    """A child environment without the caller's pip/actpip/venv/TLS/proxy/Python settings."""
    keep = ("PATH", "LANG", "LANGUAGE", "TERM", "TZ", "USER", "LOGNAME", "SHELL", "TMPDIR")
    env = {k: v for k, v in os.environ.items() if k in keep or k.startswith("LC_")}
    env["HOME"] = home                    # no ~/.config/pip, ~/.netrc, ~/.cache of the caller
    env["XDG_CACHE_HOME"] = os.path.join(home, ".cache")
    env["XDG_CONFIG_HOME"] = os.path.join(home, ".config")
    if tool == "pip":
        env["PIP_DISABLE_PIP_VERSION_CHECK"] = "1"
        env["PIP_CONFIG_FILE"] = os.devnull  # no pip.conf at all
        env["PIP_NO_INPUT"] = "1"
    return env


def timed(cmd, env, out_path, cwd=None):
    """Runs cmd; returns (seconds, exit code, peak RSS in KiB of the child and its descendants)."""
    with open(out_path, "wb") as out:
        t0 = time.perf_counter()
        p = subprocess.Popen(cmd, env=env, cwd=cwd, stdin=subprocess.DEVNULL, stdout=out, stderr=subprocess.STDOUT)
        killer = threading.Timer(TIMEOUT_S, p.kill)
        killer.start()
        try:
            _, status, ru = os.wait4(p.pid, 0)
        except BaseException:
            p.kill()
            p.wait()
            raise
        finally:
            killer.cancel()
        dt = time.perf_counter() - t0
        p.returncode = os.waitstatus_to_exitcode(status)
    return dt, p.returncode, ru.ru_maxrss


def tail(path, n=15):
    try:
        with open(path, errors="replace") as f:
            return "".join(f.readlines()[-n:])
    except OSError:
        return ""


class AccessLog:
    LINE = re.compile(r'"(?P<req>[^"]*)" (?P<status>\d{3}) (?P<bytes>\d+) .* conn=(?P<conn>\d+) ')

    def __init__(self, path):
        self.path = path

    def size(self):
        try:
            return os.path.getsize(self.path)
        except OSError:
            return 0

    def since(self, offset):
        """Lines appended since offset, once nginx has stopped writing (it logs when a request ends)."""
        last, still = self.size(), 0
        for _ in range(60):
            time.sleep(0.05)
            now = self.size()
            still = still + 1 if now == last else 0
            last = now
            if still >= 4:
                break
        with open(self.path, "rb") as f:
            f.seek(offset)
            lines = f.read().decode(errors="replace").splitlines()
        statuses, conns, nbytes = {}, set(), 0
        for line in lines:
            m = self.LINE.search(line)
            if not m:
                continue
            statuses[m["status"]] = statuses.get(m["status"], 0) + 1
            conns.add(m["conn"])
            nbytes += int(m["bytes"])
        return {"requests": len(lines), "statuses": statuses, "connections": len(conns), "bytes": nbytes}


def site_packages(venv):
    sp = glob.glob(os.path.join(venv, "lib", "python3*", "site-packages"))
    if len(sp) != 1:
        raise RuntimeError("no single site-packages in %s" % venv)
    return sp[0]


def installed(sp, baseline):
    """{normalized name: version} of the distributions that are new in site-packages."""
    out = {}
    for e in os.listdir(sp):
        if e in baseline or not e.endswith(".dist-info"):
            continue
        name, _, version = e[: -len(".dist-info")].partition("-")
        out[norm(name)] = version
    return out


def expected_set(stack):
    out = {}
    for w in stack.get("wheels_pip_installs_on_cpython311", []):
        name, version = w.split("-")[:2]
        out[norm(name)] = version
    return out


def bound_s(stack, rtt_ms):
    """Critical-path bound: (TCP + TLS setup = 2 RTT) + depth x 2 RTT + last download round (1 RTT)
    + transfer; the transfer term is what stacks.json's 50 ms bound leaves after the round trips."""
    rounds = 3 + 2 * stack["depth"]
    transfer = max(0.0, stack["lower_bound_s_at_50ms_rtt"] - rounds * 0.050)
    return rounds * rtt_ms / 1000.0 + transfer


class Bench:
    def __init__(self, args, stacks, work):
        self.args, self.stacks, self.work = args, stacks, work
        self.python = os.path.realpath(args.python)
        self.home = os.path.join(work, "home")
        os.makedirs(self.home, exist_ok=True)
        self.index_dir = os.path.join(work, "index")
        self.ports = {"HTTP_PORT": str(free_port()), "HTTPS_PORT": str(free_port())}
        self.served = False
        self.proxy = None
        self.seq = 0
        self.rows = []  # finished cells, reported even after Ctrl-C
        self.graveyard = []  # venvs and caches done with: removed with the directory, at the end
        self.tools = ["pip"] if args.pip_only else ["actpip"] if args.actpip_only else ["actpip", "pip"]

    def path(self, *parts):
        self.seq += 1
        p = os.path.join(self.work, *parts[:-1], "%s-%04d" % (parts[-1], self.seq))
        os.makedirs(os.path.dirname(p), exist_ok=True)
        return p

    # servers -------------------------------------------------------------------------------------
    def serve(self):
        env = dict(os.environ, **self.ports)
        self.served = True
        subprocess.run(["bash", os.path.join(SHARED, "corpus", "serve"), "start", self.index_dir], env=env, check=True,
                       stdout=subprocess.DEVNULL)
        self.ca = os.path.join(self.index_dir, "certs", "ca.pem")
        self.access = AccessLog(os.path.join(self.index_dir, "run", "access.log"))
        if not wait_port(int(self.ports["HTTPS_PORT"])):
            raise RuntimeError("nginx does not listen on %s" % self.ports["HTTPS_PORT"])

    def unserve(self):
        if self.served:
            subprocess.run(["bash", os.path.join(SHARED, "corpus", "serve"), "stop", self.index_dir],
                           env=dict(os.environ, **self.ports), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            self.served = False

    def start_proxy(self, rtt):
        port = free_port()
        self.proxy = subprocess.Popen(
            [sys.executable, os.path.join(SHARED, "bench", "latency-proxy"), "--listen", str(port),
             "--target", self.ports["HTTPS_PORT"], "--rtt-ms", str(rtt)],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
        if not wait_port(port):
            raise RuntimeError("latency-proxy does not listen on %d" % port)
        # The probe connection of wait_port is logged by nothing (no request); fine.
        return "https://127.0.0.1:%d/simple" % port

    def stop_proxy(self):
        if self.proxy and self.proxy.poll() is None:
            self.proxy.terminate()
            try:
                self.proxy.wait(5)
            except subprocess.TimeoutExpired:
                self.proxy.kill()
                self.proxy.wait()
        self.proxy = None

    # venvs ---------------------------------------------------------------------------------------
    def make_pip_template(self):
        self.pip_template = os.path.join(self.work, "pip-venv-template")
        subprocess.run([self.python, "-m", "venv", self.pip_template], env=clean_env(self.home, "pip"), check=True)
        out = subprocess.run([os.path.join(self.pip_template, "bin", "python"), "-m", "pip", "--version"],
                             env=clean_env(self.home, "pip"), check=True, capture_output=True, text=True).stdout
        self.pip_version = out.split()[1] if out else "?"

    def fresh_venv(self, tool):
        v = self.path("venvs", tool)
        if tool == "pip":
            # a copy of a `python -m venv` made once (ensurepip takes seconds): the same files; its
            # python finds pyvenv.cfg beside itself, so the copy is a venv at its new place.
            subprocess.run(["cp", "-a", self.pip_template, v], check=True)
        else:
            subprocess.run([self.python, "-m", "venv", "--without-pip", v], env=clean_env(self.home, tool), check=True)
        return v

    # one install ---------------------------------------------------------------------------------
    def command(self, tool, venv, url, cache, reqs, stale=False):
        py = os.path.join(venv, "bin", "python")
        if tool == "pip":
            # pip revalidates every index page on any run (it asks with max-age=0): its stale run
            # is its warm run.
            return [py, "-m", "pip", "install", "--index-url", url, "--cert", self.ca, "--cache-dir", cache, "-q"] + reqs
        # --refresh: every cached page is revalidated, as when all are past max-age. The
        # timeline (--progress json) goes to the run's log.
        return [self.args.actpip, "install", "--python", py, "--index-url", url, "--cert", self.ca,
                "--cache-dir", cache, "--progress", "json"] + (["--refresh"] if stale else []) + reqs

    def install(self, tool, stack_name, url, cache, floor=False, noop=False, stale=False):
        stack = self.stacks[stack_name]
        reqs = stack["requirement"] if isinstance(stack["requirement"], list) else [stack["requirement"]]
        venv = self.fresh_venv(tool)
        sp = site_packages(venv)
        baseline = set(os.listdir(sp))
        offset = self.access.size()
        out = self.path("logs", "%s-%s" % (tool, stack_name)) + ".log"
        dt, rc, rss = timed(self.command(tool, venv, url, cache, reqs, stale), clean_env(self.home, tool), out)
        r = {"seconds": dt, "rc": rc, "peak_mb": rss / 1024.0}
        r.update(self.access.since(offset))
        r["timeline"] = timeline(out) if tool == "actpip" else {}
        got, want = installed(sp, baseline), expected_set(stack)
        r["packages"] = len(got)
        r["missing"] = sorted("%s==%s" % (n, v) for n, v in want.items() if got.get(n) != v)
        r["extra"] = sorted("%s==%s" % (n, v) for n, v in got.items() if want.get(n) != v)
        if rc != 0:
            log("  %s %s failed (exit %d); last lines of %s:\n%s" % (tool, stack_name, rc, out, tail(out)))
        elif r["missing"] or r["extra"]:
            log("  %s %s: installed set differs from stacks.json: missing %s, extra %s"
                % (tool, stack_name, r["missing"], r["extra"]))
        if floor and rc == 0:
            r["cp_al"] = self.cp_al(sp, [e for e in os.listdir(sp) if e not in baseline])
        if noop and rc == 0:  # the same command again in the same venv: nothing to do
            offset = self.access.size()
            dt, nrc, nrss = timed(self.command(tool, venv, url, cache, reqs), clean_env(self.home, tool),
                                  out + ".noop")
            n = {"seconds": dt, "rc": nrc, "peak_mb": nrss / 1024.0, "missing": [], "extra": [],
                 "packages": len(got)}
            n.update(self.access.since(offset))
            r["noop"] = n
        self.discard(venv)
        return r

    def cp_al(self, sp, entries):
        """Median of 3 `cp -al` of the installed entries into a fresh dir: this filesystem's per-file floor."""
        times = []
        for _ in range(3):
            dest = self.path("cpal", "d")
            os.makedirs(dest)
            dt, rc, _ = timed(["cp", "-al"] + [os.path.join(sp, e) for e in sorted(entries)] + [dest],
                              None, os.devnull)
            if rc == 0:
                times.append(dt)
            self.discard(dest)
        return statistics.median(times) if times else None

    def discard(self, path):
        """Deleted at the end, not now: on ext4 a file created within minutes of many deletions
        costs several times more (the inode allocator skips recently deleted inodes), so a run
        right after the previous run's rm -rf pays for it. Measured here: `cp -al` of the same
        tree 0.08 s on a quiet disk, 0.27-0.44 s right after the previous runs' deletions."""
        self.graveyard.append(path)

    # one cell: a stack at an RTT, all runs of both modes -----------------------------------------
    def cell(self, stack_name, rtt, url):
        modes, runs = self.args.modes, self.args.runs
        res = {t: {m: [] for m in modes} for t in self.tools}
        floor_tool = self.tools[0]
        for i in range(runs):
            for tool in (self.tools if i % 2 == 0 else self.tools[::-1]):
                cache = self.path("caches", tool)
                os.makedirs(cache)
                r = self.install(tool, stack_name, url, cache, floor=False)
                log("  run %d %-6s cold %7.3f s  %3d requests  %5.1f MB%s" % (
                    i + 1, tool, r["seconds"], r["requests"], r["peak_mb"], "" if "cold" in modes else " (fill)"))
                if "cold" in modes:
                    res[tool]["cold"].append(r)
                if ("warm" in modes or "noop" in modes) and r["rc"] == 0:
                    r = self.install(tool, stack_name, url, cache, floor=(tool == floor_tool),
                                     noop="noop" in modes)
                    log("  run %d %-6s warm %7.3f s  %3d requests  %5.1f MB%s" % (
                        i + 1, tool, r["seconds"], r["requests"], r["peak_mb"],
                        "  cp -al %.3f s" % r["cp_al"] if r.get("cp_al") is not None else ""))
                    if "warm" in modes:
                        res[tool]["warm"].append(r)
                    if "noop" in r:
                        n = r["noop"]
                        log("  run %d %-6s noop %7.3f s  %3d requests  %5.1f MB" % (
                            i + 1, tool, n["seconds"], n["requests"], n["peak_mb"]))
                        res[tool]["noop"].append(n)
                if "stale" in modes and r["rc"] == 0:
                    r = self.install(tool, stack_name, url, cache, stale=True)
                    log("  run %d %-6s stale %6.3f s  %3d requests (%d not modified)  %5.1f MB" % (
                        i + 1, tool, r["seconds"], r["requests"], r["statuses"].get("304", 0), r["peak_mb"]))
                    res[tool]["stale"].append(r)
                self.discard(cache)
        rows = []
        for mode in modes:
            row = {"stack": stack_name, "rtt_ms": rtt, "mode": mode, "runs": {t: res[t][mode] for t in self.tools}}
            for t in self.tools:
                ok = [r for r in res[t][mode] if r["rc"] == 0]
                row[t] = None if not ok else {
                    "seconds": statistics.median(r["seconds"] for r in ok),
                    "requests": statistics.median(r["requests"] for r in ok),
                    "not_modified": statistics.median(r["statuses"].get("304", 0) for r in ok),
                    "peak_mb": max(r["peak_mb"] for r in ok),
                    "failed": len(res[t][mode]) - len(ok),
                    "set_differs": any(r["missing"] or r["extra"] for r in ok),
                }
                marks = [r.get("timeline") or {} for r in ok]
                for k in ("resolved", "last_byte", "installed"):
                    ts = [m[k] for m in marks if m.get(k) is not None]
                    if row[t] is not None and ts:
                        row[t][k] = statistics.median(ts)
            if mode == "cold":
                row["floor_s"] = bound_s(self.stacks[stack_name], rtt)
                row["floor_kind"] = "bound"
                row["oracle_s"] = self.oracle(stack_name, rtt) if self.args.oracle and rtt > 0 else None
            elif mode in ("noop", "stale"):
                row["floor_s"] = None
                row["floor_kind"] = "-"
            else:
                f = [r["cp_al"] for r in res[floor_tool][mode] if r.get("cp_al") is not None]
                row["floor_s"] = statistics.median(f) if f else None
                row["floor_kind"] = "cp -al (%s venv)" % floor_tool
            rows.append(row)
        return rows

    def oracle(self, stack_name, rtt):
        """oracle-crawl for the stack at this RTT, now (the same machine state): its median."""
        out = subprocess.run([sys.executable, os.path.join(SHARED, "bench", "oracle-crawl"), "--stacks", stack_name,
                              "--rtt", str(rtt), "--reps", "3", "--pipelined", "--conns", "32"],
                             capture_output=True, text=True, timeout=TIMEOUT_S)
        for line in out.stdout.splitlines():
            if line.startswith("{"):
                s = json.loads(line)["median_s"]
                log("  oracle-crawl %s at %g ms: %.3f s" % (stack_name, rtt, s))
                return s
        log("  oracle-crawl failed: %s" % out.stderr[-500:])
        return None

    def run(self):
        log("serving the corpus from %s (ports %s)" % (self.index_dir, self.ports))
        self.serve()
        if "pip" in self.tools:
            self.make_pip_template()
            log("pip %s in %s" % (self.pip_version, self.python))
        for rtt in self.args.rtt:
            url = self.start_proxy(rtt)
            try:
                for name in self.args.stacks:
                    log("%s at %g ms RTT (%s)" % (name, rtt, url))
                    self.rows += self.cell(name, rtt, url)
            finally:
                self.stop_proxy()


def timeline(log_path):
    """From actpip's --progress json: resolution final, last byte of the last wheel, install end."""
    marks = {}
    try:
        with open(log_path, errors="replace") as f:
            for line in f:
                if not line.startswith('{"event"'):
                    continue
                try:
                    e = json.loads(line)
                except ValueError:
                    continue
                k = {"resolved": "resolved", "download_finished": "last_byte", "installed": "installed"}.get(e["event"])
                if k:
                    marks[k] = max(marks.get(k, 0.0), e["t"])
    except OSError:
        pass
    return marks


def fmt(x, spec, missing="-"):
    return missing if x is None else format(x, spec)


def report(rows, tools):
    hdr = "%-9s %4s %-4s %9s %8s %8s %10s %8s %9s %7s %7s" % (
        "stack", "rtt", "mode", "actpip s", "pip s", "pip/act", "req a/p", "floor s", "act/floor", "act MB", "pip MB")
    print(hdr)
    print("-" * len(hdr))
    for r in rows:
        a, p = r.get("actpip"), r.get("pip")
        ratio = p["seconds"] / a["seconds"] if a and p else None
        vs = a["seconds"] / r["floor_s"] if a and r["floor_s"] else None
        req = "%s/%s" % (fmt(a and a["requests"], ".0f"), fmt(p and p["requests"], ".0f"))
        flag = " !" if any(x and (x["failed"] or x["set_differs"]) for x in (a, p)) else ""
        print("%-9s %4g %-4s %9s %8s %8s %10s %8s %9s %7s %7s%s" % (
            r["stack"], r["rtt_ms"], r["mode"], fmt(a and a["seconds"], ".3f"), fmt(p and p["seconds"], ".2f"),
            fmt(ratio, ".1f") + ("x" if ratio else ""), req, fmt(r["floor_s"], ".3f"),
            fmt(vs, ".2f") + ("x" if vs else ""), fmt(a and a["peak_mb"], ".1f"), fmt(p and p["peak_mb"], ".1f"), flag))
    print("(floor: cold = critical-path bound, warm = cp -al of the installed files; "
          "'!' = a run failed or installed another set than stacks.json, see stderr)")
    lines = [r for r in rows if r.get("actpip") and r["actpip"].get("resolved") is not None]
    if lines:
        print("actpip's timeline (medians, seconds from its start): resolution final, last byte, installed"
              "; oracle-crawl in the same run")
        for r in lines:
            a = r["actpip"]
            print("  %-9s %4g %-5s resolved %6s  last byte %6s  installed %6s  oracle %6s" % (
                r["stack"], r["rtt_ms"], r["mode"], fmt(a.get("resolved"), ".3f"), fmt(a.get("last_byte"), ".3f"),
                fmt(a.get("installed"), ".3f"), fmt(r.get("oracle_s"), ".3f")))
    cells = {(r["stack"], r["rtt_ms"], r["mode"]): r for r in rows}
    cold, warm = cells.get((TARGET_STACK, TARGET_RTT, "cold")), cells.get((TARGET_STACK, TARGET_RTT, "warm"))
    if "actpip" not in tools or not (cold or warm):
        print("targets (%s at %d ms): not measured (needs actpip and that cell)" % (TARGET_STACK, TARGET_RTT))
        return None
    verdicts = []

    def check(what, value, limit, ok, unit=""):
        if value is None:
            verdicts.append(None)
            print("  %-34s not measured" % what)
            return
        margin = (limit - value) / limit * 100 if limit else 0.0
        verdicts.append(ok)
        print("  %-34s %8.3f%s vs %g%s  %s (margin %+.0f%%)" % (what, value, unit, limit, unit,
                                                               "PASS" if ok else "MISS", margin))

    print("targets (%s at %d ms RTT):" % (TARGET_STACK, TARGET_RTT))
    if cold:
        a = cold.get("actpip")
        v = a and a["seconds"] / cold["floor_s"]
        check("cold actpip / bound (%.3f s)" % cold["floor_s"], v, TARGET_COLD_VS_BOUND,
              v is not None and v <= TARGET_COLD_VS_BOUND, "x")
    if warm:
        a = warm.get("actpip")
        v = a and warm["floor_s"] and a["seconds"] / warm["floor_s"]
        check("warm actpip / cp -al (%s s)" % fmt(warm["floor_s"], ".3f"), v or None, TARGET_WARM_VS_CPAL,
              v is not None and v <= TARGET_WARM_VS_CPAL, "x")
        n = a and a["requests"]
        verdicts.append(n == 0 if n is not None else None)
        print("  %-34s %8s vs 0  %s" % ("warm actpip requests (pages fresh)", fmt(n, ".0f"),
                                        "-" if n is None else ("PASS" if n == 0 else "MISS")))
    noop, stale = cells.get((TARGET_STACK, TARGET_RTT, "noop")), cells.get((TARGET_STACK, TARGET_RTT, "stale"))
    if noop:
        a = noop.get("actpip")
        v = a and a["seconds"] * 1000
        check("no-op actpip", v, TARGET_NOOP_MS, v is not None and v <= TARGET_NOOP_MS, " ms")
    if stale and warm and warm.get("actpip"):
        a = stale.get("actpip")
        limit = TARGET_RTT / 1000.0 + warm["actpip"]["seconds"] + 0.1
        v = a and a["seconds"]
        check("stale actpip (1 RTT + warm + 0.1 s)", v, round(limit, 3), v is not None and v <= limit, " s")
    peaks = [c["actpip"]["peak_mb"] for c in (cold, warm, noop, stale) if c and c.get("actpip")]
    check("actpip peak memory", max(peaks) if peaks else None, TARGET_PEAK_MB,
          bool(peaks) and max(peaks) < TARGET_PEAK_MB, " MB")
    return all(verdicts) if verdicts and None not in verdicts else None


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    default_actpip = os.path.join(REPO, "build-rel", "cli", "actpip")
    if not os.path.exists(default_actpip):
        default_actpip = os.path.join(REPO, "build", "cli", "actpip")
    ap.add_argument("--actpip", default=default_actpip, help="actpip binary (default %(default)s)")
    ap.add_argument("--stacks", help="comma-separated stacks of stacks.json (default: all)")
    ap.add_argument("--rtt", default="0,50", help="comma-separated RTTs in ms (default %(default)s)")
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--modes", default="cold,warm")
    ap.add_argument("--json-out", help="write every run and the medians here")
    ap.add_argument("--pip-only", action="store_true", help="measure pip alone (no actpip binary needed)")
    ap.add_argument("--actpip-only", action="store_true", help="measure actpip alone (quick iterations; no ratio)")
    ap.add_argument("--python", default=sys.executable, help="interpreter for the venvs (default %(default)s)")
    ap.add_argument("--keep", action="store_true", help="keep the temporary directory")
    ap.add_argument("--oracle", action="store_true",
                    help="run ../shared/bench/oracle-crawl (pipelined, 32 connections) for each cold cell, in the same run")
    args = ap.parse_args()

    with open(os.path.join(SHARED, "corpus", "stacks.json")) as f:
        stacks = json.load(f)
    args.stacks = args.stacks.split(",") if args.stacks else list(stacks)
    unknown = [s for s in args.stacks if s not in stacks]
    if unknown:
        ap.error("unknown stacks %s (have %s)" % (unknown, ", ".join(stacks)))
    args.rtt = [float(x) for x in args.rtt.split(",")]
    args.modes = [m for m in ("cold", "warm", "noop", "stale") if m in args.modes.split(",")]
    if not args.modes or args.runs < 1:
        ap.error("need --modes among cold,warm,noop,stale and --runs >= 1")
    if not args.pip_only:
        args.actpip = os.path.abspath(args.actpip)
        if not os.access(args.actpip, os.X_OK):
            ap.error("no actpip binary at %s (build it, pass --actpip, or use --pip-only)" % args.actpip)
    pyver = subprocess.run([args.python, "-c", "import sys; print('%d.%d' % sys.version_info[:2])"],
                           capture_output=True, text=True).stdout.strip()
    if pyver != "3.11":
        log("warning: %s is Python %s; stacks.json's installed sets are for CPython 3.11" % (args.python, pyver))

    def on_term(*_):
        raise KeyboardInterrupt
    signal.signal(signal.SIGTERM, on_term)
    signal.signal(signal.SIGINT, signal.default_int_handler)  # also when started in the background

    work = tempfile.mkdtemp(prefix="actpip-vs-pip.")
    bench = Bench(args, stacks, work)
    try:
        bench.run()
    except KeyboardInterrupt:
        log("interrupted: reporting the cells that finished")
    finally:
        bench.stop_proxy()
        bench.unserve()
        if args.keep:
            log("kept %s" % work)
        else:
            shutil.rmtree(work, ignore_errors=True)
    rows = bench.rows
    if not rows:
        return 1
    verdict = report(rows, bench.tools)
    if args.json_out:
        with open(args.json_out, "w") as f:
            json.dump({"actpip": None if args.pip_only else args.actpip, "pip": getattr(bench, "pip_version", None),
                       "python": os.path.realpath(args.python), "runs": args.runs, "rows": rows,
                       "targets_met": verdict}, f, indent=1)
    return 0


if __name__ == "__main__":
    sys.exit(main())
