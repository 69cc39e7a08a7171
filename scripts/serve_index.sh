#!/usr/bin/env bash
# nginx on 127.0.0.1 serving ROOT_DIR/www (laid out by scripts/make_index.py): the one nginx
# configuration of the demo, the e2e and embedding tests and the C++ fixture
# (tests/support/nginx.hpp).
#
#   scripts/serve_index.sh start ROOT_DIR   prints the base URL (http://127.0.0.1:PORT), the
#                                           only stdout line, once the port answers
#   scripts/serve_index.sh stop ROOT_DIR    stops it; safe to call twice
#   scripts/serve_index.sh conf ROOT_DIR PORT [TLS_PORT CERTS_DIR]
#                                           only writes ROOT_DIR/nginx.conf, for a caller that
#                                           runs `nginx -p ROOT_DIR -c ROOT_DIR/nginx.conf -g
#                                           'daemon off;'` itself; with CERTS_DIR (from
#                                           tests/support/net/make_certs.sh) HTTPS on TLS_PORT
#                                           too, client certificates optional, and
#                                           /client-cert answering nginx's verdict on one
#
# /simple/<project>/ answers index.json (application/vnd.pypi.simple.v1+json) when the Accept
# header lists that type with q > 0 (PEP 691) and the file exists, else index.html
# (text/html). ETag and Last-Modified are on (nginx's default); text/plain and text/html are
# gzipped for clients that ask; other directories are listed. ROOT_DIR/conf.d/*.conf is
# included in the server block (extra locations for a test). Config, pid, logs and temp files
# live in ROOT_DIR: nginx.conf, nginx.pid, access.log, error.log, tmp/. One access.log line a
# request: remote [time] "request" status bytes "accept" "agent" rt=seconds conn=connection
# req=request-on-connection uri=path (nginx's $uri, last: it may hold spaces). Works as root
# and as any other user.
set -euo pipefail

usage() {
    echo "usage: $0 start|stop ROOT_DIR | conf ROOT_DIR PORT [TLS_PORT CERTS_DIR]" >&2
    exit 2
}
[ $# -ge 2 ] || usage
cmd=$1
case $cmd in
start | stop) [ $# -eq 2 ] || usage ;;
conf) [ $# -eq 3 ] || [ $# -eq 5 ] || usage ;;
*) usage ;;
esac
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

write_conf() {  # $1 = port [$2 = TLS port, $3 = certificates directory]
    local user_line="" listen_tls="" tls="" client_cert=""
    # as root, workers would switch to nginx's compiled-in user and might not read ROOT_DIR
    [ "$(id -u)" -eq 0 ] && user_line="user root $(id -gn root);"
    if [ $# -eq 3 ]; then
        listen_tls="listen 127.0.0.1:$2 ssl;"
        tls="ssl_certificate $3/server.pem;
        ssl_certificate_key $3/server.key;
        ssl_client_certificate $3/ca.pem;
        ssl_verify_client optional;
        ssl_session_cache shared:SSL:1m;
        ssl_session_tickets on;"
        client_cert='location = /client-cert { return 200 "$ssl_client_verify"; }'
    fi
    mkdir -p "$root/tmp" "$root/conf.d"
    cat >"$conf" <<EOF
# written by scripts/serve_index.sh
$user_line
worker_processes 1;
pid $pidfile;
error_log $root/error.log warn;
events { worker_connections 1024; }
http {
    types {
        text/html html;
        text/plain txt;
        application/vnd.pypi.simple.v1+json json;
        application/octet-stream bin whl metadata;
    }
    default_type application/octet-stream;
    client_body_temp_path $root/tmp/body;
    proxy_temp_path $root/tmp/proxy;
    fastcgi_temp_path $root/tmp/fastcgi;
    uwsgi_temp_path $root/tmp/uwsgi;
    scgi_temp_path $root/tmp/scgi;
    log_format actpip '\$remote_addr [\$time_iso8601] "\$request" \$status \$body_bytes_sent '
                      '"\$http_accept" "\$http_user_agent" rt=\$request_time '
                      'conn=\$connection req=\$connection_requests uri=\$uri';
    access_log $root/access.log actpip;
    sendfile on;
    tcp_nopush on;
    tcp_nodelay on;
    keepalive_timeout 75s;
    keepalive_requests 100000;
    etag on;
    gzip on;
    gzip_types text/plain;
    gzip_min_length 100;
    absolute_redirect off;   # /simple/x -> /simple/x/ keeps host and port
    # PEP 691 content negotiation: JSON when the client lists the JSON type with q > 0
    map \$http_accept \$simple_fmt {
        default html;
        "~*application/vnd\\.pypi\\.simple\\.v1\\+json(?!\\s*;\\s*q=0(\\.0*)?\\s*(,|\$))" json;
    }
    server {
        listen 127.0.0.1:$1;
        $listen_tls
        server_name localhost 127.0.0.1;
        $tls
        root $root/www;
        autoindex on;
        location = / { return 302 /simple/; }
        location /simple/ {
            index index.\$simple_fmt index.html;
            add_header Vary Accept always;
            add_header Cache-Control "max-age=600, public" always;
        }
        location /files/ {
            add_header Cache-Control "max-age=365000000, immutable, public" always;
        }
        $client_cert
        include $root/conf.d/*.conf;
    }
}
EOF
}

case $cmd in
conf)
    write_conf "${@:3}"
    ;;
start)
    [ -d "$root/www/simple" ] || { echo "serve_index: $root/www/simple missing (run make_index.py $root/www WHEELS_DIR)" >&2; exit 1; }
    [ -x "$NGINX" ] || { echo "serve_index: $NGINX not found (apt-get install nginx-light)" >&2; exit 1; }
    if running_pid >/dev/null; then
        echo "serve_index: already running in $root (stop it first)" >&2; exit 1
    fi
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
esac
