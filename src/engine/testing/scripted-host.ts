// Test support (never shipped): one fake machine behind any number of fake connections. It answers each
// exec by the kind of script the fake dialect built (facts, upgrade, switchTo, ...): the facts in turn (the
// last one repeats), every other script from its own queue. A reconnect (a new FakeTransport from
// `connection()`) talks to the same machine, so the facts it reads go on where the first connection left.

import type { HostFacts } from '../../platform/types.ts';
import { readScript, type FakeScript } from './fake-dialect.ts';
import { FakeTransport, reply, type ExecCall, type FakeTransportOptions, type PutCall, type Reply } from './fake-transport.ts';

/** Facts the host reports (as JSON, what the fake dialect parses), or any other reply to the facts script. */
export type FactsAnswer = HostFacts | { reply: Reply };

export interface ScriptedHostOptions {
  name?: string;
  /** answers to the facts script, in order; the last one repeats */
  facts: FactsAnswer | FactsAnswer[];
  /** answers per script kind (`upgrade`, `switchTo`, `restoreLink`, `prune`), each used once, in order */
  scripts?: Record<string, Reply[]>;
  /** every connection's onPut (see FakeTransportOptions) */
  onPut?: FakeTransportOptions['onPut'];
}

export class ScriptedHost {
  readonly name: string;
  /** every script received, in order, on any connection */
  readonly received: FakeScript[] = [];
  /** execs without a recognisable script, or past the end of their kind's queue */
  readonly unexpected: ExecCall[] = [];
  readonly connections: FakeTransport[] = [];
  private readonly facts: FactsAnswer[];
  private readonly scripts: Map<string, Reply[]>;
  private readonly onPut: FakeTransportOptions['onPut'];

  constructor(o: ScriptedHostOptions) {
    this.name = o.name ?? 'h1';
    this.facts = Array.isArray(o.facts) ? [...o.facts] : [o.facts];
    this.scripts = new Map(Object.entries(o.scripts ?? {}).map(([k, v]) => [k, [...v]]));
    this.onPut = o.onPut;
  }

  /** Queue more answers for a script kind. */
  on(kind: string, ...replies: Reply[]): this {
    this.scripts.set(kind, [...(this.scripts.get(kind) ?? []), ...replies]);
    return this;
  }

  /** A new connection to this machine. */
  connection(o: Omit<FakeTransportOptions, 'handler'> = {}): FakeTransport {
    const t = new FakeTransport({ host: this.name, ...(this.onPut ? { onPut: this.onPut } : {}), ...o, handler: (call) => this.answer(call) });
    this.connections.push(t);
    return t;
  }

  /** The kinds of the scripts received, in order: ['facts', 'upgrade', ...]. */
  kinds(): string[] {
    return this.received.map((s) => s.kind);
  }

  /** The intents of every script of one kind, in order. */
  intents<T>(kind: string): T[] {
    return this.received.filter((s) => s.kind === kind).map((s) => s.intent as T);
  }

  /** every exec on every connection, in order of connection */
  get calls(): ExecCall[] {
    return this.connections.flatMap((c) => c.calls);
  }

  /** every put on every connection, in order of connection */
  get puts(): PutCall[] {
    return this.connections.flatMap((c) => c.puts);
  }

  private answer(call: ExecCall): Reply {
    const script = readScript(call.stdin);
    if (script) this.received.push(script);
    if (script?.kind === 'facts') {
      const next = this.facts.length > 1 ? this.facts.shift() : this.facts[0];
      if (next && 'reply' in next) return next.reply;
      if (next) return reply.ok(JSON.stringify(next));
    }
    const queued = script ? this.scripts.get(script.kind)?.shift() : undefined;
    if (queued !== undefined) return queued;
    this.unexpected.push(call);
    return reply.fail(new Error(`ScriptedHost(${this.name}): no answer for ${script ? `the ${script.kind} script` : `command ${call.command}`}`));
  }
}
