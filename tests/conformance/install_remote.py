#!/usr/bin/env python3
"""Runs one `actpip install` through a server of its own: starts `actpip serve` on INDEX_URL,
runs `actpip install --remote ... --remote-only ARGS`, stops the server; exits with the
install's code.

usage: install_remote.py ACTPIP INDEX_URL -- INSTALL_ARGS...
"""
import re
import subprocess
import sys
import tempfile
import threading


def main():
    actpip, index_url, sep, args = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4:]
    if sep != "--":
        sys.exit(__doc__)
    with tempfile.TemporaryDirectory(prefix="actpip-serve-") as cache:
        server = subprocess.Popen([actpip, "serve", "--listen", "127.0.0.1:0", "--index-url",
                                   index_url, "--cache-dir", cache, "--grace", "0"],
                                  stderr=subprocess.PIPE, text=True)
        port = None
        for line in server.stderr:
            m = re.search(r"listening on 127\.0\.0\.1:(\d+)", line)
            if m:
                port = m.group(1)
                break
        if not port:
            server.kill()
            sys.exit("actpip serve did not start")
        threading.Thread(target=server.stderr.read, daemon=True).start()  # keep it drained
        rc = subprocess.run([actpip, "install", "--remote", "127.0.0.1:" + port,
                             "--remote-only", *args]).returncode
        server.terminate()
        server.wait(30)
    sys.exit(rc)


if __name__ == "__main__":
    main()
