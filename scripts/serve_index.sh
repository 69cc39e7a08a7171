#!/usr/bin/env bash
# Serves ROOT_DIR/www (laid out by scripts/make_index.py) with nginx on 127.0.0.1, a free port.
#
#   scripts/serve_index.sh start ROOT_DIR   prints the base URL (http://127.0.0.1:PORT), the
#                                           only stdout line, once the port answers
#   scripts/serve_index.sh stop ROOT_DIR    stops it; safe to call twice
#
# /simple/<project>/ answers index.json (application/vnd.pypi.simple.v1+json) when the Accept
# header lists that type with q > 0 (PEP 691), else index.html (text/html). ETag and
# Last-Modified are on (nginx's default). Config, pid, logs and temp files live in ROOT_DIR:
# nginx.conf, nginx.pid, access.log, error.log, tmp/. Works as root and as any other user.
set -euo pipefail

usage() { echo "usage: $0 start|stop ROOT_DIR" >&2; exit 2; }
[ $# -eq 2 ] || usage
cmd=$1
root=$(cd "$2" && pwd) || { echo "serve_index: $2: no such directory" >&2; exit 1; }
NGINX=${NGINX:-/usr/sbin/nginx}
conf=$root/nginx.conf
pidfile=$root/nginx.pid

running_pid() {  # prints the master's pid if it is alive
    local pid
    [ -s "$pidfile" ] || return 1
    pid=$(cat "$pidfile" 2>/dev/null) || return 1
    [[ $pid =~ ^[0-9]+$ ]] && kill -0 "$pid" 2>/dev/null && echo "$pid"
}

free_port() {
    python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
}

port_answers() {
    python3 - "$1" <<'EOF'
import socket, sys
s = socket.socket()
s.settimeout(0.5)
try:
    s.connect(("127.0.0.1", int(sys.argv[1])))
except OSError:
    sys.exit(1)
finally:
    s.close()
EOF
}

write_conf() {  # $1 = port
    local user_line=""
    # as root, workers would switch to nginx's compiled-in user and might not read ROOT_DIR
    [ "$(id -u)" -eq 0 ] && user_line="user root $(id -gn root);"
    cat >"$conf" <<EOF
# written by scripts/serve_index.sh
$user_line
worker_processes 1;
daemon on;
pid $pidfile;
error_log $root/error.log warn;
events { worker_connections 256; }
http {
    types {
        text/html html;
        application/vnd.pypi.simple.v1+json json;
        application/octet-stream whl metadata;
    }
    default_type application/octet-stream;
    client_body_temp_path $root/tmp/body;
    proxy_temp_path $root/tmp/proxy;
    fastcgi_temp_path $root/tmp/fastcgi;
    uwsgi_temp_path $root/tmp/uwsgi;
    scgi_temp_path $root/tmp/scgi;
    log_format demo '\$remote_addr [\$time_iso8601] "\$request" \$status \$body_bytes_sent '
                    '"\$http_accept" "\$http_user_agent" rt=\$request_time conn=\$connection';
    access_log $root/access.log demo;
    sendfile on;
    tcp_nodelay on;
    keepalive_timeout 75s;
    keepalive_requests 10000;
    etag on;
    absolute_redirect off;   # /simple/x -> /simple/x/ keeps host and port
    # PEP 691 content negotiation: JSON when the client lists the JSON type with q > 0
    map \$http_accept \$simple_fmt {
        default html;
        "~*application/vnd\\.pypi\\.simple\\.v1\\+json(?!\\s*;\\s*q=0(\\.0*)?\\s*(,|\$))" json;
    }
    server {
        listen 127.0.0.1:$1;
        server_name localhost 127.0.0.1;
        root $root/www;
        location = / { return 302 /simple/; }
        location /simple/ {
            index index.\$simple_fmt;
            add_header Vary Accept always;
            add_header Cache-Control "max-age=600, public" always;
        }
        location /files/ {
            add_header Cache-Control "max-age=365000000, immutable, public" always;
        }
    }
}
EOF
}

case $cmd in
start)
    [ -d "$root/www/simple" ] || { echo "serve_index: $root/www/simple missing (run make_index.py $root/www WHEELS_DIR)" >&2; exit 1; }
    [ -x "$NGINX" ] || { echo "serve_index: $NGINX not found (apt-get install nginx-light)" >&2; exit 1; }
    if running_pid >/dev/null; then
        echo "serve_index: already running in $root (stop it first)" >&2; exit 1
    fi
    mkdir -p "$root/tmp"
    for attempt in 1 2 3 4 5; do
        port=$(free_port)
        write_conf "$port"
        if "$NGINX" -q -p "$root/" -e "$root/error.log" -c "$conf" 2>>"$root/error.log"; then
            for _ in $(seq 100); do
                if port_answers "$port"; then
                    echo "$port" >"$root/port"
                    echo "http://127.0.0.1:$port"
                    exit 0
                fi
                sleep 0.05
            done
        fi
        # the port may have been taken between our probe and nginx's bind: stop and retry
        if pid=$(running_pid); then kill "$pid" 2>/dev/null || true; sleep 0.2; fi
    done
    echo "serve_index: nginx did not start; see $root/error.log:" >&2
    tail -n 5 "$root/error.log" >&2 || true
    exit 1
    ;;
stop)
    if pid=$(running_pid); then
        "$NGINX" -q -p "$root/" -e "$root/error.log" -c "$conf" -s stop 2>/dev/null || kill "$pid" 2>/dev/null || true
        for _ in $(seq 100); do
            kill -0 "$pid" 2>/dev/null || break
            sleep 0.05
        done
        if kill -0 "$pid" 2>/dev/null; then kill -9 "$pid" 2>/dev/null || true; fi
    fi
    rm -f "$pidfile"
    ;;
*) usage ;;
esac
