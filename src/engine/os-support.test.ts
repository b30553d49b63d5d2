import { test } from 'node:test';
import assert from 'node:assert/strict';
import { osSupports } from './os-support.ts';
import type { HostFacts } from '../platform/types.ts';

type F = Pick<HostFacts, 'os' | 'kernel' | 'osVersion'>;
const mac = (osVersion: string, kernel = ''): F => ({ os: 'darwin', kernel, osVersion });
const linux = (kernel: string): F => ({ os: 'linux', kernel, osVersion: 'Some Linux' });
const win = (kernel: string): F => ({ os: 'windows', kernel, osVersion: 'Windows' });

test('macOS minimums by Go release (sw_vers, old and new product names)', () => {
  const rows: [F, string, boolean][] = [
    [mac('macOS 12.7.4'), 'go1.27.3', false],
    [mac('macOS 13.0'), 'go1.27.3', true],
    [mac('macOS 12.7.4'), 'go1.26.8', true],
    [mac('macOS 11.7'), 'go1.26.8', false],
    [mac('macOS 11.7'), 'go1.24.1', true],
    [mac('Mac OS X 10.15.7'), 'go1.23.0', false],
    [mac('Mac OS X 10.15.7'), 'go1.22.12', true],
    [mac('Mac OS X 10.14.6'), 'go1.21.0', false],
    [mac('Mac OS X 10.14.6'), 'go1.20.14', true],
    [mac('macOS 15.1'), 'go1.27rc1', true],
  ];
  for (const [facts, target, ok] of rows) assert.equal(osSupports(facts, target).ok, ok, `${facts.osVersion} ${target}`);
  assert.deepEqual(osSupports(mac('macOS 12.7.4'), 'go1.27.3'), { ok: false, have: 'macOS 12.7.4', need: 'macOS 13 Ventura' });
});

test('macOS from the Darwin kernel when sw_vers said nothing', () => {
  assert.deepEqual(osSupports(mac('', '21.6.0'), 'go1.27.3'), { ok: false, have: 'macOS 12', need: 'macOS 13 Ventura' });
  assert.equal(osSupports(mac('', '22.1.0'), 'go1.27.3').ok, true);
  assert.equal(osSupports(mac('', '19.6.0'), 'go1.23.0').ok, false, 'Darwin 19 is macOS 10.15');
});

test('Linux kernel 3.2 from Go 1.24; 2.6.32 before', () => {
  assert.deepEqual(osSupports(linux('3.1.10-1'), 'go1.24.0'), { ok: false, have: 'Linux kernel 3.1.10', need: 'Linux kernel 3.2' });
  assert.equal(osSupports(linux('3.2.0-4-amd64'), 'go1.24.0').ok, true);
  assert.equal(osSupports(linux('3.1.10'), 'go1.23.4').ok, true);
  assert.equal(osSupports(linux('2.6.18-419.el5'), 'go1.19.8').ok, false);
  assert.equal(osSupports(linux('6.1.0-26-amd64'), 'go1.27.3').ok, true);
});

test('Windows 10 / Server 2016 from Go 1.21 (build number, bare or as 10.0.N)', () => {
  assert.equal(osSupports(win('9600'), 'go1.21.0').ok, false, 'Windows 8.1 / Server 2012 R2');
  assert.equal(osSupports(win('6.3.9600'), 'go1.21.0').ok, false);
  assert.equal(osSupports(win('9600'), 'go1.20.14').ok, true);
  assert.equal(osSupports(win('14393'), 'go1.27.3').ok, true, 'Server 2016');
  assert.equal(osSupports(win('10.0.17763'), 'go1.27.3').ok, true);
});

test('what cannot be read is not refused', () => {
  assert.equal(osSupports(linux(''), 'go1.27.3').ok, true);
  assert.equal(osSupports(mac('', ''), 'go1.27.3').ok, true);
  assert.equal(osSupports({ os: 'unknown', kernel: '1', osVersion: '' }, 'go1.27.3').ok, true);
  assert.equal(osSupports(linux('2.4.0'), 'not-a-version').ok, true);
});
