import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { GofleetError } from '../errors.ts';
import { parseSha256Options } from './sha256-option.ts';

const A = 'a'.repeat(64);
const B = 'B'.repeat(64);
const LINUX = 'go1.27.3.linux-amd64.tar.gz';
const DARWIN = 'go1.27.3.darwin-arm64.tar.gz';

const badOption = (...parts: RegExp[]) => (e: unknown) => {
  assert.ok(e instanceof GofleetError, String(e));
  assert.equal(e.code, 'BAD_OPTION');
  assert.match(e.hint, /--sha256 FILE=HEX/);
  for (const p of parts) assert.match(e.message, p);
  return true;
};

describe('parseSha256Options', () => {
  it('FILE=HEX, repeatable, lowercased; other files get nothing', () => {
    const pins = parseSha256Options([`${LINUX}=${B}`, ` ${DARWIN} = ${A} `]);
    assert.equal(pins.forFile(LINUX), B.toLowerCase());
    assert.equal(pins.forFile(DARWIN), A);
    assert.equal(pins.forFile('go1.27.3.windows-amd64.zip'), undefined);
    assert.equal(pins.empty, false);
  });

  it('nothing given: empty', () => {
    const pins = parseSha256Options([]);
    assert.equal(pins.empty, true);
    assert.equal(pins.forFile(LINUX), undefined);
    assert.deepEqual(pins.checkFiles([LINUX, DARWIN]), []);
  });

  it('the same value twice is fine', () => {
    assert.equal(parseSha256Options([`${LINUX}=${A}`, `${LINUX}=${A.toUpperCase()}`]).forFile(LINUX), A);
    assert.equal(parseSha256Options([A, A]).forFile(LINUX), A);
  });

  const table: [string, string[], RegExp][] = [
    ['not hex', ['z'.repeat(64)], /is not a SHA-256/],
    ['too short', ['abc123'], /is not a SHA-256/],
    ['too long', [`${A}0`], /is not a SHA-256/],
    ['a SHA-512', ['f'.repeat(128)], /is not a SHA-256/],
    ['empty', [''], /is not a SHA-256/],
    ['FILE= without hex', [`${LINUX}=`], /is not a SHA-256/],
    ['=HEX without a file', [`=${A}`], /FILE must be a plain file name/],
    ['a path', [`dl/${LINUX}=${A}`], /FILE must be a plain file name/],
    ['a Windows path', [`C:\\go\\${LINUX}=${A}`], /FILE must be a plain file name/],
    ['a dot file', [`.${LINUX}=${A}`], /FILE must be a plain file name/],
    ['a file name with a space', [`go 1.tar.gz=${A}`], /FILE must be a plain file name/],
    ['two values for one file', [`${LINUX}=${A}`, `${LINUX}=${B}`], /two different values for go1\.27\.3\.linux-amd64\.tar\.gz/],
    ['two different bare values', [A, B], /may be given only once/],
    ['bare and FILE= mixed', [A, `${LINUX}=${B}`], /not both/],
  ];
  for (const [what, values, message] of table) {
    it(`refuses ${what} with BAD_OPTION and a hint`, () => {
      assert.throws(() => parseSha256Options(values), badOption(message));
    });
  }

  describe('a bare HEX applies to exactly one file', () => {
    it('checkFiles: one distinct file is fine, two are refused, naming them', () => {
      assert.deepEqual(parseSha256Options([A]).checkFiles([LINUX, LINUX]), []);
      assert.throws(() => parseSha256Options([A]).checkFiles([LINUX, DARWIN]), badOption(/exactly one file.*needs 2: go1\.27\.3\.linux-amd64\.tar\.gz, go1\.27\.3\.darwin-arm64\.tar\.gz/));
    });

    it('forFile: the same file again is fine, a second file is refused', () => {
      const pins = parseSha256Options([A]);
      assert.equal(pins.forFile(LINUX), A);
      assert.equal(pins.forFile(LINUX), A);
      assert.throws(() => pins.forFile(DARWIN), badOption(/exactly one file/));
    });
  });

  it('checkFiles warns about FILE=HEX pins the command does not use', () => {
    assert.deepEqual(parseSha256Options([`${LINUX}=${A}`, `${DARWIN}=${A}`]).checkFiles([LINUX]), [`--sha256 ${DARWIN}=... names a file this command does not use`]);
  });
});
