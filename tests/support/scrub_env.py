#!/usr/bin/env python3
"""The environment that actpip runs in under test: what this machine may set globally and
would change what actpip does is left out (the C++ suites' twin is support/environment.cpp).

As a module: scrubbed(**extra) is os.environ without those variables, plus `extra`.
As a command: prints the names to unset, for `unset $(python3 tests/support/scrub_env.py)`.
"""
import os

# TLS trust, proxies (either case), credentials and an active virtual environment.
NAMES = {"SSL_CERT_FILE", "SSL_CERT_DIR", "REQUESTS_CA_BUNDLE", "CURL_CA_BUNDLE", "NETRC",
         "VIRTUAL_ENV", "HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "NO_PROXY"}
# Every pip and actpip setting...
PREFIXES = ("PIP_", "ACTPIP_")
# ...but the test harness's own switches.
KEEP = {"ACTPIP_BINARY", "ACTPIP_SHARED", "ACTPIP_UPDATE_GOLDEN", "ACTPIP_TEST_SERVER_STDERR"}


def scrubs(name):
    """Whether `name` is left out of the tests' environment."""
    if name in KEEP:
        return False
    return name.upper() in NAMES or name.startswith(PREFIXES)


def scrubbed(**extra):
    env = {k: v for k, v in os.environ.items() if not scrubs(k)}
    env.update(extra)
    return env


if __name__ == "__main__":
    print(" ".join(sorted(k for k in os.environ if scrubs(k))))
