#!/usr/bin/env bash
# Renders the kai-scheduler chart as CI checks it, into deploy/helm/rendered/kai-scheduler.yaml (committed; the
# tests load it strictly and compare its RBAC with the components' calls). CI renders afresh and fails on a
# difference, so run this after changing the chart:  deploy/helm/render.sh [path-to-helm]
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
helm="${1:-${HELM:-helm}}"
mkdir -p "$here/rendered"
"$helm" template kai-scheduler "$here/kai-scheduler" --namespace kai-scheduler --include-crds \
  -f "$here/kai-scheduler/ci/test-values.yaml" > "$here/rendered/kai-scheduler.yaml"
echo "rendered $here/rendered/kai-scheduler.yaml"
