/**
 * The report's one stylesheet, inline (the CSP allows inline styles and nothing from the
 * network). System fonts; colours meet WCAG AA (text ≥ 4.5:1 on its background) in both schemes;
 * every status also has a text label, never colour alone.
 */
export const REPORT_CSS = `
:root {
  color-scheme: light dark;
  --bg: #ffffff; --fg: #1f2328; --muted: #59636e; --border: #d1d9e0; --panel: #f6f8fa; --link: #0550ae;
  --pass-bg: #dafbe1; --pass-fg: #0f5323; --fail-bg: #ffebe9; --fail-fg: #a0111f; --na-bg: #f6f8fa; --na-fg: #59636e;
  --sev-CRITICAL: #8250df; --sev-HIGH: #cf222e; --sev-MEDIUM: #9a6700; --sev-LOW: #0969da; --sev-INFO: #6e7781;
  --grid: #e6eaef;
}
@media (prefers-color-scheme: dark) {
  :root {
    --bg: #0d1117; --fg: #e6edf3; --muted: #9198a1; --border: #3d444d; --panel: #151b23; --link: #4493f8;
    --pass-bg: #0f2d1b; --pass-fg: #6fdd8b; --fail-bg: #3a1216; --fail-fg: #ffa198; --na-bg: #151b23; --na-fg: #9198a1;
    --sev-CRITICAL: #ab7df8; --sev-HIGH: #f85149; --sev-MEDIUM: #d29922; --sev-LOW: #4493f8; --sev-INFO: #9198a1;
    --grid: #262c36;
  }
}
* { box-sizing: border-box; }
html { -webkit-text-size-adjust: 100%; }
body {
  margin: 0; background: var(--bg); color: var(--fg);
  font: 15px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, "Noto Sans", sans-serif;
}
main { max-width: 1240px; margin: 0 auto; padding: 24px 16px 64px; }
a { color: var(--link); }
h1 { font-size: 1.65rem; line-height: 1.25; margin: 0 0 6px; }
h2 { font-size: 1.25rem; margin: 40px 0 12px; padding-bottom: 6px; border-bottom: 1px solid var(--border); }
h3 { font-size: 1.05rem; margin: 0; overflow-wrap: anywhere; }
code, pre, .mono {
  font-family: ui-monospace, SFMono-Regular, "SF Mono", Menlo, Consolas, "Liberation Mono", monospace;
  font-size: 0.85em;
}
.meta { color: var(--muted); margin: 2px 0; overflow-wrap: anywhere; }
.cards { display: grid; grid-template-columns: repeat(auto-fit, minmax(150px, 1fr)); gap: 12px; margin: 20px 0 0; padding: 0; list-style: none; }
.cards li { border: 1px solid var(--border); border-radius: 8px; padding: 10px 14px; background: var(--panel); }
.cards .n { display: block; font-size: 1.6rem; font-weight: 650; line-height: 1.2; }
.cards .bad .n { color: var(--fail-fg); }
.scroll { overflow-x: auto; border: 1px solid var(--border); border-radius: 8px; -webkit-overflow-scrolling: touch; }
.scroll:focus { outline: 2px solid var(--link); outline-offset: 2px; }
table { border-collapse: collapse; width: 100%; }
caption { caption-side: top; text-align: left; padding: 8px 12px; color: var(--muted); font-size: 0.9rem; }
th, td { padding: 6px 10px; text-align: left; vertical-align: top; border-top: 1px solid var(--border); }
thead th { background: var(--panel); font-weight: 600; white-space: nowrap; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
.matrix th[scope="row"] { position: sticky; left: 0; z-index: 1; background: var(--bg); min-width: 11rem; max-width: 18rem; overflow-wrap: anywhere; }
.matrix thead th:first-child { position: sticky; left: 0; z-index: 2; }
.nowrap { white-space: nowrap; }
.phone-only { display: none; }
.matrix td.status.not-applicable { font-weight: 400; }
.matrix th.control { white-space: normal; text-align: center; vertical-align: bottom; min-width: 5.5rem; max-width: 8rem; line-height: 1.25; }
.matrix th.control abbr { text-decoration: none; }
.matrix th.control .prefix { display: block; color: var(--muted); font-size: 0.75rem; font-weight: 500; }
.matrix td.status { text-align: center; white-space: nowrap; font-weight: 600; }
.matrix tfoot td.num { text-align: center; }
.matrix tfoot td, .matrix tfoot th { background: var(--panel); font-size: 0.85rem; white-space: nowrap; }
.status.passed, .badge.passed { background: var(--pass-bg); color: var(--pass-fg); }
.status.failed, .badge.failed { background: var(--fail-bg); color: var(--fail-fg); }
.status.not-applicable, .badge.not-applicable { background: var(--na-bg); color: var(--na-fg); font-weight: 400; }
.status a { color: inherit; text-decoration: none; display: block; }
.status a:hover, .status a:focus { text-decoration: underline; }
.sub { display: block; color: var(--muted); font-size: 0.8rem; font-weight: 400; }
.badge { display: inline-block; padding: 0 6px; border-radius: 4px; font-size: 0.8rem; font-weight: 600; white-space: nowrap; }
.sev { display: inline-block; padding: 0 6px; border-radius: 4px; font-size: 0.78rem; font-weight: 650; color: #fff; white-space: nowrap; }
.sev-CRITICAL { background: #6639ba; } .sev-HIGH { background: #a40e26; } .sev-MEDIUM { background: #7d4e00; }
.sev-LOW { background: #0550ae; } .sev-INFO { background: #59636e; }
.legend { display: flex; flex-wrap: wrap; gap: 6px 16px; margin: 0 0 8px; padding: 0; list-style: none; font-size: 0.9rem; }
.swatch { display: inline-block; width: 12px; height: 12px; border-radius: 2px; margin-right: 6px; vertical-align: -1px; }
svg.timeline { display: block; width: 100%; height: auto; }
svg.timeline text { fill: var(--muted); font-size: 11px; font-family: inherit; }
svg.timeline .gridline { stroke: var(--grid); stroke-width: 1; }
svg.timeline .axis { stroke: var(--border); stroke-width: 1; }
${['CRITICAL', 'HIGH', 'MEDIUM', 'LOW', 'INFO'].map((s) => `svg.timeline .bar-${s}, .swatch-${s} { fill: var(--sev-${s}); background: var(--sev-${s}); }`).join('\n')}
figure.chart { margin: 0; }
.spaced { margin: 24px 0 8px; }
details { margin-top: 10px; }
summary { cursor: pointer; color: var(--link); }
pre { background: var(--panel); border: 1px solid var(--border); border-radius: 6px; padding: 10px; overflow-x: auto; max-height: 28rem; }
.stage { border: 1px solid var(--border); border-radius: 8px; padding: 14px 16px; margin: 0 0 16px; }
.stage header { display: flex; flex-wrap: wrap; align-items: baseline; gap: 4px 12px; margin-bottom: 8px; }
.stage ul.controls { margin: 8px 0; padding-left: 0; list-style: none; }
.stage ul.controls li { margin: 3px 0; }
ul.changes { margin: 0; padding-left: 1.1rem; }
ul.changes li { margin: 2px 0; overflow-wrap: anywhere; }
.before { text-decoration: line-through; text-decoration-color: var(--muted); }
.history td:first-child { white-space: nowrap; }
.toolbar { display: flex; gap: 12px; align-items: center; margin: 0 0 8px; font-size: 0.9rem; }
.hidden { display: none; }
footer { margin-top: 48px; color: var(--muted); font-size: 0.85rem; }
@media (max-width: 600px) {
  body { font-size: 14px; }
  main { padding: 16px 12px 48px; }
  h1 { font-size: 1.35rem; }
  .cards .n { font-size: 1.3rem; }
  .wide-only { display: none; }
  .phone-only { display: block; }
  .matrix th[scope="row"] { min-width: 8.5rem; max-width: 10rem; }
  .matrix th.control { min-width: 4.6rem; }
  th, td { padding: 5px 7px; }
  .history, .history tbody, .history tr, .history td { display: block; }
  .history thead { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); }
  .history tr { border-top: 1px solid var(--border); padding: 6px 0; }
  .history td { border: 0; padding: 2px 8px; }
}
@media print { .scroll { overflow: visible; } details { display: block; } }
`;
