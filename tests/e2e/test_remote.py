#!/usr/bin/env python3
"""End-to-end tests of `actpip serve` and `actpip install --remote`, in separate processes on
loopback: several clients sharing one server (one upstream request per artifact), tokens and
mutual TLS refusing strangers, a server killed mid-install (the client finishes directly),
eviction under --max-cache-size, a stop that lets transfers finish and a restart that keeps
the cache, reports and downloads through a server.

usage: ACTPIP_BINARY=build/cli/actpip python3 tests/e2e/test_remote.py [-v]
"""
import collections
import json
import os
import re
import signal
import subprocess
import sys
import tempfile
import threading
import time
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import test_install as h  # noqa: E402  (the demo index, venvs, the scrubbed environment)

MAKE_CERTS = os.path.join(h.REPO, "tests", "support", "make_certs.sh")


def setUpModule():
    h.setUpModule()


def tearDownModule():
    h.tearDownModule()


class Server:
    """`actpip serve` on a free port, its log lines collected as they come."""

    def __init__(self, index_url, cache, *args, env=None):
        self.lines = []
        self.proc = subprocess.Popen(
            [h.ACTPIP, "serve", "--listen", "127.0.0.1:0", "--index-url", index_url,
             "--cache-dir", cache, "--grace", "10", *args],
            stderr=subprocess.PIPE, text=True, env=env or h.clean_env())
        self.port = None
        ready = threading.Event()

        def read():
            for line in self.proc.stderr:
                self.lines.append(line.rstrip("\n"))
                m = re.search(r"listening on 127\.0\.0\.1:(\d+)", line)
                if m:
                    self.port = int(m.group(1))
                    ready.set()
            ready.set()

        threading.Thread(target=read, daemon=True).start()
        ready.wait(30)
        if not self.port:
            self.proc.kill()
            raise AssertionError("actpip serve did not start:\n" + "\n".join(self.lines))
        self.where = "127.0.0.1:%d" % self.port

    def log(self):
        return list(self.lines)

    def stop(self, sig=signal.SIGTERM):
        if self.proc.poll() is None:
            self.proc.send_signal(sig)
        return self.proc.wait(30)


def access_log_lines():
    with open(h.INDEX.log) as f:
        return f.read().splitlines()


def uris(lines):
    """nginx's $uri of each access-log line (it comes last, after "uri=")."""
    return [l.split("uri=", 1)[1] for l in lines if "uri=" in l]


