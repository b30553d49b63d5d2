// Read and validate a policy file (docs/design.md "Policy"). Same machinery as the inventory
// (yaml-source.ts): every error names file:line and the field, under POLICY_PARSE / POLICY_INVALID.
// The rollout keys are upgrade's own options (canary, waves, max_fail, parallel, drain_timeout, pause, pause_after), checked
// by the same functions the CLI uses.

import { readFile } from 'node:fs/promises';
import { parseDuration } from '../engine/drain-options.ts';
import { parseMaxFail, parseWaves } from '../engine/waves.ts';
import { GofleetError } from '../errors.ts';
import { parseLimit } from '../inventory/limit-pattern.ts';
import { closestKey } from '../inventory/closest-key.ts';
import { describeValue } from '../inventory/inventory-errors.ts';
import { isPlainMap, parseYamlSource } from '../inventory/yaml-source.ts';
import { parseSpec } from '../releases/version-spec.ts';
import { parseWindow } from './parse-window.ts';
import { boolOf, child, intOf, invalid, mapOf, stringOf, textOf, type Field } from './policy-fields.ts';
import type { Assignment, Channel, ChannelTarget, GoToolchainMode, Policy, RolloutShape } from './types.ts';

const TOP_KEYS = ['channels', 'assign'];
const CHANNEL_KEYS = ['track', 'pin', 'min_age', 'allow_downgrade', 'gotoolchain'];
const ASSIGN_KEYS = ['hosts', 'channel', 'window', 'rollout', 'gotoolchain'];
const ROLLOUT_KEYS = ['canary', 'waves', 'max_fail', 'parallel', 'drain_timeout', 'pause', 'pause_after'];

/** Read `file` and parse it; POLICY_NOT_FOUND when it cannot be read. */
export async function loadPolicy(file: string): Promise<Policy> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    throw new GofleetError('POLICY_NOT_FOUND', `cannot read policy file ${file}: ${(err as Error).message}`, { cause: err });
  }
  return parsePolicy(file, text);
}

export function parsePolicy(file: string, text: string): Policy {
  let src;
  try {
    src = parseYamlSource(file, text);
  } catch (err) {
    if (err instanceof GofleetError && err.code === 'INVENTORY_PARSE') throw new GofleetError('POLICY_PARSE', err.message, { location: err.location, cause: err });
    throw err;
  }
  const root: Field = { src, path: [], value: src.data };
  mapOf(root, 'the policy file', TOP_KEYS);
  const channelsField = child(root, 'channels');
  if (!isPlainMap(channelsField.value)) throw invalid(channelsField, `channels must be a map of channel names, got ${describeValue(channelsField.value)}`);
  const names = Object.keys(channelsField.value);
  if (names.length === 0) throw invalid(channelsField, 'at least one channel is needed', 'E.g. channels: { stable: { track: "1.27", min_age: 3d } }.');
  const channels = new Map<string, Channel>(names.map((n) => [n, parseChannel(child(channelsField, n), n)]));
  const assignField = child(root, 'assign');
  if (!Array.isArray(assignField.value) || assignField.value.length === 0) {
    throw invalid(assignField, `assign must be a list of assignments (first match wins), got ${describeValue(assignField.value)}`,
      'E.g. assign: [ { hosts: "*", channel: stable } ].');
  }
  const assign = assignField.value.map((_, i) => parseAssignment(child(assignField, i), i, channels));
  return { file, channels, assign };
}

function parseChannel(f: Field, name: string): Channel {
  const map = mapOf(f, `channel ${name}`, CHANNEL_KEYS);
  if ((map.track === undefined) === (map.pin === undefined)) {
    throw invalid(f, `channel ${name} needs exactly one of track (a line such as "1.27", or latest) and pin (an exact version such as go1.26.8)`);
  }
  const channel: Channel = { name, target: parseTarget(f, map), allowDowngrade: false, line: f.src.lineOf(f.path) };
  if (map.min_age !== undefined) {
    const minAge = textOf(child(f, 'min_age'), 'min_age');
    if (!/^[1-9]\d*[mhdw]$/.test(minAge)) throw invalid(child(f, 'min_age'), `min_age must be a duration like 3d, 12h or 2w (m, h, d, w), got ${JSON.stringify(minAge)}`);
    if (channel.target.kind === 'pin') throw invalid(child(f, 'min_age'), 'min_age applies to track channels; a pinned version is taken as named');
    channel.minAge = minAge;
  }
  if (map.allow_downgrade !== undefined) channel.allowDowngrade = boolOf(child(f, 'allow_downgrade'), 'allow_downgrade');
  if (map.gotoolchain !== undefined) channel.gotoolchain = parseGoToolchain(child(f, 'gotoolchain'));
  return channel;
}

