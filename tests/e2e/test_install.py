#!/usr/bin/env python3
"""End-to-end tests of `actpip install` / `download` through the real binary.

The index is laid out from the repository's demo wheels (scripts/make_index.py) and served
by nginx on loopback (scripts/serve_index.sh), or read as a file:// index. Every test
installs into fresh virtual environments and checks what Python then sees.

usage: ACTPIP_BINARY=build/cli/actpip python3 tests/e2e/test_install.py [-v]
"""
import hashlib
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
import unittest
import http.server
import socketserver

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
ACTPIP = os.environ.get("ACTPIP_BINARY", os.path.join(REPO, "build", "cli", "actpip"))
WHEELS = os.path.join(REPO, "demo", "wheels")
MAKE_INDEX = os.path.join(REPO, "scripts", "make_index.py")
SERVE_INDEX = os.path.join(REPO, "scripts", "serve_index.sh")

sys.path.insert(0, os.path.join(REPO, "tests", "support"))
from scrub_env import scrubbed  # noqa: E402


def read(path, mode="r"):
    with open(path, mode) as f:
        return f.read()


def clean_env(**extra):
    """This machine's pip/actpip settings, TLS and proxy variables must not leak into the
    tests; ASAN_OPTIONS & co. pass through: a sanitizer report exits 86, never a plausible 1."""
    return scrubbed(**extra)


class Index:
    """The demo index, laid out once and served by nginx for the whole run."""

    def __init__(self):
        self.root = tempfile.mkdtemp(prefix="actpip-e2e-index-")
        self.www = os.path.join(self.root, "www")
        subprocess.run([sys.executable, MAKE_INDEX, self.www, WHEELS], check=True,
                       stdout=subprocess.DEVNULL)
        out = subprocess.run(["bash", SERVE_INDEX, "start", self.root], check=True,
                             capture_output=True, text=True)
        self.base = out.stdout.strip().splitlines()[-1]
        self.url = self.base + "/simple"
        self.file_url = "file://" + os.path.join(self.www, "simple")
        self.log = os.path.join(self.root, "access.log")

    def requests_so_far(self):
        with open(self.log) as f:
            return sum(1 for _ in f)

    def stop(self):
        subprocess.run(["bash", SERVE_INDEX, "stop", self.root], capture_output=True)
        shutil.rmtree(self.root, ignore_errors=True)


INDEX = None


def setUpModule():
    global INDEX
    if not os.access(ACTPIP, os.X_OK):
        raise unittest.SkipTest("no actpip binary at " + ACTPIP)
    INDEX = Index()


def tearDownModule():
    if INDEX:
        INDEX.stop()


