#!/bin/sh
# Generates the project's own test PKI (see certs/README.md) with the qujat tool.
# Usage: QUJAT_TEST_PKI_PASSWORD=... certs/make-test-pki.sh OUT_DIR [QUJAT_BINARY]
set -eu
out=${1:?usage: QUJAT_TEST_PKI_PASSWORD=... $0 OUT_DIR [QUJAT_BINARY]}
qujat=${2:-qujat}
: "${QUJAT_TEST_PKI_PASSWORD:?set QUJAT_TEST_PKI_PASSWORD (the password goes through the environment, never argv)}"
exec "$qujat" pki make-test-pki --out "$out" --password-env QUJAT_TEST_PKI_PASSWORD
