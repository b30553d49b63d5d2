// --min-age values: read into milliseconds, or refused with BAD_OPTION naming the option.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { GofleetError } from '../errors.ts';
import { parseMinAge } from './min-age-option.ts';

const DAY = 86_400_000;
const isCode = (code: string) => (e: unknown) => e instanceof GofleetError && e.code === code;

describe('parseMinAge', () => {
  for (const [text, ms] of [['3d', 3 * DAY], ['12h', 12 * 3_600_000], ['2w', 14 * DAY], ['90m', 90 * 60_000]] as const) {
    it(`reads ${text}`, () => assert.equal(parseMinAge(text), ms));
  }
  for (const text of ['3', '3x', '', 'd', '-1d', '0d', '1.5d', '3 days', '99999999999999999999w']) {
    it(`refuses ${JSON.stringify(text)} with BAD_OPTION naming --min-age`, () => {
      assert.throws(() => parseMinAge(text), (e: unknown) => isCode('BAD_OPTION')(e) && (e as Error).message.includes('--min-age'));
    });
  }
});

