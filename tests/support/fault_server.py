#!/usr/bin/env python3
"""A small HTTP/1.1 server that misbehaves on purpose, for the net/ tests (stdlib only).

Listens on 127.0.0.1 (or --bind, e.g. ::1), on a free port unless --port is given, and prints
"PORT <n>" on its first line. With --cert/--key it speaks TLS. It also acts as an HTTP proxy:
CONNECT tunnels and absolute-form requests are forwarded to 127.0.0.1 only. A CONNECT must carry
"Proxy-Authorization: Basic" with --proxy-auth (default "pu:pp"; "" accepts anyone), else it
gets 407; absolute-form requests are forwarded with the header echoed as X-Proxy-Authorization.

Paths: /ok, /stats (JSON counters), /reset (RST mid-body), /stall (stops sending mid-body),
/stall-head (never answers), /flaky/KEY/N (503 N times, then 200), /429/KEY (429 with
Retry-After: 1 once, then 200), /loop (redirects to itself), /redirect?to=URL (302),
/short (body shorter than its Content-Length), /big (5 MiB), /auth (echoes Authorization),
/chunked, /etag (304 on If-None-Match "v1"), /slow (200 after 200 ms), /ok-then-close
(closes a connection that looked kept alive).
"""
import argparse, base64, json, socket, ssl, sys, threading, time, urllib.parse

lock = threading.Lock()
stats = {"connections": 0, "open": 0, "max_open": 0, "requests": 0, "proxied": 0, "tunnels": 0,
         "tunnels_refused": 0}
proxy_auth = ""
hits = {}


def count(key, delta=1):
    with lock:
        stats[key] += delta
        if key == "open":
            stats["max_open"] = max(stats["max_open"], stats["open"])


def hit(key):
    with lock:
        hits[key] = hits.get(key, 0) + 1
        return hits[key]


def read_head(f):
    line = f.readline(65536)
    if not line:
        return None
    method, target, _ = line.decode("latin-1").rstrip("\r\n").split(" ", 2)
    headers = {}
    while True:
        h = f.readline(65536).decode("latin-1").rstrip("\r\n")
        if not h:
            break
        k, _, v = h.partition(":")
        headers[k.strip().lower()] = v.strip()
    body = b""
    if "content-length" in headers:
        body = f.read(int(headers["content-length"]))
    return method, target, headers, body


def respond(sock, status, body=b"", headers=None, length=None):
    reasons = {200: "OK", 206: "Partial Content", 302: "Found", 304: "Not Modified",
               403: "Forbidden", 407: "Proxy Authentication Required",
               429: "Too Many Requests", 503: "Service Unavailable", 404: "Not Found"}
    h = {"Content-Length": str(len(body) if length is None else length)}
    h.update(headers or {})
    head = "HTTP/1.1 %d %s\r\n" % (status, reasons.get(status, "X"))
    head += "".join("%s: %s\r\n" % kv for kv in h.items()) + "\r\n"
    sock.sendall(head.encode("latin-1") + body)


def rst_close(sock):
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, b"\x01\x00\x00\x00\x00\x00\x00\x00")
    sock.close()


def pipe(a, b):
    try:
        while True:
            data = a.recv(65536)
            if not data:
                break
            b.sendall(data)
    except OSError:
        pass
    finally:
        try:
            b.shutdown(socket.SHUT_WR)
        except OSError:
            pass


def tunnel(client, host_port, headers):
    if proxy_auth:
        want = "Basic " + base64.b64encode(proxy_auth.encode()).decode()
        if headers.get("proxy-authorization") != want:
            count("tunnels_refused")
            respond(client, 407, b"proxy credentials required",
                    {"Proxy-Authenticate": 'Basic realm="fault"'})
            return
    host, _, port = host_port.rpartition(":")
    if host.strip("[]") not in ("127.0.0.1", "localhost", "::1"):
        respond(client, 403)
        return
    upstream = socket.create_connection(("127.0.0.1", int(port)))
    count("tunnels")
    client.sendall(b"HTTP/1.1 200 Connection established\r\n\r\n")
    t = threading.Thread(target=pipe, args=(upstream, client), daemon=True)
    t.start()
    pipe(client, upstream)
    t.join()
    upstream.close()


def forward(client, method, target, headers, body):
    u = urllib.parse.urlsplit(target)
    count("proxied")
    up = socket.create_connection(("127.0.0.1", u.port or 80))
    path = (u.path or "/") + ("?" + u.query if u.query else "")
    head = "%s %s HTTP/1.1\r\n" % (method, path)
    for k, v in headers.items():
        if k not in ("proxy-authorization", "connection"):
            head += "%s: %s\r\n" % (k, v)
    head += "X-Proxy-Authorization: %s\r\nConnection: close\r\n\r\n" % headers.get(
        "proxy-authorization", "none")
    up.sendall(head.encode("latin-1") + body)
    data = b""
    while True:
        chunk = up.recv(65536)
        if not chunk:
            break
        data += chunk
    up.close()
    data = data.replace(b"Connection: close\r\n", b"", 1)
    client.sendall(data)