function parseTarget(f: Field, map: Record<string, unknown>): ChannelTarget {
  const key = map.track !== undefined ? 'track' : 'pin';
  const field = child(f, key);
  if (typeof field.value === 'number') {
    throw invalid(field, `${key}: ${field.value} is a number to YAML (1.20 would read as 1.2); quote the version`, `Write ${key}: "${field.value}".`);
  }
  const text = stringOf(field, key);
  let spec;
  try {
    spec = parseSpec(text);
  } catch (err) {
    throw invalid(field, (err as Error).message);
  }
  if (key === 'pin') {
    if (spec.kind !== 'exact') throw invalid(field, `pin takes an exact version such as go1.26.8, got ${JSON.stringify(text)}`, `For the newest of a line, write track: ${JSON.stringify(text)}.`);
    return { kind: 'pin', version: spec.version };
  }
  if (spec.kind === 'exact') throw invalid(field, `track takes a line ("1.27") or latest, got the exact version ${JSON.stringify(text)}`, `To hold hosts on one version, write pin: ${spec.version}.`);
  return { kind: 'track', spec: spec.kind === 'latest' ? 'latest' : spec.line.replace(/^go/, '') };
}

function parseGoToolchain(f: Field): GoToolchainMode {
  if (f.value === 'local' || f.value === 'auto') return f.value;
  throw invalid(f, `gotoolchain must be local or auto, got ${describeValue(f.value)}`);
}

function parseAssignment(f: Field, index: number, channels: ReadonlyMap<string, Channel>): Assignment {
  const map = mapOf(f, `assignment ${index + 1}`, ASSIGN_KEYS);
  const hosts = stringOf(child(f, 'hosts'), 'hosts');
  const terms = parseLimit(hosts);
  if (terms.length === 0 || terms.some((t) => t.pattern === '')) throw invalid(child(f, 'hosts'), `hosts ${JSON.stringify(hosts)} holds no host pattern`, 'Give hosts, groups, globs or tag:NAME as --limit takes them ("*" for every host).');
  const channel = stringOf(child(f, 'channel'), 'channel');
  if (!channels.has(channel)) {
    const near = closestKey(channel, [...channels.keys()]);
    throw invalid(child(f, 'channel'), `no channel named ${JSON.stringify(channel)}${near ? ` (did you mean ${JSON.stringify(near)}?)` : ''}`, `Channels defined: ${[...channels.keys()].join(', ')}.`);
  }
  const out: Assignment = { index, hosts, channel, rollout: {}, line: f.src.lineOf(f.path) };
  if (map.window !== undefined) out.window = parseWindow(child(f, 'window'));
  if (map.rollout !== undefined) out.rollout = parseRollout(child(f, 'rollout'));
  if (map.gotoolchain !== undefined) out.gotoolchain = parseGoToolchain(child(f, 'gotoolchain'));
  return out;
}

/** The option checks upgrade's flags use, their BAD_OPTION turned into POLICY_INVALID at the line. */
function checked<T>(f: Field, check: () => T): T {
  try {
    return check();
  } catch (err) {
    if (err instanceof GofleetError && err.code === 'BAD_OPTION') throw invalid(f, err.message.replace(/^--[a-z-]+ /, ''), err.hint);
    throw err;
  }
}

function parseRollout(f: Field): RolloutShape {
  const map = mapOf(f, 'rollout', ROLLOUT_KEYS);
  const shape: RolloutShape = {};
  if (map.canary !== undefined) shape.canary = intOf(child(f, 'canary'), 'canary', 1, 1_000_000);
  if (map.parallel !== undefined) shape.parallel = intOf(child(f, 'parallel'), 'parallel', 1, 1000);
  if (map.waves !== undefined) {
    const w = child(f, 'waves');
    const text = Array.isArray(w.value) ? w.value.map(String).join(',') : textOf(w, 'waves');
    checked(w, () => parseWaves(text));
    shape.waves = text;
  }
  if (map.max_fail !== undefined) {
    const m = child(f, 'max_fail');
    const text = textOf(m, 'max_fail');
    checked(m, () => parseMaxFail(text));
    shape.maxFail = text;
  }
  if (map.drain_timeout !== undefined) {
    const d = child(f, 'drain_timeout');
    const text = textOf(d, 'drain_timeout');
    if (parseDuration(text) === null) throw invalid(d, `drain_timeout must be like 90s, 10m or 1h, got ${JSON.stringify(text)}`);
    shape.drainTimeout = text;
  }
  if (map.pause !== undefined) shape.pause = boolOf(child(f, 'pause'), 'pause');
  if (map.pause_after !== undefined) {
    const d = child(f, 'pause_after');
    const text = textOf(d, 'pause_after');
    if (parseDuration(text) === null) throw invalid(d, `pause_after must be like 90s, 10m or 1h, got ${JSON.stringify(text)}`);
    shape.pauseAfter = text;
  }
  return shape;
}
