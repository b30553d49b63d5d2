// Host and Match conditions of an ssh config, as OpenSSH's match.c and readconf.c decide them.
// `Host` patterns are space-separated, case-sensitive, `*` and `?` wildcards, a matching `!pattern`
// turns the whole line off. `Match host/originalhost` use comma lists, case-insensitive; `Match user/
// localuser` comma lists, case-sensitive. `Match exec` is never run (loading an inventory must not
// execute commands): the block is treated as not matching and a note says so.

export interface MatchContext {
  /** the name ssh was given (the inventory address, else its name) */
  originalHost: string;
  /** what `Host` lines match: the given name, or in the final pass the resolved host name */
  hostArg: string;
  /** what `Match host` matches: HostName (with %h) once set, else the given name */
  matchHost: string;
  /** User once set, else the local user */
  remoteUser: string;
  localUser: string;
  /** the second pass (after `Match final`/`canonical` or CanonicalizeHostname) */
  finalPass: boolean;
  /** set when a `Match final` asks for a second pass */
  wantFinal: boolean;
  notes: string[];
}

/** OpenSSH match_pattern: whole string, `*` any run, `?` one character. */
export function matchPattern(text: string, pattern: string): boolean {
  const re = pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '[\\s\\S]*').replace(/\?/g, '[\\s\\S]');
  return new RegExp(`^${re}$`).test(text);
}

/** OpenSSH match_pattern_list: 1 on a positive match, -1 on a negated match, 0 otherwise. */
export function matchPatternList(text: string, list: string, lower: boolean): -1 | 0 | 1 {
  const s = lower ? text.toLowerCase() : text;
  let positive: 0 | 1 = 0;
  for (const raw of list.split(',')) {
    const negated = raw.startsWith('!');
    const pattern = lower ? raw.slice(negated ? 1 : 0).toLowerCase() : raw.slice(negated ? 1 : 0);
    if (!matchPattern(s, pattern)) continue;
    if (negated) return -1;
    positive = 1;
  }
  return positive;
}

/** Does a `Host` line apply? */
export function hostLineMatches(host: string, patterns: string[]): boolean {
  let active = false;
  for (const raw of patterns) {
    const negated = raw.startsWith('!');
    if (!matchPattern(host, negated ? raw.slice(1) : raw)) continue;
    if (negated) return false;
    active = true;
  }
  return active;
}

function note(ctx: MatchContext, text: string): void {
  if (!ctx.notes.includes(text)) ctx.notes.push(text);
}

type Where = { file: string; line: number };

function criterion(attrib: string, arg: string, ctx: MatchContext, where: Where): boolean {
  switch (attrib) {
    case 'host': return matchPatternList(ctx.matchHost, arg, true) === 1;
    case 'originalhost': return matchPatternList(ctx.originalHost, arg, true) === 1;
    case 'user': return matchPatternList(ctx.remoteUser, arg, false) === 1;
    case 'localuser': return matchPatternList(ctx.localUser, arg, false) === 1;
    case 'exec':
      note(ctx, `${where.file}:${where.line}: Match exec ${JSON.stringify(arg)} was not run (gofleet never runs ` +
        'commands from the ssh config while reading it); the block was treated as not matching');
      return false;
    default:
      note(ctx, `${where.file}:${where.line}: Match ${attrib} is not supported by gofleet; the block was treated as not matching`);
      return false;
  }
}

/** Does a `Match` line apply? Criteria are ANDed; `!criterion` negates one (exec and unknown ones stay false). */
export function matchLineMatches(args: string[], ctx: MatchContext, where: Where): boolean {
  let result = true;
  for (let i = 0; i < args.length; i++) {
    const token = args[i]!;
    const negated = token.startsWith('!');
    const attrib = (negated ? token.slice(1) : token).toLowerCase();
    if (attrib === 'all') continue;
    if (attrib === 'canonical' || attrib === 'final') {
      if (attrib === 'final') ctx.wantFinal = true;
      if (ctx.finalPass === negated) result = false;
      continue;
    }
    const arg = args[++i];
    if (arg === undefined) {
      note(ctx, `${where.file}:${where.line}: Match ${attrib} has no argument; the block was treated as not matching`);
      return false;
    }
    if (attrib === 'exec' && !result) continue; // OpenSSH does not run it either when the block is already off
    const r = criterion(attrib, arg, ctx, where);
    if (attrib === 'exec' || !['host', 'originalhost', 'user', 'localuser'].includes(attrib)) result = false;
    else if (r === negated) result = false;
  }
  return result;
}
