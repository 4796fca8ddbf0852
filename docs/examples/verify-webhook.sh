#!/bin/sh
# Checks a Parley webhook event's signature with openssl, as docs/SERVER-API.md says:
#   verify-webhook.sh SECRET 'PARLEY_SIGNATURE_HEADER' BODY_FILE
# exits 0 (and prints "verified") if the header signs the body with the secret and its t
# is within 5 minutes of now; 1 otherwise. The body must be the bytes exactly as received.
secret=$1 header=$2 body=$3
t=$(printf '%s' "$header" | sed -n 's/^t=\([0-9]\{1,12\}\),v1=[0-9a-f]\{64\}$/\1/p')
v1=$(printf '%s' "$header" | sed -n 's/^t=[0-9]\{1,12\},v1=\([0-9a-f]\{64\}\)$/\1/p')
[ -n "$t" ] && [ -n "$v1" ] || { echo "not a Parley-Signature"; exit 1; }
now=$(date +%s)
[ $((now - t)) -le 300 ] && [ $((t - now)) -le 300 ] || { echo "t is more than 5 minutes away"; exit 1; }
expected=$( { printf '%s.' "$t"; cat "$body"; } | openssl dgst -sha256 -hmac "$secret" -r | cut -d' ' -f1)
[ "$expected" = "$v1" ] || { echo "signature does not match"; exit 1; }
echo verified
