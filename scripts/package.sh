#!/usr/bin/env bash
# `make package`: packages the AWS deployment offline and lints the CloudFormation template.
#
#   scripts/package.sh [DIR]   # DIR defaults to .serverless; PACKAGE_STAGE=prod for prod
#
# Runs `osls package --stage dev` (or PACKAGE_STAGE) with dummy credentials and no profile, so nothing can reach AWS
# (packaging needs none: serverless-esbuild bundles locally and serverless-domain-manager only
# acts on deploy), then cfn-lint from the tooling virtualenv on the generated template. Fails on
# any cfn-lint error or warning except W3005 (osls adds DependsOn entries that a Ref or GetAtt
# already implies).
set -euo pipefail
cd "$(dirname "$0")/.."
OUT="${1:-.serverless}"
STAGE_NAME="${PACKAGE_STAGE:-dev}"

env -u AWS_PROFILE -u AWS_SESSION_TOKEN -u AWS_DEFAULT_PROFILE \
  AWS_ACCESS_KEY_ID=offline AWS_SECRET_ACCESS_KEY=offline \
  AWS_SDK_LOAD_CONFIG=0 AWS_CONFIG_FILE=/dev/null AWS_SHARED_CREDENTIALS_FILE=/dev/null \
  SLS_TELEMETRY_DISABLED=1 SLS_NOTIFICATIONS_MODE=off \
  npx --no-install osls package --stage "$STAGE_NAME" --package "$OUT"

.tools/venv/bin/cfn-lint --ignore-checks W3005 -- "$OUT/cloudformation-template-update-stack.json"
echo "Packaged stage $STAGE_NAME into $OUT; cfn-lint found no problems."
