#!/usr/bin/env bash
# Release check of the Python app (examples/python/app.py): the monitor's template has its three
# functions, each with the package's prebuilt code (an asset holding index.mjs).
set -euo pipefail
out="${1:-cdk.out}"
template="$out/StageDriftMonitor.template.json"
python3 - "$template" "$out" <<'PY'
import json, os, sys
template, out = sys.argv[1], sys.argv[2]
resources = json.load(open(template))["Resources"].values()
functions = [r for r in resources if r["Type"] == "AWS::Lambda::Function"]
assets = [os.path.join(out, f["Metadata"]["aws:asset:path"], "index.mjs") for f in functions]
missing = [a for a in assets if not os.path.isfile(a)]
if len(functions) != 3 or missing:
    sys.exit(f"expected 3 functions with prebuilt code, found {len(functions)}; missing: {missing}")
print(f"ok: {len(functions)} functions, prebuilt code in {', '.join(sorted(set(assets)))}")
PY