class RemoteTest(h.Base):
    def setUp(self):
        super().setUp()
        self.token = os.path.join(self.tmp, "token")
        with open(self.token, "w") as f:
            f.write("fleet-secret\n")
        self.servers = []

    def tearDown(self):
        for s in self.servers:
            s.stop(signal.SIGKILL)
        super().tearDown()

    def serve(self, *args, index=None, cache=None):
        s = Server(index or h.INDEX.url, cache or os.path.join(self.tmp, "server-cache"), *args)
        self.servers.append(s)
        return s

    def client(self, server, venv, *pkgs, extra=(), index=None, cache=None, wait=True):
        cmd = [h.ACTPIP, "install", "--python", os.path.join(venv, "bin", "python"),
               "--index-url", index or h.INDEX.url,
               "--cache-dir", cache or os.path.join(self.tmp, "cache-" + os.path.basename(venv)),
               "--remote", server.where, *extra, *pkgs]
        p = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                             env=h.clean_env())
        if not wait:
            return p
        out, err = p.communicate(timeout=180)
        return p.returncode, out, err

    def imports(self, venv, *modules):
        r = self.python(venv, "import " + ", ".join(modules))
        self.assertEqual(r.returncode, 0, r.stderr)

    def test_three_clients_at_once_cost_one_upstream_request_per_artifact(self):
        server = self.serve("--token-file", self.token)
        before = len(access_log_lines())
        trees = [("requests",), ("flask",), ("requests", "click")]
        venvs = [self.venv("v%d" % i) for i in range(3)]
        procs = [self.client(server, v, *t, extra=("--remote-token-file", self.token,
                                                   "--remote-only"), wait=False)
                 for v, t in zip(venvs, trees)]
        for p in procs:
            out, err = p.communicate(timeout=180)
            self.assertEqual(p.returncode, 0, err)
        self.imports(venvs[0], "requests")
        self.imports(venvs[1], "flask")
        self.imports(venvs[2], "requests", "click")
        asked = collections.Counter(uris(access_log_lines()[before:]))
        self.assertTrue(asked, "the server fetched nothing")
        twice = {u: n for u, n in asked.items() if n > 1}
        self.assertEqual(twice, {}, "the upstream saw these more than once")
        wheels = [u for u in asked if u.endswith(".whl")]
        self.assertGreaterEqual(len(wheels), 11, asked)
        log = "\n".join(server.log())
        self.assertIn("request=resolve", log)
        self.assertIn("source=upstream", log)
        self.assertNotIn("fleet-secret", log, "a token in the log")

    def test_a_wrong_token_gets_nothing_and_says_so(self):
        server = self.serve("--token-file", self.token)
        wrong = os.path.join(self.tmp, "wrong")
        with open(wrong, "w") as f:
            f.write("guess\n")
        venv = self.venv()
        rc, out, err = self.client(server, venv, "idna",
                                   extra=("--remote-token-file", wrong, "--remote-only"))
        self.assertEqual(rc, 1, err)
        self.assertIn("refused this client: wrong or missing token", err)
        self.assertFalse(os.path.exists(os.path.join(self.site_packages(venv), "idna")))
        self.assertTrue(any("result=refused" in l and 'why="wrong token"' in l
                            for l in server.log()), server.log())
        # Without --remote-only the job says so once and goes on directly.
        rc, out, err = self.client(server, venv, "idna", extra=("--remote-token-file", wrong))
        self.assertEqual(rc, 0, err)
        self.assertEqual(err.count("wrong or missing token"), 1, err)
        self.imports(venv, "idna")

    @staticmethod
    def tls_refusals(server):
        return [l for l in server.log()
                if "request=connect" in l and "result=refused" in l and "TLS handshake" in l]

    def test_mutual_tls_refuses_a_client_without_a_certificate_of_its_ca(self):
        certs = os.path.join(self.tmp, "certs")
        subprocess.run(["bash", MAKE_CERTS, certs], check=True)
        c = lambda name: os.path.join(certs, name)  # noqa: E731
        server = self.serve("--tls-cert", c("server.pem"), "--tls-key", c("server.key"),
                            "--tls-ca", c("ca.pem"))
        venv = self.venv()
        for extra in ((), ("--remote-tls-cert", c("self.pem"), "--remote-tls-key", c("self.key"),
                           "--remote-tls-ca", c("ca.pem"))):
            refused_before = len(self.tls_refusals(server))
            rc, out, err = self.client(server, venv, "idna", extra=("--remote-only",) + extra)
            self.assertEqual(rc, 1, err)
            self.assertIn("the server at " + server.where, err)
            # The server names the peer it refused, and why.
            for _ in range(50):
                if len(self.tls_refusals(server)) > refused_before:
                    break
                time.sleep(0.1)
            self.assertGreater(len(self.tls_refusals(server)), refused_before, server.log())
        self.assertTrue(all("client=127.0.0.1:" in l for l in self.tls_refusals(server)),
                        self.tls_refusals(server))
        rc, out, err = self.client(server, venv, "idna", extra=(
            "--remote-only", "--remote-tls-cert", c("client.pem"), "--remote-tls-key",
            c("client.key"), "--remote-tls-ca", c("ca.pem")))
        self.assertEqual(rc, 0, err)
        self.imports(venv, "idna")
        self.assertTrue(any("request=resolve" in l for l in server.log()))

    def test_a_server_killed_mid_install_costs_the_client_only_speed(self):
        gated = h.GatedIndex(h.INDEX.www)
        self.addCleanup(gated.stop)
        server = self.serve(index=gated.url)
        venv = self.venv()
        cache = os.path.join(self.tmp, "client-cache")
        p = self.client(server, venv, "flask", index=gated.url, cache=cache, wait=False)
        self.assertTrue(gated.wheel_asked.wait(60), "the server never asked for a wheel")
        server.stop(signal.SIGKILL)
        gated.gate.set()
        out, err = p.communicate(timeout=180)
        self.assertEqual(p.returncode, 0, err)
        self.assertEqual(err.count("the server at " + server.where), 1, err)
        self.imports(venv, "flask")
        for root, _, names in os.walk(cache):
            for n in names:
                self.assertFalse(n.startswith(".tmp-"), "a partial file in the cache: " +
                                 os.path.join(root, n))
        # Restarted on the same cache, the server serves what it had from there.
        again = self.serve(index=gated.url)
        other = self.venv("other")
        rc, out, err = self.client(again, other, "itsdangerous", index=gated.url,
                                   extra=("--remote-only",))
        self.assertEqual(rc, 0, err)

    def test_eviction_keeps_the_cache_within_its_budget(self):
        server = self.serve("--max-cache-size", "150K")
        venv = self.venv()
        rc, out, err = self.client(server, venv, "flask", "requests", extra=("--remote-only",))
        self.assertEqual(rc, 0, err)
        self.imports(venv, "flask", "requests")
        self.assertTrue(any("request=evict" in l for l in server.log()), server.log())

        def wheel_bytes():
            total = 0
            for root, _, names in os.walk(os.path.join(self.tmp, "server-cache")):
                if "/wheels" in root:
                    total += sum(os.path.getsize(os.path.join(root, n)) for n in names)
            return total

        # The eviction after the last transfer runs once the client has its bytes: a moment.
        deadline = time.monotonic() + 20
        while wheel_bytes() > 150 * 1024 and time.monotonic() < deadline:
            time.sleep(0.1)
        self.assertLessEqual(wheel_bytes(), 150 * 1024, server.log())

    def test_sigterm_finishes_and_a_restart_keeps_the_cache(self):
        server = self.serve()
        venv = self.venv()
        rc, out, err = self.client(server, venv, "idna", extra=("--remote-only",))
        self.assertEqual(rc, 0, err)
        self.assertEqual(server.stop(signal.SIGTERM), 0, server.log())
        again = self.serve()
        other = self.venv("other")
        rc, out, err = self.client(again, other, "idna", extra=("--remote-only",))
        self.assertEqual(rc, 0, err)
        self.assertTrue(any("source=cache" in l and "idna" in l for l in again.log()),
                        again.log())

    def test_reports_and_downloads_through_a_server_match_direct(self):
        server = self.serve()
        venv = self.venv()
        direct = self.install(venv, "--dry-run", "--report", "-", "flask", check=0)
        rc, remote, err = self.client(server, venv, "flask", extra=(
            "--remote-only", "--dry-run", "--report", "-"))
        self.assertEqual(rc, 0, err)
        a = json.loads(direct.stdout)["install"]
        b = json.loads(remote)["install"]
        key = lambda i: (i["metadata"]["name"], i["metadata"]["version"],  # noqa: E731
                         i["download_info"]["url"],
                         i["download_info"]["archive_info"].get("hash"))
        self.assertEqual(sorted(map(key, a)), sorted(map(key, b)))
        dest = os.path.join(self.tmp, "wheels")
        r = self.actpip("download", "-d", dest, "--index-url", h.INDEX.url, "--cache-dir",
                        os.path.join(self.tmp, "dl-cache"), "--remote", server.where,
                        "--remote-only", "requests")
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertIn("requests-2.32.3-py3-none-any.whl", os.listdir(dest))

    def test_a_client_with_a_direct_reference_resolves_with_the_servers_fetch_side(self):
        server = self.serve()
        flask = [os.path.join(root, n) for root, _, names in os.walk(h.INDEX.www)
                 for n in names if n.startswith("flask-") and n.endswith(".whl")]
        self.assertTrue(flask, "no flask wheel in the demo index")
        ref = "flask @ file://" + flask[0]
        first = self.venv("first")
        rc, out, err = self.client(server, first, ref, extra=("--remote-only",))
        self.assertEqual(rc, 0, err)
        self.imports(first, "flask")
        self.assertTrue(any("request=versions" in l for l in server.log()), server.log())
        # A second client with an empty cache: the pages and metadata come from the server's
        # warm fetch side, so the index sees no request at all.
        before = len(access_log_lines())
        second = self.venv("second")
        rc, out, err = self.client(server, second, ref, extra=("--remote-only",))
        self.assertEqual(rc, 0, err)
        self.imports(second, "flask", "jinja2")
        self.assertEqual(uris(access_log_lines()[before:]), [], "\n".join(server.log()[-60:]))


if __name__ == "__main__":
    unittest.main()