class Base(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.mkdtemp(prefix="actpip-e2e-")
        self.cache = os.path.join(self.tmp, "cache")

    def tearDown(self):
        shutil.rmtree(self.tmp, ignore_errors=True)

    def venv(self, name="venv"):
        path = os.path.join(self.tmp, name)
        subprocess.run([sys.executable, "-m", "venv", "--without-pip", path], check=True)
        return path

    def actpip(self, *args, env=None, check=None, timeout=120):
        r = subprocess.run([ACTPIP, *args], capture_output=True, text=True,
                           env=env or clean_env(), timeout=timeout)
        if check is not None:
            self.assertEqual(r.returncode, check, f"actpip {' '.join(args)}\nstdout:\n{r.stdout}"
                             f"\nstderr:\n{r.stderr}")
        return r

    def install(self, venv, *args, check=0, index=None, **kw):
        return self.actpip("install", "--python", os.path.join(venv, "bin", "python"),
                           "--index-url", index or INDEX.url, "--cache-dir", self.cache,
                           *args, check=check, **kw)

    def python(self, venv, code):
        return subprocess.run([os.path.join(venv, "bin", "python"), "-c", code],
                              capture_output=True, text=True, env=clean_env())

    def site_packages(self, venv):
        out = self.python(venv, "import sysconfig; print(sysconfig.get_paths()['purelib'])")
        return out.stdout.strip()

    def snapshot(self, venv):
        files = []
        for root, dirs, names in os.walk(venv):
            for n in names + dirs:
                files.append(os.path.relpath(os.path.join(root, n), venv))
        return sorted(files)



class InstallTest(Base):
    # --- installs -------------------------------------------------------------------------

    def test_installs_two_real_trees_from_nginx_and_they_import(self):
        v = self.venv()
        r = self.install(v, "requests", "flask")
        self.assertIn("+ requests==2.32.3", r.stderr)
        self.assertIn("Installed 12 packages", r.stderr)
        out = self.python(v, "import requests, flask, jinja2, markupsafe; print(requests.__version__)")
        self.assertEqual(out.returncode, 0, out.stderr)
        self.assertEqual(out.stdout.strip(), "2.32.3")
        # pip sees a consistent environment, installed by actpip
        freeze = self.actpip("freeze", "--python", os.path.join(v, "bin", "python"), check=0)
        self.assertIn("idna==3.10", freeze.stdout)
        installer = os.path.join(self.site_packages(v), "requests-2.32.3.dist-info", "INSTALLER")
        self.assertEqual(read(installer).strip(), "actpip")

    def test_warm_cache_installs_a_fresh_venv_without_any_request(self):
        self.install(self.venv("a"), "requests")
        before = INDEX.requests_so_far()
        v = self.venv("b")
        self.install(v, "requests")
        self.assertEqual(INDEX.requests_so_far(), before, "fresh cached pages cost no request")
        self.assertEqual(self.python(v, "import requests").returncode, 0)

    def test_installs_from_a_file_index(self):
        v = self.venv()
        self.install(v, "flask", index=INDEX.file_url)
        self.assertEqual(self.python(v, "import flask, click").returncode, 0)

    def test_find_links_directory_with_no_index(self):
        v = self.venv()
        self.actpip("install", "--python", os.path.join(v, "bin", "python"), "--no-index",
                    "--find-links", WHEELS, "--cache-dir", self.cache, "click==8.1.3", check=0)
        out = self.python(v, "import importlib.metadata as m; print(m.version('click'))")
        self.assertEqual(out.stdout.strip(), "8.1.3")

    def test_local_wheel_file_and_name_at_url(self):
        v = self.venv()
        wheel = os.path.join(WHEELS, "idna-3.3-py3-none-any.whl")
        self.install(v, wheel, "blinker @ file://" + os.path.join(WHEELS, "blinker-1.9.0-py3-none-any.whl"))
        out = self.python(v, "import importlib.metadata as m; print(m.version('idna'), m.version('blinker'))")
        self.assertEqual(out.stdout.split(), ["3.3", "1.9.0"])
        direct = os.path.join(self.site_packages(v), "blinker-1.9.0.dist-info", "direct_url.json")
        self.assertTrue(json.loads(read(direct))["url"].startswith("file://"))

    def test_credentials_are_sent_and_never_shown_or_stored(self):
        secret = "s3cr3t-pw"
        with_auth = INDEX.base.replace("://", "://alice:%s@" % secret, 1)
        v = self.venv()
        report = os.path.join(self.tmp, "report.json")
        # An index and an extra index that both list the project (the "also on" warning names
        # both), and a direct reference with credentials in its URL.
        r = self.install(v, "--report", report, "--extra-index-url", with_auth + "/simple",
                         "idna", "blinker @ %s/files/blinker-1.9.0-py3-none-any.whl" % with_auth,
                         index=with_auth + "/simple")
        self.assertIn("also on", r.stderr)
        shown = r.stdout + r.stderr + read(report)
        direct = read(os.path.join(self.site_packages(v), "blinker-1.9.0.dist-info",
                                   "direct_url.json"))
        self.assertEqual(json.loads(direct)["url"],
                         INDEX.base + "/files/blinker-1.9.0-py3-none-any.whl")
        freeze = self.actpip("freeze", "--python", os.path.join(v, "bin", "python"), check=0)
        for where, text in (("output and report", shown), ("direct_url.json", direct),
                            ("freeze", freeze.stdout)):
            self.assertNotIn(secret, text, where)
        # (Cache entries are compressed: their content is checked by the storage tests.)
        for root, _, names in os.walk(self.cache):
            for n in names:
                path = os.path.join(root, n)
                self.assertNotIn(secret, n)
                self.assertNotIn(secret.encode(), open(path, "rb").read(), path)
                stored = os.path.relpath(path, self.cache).split(os.sep)[1:2]
                if stored and stored[0] in ("http", "metadata", "wheels", "resolutions"):
                    self.assertEqual(os.stat(path).st_mode & 0o077, 0, path + " is readable by others")

    def test_upgrade_and_no_deps(self):
        v = self.venv()
        self.install(v, "--no-deps", "idna==3.3")
        r = self.install(v, "idna")
        self.assertIn("already satisfied", r.stderr)
        r = self.install(v, "-U", "idna")
        self.assertIn("- idna==3.3", r.stderr)
        self.assertIn("+ idna==3.10", r.stderr)
        listed = self.actpip("list", "--python", os.path.join(v, "bin", "python"), check=0).stdout
        self.assertNotIn("requests", listed, "--no-deps installed nothing else")

    def test_a_satisfied_install_asks_no_index_and_a_missing_dependency_is_reinstalled(self):
        v = self.venv()
        self.install(v, "requests")
        # Everything installed: no index is asked (a dead one, an empty cache), exit 0.
        dead = "http://127.0.0.1:9/simple/"
        r = self.actpip("install", "--python", os.path.join(v, "bin", "python"), "--index-url",
                        dead, "--cache-dir", os.path.join(self.tmp, "empty-cache"), "requests",
                        "idna>=3", check=0)
        self.assertIn("already satisfied", r.stderr)
        self.assertNotIn("127.0.0.1:9", r.stderr)
        # A dependency removed behind actpip's back: the same command installs it again.
        self.actpip("uninstall", "--python", os.path.join(v, "bin", "python"), "-y", "idna",
                    check=0)
        r = self.install(v, "requests")
        self.assertIn("+ idna==3.10", r.stderr)
        self.assertEqual(self.python(v, "import requests").returncode, 0)
        # An extra whose requirement is not installed is not satisfied either: it resolves
        # (and this index has no PySocks).
        r = self.install(v, "requests[socks]", check=1)
        self.assertIn("pysocks", r.stderr)

    def test_target_directory(self):
        target = os.path.join(self.tmp, "target")
        self.actpip("install", "--target", target, "--index-url", INDEX.url, "--cache-dir",
                    self.cache, "requests", check=0)
        self.assertTrue(os.path.isdir(os.path.join(target, "requests")))
        self.assertTrue(os.path.isdir(os.path.join(target, "urllib3")))

    def test_download_saves_the_wheels(self):
        dest = os.path.join(self.tmp, "dl")
        self.actpip("download", "-d", dest, "--index-url", INDEX.url, "--cache-dir", self.cache,
                    "requests", check=0)
        names = sorted(os.listdir(dest))
        self.assertEqual(len(names), 5, names)
        self.assertIn("requests-2.32.3-py3-none-any.whl", names)

    def test_pip_environment_variables_are_honoured_and_command_line_wins(self):
        v = self.venv()
        env = clean_env(PIP_INDEX_URL=INDEX.url)
        self.actpip("install", "--python", os.path.join(v, "bin", "python"), "--cache-dir",
                    self.cache, "idna", env=env, check=0)
        env = clean_env(PIP_INDEX_URL="http://127.0.0.1:9/simple", ACTPIP_INDEX_URL=INDEX.url)
        self.actpip("install", "--python", os.path.join(v, "bin", "python"), "--cache-dir",
                    self.cache, "click", env=env, check=0)
        self.assertEqual(self.python(v, "import idna, click").returncode, 0)

    def test_two_installs_sharing_one_cache_at_once(self):
        venvs = [self.venv("a"), self.venv("b")]
        procs = [subprocess.Popen([ACTPIP, "install", "--python", os.path.join(v, "bin", "python"),
                                   "--index-url", INDEX.url, "--cache-dir", self.cache,
                                   "requests", "flask"], env=clean_env(),
                                  stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
                 for v in venvs]
        for p in procs:
            out, err = p.communicate(timeout=120)
            self.assertEqual(p.returncode, 0, err)
        for v in venvs:
            self.assertEqual(self.python(v, "import requests, flask").returncode, 0)

    def test_offline_uses_the_cache_and_fails_clearly_on_a_miss(self):
        self.install(self.venv("a"), "idna")
        v = self.venv("b")
        self.install(v, "--offline", "idna")
        r = self.install(v, "--offline", "click", check=1)
        self.assertIn("offline", r.stderr.lower())

    # --- the report -----------------------------------------------------------------------

    def test_dry_run_report_follows_pips_schema_and_changes_nothing(self):
        v = self.venv()
        before = self.snapshot(v)
        report = os.path.join(self.tmp, "report.json")
        r = self.install(v, "--dry-run", "--report", report, "requests",
                         "idna<3.5")
        self.assertIn("Would install", r.stderr)
        self.assertEqual(self.snapshot(v), before)
        doc = json.loads(read(report))
        self.assertEqual(doc["version"], "1")
        self.assertIsInstance(doc["environment"], dict)
        self.assertIn("python_version", doc["environment"])
        got = {i["metadata"]["name"].lower(): i for i in doc["install"]}
        self.assertEqual(sorted(got), ["certifi", "charset-normalizer", "idna", "requests", "urllib3"])
        self.assertEqual(got["idna"]["metadata"]["version"], "3.3")
        for item in doc["install"]:
            self.assertEqual(set(item) - {"requested_extras"},
                             {"download_info", "is_direct", "is_yanked", "requested", "metadata"})
            self.assertTrue(item["download_info"]["url"].startswith(INDEX.base + "/files/"))
            digest = item["download_info"]["archive_info"]["hashes"]["sha256"]
            name = item["download_info"]["url"].rsplit("/", 1)[1]
            self.assertEqual(hashlib.sha256(read(os.path.join(WHEELS, name), "rb")).hexdigest(),
                             digest)
            self.assertIsInstance(item["is_direct"], bool)
        self.assertTrue(got["requests"]["requested"])
        self.assertFalse(got["urllib3"]["requested"])
        self.assertIn("urllib3<3,>=1.21.1", " ".join(got["requests"]["metadata"]["requires_dist"]).replace(" ", ""))

    def test_report_to_stdout(self):
        r = self.install(self.venv(), "--dry-run", "--report", "-", "-q", "click")
        doc = json.loads(r.stdout)
        self.assertEqual([i["metadata"]["version"] for i in doc["install"]], ["8.1.8"])

    # --- failures -------------------------------------------------------------------------

    def test_conflict_exits_1_with_the_explanation(self):
        v = self.venv()
        r = self.install(v, "flask", "click<8", check=1)
        self.assertIn("Because", r.stderr)
        self.assertIn("click", r.stderr)
        self.assertEqual(self.python(v, "import flask").returncode, 1)

    def test_dead_index_exits_1_with_a_clear_error(self):
        v = self.venv()
        before = self.snapshot(v)
        r = self.install(v, "--retries", "1", "--timeout", "2", "requests",
                         index="http://127.0.0.1:9/simple", check=1)
        self.assertIn("127.0.0.1:9", r.stderr)
        self.assertEqual(self.snapshot(v), before)

    def test_usage_error_exits_2(self):
        r = self.actpip("install", "--resolution", "sideways", "idna")
        self.assertEqual(r.returncode, 2)
        self.assertIn("'sideways' is not one of highest, lowest, lowest-direct", r.stderr)
        r = self.actpip("install", "--no-such-option", "idna")
        self.assertEqual(r.returncode, 2)
        # Every named option is checked before anything is fetched, from flags and variables.
        r = self.actpip("install", "--link-mode", "teleport", "idna", check=2)
        self.assertIn("'teleport' is not one of", r.stderr)
        r = self.actpip("install", "--index-strategy", "best", "idna", check=2)
        self.assertIn("first-index, unsafe-best-match", r.stderr)
        env = clean_env()
        env["ACTPIP_LINK_MODE"] = "teleport"
        r = self.actpip("install", "idna", env=env, check=2)
        self.assertIn("'teleport' is not one of", r.stderr)

    def test_require_hashes(self):
        v = self.venv()
        wheel = os.path.join(WHEELS, "idna-3.10-py3-none-any.whl")
        good = hashlib.sha256(read(wheel, "rb")).hexdigest()
        req = os.path.join(self.tmp, "req.txt")
        with open(req, "w") as f:
            f.write("idna==3.10 --hash=sha256:" + "0" * 64 + "\n")
        before = self.snapshot(v)
        r = self.install(v, "-r", req, check=1)
        self.assertIn("expected sha256:" + "0" * 64, r.stderr)
        self.assertIn(good, r.stderr)
        self.assertEqual(self.snapshot(v), before)
        with open(req, "w") as f:
            f.write("idna==3.10 --hash=sha256:" + good + "\n")
        self.install(v, "-r", req)
        with open(req, "w") as f:
            f.write("idna>=3 --hash=sha256:" + good + "\n")
        r = self.install(v, "-r", req, check=1)
        self.assertIn("pinned with ==", r.stderr)
        # a dependency without a hash is refused
        with open(req, "w") as f:
            f.write("requests==2.32.3 --hash=sha256:" + "1" * 64 + "\n")
        r = self.install(self.venv("b"), "-r", req, check=1)
        self.assertIn("--require-hashes", r.stderr)

    def test_wheels_a_backtrack_dropped_leave_nothing_in_the_venv(self):
        # a 2.0 needs c and b; b's page is held until a 2.0 and c are staged in the venv; then
        # b needs a<2: the plan is a 1.0 and b, and nothing of a 2.0 or c may remain.
        links = os.path.join(self.tmp, "links")
        make_wheel(links, "a", "2.0", deps=["c==2.0", "b"])
        make_wheel(links, "a", "1.0", deps=["b"])
        make_wheel(links, "b", "1.0", deps=["a<2"])
        make_wheel(links, "c", "2.0")
        www = os.path.join(self.tmp, "www")
        subprocess.run([sys.executable, MAKE_INDEX, www, links], check=True,
                       stdout=subprocess.DEVNULL)
        server = GatedIndex(www, hold_page="b")
        server.gate.set()
        try:
            v = self.venv()
            site = self.site_packages(v)
            p = subprocess.Popen([ACTPIP, "install", "--python", os.path.join(v, "bin", "python"),
                                  "--index-url", server.url, "--cache-dir", self.cache, "a"],
                                 env=clean_env(), stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                 text=True)
            staged = lambda: [d for d in os.listdir(site) if d.startswith(".actpip-tx") and
                              os.path.exists(os.path.join(site, d, "c", "__init__.py"))]
            deadline = time.monotonic() + 60
            while not staged() and time.monotonic() < deadline and p.poll() is None:
                time.sleep(0.02)
            self.assertTrue(staged(), "c was not staged while the resolution went on")
            server.page_gate.set()
            out, err = p.communicate(timeout=60)
            self.assertEqual(p.returncode, 0, err)
        finally:
            server.stop()
        entries = sorted(os.listdir(site))
        self.assertEqual([e for e in entries if e.startswith(("a", "b", "c", ".actpip-tx"))],
                         ["a", "a-1.0.dist-info", "b", "b-1.0.dist-info"])
        self.assertEqual(read(os.path.join(site, "a", "__init__.py")), "__version__ = '1.0'\n")
        self.assertNotIn("2.0", read(os.path.join(site, "a-1.0.dist-info", "RECORD")))

    def test_a_stale_run_revalidates_the_remembered_pages_at_once(self):
        # The first run remembers its projects; the second (every page stale: --refresh) asks
        # for idna's page while the root's is still held, instead of a level at a time.
        server = GatedIndex(INDEX.www, hold_page="requests")
        server.gate.set()
        server.page_gate.set()
        try:
            self.install(self.venv("a"), "requests", index=server.url)
            server.page_gate.clear()
            del server.asked[:]
            v = self.venv("b")
            p = subprocess.Popen([ACTPIP, "install", "--python", os.path.join(v, "bin", "python"),
                                  "--index-url", server.url, "--cache-dir", self.cache,
                                  "--refresh", "requests"],
                                 env=clean_env(), stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                 text=True)
            deadline = time.monotonic() + 60
            while (time.monotonic() < deadline and p.poll() is None and
                   not any(a.rstrip("/").endswith("/simple/idna") for a in server.asked)):
                time.sleep(0.02)
            asked = list(server.asked)
            server.page_gate.set()
            out, err = p.communicate(timeout=60)
            self.assertEqual(p.returncode, 0, err)
            self.assertTrue(any(a.rstrip("/").endswith("/simple/idna") for a in asked),
                            "idna's page was not asked while the root's was held: %s" % asked)
        finally:
            server.stop()

    def test_a_kill_during_the_commit_is_finished_before_the_next_install_plans(self):
        # The next run must plan from the environment as it was before the killed commit, not
        # from its half: it installs everything again and every RECORD is whole.
        self.install(self.venv("warm"), "requests", "flask")  # the cache holds every wheel
        caught = 0
        for attempt in range(20):
            v = self.venv("v%d" % attempt)
            site = self.site_packages(v)
            cmd = [ACTPIP, "install", "--python", os.path.join(v, "bin", "python"), "--index-url",
                   INDEX.url, "--cache-dir", self.cache, "-q", "requests", "flask"]
            p = subprocess.Popen(cmd, env=clean_env(), stdout=subprocess.DEVNULL,
                                 stderr=subprocess.DEVNULL)
            placed = 0
            while p.poll() is None:
                placed = len([d for d in os.listdir(site) if d.endswith(".dist-info")])
                if placed:
                    p.kill()
                    break
            p.wait()
            placed = len([d for d in os.listdir(site) if d.endswith(".dist-info")])
            if p.returncode != -signal.SIGKILL or not 0 < placed < 12:
                continue  # the kill missed the commit
            caught += 1
            r = self.install(v, "requests", "flask")
            self.assertIn("Installed", r.stderr)
            infos = [d for d in os.listdir(site) if d.endswith(".dist-info")]
            self.assertEqual(len(infos), 12, r.stderr)
            for info in infos:
                with open(os.path.join(site, info, "RECORD")) as f:
                    for line in f:
                        path = line.split(",")[0]
                        self.assertTrue(os.path.exists(os.path.join(site, path)),
                                        "%s lists %s, missing after the rerun" % (info, path))
            self.assertEqual(self.python(v, "import requests, flask").returncode, 0)
            if caught == 3:
                break
        if not caught:
            self.skipTest("NOT TESTED: no kill landed inside a commit in 20 attempts")

    def test_a_dependency_uninstalled_meanwhile_fails_the_install_instead_of_a_false_success(self):
        # requests and its dependencies are installed; the next install keeps them and
        # downloads blinker, which the server holds while idna is uninstalled by another
        # process. The commit must not report success with idna missing.
        v = self.venv()
        self.install(v, "requests")
        server = GatedIndex(INDEX.www)
        try:
            p = subprocess.Popen([ACTPIP, "install", "--python", os.path.join(v, "bin", "python"),
                                  "--index-url", server.url, "--cache-dir",
                                  os.path.join(self.tmp, "other-cache"), "requests", "blinker"],
                                 env=clean_env(), stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                 text=True)
            self.assertTrue(server.wheel_asked.wait(60), "no download started")
            self.actpip("uninstall", "--python", os.path.join(v, "bin", "python"), "-y", "idna",
                        check=0)
            server.gate.set()
            out, err = p.communicate(timeout=60)
        finally:
            server.stop()
        self.assertEqual(p.returncode, 1, err)
        self.assertIn("idna 3.10 was uninstalled or replaced by another process", err)
        listed = self.actpip("list", "--python", os.path.join(v, "bin", "python"), check=0).stdout
        self.assertNotIn("blinker", listed, "nothing was installed")

    def test_sigint_mid_download_leaves_the_venv_unchanged(self):
        server = GatedIndex(INDEX.www, stall=True)
        try:
            v = self.venv()
            before = self.snapshot(v)
            p = subprocess.Popen([ACTPIP, "install", "--python", os.path.join(v, "bin", "python"),
                                  "--index-url", server.url, "--cache-dir", self.cache,
                                  "--progress", "json", "requests"],
                                 env=clean_env(), stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                 text=True)
            self.assertTrue(server.stalled.wait(60), "no download started")
            p.send_signal(signal.SIGINT)
            out, err = p.communicate(timeout=60)
            self.assertEqual(p.returncode, 130, err)
            self.assertIn("download_started", err)
            self.assertEqual(self.snapshot(v), before)
            partial = [n for _, _, names in os.walk(self.cache) for n in names
                       if n.endswith(".whl")]
            self.assertEqual(partial, [], "no wheel stored for an interrupted download")
        finally:
            server.stop()


def make_wheel(directory, name, version, deps=()):
    """A small valid wheel (RECORD included) of `name`, as an attacker's index might hold."""
    import base64
    import zipfile
    dist = name.replace("-", "_")
    info = f"{dist}-{version}.dist-info"
    files = {
        f"{dist}/__init__.py": f"__version__ = '{version}'\n",
        f"{info}/METADATA": f"Metadata-Version: 2.1\nName: {name}\nVersion: {version}\n"
                            + "".join(f"Requires-Dist: {d}\n" for d in deps),
        f"{info}/WHEEL": "Wheel-Version: 1.0\nGenerator: test\nRoot-Is-Purelib: true\n"
                         "Tag: py3-none-any\n",
    }

    def digest(data):
        raw = hashlib.sha256(data.encode()).digest()
        return "sha256=" + base64.urlsafe_b64encode(raw).rstrip(b"=").decode()

    record = "".join(f"{p},{digest(c)},{len(c.encode())}\n" for p, c in files.items())
    files[f"{info}/RECORD"] = record + f"{info}/RECORD,,\n"
    os.makedirs(directory, exist_ok=True)
    path = os.path.join(directory, f"{dist}-{version}-py3-none-any.whl")
    with zipfile.ZipFile(path, "w") as z:
        for p, c in files.items():
            z.writestr(p, c)
    return path


class CacheAndIndexesTest(Base):
    def extra_index(self):
        """A second index holding an 'idna 99.0' that must not win by default."""
        wheels = os.path.join(self.tmp, "evil-wheels")
        make_wheel(wheels, "idna", "99.0")
        www = os.path.join(self.tmp, "evil-www")
        subprocess.run([sys.executable, MAKE_INDEX, www, wheels], check=True,
                       stdout=subprocess.DEVNULL)
        return "file://" + os.path.join(www, "simple")

    def test_a_name_comes_from_the_first_index_that_has_it(self):
        v = self.venv()
        r = self.install(v, "--extra-index-url", self.extra_index(), "idna")
        self.assertIn("+ idna==3.10", r.stderr)
        self.assertIn("idna is also on", r.stderr)
        v = self.venv("b")
        r = self.install(v, "--extra-index-url", self.extra_index(),
                         "--index-strategy", "unsafe-best-match", "idna")
        self.assertIn("+ idna==99.0", r.stderr)

    def test_a_corrupt_cache_entry_is_dropped_and_fetched_again(self):
        self.install(self.venv("a"), "requests")
        http = os.path.join(self.cache, "v1", "http")
        damaged = 0
        for root, _, names in os.walk(http):
            for n in names:
                path = os.path.join(root, n)
                size = os.path.getsize(path)
                with open(path, "r+b") as f:
                    f.truncate(max(0, size // 2))
                damaged += 1
        self.assertGreater(damaged, 0)
        before = INDEX.requests_so_far()
        v = self.venv("b")
        self.install(v, "requests")
        self.assertEqual(self.python(v, "import requests").returncode, 0)
        self.assertGreater(INDEX.requests_so_far(), before, "damaged pages are fetched again")

    def test_refresh_revalidates_every_page(self):
        self.install(self.venv("a"), "idna")
        with open(INDEX.log) as f:
            before = len(f.readlines())
        self.install(self.venv("b"), "--refresh", "idna")
        with open(INDEX.log) as f:
            lines = f.readlines()[before:]
        self.assertTrue(lines, "--refresh asks the server again")
        self.assertTrue(all('" 304 ' in line for line in lines if "/simple/" in line), lines)


class GatedIndex:
    """Serves the demo index over plain HTTP (like nginx) from a thread; each wheel request
    sets `wheel_asked` and waits until `gate` opens. With `stall`, it first answers with a
    header and a few bytes of a wheel that never finishes (`stalled` says it did)."""

    def __init__(self, www, stall=False, hold_page=None):
        self.gate = threading.Event()
        self.page_gate = threading.Event()  # what `hold_page` (a project's page) waits for
        self.asked = []  # every path asked, in order
        self.wheel_asked = threading.Event()
        self.stalled = threading.Event()
        outer = self

        class Handler(http.server.SimpleHTTPRequestHandler):
            def __init__(self, *a, **kw):
                super().__init__(*a, directory=www, **kw)

            def log_message(self, *a):
                pass

            def do_GET(self):
                try:
                    self.serve()
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the client went away: what the tests that use this make happen

            def serve(self):
                outer.asked.append(self.path)
                if self.path.endswith(".whl"):
                    outer.wheel_asked.set()
                    if stall:
                        self.send_response(200)
                        self.send_header("Content-Length", "1000000")
                        self.end_headers()
                        self.wfile.write(b"PK" + b"\0" * 1000)
                        self.wfile.flush()
                        outer.stalled.set()
                        outer.gate.wait(60)
                        return
                    outer.gate.wait(60)
                if hold_page and self.path.rstrip("/") == "/simple/" + hold_page:
                    outer.page_gate.wait(60)
                if self.path.rstrip("/").count("/") == 2 and self.path.startswith("/simple/"):
                    self.path = self.path.rstrip("/") + "/index.html"
                super().do_GET()

        class Server(socketserver.ThreadingMixIn, http.server.HTTPServer):
            daemon_threads = True

        self.httpd = Server(("127.0.0.1", 0), Handler)
        self.url = "http://127.0.0.1:%d/simple/" % self.httpd.server_address[1]
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()

    def stop(self):
        self.gate.set()
        self.httpd.shutdown()


if __name__ == "__main__":
    unittest.main()
