#!/usr/bin/env bash
# Synthesizes the LocalStack variant exactly as `npm run deploy:localstack` deploys it (cdklocal, stage dev,
# target localstack), bundling included, into cdk.out.localstack/. Needs no LocalStack and no credentials:
# for CI. (test/infra/localstack.test.ts covers the same without bundling, in `npm test`.)
set -euo pipefail
cd "$(dirname "$0")/.."
npx cdklocal synth --quiet -c "stage=${STAGE:-dev}" -c target=localstack -o cdk.out.localstack "$@"
echo "LocalStack variant synthesized to cdk.out.localstack/"