def handle(sock):
    count("connections")
    count("open")
    f = sock.makefile("rb")
    try:
        while True:
            req = read_head(f)
            if req is None:
                return
            method, target, headers, body = req
            count("requests")
            if method == "CONNECT":
                tunnel(sock, target, headers)
                return
            if target.startswith("http://"):
                forward(sock, method, target, headers, body)
                continue
            u = urllib.parse.urlsplit(target)
            path, query = u.path, urllib.parse.parse_qs(u.query)
            parts = path.strip("/").split("/")
            if path == "/ok":
                respond(sock, 200, b"hello")
            elif path == "/ok-then-close":
                # Looks kept alive, but the server drops the connection right after.
                respond(sock, 200, b"bye")
                time.sleep(0.05)
                return
            elif path == "/stats":
                with lock:
                    respond(sock, 200, json.dumps(stats).encode(), {"Content-Type": "application/json"})
            elif path == "/reset":
                respond(sock, 200, b"x" * 1000, length=100000)
                time.sleep(0.05)
                rst_close(sock)
                return
            elif path == "/stall":
                respond(sock, 200, b"x" * 10, length=100)
                time.sleep(5)
                return
            elif path == "/stall-head":
                time.sleep(5)
                return
            elif parts[0] == "flaky":
                if hit(path) <= int(parts[2]):
                    respond(sock, 503, b"busy")
                else:
                    respond(sock, 200, b"recovered")
            elif parts[0] == "429":
                if hit(path) == 1:
                    respond(sock, 429, b"slow down", {"Retry-After": "1"})
                else:
                    respond(sock, 200, b"thanks")
            elif path == "/loop":
                respond(sock, 302, b"", {"Location": "/loop"})
            elif path == "/redirect":
                respond(sock, 302, b"", {"Location": query["to"][0]})
            elif path == "/short":
                respond(sock, 200, b"y" * 50, length=100)
                sock.shutdown(socket.SHUT_WR)
                return
            elif path == "/big":
                respond(sock, 200, b"z" * (5 << 20))
            elif path == "/accept":
                respond(sock, 200, headers.get("accept", "none").encode())
            elif path == "/auth":
                respond(sock, 200, ("%s|%s" % (headers.get("authorization", "none"),
                                               headers.get("x-proxy-authorization", "-"))).encode())
            elif path == "/chunked":
                sock.sendall(b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n")
                for _ in range(100):
                    sock.sendall(b"5\r\nabcde\r\n")
                sock.sendall(b"0\r\n\r\n")
            elif path == "/etag":
                if headers.get("if-none-match") == '"v1"':
                    respond(sock, 304, b"", {"ETag": '"v1"'}, length=0)
                else:
                    respond(sock, 200, b"fresh", {"ETag": '"v1"'})
            elif path == "/slow":
                time.sleep(0.2)
                respond(sock, 200, b"slow")
            else:
                respond(sock, 404, b"no such path")
            if headers.get("connection", "").lower() == "close":
                return
    except (OSError, ValueError):
        pass
    finally:
        count("open", -1)
        try:
            sock.close()
        except OSError:
            pass


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--port", type=int, default=0)
    ap.add_argument("--cert")
    ap.add_argument("--key")
    ap.add_argument("--bind", default="127.0.0.1")
    ap.add_argument("--proxy-auth", default="pu:pp")
    args = ap.parse_args()
    global proxy_auth
    proxy_auth = args.proxy_auth
    ctx = None
    if args.cert:
        ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        ctx.load_cert_chain(args.cert, args.key)
    family = socket.AF_INET6 if ":" in args.bind else socket.AF_INET
    srv = socket.socket(family, socket.SOCK_STREAM)
    srv.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    srv.bind((args.bind, args.port))
    srv.listen(256)
    print("PORT %d" % srv.getsockname()[1], flush=True)

    def serve(conn):
        if ctx:
            try:
                conn.settimeout(10)
                conn = ctx.wrap_socket(conn, server_side=True)
                conn.settimeout(None)
            except (OSError, ssl.SSLError):
                conn.close()
                return
        handle(conn)

    while True:
        conn, _ = srv.accept()
        threading.Thread(target=serve, args=(conn,), daemon=True).start()


if __name__ == "__main__":
    try:
        main()
    except KeyboardInterrupt:
        sys.exit(0)
