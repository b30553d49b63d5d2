import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  checkHostKey, fingerprint, formatKnownHostsLine, keyTypeOf, knownHostsName, knownKeyTypes, matchesHost,
  parseKnownHosts,
} from './known-hosts.ts';

// Keys and hashed lines made with ssh-keygen (OpenSSH 9.2): `ssh-keygen -H` of
// "[127.0.0.1]:2222,build-01 <A>" and "example.org <A>" (it writes one hashed line per name).
const A = 'AAAAC3NzaC1lZDI1NTE5AAAAIDAGPaQnHyEngNPtgqiniFibpSCorktCUWO8ya86x6OQ';
const A_FINGERPRINT = 'SHA256:VWloK5J5xPGI7o2S41J60lHfChbeq2B+QgOY6QKONXM'; // ssh-keygen -lf
const B = 'AAAAC3NzaC1lZDI1NTE5AAAAIFFAuWfXGsR7P5n/RX2kYtF4IVmJjp67e7w5Ipn2A4FR';
const C = 'AAAAE2VjZHNhLXNoYTItbmlzdHAyNTYAAAAIbmlzdHAyNTYAAABBBCTFl4XsWvDHc3x358ZE5gfiFJdqTOzjsDhuXFks7AxRTU/hw7DhhoC+0AUYbVrFBYZwCHw1MQ6QAZujzsoI4Jw=';
const HASHED = [
  `|1|dM+OFSyrQ/7EOuMMX1WoH1lfWrU=|rIQAXQSBgeFXyJ+5U5tGGLcs08A= ssh-ed25519 ${A}`,
  `|1|GaRIQLm8L6SKrybGxV1c4LiMQNo=|YzI0MDJA6Bg7m+57allddNINiX0= ssh-ed25519 ${A}`,
  `|1|O0yIZaxNJzr2XsoQKuBbY8S1Vj4=|V3m4FgDfYMZbDbSbkubjJL7yFBU= ssh-ed25519 ${A}`,
].join('\n');
const keyA = Buffer.from(A, 'base64');
const keyB = Buffer.from(B, 'base64');
const keyC = Buffer.from(C, 'base64');

test('knownHostsName: bare address on port 22, [address]:port otherwise', () => {
  assert.equal(knownHostsName('10.0.0.5', 22), '10.0.0.5');
  assert.equal(knownHostsName('10.0.0.5', 2222), '[10.0.0.5]:2222');
  assert.equal(knownHostsName('::1', 2222), '[::1]:2222');
});

test('keyTypeOf reads the type from the wire blob; fingerprint matches ssh-keygen', () => {
  assert.equal(keyTypeOf(keyA), 'ssh-ed25519');
  assert.equal(keyTypeOf(keyC), 'ecdsa-sha2-nistp256');
  assert.equal(keyTypeOf(Buffer.from([0, 0, 0, 9, 1])), undefined);
  assert.equal(fingerprint(keyA), A_FINGERPRINT);
  assert.equal(formatKnownHostsLine('[h]:2', keyA), `[h]:2 ssh-ed25519 ${A}`);
});

test('parse: comments, blanks, markers, malformed lines', () => {
  const entries = parseKnownHosts([
    '# a comment',
    '',
    `host1,host2 ssh-ed25519 ${A} trailing comment`,
    `@revoked * ssh-ed25519 ${B}`,
    `@cert-authority *.example.org ssh-ed25519 ${B}`,
    `@unknown-marker host ssh-ed25519 ${B}`,
    'only-two fields',
    `host3 ssh-ed25519 not*base64`,
    `  indented  ecdsa-sha2-nistp256  ${C}\r`,
  ].join('\n'));
  assert.deepEqual(entries.map((e) => [e.line, e.marker, e.names, e.keyType]), [
    [3, null, 'host1,host2', 'ssh-ed25519'],
    [4, 'revoked', '*', 'ssh-ed25519'],
    [5, 'cert-authority', '*.example.org', 'ssh-ed25519'],
    [9, null, 'indented', 'ecdsa-sha2-nistp256'],
  ]);
  assert.ok(entries[0]?.key.equals(keyA));
});

test('matchesHost: lists, wildcards, negation, [host]:port, case', () => {
  assert.equal(matchesHost('a,b,[10.0.0.1]:2222', '[10.0.0.1]:2222'), true);
  assert.equal(matchesHost('a,b,[10.0.0.1]:2222', '10.0.0.1'), false);
  assert.equal(matchesHost('build-*', 'build-07'), true);
  assert.equal(matchesHost('build-?', 'build-07'), false);
  assert.equal(matchesHost('build-*,!build-secret', 'build-secret'), false);
  assert.equal(matchesHost('[10.0.0.*]:22?2', '[10.0.0.9]:2202'), true);
  assert.equal(matchesHost('Build-01', 'build-01'), true);
  assert.equal(matchesHost('a.b', 'axb'), false);
});

