#!/usr/bin/env bash
# Deploys the CDK app to a LocalStack on :4566 with cdklocal (aws-cdk-local): stage dev, target localstack
# (the same app; only the WAF web ACL is left out, LocalStack runs WAFv2 in its Ultimate plan only).
#
#   npm run deploy:localstack            # every stack (needs a LocalStack plan with Cognito: Base or above)
#   STACKS="CoreBanking-dev-Data CoreBanking-dev-Messaging" npm run deploy:localstack   # a subset
#
# Environment: LOCALSTACK_ENDPOINT (default http://localhost:4566), STAGE (default dev), STACKS.
set -euo pipefail
cd "$(dirname "$0")/.."

ENDPOINT="${LOCALSTACK_ENDPOINT:-http://localhost:4566}"
STAGE="${STAGE:-dev}"
STACKS="${STACKS:-}"
OUTPUTS="cdk.out/localstack-outputs.json"
CONTEXT=(-c "stage=${STAGE}" -c target=localstack)

step() { printf '\n==> %s\n' "$*"; }
fail() { printf '\nerror: %s\n' "$*" >&2; exit 1; }

step "Checking LocalStack at ${ENDPOINT}"
if ! health="$(curl -fsS --max-time 5 "${ENDPOINT}/_localstack/health")"; then
  fail "LocalStack is not reachable at ${ENDPOINT}.
Start it first (Docker, with your auth token), e.g.:
  docker run --rm -d -p 4566:4566 -e LOCALSTACK_AUTH_TOKEN -e LAMBDA_IGNORE_ARCHITECTURE=1 \\
    -v /var/run/docker.sock:/var/run/docker.sock localstack/localstack
or run the whole API without Docker: npm start"
fi

# Which services this LocalStack offers (its plan decides): print them, and stop early without Cognito.
missing="$(HEALTH="${health}" node -e '
  const { services = {} } = JSON.parse(process.env.HEALTH);
  const needed = ["cloudformation", "s3", "ssm", "iam", "sts", "lambda", "apigateway", "dynamodb",
    "dynamodbstreams", "kms", "sqs", "stepfunctions", "logs", "cognito-idp"];
  const usable = (name) => ["available", "running"].includes(services[name]);
  console.error("    services: " + needed.map((name) => `${name}=${services[name] ?? "absent"}`).join(" "));
  console.log(needed.filter((name) => !usable(name)).join(" "));
')"
if [[ -z "${STACKS}" && " ${missing} " == *" cognito-idp "* ]]; then
  fail "this LocalStack offers no Cognito user pools (cognito-idp: LocalStack's Base plan and above).
The Auth stack cannot deploy without them, and the Workflow and Api stacks use its user pool, so the
full app cannot run on this plan. What does deploy on it:
  STACKS=\"CoreBanking-${STAGE}-Data CoreBanking-${STAGE}-Messaging\" npm run deploy:localstack
To run the whole API locally without LocalStack: npm start"
fi
if [[ -n "${missing// /}" ]]; then
  printf '    warning: not available here: %s (deploying anyway)\n' "${missing}"
fi

step "Bootstrapping (cdklocal bootstrap)"
npx cdklocal bootstrap "${CONTEXT[@]}"

step "Deploying ${STACKS:-all stacks} (stage ${STAGE})"
mkdir -p cdk.out
# shellcheck disable=SC2086 # STACKS is a space-separated list of stack names
npx cdklocal deploy ${STACKS:---all} "${CONTEXT[@]}" --require-approval never --outputs-file "${OUTPUTS}"

api_id="$(node -e '
  const outputs = require(process.argv[1]);
  const api = outputs[process.argv[2]] ?? {};
  process.stdout.write(api.ApiId ?? "");
' "./${OUTPUTS}" "CoreBanking-${STAGE}-Api")"
if [[ -n "${api_id}" ]]; then
  # The CloudFormation outputs carry AWS's hostname; LocalStack serves the API under its own.
  port="${ENDPOINT##*:}"
  port="${port%%/*}"
  base="http://${api_id}.execute-api.localhost.localstack.cloud:${port}/${STAGE}"
  step "Deployed"
  printf '    API:      %s/\n' "${base}"
  printf '    Docs:     %s/api/docs/swagger/\n' "${base}"
  printf '    OpenAPI:  %s/api/openapi.json\n' "${base}"
  printf '    Smoke:    npm run smoke -- %s\n' "${base}"
else
  step "Deployed (no API stack in this deployment); outputs in ${OUTPUTS}"
fi
