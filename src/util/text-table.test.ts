import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatBytes, formatDuration, renderTable } from './text-table.ts';

test('columns are padded to the widest cell, ignoring colour codes', () => {
  const out = renderTable(['host', 'status'], [['a', '\x1b[32mupgraded\x1b[0m'], ['long-name', 'failed']]);
  assert.equal(
    out,
    'host       status\n---------  --------\na          \x1b[32mupgraded\x1b[0m\nlong-name  failed\n',
  );
});

test('right alignment', () => {
  assert.equal(renderTable(['n'], [['1'], ['100']], { right: [0] }), '  n\n---\n  1\n100\n');
});

test('durations and sizes read naturally', () => {
  assert.equal(formatDuration(42), '42ms');
  assert.equal(formatDuration(1500), '1.5s');
  assert.equal(formatDuration(125_000), '2m05s');
  assert.equal(formatBytes(512), '512 B');
  assert.equal(formatBytes(1536), '1.5 KiB');
  assert.equal(formatBytes(70 * 1048576), '70 MiB');
  assert.equal(formatBytes(null), '-');
});
