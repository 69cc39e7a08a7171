#!/usr/bin/env bash
# Writes a test CA and certificates into DIR (never the source tree):
#   ca.pem/ca.key            the CA the tests trust
#   server.pem/server.key    signed by the CA for localhost, 127.0.0.1 and ::1
#   wrong.pem/wrong.key      signed by the CA for wrong.example only (host name mismatch)
#   self.pem/self.key        self-signed for localhost and 127.0.0.1 (untrusted)
#   client.pem/client.key    a client certificate signed by the CA
set -euo pipefail
dir=${1:?usage: make_certs.sh DIR}
mkdir -p "$dir"
cd "$dir"
ossl() { openssl "$@" 2>/dev/null; }
ossl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 2 \
    -subj "/CN=actpip test CA" -keyout ca.key -out ca.pem \
    -addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign,cRLSign"
leaf() { # name subject san
    ossl req -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -subj "/CN=$2" \
        -keyout "$1.key" -out "$1.csr"
    printf 'subjectAltName=%s\nbasicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth,clientAuth\n' \
        "$3" >"$1.ext"
    ossl x509 -req -in "$1.csr" -CA ca.pem -CAkey ca.key -CAcreateserial -days 2 \
        -extfile "$1.ext" -out "$1.pem"
    rm -f "$1.csr" "$1.ext"
}
leaf server localhost "DNS:localhost,IP:127.0.0.1,IP:::1"
leaf wrong wrong.example "DNS:wrong.example"
leaf client "actpip test client" "DNS:client.example"
ossl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 2 -subj "/CN=localhost" \
    -keyout self.key -out self.pem -addext "subjectAltName=DNS:localhost,IP:127.0.0.1"
