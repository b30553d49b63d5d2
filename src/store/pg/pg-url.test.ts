import { test } from 'node:test';
import assert from 'node:assert/strict';
import { GofleetError } from '../../errors.ts';
import { openJournal } from '../open-journal.ts';
import { checkPgUrl, redactPgUrl } from './pg-url.ts';

test('a password in the URL is refused, before any connection, and never shown', async () => {
  for (const url of ['postgres://ops:s3cret-pw@127.0.0.1:1/fleet', 'postgresql://ops@127.0.0.1:1/fleet?password=s3cret-pw&sslmode=require']) {
    await assert.rejects(openJournal(url), (err: unknown) => {
      assert.ok(err instanceof GofleetError && err.code === 'STATE_URL_PASSWORD', String(err));
      assert.doesNotMatch(`${err.message} ${err.hint}`, /s3cret/);
      assert.match(err.message, /ops@127\.0\.0\.1:1\/fleet/);
      assert.match(err.hint, /PGPASSWORD/);
      assert.match(err.hint, /\.pgpass/);
      return true;
    });
  }
  assert.doesNotThrow(() => checkPgUrl('postgres://ops@db.example/fleet'));
});

test('messages show the URL as user@host:port/database', () => {
  assert.equal(redactPgUrl('postgres://ops@db.example:5433/fleet?sslmode=require'), 'ops@db.example:5433/fleet');
  assert.equal(redactPgUrl('postgresql://postgres@/gofleet?host=%2Ftmp%2Fsock&port=6543'), 'postgres@/tmp/sock:6543/gofleet');
  assert.equal(redactPgUrl('postgres://ops@db.example/fleet'), 'ops@db.example:5432/fleet');
});
