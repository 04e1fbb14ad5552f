"""A Python CDK app with the stage-drift monitor: the release check of the Python wheel.

These machines cannot install Python's aws-cdk-lib (no PyPI), so this runs at release time, on a
machine that can (docs/release.md):

    python3 -m venv .venv && . .venv/bin/activate
    pip install ../../dist/python/stage_drift-*.whl      # pulls aws-cdk-lib, constructs, jsii
    npx cdk synth --app "python3 app.py" -o cdk.out
    ./check_template.sh cdk.out                           # three functions, prebuilt code

The synthesized template must hold the same functions as the TypeScript app's
(snapshot, rescan, publish; the planner too with target accounts).
"""
from aws_cdk import App, Duration, Stack
from stage_drift import OutOfBandMode, Severity, StageDriftMonitor, StageDriftReaderRole

app = App()
monitor_stack = Stack(app, "StageDriftMonitor")
monitor = StageDriftMonitor(
    monitor_stack,
    "Monitor",
    schedule=Duration.minutes(30),
    slack_min_severity=Severity.HIGH,
    out_of_band=OutOfBandMode.DOWNGRADE,
)
StageDriftReaderRole(
    Stack(app, "StageDriftReader"),
    "Reader",
    monitor_account_id="111111111111",
    external_id="stage-drift-example",
    trust_monitor_account=True,
)
app.synth()
