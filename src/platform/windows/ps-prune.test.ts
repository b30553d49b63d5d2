// gf_version_key (ps-prune.ts) sorts versions for prune. PowerShell cannot run here, so versionKey below is a
// line-by-line TypeScript port of it (same regex, same steps); the test checks that the PowerShell text holds
// the port's regex and padding, and that the port orders versions exactly as src/version does.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { compareVersions, sortVersionsDesc } from '../../version/go-version.ts';
import { PS_PRUNE } from './ps-prune.ts';

const KEY_RE = String.raw`^go([0-9]+)(?:\.([0-9]+))?(?:\.([0-9]+))?(?:(alpha|beta|rc)([0-9]+))?$`;

const pad = (n: number, width: number): string => String(n).padStart(width, '0');

function versionKey(name: string): string {
  const m = new RegExp(KEY_RE).exec(name);
  if (m === null) return '0';
  const maj = Number(m[1]);
  let min = 0;
  if (m[2] !== undefined) min = Number(m[2]);
  const pre = m[4] ?? '';
  let pat = 0;
  if (m[3] !== undefined) {
    pat = Number(m[3]);
  } else if (m[2] !== undefined && (pre !== '' || maj !== 1 || min >= 21)) {
    pat = -1;
  }
  let kind = 0;
  if (pre === 'alpha') kind = 1;
  else if (pre === 'beta') kind = 2;
  else if (pre === 'rc') kind = 3;
  let n = 0;
  if (m[5] !== undefined) n = Number(m[5]);
  return '1' + pad(maj + 1, 6) + pad(min + 1, 6) + pad(pat + 1, 6) + pad(kind, 1) + pad(n + 1, 6);
}

test('the PowerShell gf_version_key holds the regex and the key layout of the port', () => {
  assert.ok(PS_PRUNE.includes(`[regex]::Match($Name, '${KEY_RE}')`));
  assert.ok(PS_PRUNE.includes("return ('1' + ($maj + 1).ToString('D6') + ($min + 1).ToString('D6') + ($pat + 1).ToString('D6') + $kind.ToString('D1') + ($n + 1).ToString('D6'))"));
  assert.ok(PS_PRUNE.includes('} elseif ($m.Groups[2].Success -and ($pre -ne \'\' -or $maj -ne 1 -or $min -ge 21)) {'));
});

test('the key orders versions as go/version.Compare does (newest first for prune)', () => {
  const versions = ['go1.27.3', 'go1.27.0', 'go1.27rc2', 'go1.27rc10', 'go1.27beta1', 'go1.27', 'go1.26.10', 'go1.26.9', 'go1.21.0', 'go1.21rc1', 'go1.20', 'go1.20.1', 'go1.20rc3', 'go1.9', 'go1.10beta2', 'go1', 'go2.0.0', 'go1.100.1'];
  const byKey = [...versions].sort((a, b) => (versionKey(a) < versionKey(b) ? 1 : versionKey(a) > versionKey(b) ? -1 : 0));
  const expected = sortVersionsDesc(versions);
  for (let i = 0; i < versions.length; i++) {
    // equal versions (go1.20 == go1.20.0) may sit in either order
    assert.equal(compareVersions(byKey[i] ?? '', expected[i] ?? ''), 0, `position ${i}: ${byKey.join(' ')} vs ${expected.join(' ')}`);
  }
  assert.equal(versionKey('gofoo'), '0');
});
