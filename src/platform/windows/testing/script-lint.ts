// Test-only checks of gofleet's generated PowerShell for pitfalls a parser does not see (check-ps51.ts parses;
// this reads the script's own conventions):
//   - every gf_ function called is defined in the script (a snippet missing from a builder's library would
//     otherwise fail only on a Windows host, at the first call);
//   - a gf_ function that returns a value is never called as a bare statement: in PowerShell every value a
//     statement produces joins the enclosing function's output, so `gf_rm_tree $x` inside gf_rollback would
//     turn gf_rollback's `return $false` into @($true, $false) -- truthy. Such calls must be [void](...) or
//     assigned. Scriptblocks given to Where-Object / ForEach-Object / Sort-Object produce values on purpose;
//   - no "$name:" inside a double-quoted string (PowerShell reads it as a scope- or drive-qualified variable)
//     other than $script: and $env:;
//   - a script-wide variable ($script:NAME) is never read or written bare as $NAME: a bare assignment in a
//     function creates a local, and a bare read may find a local of the same name (names are case-insensitive).

const FUNCTION = /^function (gf_\w+)\b[^\n]*\{\n([\s\S]*?)\n\}$/gm;
/** Scriptblocks whose output is the point. */
const VALUE_BLOCK = /(Where-Object|ForEach-Object|Sort-Object|Expression =)\s*\{\s*$/;

/** What the script's functions are: name -> whether it returns a value. */
export function scriptFunctions(script: string): Map<string, boolean> {
  const out = new Map<string, boolean>();
  for (const m of script.matchAll(FUNCTION)) out.set(m[1] ?? '', /\breturn\s+[^\s}]/.test(m[2] ?? ''));
  return out;
}

/** Problems found in `script`, one line each ('line N: ...'); empty when clean. */
export function lintScript(script: string): string[] {
  const functions = scriptFunctions(script);
  const problems: string[] = [];
  const lines = script.split('\n');
  const scriptVars = new Set([...script.matchAll(/\$script:(\w+)/g)].map((m) => (m[1] ?? '').toLowerCase()));
  lines.forEach((line, i) => {
    const code = line.replace(/'[^']*'/g, "''").replace(/#.*$/, '');
    for (const m of code.matchAll(/\b(gf_\w+)\b/g)) {
      const name = m[1] ?? '';
      if (/^function\s*$/.test(code.slice(0, m.index))) continue;
      if (!functions.has(name)) problems.push(`line ${i + 1}: ${name} is called but not defined`);
      const before = code.slice(0, m.index);
      const statement = /^\s*$/.test(before) || (/[{;]\s*$/.test(before) && !VALUE_BLOCK.test(before));
      if (statement && functions.get(name) === true) problems.push(`line ${i + 1}: ${name} returns a value but is called as a statement (use [void](...))`);
    }
    for (const m of code.matchAll(/(^|[^:\w])\$(\w+)\b(?!:)/g)) {
      if (scriptVars.has((m[2] ?? '').toLowerCase())) problems.push(`line ${i + 1}: $${m[2]} is a script-wide variable: write $script:${m[2]}`);
    }
    for (const m of line.matchAll(/"[^"]*"/g)) {
      for (const v of m[0].matchAll(/\$(\w+):/g)) {
        if (!/^(script|env)$/i.test(v[1] ?? '')) problems.push(`line ${i + 1}: "$${v[1]}:" in a double-quoted string is a scoped variable`);
      }
    }
  });
  return problems;
}
