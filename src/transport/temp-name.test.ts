import { test } from 'node:test';
import assert from 'node:assert/strict';
import { TEMP_SUFFIX, tempNameBeside } from './temp-name.ts';

const shape = (s: string): string => s.replace(/\.[0-9a-f]{8}\.gofleet-part$/, `.#${TEMP_SUFFIX}`);

test('tempNameBeside: a hidden name in the same directory, per the remote shell\'s separators', () => {
  assert.equal(shape(tempNameBeside('/usr/local/x y.tar.gz')), `/usr/local/.x y.tar.gz.#${TEMP_SUFFIX}`);
  assert.equal(shape(tempNameBeside('plain')), `.plain.#${TEMP_SUFFIX}`);
  // a backslash is an ordinary file name character on POSIX
  assert.equal(shape(tempNameBeside('/tmp/a\\b')), `/tmp/.a\\b.#${TEMP_SUFFIX}`);
  assert.equal(shape(tempNameBeside('C:\\ProgramData\\gofleet\\go.zip', '\\/')), `C:\\ProgramData\\gofleet\\.go.zip.#${TEMP_SUFFIX}`);
  assert.equal(shape(tempNameBeside('/C:/ProgramData/gofleet/go.zip', '\\/')), `/C:/ProgramData/gofleet/.go.zip.#${TEMP_SUFFIX}`);
  assert.notEqual(tempNameBeside('/a/b'), tempNameBeside('/a/b'));
});
