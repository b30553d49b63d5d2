// Every value reaches a Windows script only through psQuote: a hostile path, target or health command stays one
// verbatim string literal. Checked on the parse tree (tree-sitter-powershell), not on the text alone.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import Parser from 'tree-sitter';
import PowerShell from 'tree-sitter-powershell/bindings/node/index.js';
import { windows } from './index.ts';
import { checkPs51, formatPs51Problems } from './testing/check-ps51.ts';

const parser = new Parser();
parser.setLanguage(PowerShell as Parser.Language);

/** `$script:NAME = <value>` assignments of gf_main: NAME -> the value's node. */
function assignments(script: string): Map<string, Parser.SyntaxNode> {
  const out = new Map<string, Parser.SyntaxNode>();
  const tree = parser.parse(script, undefined, { bufferSize: 1 << 22 });
  const visit = (n: Parser.SyntaxNode): void => {
    if (n.type === 'assignment_expression') {
      const left = n.namedChildren[0]?.text ?? '';
      const right = n.namedChildren[n.namedChildren.length - 1];
      const m = /^\$script:([A-Z_]+)$/.exec(left);
      if (m && right) out.set(m[1] ?? '', right);
    }
    for (const c of n.namedChildren) visit(c);
  };
  visit(tree.rootNode);
  return out;
}

/** The value of a verbatim (single-quoted) string literal node, or null when the node is anything else. */
function verbatimValue(node: Parser.SyntaxNode): string | null {
  const literals = node.descendantsOfType('string_literal');
  if (literals.length !== 1 || literals[0]?.text !== node.text) return null;
  const parts = literals[0].namedChildren;
  if (parts.length !== 1 || parts[0]?.type !== 'verbatim_string_characters') return null;
  return node.text.slice(1, -1).replace(/(['\u2018\u2019\u201A\u201B])\1/g, '$1');
}

const hostile = {
  goroot: "C:\\Go'; Remove-Item -Recurse \\Windows ; '",
  versionsDir: 'D:\\$(Stop-Computer)\\`n back`tick ${env;x} \u2019smart\u2019 \u00e9t\u00e9',
};
const health = "go version; if ($LASTEXITCODE) { 'x' }; echo `whoami`";

test('a path with quotes, $, backticks, spaces and typographic quotes stays one verbatim literal', () => {
  const script = windows.switchTo({ paths: hostile, target: 'go1.27.3', run: 'r1', verify: { build: true, requirePath: true, healthCommand: health } });
  const result = checkPs51(script);
  assert.deepEqual(result.problems, [], formatPs51Problems(result.problems));
  const vars = assignments(script);
  const want: Record<string, string> = { G_ROOT: hostile.goroot, VDIR: hostile.versionsDir, HEALTH: health, TARGET: 'go1.27.3', RUN: 'r1' };
  for (const [name, value] of Object.entries(want)) {
    const node = vars.get(name);
    assert.ok(node, `$script:${name} is assigned`);
    assert.equal(verbatimValue(node), value, `$script:${name}`);
  }
});

test('the check itself tells an expandable string from a verbatim one', () => {
  const vars = assignments('function f {\n  $script:A = "C:\\$x"\n  $script:B = \'C:\\$x\'\n}\n');
  const a = vars.get('A');
  const b = vars.get('B');
  assert.ok(a && b);
  assert.equal(verbatimValue(a), null);
  assert.equal(verbatimValue(b), 'C:\\$x');
});
