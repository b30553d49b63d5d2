// The HTML report's one stylesheet, inlined in the page: system fonts only, nothing fetched. Status colours
// are the Okabe–Ito palette (told apart by colour-blind readers), and every coloured fill that matters also
// has a pattern (failed: hatched, unfinished: striped) so a black-and-white print still tells them apart.

export const REPORT_CSS = `
:root{--ink:#1b1f24;--muted:#5b6470;--line:#e2e5ea;--panel:#fff;--page:#f4f5f7;--grid:#e9ebef;
--mono:ui-monospace,SFMono-Regular,Menlo,Consolas,"DejaVu Sans Mono","Liberation Mono",monospace;
--sans:system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue","DejaVu Sans","Liberation Sans",Arial,sans-serif}
*{box-sizing:border-box;-webkit-print-color-adjust:exact;print-color-adjust:exact}
html{background:var(--page)}
body{margin:0 auto;max-width:1320px;padding:28px 32px 40px;color:var(--ink);font:14px/1.45 var(--sans)}
code,pre{font-family:var(--mono);font-size:12.5px}
h1{margin:2px 0 10px;font-size:26px;letter-spacing:-.01em}
h2{margin:0 0 4px;font-size:17px}
section,header.summary{background:var(--panel);border:1px solid var(--line);border-radius:10px;padding:20px 24px;margin:0 0 18px;box-shadow:0 1px 2px rgba(16,24,40,.05)}
.caption{margin:0 0 14px;color:var(--muted);font-size:13px}
.ic{display:inline-block;min-width:1.1em;text-align:center;font-weight:700}
.st-upgraded{--c:#00795a;--bg:#e1f3ec;--fill:#009e73}
.st-switched{--c:#005f8f;--bg:#e0edf7;--fill:#0072b2}
.st-pruned{--c:#00795a;--bg:#e1f3ec;--fill:repeating-linear-gradient(90deg,#009e73 0 5px,#5cc3a4 5px 7px)}
.st-unchanged{--c:#1d6fa3;--bg:#e3f0f9;--fill:#56b4e9}
.st-failed{--c:#b23c00;--bg:#fbe9df;--fill:repeating-linear-gradient(135deg,#d55e00 0 4px,#a84a00 4px 7px)}
.st-rolled_back{--c:#8f5b00;--bg:#fcf1d9;--fill:repeating-linear-gradient(90deg,#e69f00 0 5px,#c98a00 5px 7px)}
.st-unreachable{--c:#8e3f6c;--bg:#f7e6f0;--fill:repeating-linear-gradient(45deg,#cc79a7 0 4px,#a8598a 4px 7px)}
.st-skipped{--c:#5b6470;--bg:#eef0f2;--fill:#b9bfc7}
.st-unfinished{--c:#6b6200;--bg:#fbf8d6;--fill:repeating-linear-gradient(45deg,#f0e442 0 4px,#fffbd0 4px 8px)}
.brand{margin:0;color:var(--muted);font-size:12px;font-weight:600;letter-spacing:.08em;text-transform:uppercase}
.outcome{display:inline-block;margin:0 0 16px;padding:6px 14px 6px 10px;border-radius:6px;border-left:5px solid var(--c);background:var(--bg);color:var(--c);font-weight:600;font-size:15px}
.meta{display:grid;grid-template-columns:repeat(4,minmax(0,1fr));gap:10px 24px;margin:0 0 14px}
.meta dt{color:var(--muted);font-size:11px;font-weight:600;letter-spacing:.06em;text-transform:uppercase}
.meta dd{margin:1px 0 0;overflow-wrap:anywhere}
.argv{margin:0 0 16px;padding:9px 14px;border-radius:6px;background:#1f2430;color:#e8ecf2;white-space:pre-wrap;overflow-wrap:anywhere}
.counts{display:flex;flex-wrap:wrap;gap:10px;margin:0 0 10px;padding:0;list-style:none}
.counts li{min-width:118px;padding:8px 14px 9px;border:1px solid var(--line);border-top:4px solid var(--c,#1b1f24);border-radius:6px;color:var(--muted);font-size:12.5px}
.counts b{display:block;color:var(--c,var(--ink));font-size:22px;line-height:1.2}
.counts .zero{opacity:.45}
.ratio{display:flex;height:10px;border-radius:5px;overflow:hidden;background:var(--grid)}
.ratio span{background:var(--fill);border-right:1px solid #fff}
.tl{--row:24px}
.tl.dense{--row:11px}
.tl-row{display:grid;grid-template-columns:230px minmax(0,1fr) 64px;align-items:center;min-height:var(--row)}
.tl-row.host:hover{background:#f3f6fb}
.tl-name{overflow:hidden;padding-right:10px;white-space:nowrap;text-overflow:ellipsis;font:12px var(--mono)}
.tl-name .ic{color:var(--c)}
.tl-dur{padding-left:8px;color:var(--muted);font-size:12px;text-align:right;font-variant-numeric:tabular-nums}
.tl-track{position:relative;height:var(--row);background:repeating-linear-gradient(90deg,var(--grid) 0 1px,transparent 1px var(--tick));border-right:1px solid var(--grid)}
.tl-axis{align-items:end;position:sticky;top:0;z-index:2;background:var(--panel);border-bottom:1px solid var(--line)}
.tl-axis .tl-track{background:none;border:0}
.tl-axis .tl-dur{padding-bottom:3px;font-size:11px}
.tl-axis .tl-track span{position:absolute;bottom:3px;transform:translateX(-50%);color:var(--muted);font-size:11px;font-variant-numeric:tabular-nums}
.tl-axis .tl-track span:first-child{transform:none}
.tl-track i{position:absolute;top:3px;bottom:3px;min-width:2px;padding:0 4px;overflow:hidden;border-right:1px solid #fff;border-radius:2px;color:#fff;font:600 10.5px/calc(var(--row) - 6px) var(--sans);font-style:normal;overflow-wrap:normal;word-break:normal}
.tl.dense .tl-track i{top:1px;bottom:1px;padding:0;border-radius:1px}
.tl-track .life{position:absolute;top:calc(50% - 1px);height:2px;background:#aeb5bf}
i.ok{background:#00795a}
i.ok:nth-of-type(even){background:#16a07a}
i.fail{background:repeating-linear-gradient(135deg,#d55e00 0 4px,#a84a00 4px 7px)}
i.skip{background:#d3d7dd;color:#3b424b}
i.running{background:repeating-linear-gradient(45deg,#f0e442 0 4px,#fffbd0 4px 8px);color:#3b3700}
.tl-track .none{position:absolute;left:6px;color:var(--muted);font-size:11px;line-height:var(--row)}
.tl.dense .host .tl-name,.tl.dense .host .tl-dur{font-size:9.5px;line-height:var(--row)}
.tl.dense .tl-track .none{font-size:9px}
details.wave{border-top:1px solid var(--line)}
.wave-row{cursor:pointer;list-style:none;min-height:30px;background:#f0f2f6}
.wave-row::-webkit-details-marker{display:none}
.wave-row .tl-name{font-family:var(--sans);font-size:13px}
.wave-row .tl-name::before{content:"▾";display:inline-block;width:1.1em;color:var(--muted)}
details.wave:not([open]) .wave-row .tl-name::before{content:"▸"}
.wave-row .tl-track{height:30px;background:none}
.wave-row small{color:var(--muted)}
.wave-row .tally span{color:var(--c);font-weight:600}
.wave-band{position:absolute;top:9px;bottom:9px;border:2px solid #56637a;border-top:0;border-bottom:0;background:rgba(86,99,122,.18)}
.legend{display:flex;flex-wrap:wrap;gap:6px 22px;margin:14px 0 0;padding:0;list-style:none;color:var(--muted);font-size:12px}
.legend li{display:flex;align-items:center;gap:6px}
.legend i{display:inline-block;width:26px;height:14px;border-radius:2px;color:#fff;font:700 10px/14px var(--sans);font-style:normal;text-align:center}
.legend .life{display:inline-block;width:26px;height:2px;background:#aeb5bf}
.filter{display:inline-flex;gap:6px;align-items:center;margin:0 0 10px;color:var(--muted);font-size:13px;cursor:pointer}
body:has(#only-attention:checked) .hosts tbody tr:not(.attn){display:none}
table{width:100%;border-collapse:collapse}
thead th{position:sticky;top:0;z-index:1;background:var(--panel);border-bottom:2px solid var(--line);color:var(--muted);font-size:11px;font-weight:600;letter-spacing:.06em;text-align:left;text-transform:uppercase}
th,td{padding:7px 10px;vertical-align:top}
tbody tr{border-bottom:1px solid var(--line)}
tbody tr:nth-child(even){background:#fafbfc}
tbody th{font:600 12.5px var(--mono);text-align:left;overflow-wrap:anywhere;border-left:4px solid transparent}
tbody tr.attn th{border-left-color:var(--c)}
.num{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}
.badge{display:inline-block;padding:1px 9px 1px 5px;border:1px solid var(--c);border-radius:999px;background:var(--bg);color:var(--c);font-size:12px;font-weight:600;white-space:nowrap}
.notes{max-width:560px;overflow-wrap:anywhere}
.notes .code{padding:1px 5px;border-radius:4px;background:var(--bg,#eef0f2);color:var(--c,var(--ink));font-weight:600}
.notes .hint{margin-top:3px;color:var(--muted)}
.notes .warn{margin-top:3px;color:#8f5b00}
.notes details{margin-top:4px}
.notes summary{cursor:pointer;color:var(--muted);font-size:12.5px}
.notes pre{max-height:260px;margin:4px 0 0;padding:8px 10px;overflow:auto;border:1px solid var(--line);border-radius:6px;background:#f6f7f9;white-space:pre-wrap}
footer{color:var(--muted);font-size:12px;text-align:center}
@media print{html,body{background:#fff}body{max-width:none;padding:0}section,header.summary{box-shadow:none;break-inside:auto}
.filter{display:none}.tl-row,tr{break-inside:avoid}.tl-axis,thead th{position:static}}
`.trim();
