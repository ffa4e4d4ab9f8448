#!/usr/bin/env bash
# The seed's curl flow against any running API: register, login, profile (plus the API root and the docs).
# Fails on the first unexpected status.
#
#   scripts/smoke.sh http://127.0.0.1:3000                                         # npm start
#   scripts/smoke.sh http://<apiId>.execute-api.localhost.localstack.cloud:4566/dev  # LocalStack
#   scripts/smoke.sh https://<apiId>.execute-api.<region>.amazonaws.com/dev          # AWS
set -euo pipefail

if [[ $# -ne 1 ]]; then
  echo "usage: $0 BASE_URL   (e.g. http://127.0.0.1:3000)" >&2
  exit 2
fi
BASE="${1%/}"
TMP="$(mktemp -d)"
trap 'rm -rf "${TMP}"' EXIT

# One value out of a JSON file: json FILE KEY[.KEY...]
json() { node -e '
  let value = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
  for (const key of process.argv[2].split(".")) value = value?.[key];
  if (value === undefined) process.exit(1);
  process.stdout.write(typeof value === "string" ? value : JSON.stringify(value));
' "$1" "$2"; }

# call NAME EXPECTED_STATUS METHOD PATH [curl args...]: prints the status, keeps the body in $TMP/NAME.
call() {
  local name="$1" expected="$2" method="$3" path="$4"
  shift 4
  local status
  status="$(curl -sS -o "${TMP}/${name}" -w '%{http_code}' -X "${method}" "${BASE}${path}" "$@")"
  if [[ "${status}" != "${expected}" ]]; then
    printf 'FAIL  %-8s %-28s %s (expected %s)\n' "${method}" "${path}" "${status}" "${expected}" >&2
    head -c 600 "${TMP}/${name}" >&2 || true
    echo >&2
    exit 1
  fi
  printf 'ok    %-8s %-28s %s\n' "${method}" "${path}" "${status}"
}

# Unique per run, so the smoke test can run again against the same data: the seed's jane_doe, suffixed.
n="$(date +%s)$((RANDOM % 100))"
username="jane_doe_${n}"
ssn="$(printf '%03d-%02d-%04d' $((100 + n % 500)) $((10 + n % 89)) $((1000 + n % 9000)))"

echo "Smoke test against ${BASE}"
call root 200 GET /
call openapi 200 GET /api/openapi.json
call docs 200 GET /api/docs/swagger/

# 1. Register a new user -> 201
call register 201 POST /api/auth/register/ -H 'Content-Type: application/json' -d "{
  \"username\": \"${username}\",
  \"email\": \"${username}@example.com\",
  \"password\": \"SecurePass123!\",
  \"confirm_password\": \"SecurePass123!\",
  \"first_name\": \"Jane\",
  \"last_name\": \"Doe\",
  \"phone_number\": \"+1234567890\",
  \"date_of_birth\": \"1992-05-20\",
  \"ssn\": \"${ssn}\",
  \"address\": \"456 Oak Ave, City, ST 12345\"
}"
[[ "$(json "${TMP}/register" kyc_status)" == PENDING ]] || { echo 'FAIL  registration is not PENDING' >&2; exit 1; }

# 2. Login -> 200 {"access": "...", "refresh": "...", "user": {...}}
call login 200 POST /api/auth/login/ -H 'Content-Type: application/json' \
  -d "{\"username\": \"${username}\", \"password\": \"SecurePass123!\"}"
access="$(json "${TMP}/login" access)"

# 3. View profile -> 200, and without a token -> 401
call profile 200 GET /api/profile/ -H "Authorization: Bearer ${access}"
[[ "$(json "${TMP}/profile" username)" == "${username}" ]] || { echo 'FAIL  profile of someone else' >&2; exit 1; }
call anonymous 401 GET /api/profile/

echo "Smoke test passed: ${username} registered, signed in and read their profile."