test('matchesHost: hashed names made by ssh-keygen -H', () => {
  const [l1, l2, l3] = parseKnownHosts(HASHED).map((e) => e.names) as [string, string, string];
  assert.equal(matchesHost(l1, '[127.0.0.1]:2222'), true);
  assert.equal(matchesHost(l1, '127.0.0.1'), false);
  assert.equal(matchesHost(l2, 'build-01'), true);
  assert.equal(matchesHost(l3, 'example.org'), true);
  assert.equal(matchesHost(l3, 'example.com'), false);
  assert.equal(matchesHost('|1|bad', 'example.org'), false);
});

test('checkHostKey: known, changed, unknown, other key types, revoked, cert-authority', () => {
  const entries = parseKnownHosts([
    `[10.0.0.1]:2222 ssh-ed25519 ${A}`,
    `10.0.0.2 ecdsa-sha2-nistp256 ${C}`,
    `@cert-authority 10.0.0.3 ssh-ed25519 ${A}`,
    `@revoked 10.0.0.4 ssh-ed25519 ${B}`,
    `10.0.0.4 ssh-ed25519 ${B}`,
    HASHED,
  ].join('\n'));
  assert.deepEqual(checkHostKey(entries, '[10.0.0.1]:2222', keyA), { status: 'known', line: 1 });
  assert.deepEqual(checkHostKey(entries, '[10.0.0.1]:2222', keyB), { status: 'changed', line: 1 });
  assert.deepEqual(checkHostKey(entries, '10.0.0.1', keyA), { status: 'unknown' }); // port 22 is another name
  // only an ecdsa key is known: a known host with another key type, never "unknown" (issue 8)
  assert.deepEqual(checkHostKey(entries, '10.0.0.2', keyA), { status: 'other-type', line: 2, knownTypes: ['ecdsa-sha2-nistp256'] });
  assert.deepEqual(checkHostKey(entries, '10.0.0.2', keyC), { status: 'known', line: 2 });
  assert.deepEqual(checkHostKey(entries, '10.0.0.3', keyA), { status: 'unknown' }); // CA lines are not host keys
  assert.deepEqual(checkHostKey(entries, '10.0.0.4', keyB), { status: 'revoked', line: 4 });
  assert.deepEqual(checkHostKey(entries, '[127.0.0.1]:2222', keyA), { status: 'known', line: 6 });
  assert.deepEqual(checkHostKey(entries, 'build-01', keyB), { status: 'changed', line: 7 });
});

test('an exact match anywhere wins over a different key on an earlier line', () => {
  const entries = parseKnownHosts(`h ssh-ed25519 ${B}\nh ssh-ed25519 ${A}\n`);
  assert.deepEqual(checkHostKey(entries, 'h', keyA), { status: 'known', line: 2 });
});

test('knownKeyTypes lists the types recorded for a host', () => {
  const entries = parseKnownHosts(`h ecdsa-sha2-nistp256 ${C}\nh,g ssh-ed25519 ${A}\n@revoked h ssh-rsa ${B}\ng ssh-ed25519 ${B}`);
  assert.deepEqual(knownKeyTypes(entries, 'h'), ['ecdsa-sha2-nistp256', 'ssh-ed25519']);
  assert.deepEqual(knownKeyTypes(entries, 'g'), ['ssh-ed25519']);
  assert.deepEqual(knownKeyTypes(entries, 'x'), []);
});

test('other-type: every plain key type known for the host is named; revoked and CA lines do not make a host known', () => {
  const entries = parseKnownHosts([
    `h ecdsa-sha2-nistp256 ${C}`,
    `h,g ssh-ed25519 ${A}`,
    `@revoked r ssh-ed25519 ${B}`,
    `@cert-authority r ecdsa-sha2-nistp256 ${C}`,
  ].join('\n'));
  const rsa = Buffer.concat([Buffer.from([0, 0, 0, 7]), Buffer.from('ssh-rsa'), Buffer.from([0, 0, 0, 1, 1])]);
  assert.deepEqual(checkHostKey(entries, 'h', rsa), { status: 'other-type', line: 1, knownTypes: ['ecdsa-sha2-nistp256', 'ssh-ed25519'] });
  assert.deepEqual(checkHostKey(entries, 'g', keyC), { status: 'other-type', line: 2, knownTypes: ['ssh-ed25519'] });
  assert.deepEqual(checkHostKey(entries, 'r', rsa), { status: 'unknown' });
  assert.deepEqual(checkHostKey(entries, 'r', keyB), { status: 'revoked', line: 3 });
});
