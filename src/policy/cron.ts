// A 5-field cron expression (minute hour day-of-month month day-of-week) as crontab(5) reads it: `*`,
// lists, ranges, steps (`*/15`, `1-5/2`), month and day names (jan, mon), 7 = Sunday; when both day
// fields are restricted, a day matching either counts (Vixie cron). Pure; errors are plain messages
// for the policy parser to place at a line.

export interface CronSpec {
  minutes: ReadonlySet<number>;
  hours: ReadonlySet<number>;
  daysOfMonth: ReadonlySet<number>;
  months: ReadonlySet<number>;
  /** 0 = Sunday ... 6 = Saturday */
  daysOfWeek: ReadonlySet<number>;
  domRestricted: boolean;
  dowRestricted: boolean;
}

const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];
export const DAY_NAMES = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'];

interface Field {
  name: string;
  min: number;
  max: number;
  names?: readonly string[];
  /** the first name's number (jan = 1, sun = 0) */
  nameBase?: number;
}

const FIELDS: Field[] = [
  { name: 'minute', min: 0, max: 59 },
  { name: 'hour', min: 0, max: 23 },
  { name: 'day of month', min: 1, max: 31 },
  { name: 'month', min: 1, max: 12, names: MONTHS, nameBase: 1 },
  { name: 'day of week', min: 0, max: 7, names: DAY_NAMES, nameBase: 0 },
];

export class CronError extends Error {}

function value(text: string, f: Field): number {
  const named = f.names?.indexOf(text.toLowerCase()) ?? -1;
  if (named >= 0) return named + (f.nameBase ?? 0);
  if (!/^\d+$/.test(text)) throw new CronError(`${f.name}: "${text}" is not a number${f.names ? ' or a name' : ''}`);
  const n = Number(text);
  if (n < f.min || n > f.max) throw new CronError(`${f.name}: ${n} is out of range ${f.min}-${f.max}`);
  return n;
}

function parseField(text: string, f: Field): { set: Set<number>; restricted: boolean } {
  const set = new Set<number>();
  for (const part of text.split(',')) {
    const m = /^([^/]+)(?:\/(\d+))?$/.exec(part);
    if (!m?.[1]) throw new CronError(`${f.name}: "${part}" is not a value, range or step`);
    const step = m[2] === undefined ? 1 : Number(m[2]);
    if (step < 1) throw new CronError(`${f.name}: step must be 1 or more in "${part}"`);
    let lo: number;
    let hi: number;
    if (m[1] === '*') [lo, hi] = [f.min, f.max];
    else if (m[1].includes('-')) {
      const [a, b, extra] = m[1].split('-');
      if (a === undefined || b === undefined || extra !== undefined) throw new CronError(`${f.name}: "${part}" is not a range`);
      [lo, hi] = [value(a, f), value(b, f)];
      if (lo > hi) throw new CronError(`${f.name}: range "${m[1]}" runs backwards`);
    } else {
      lo = value(m[1], f);
      hi = m[2] === undefined ? lo : f.max;
    }
    for (let v = lo; v <= hi; v += step) set.add(f.name === 'day of week' && v === 7 ? 0 : v);
  }
  return { set, restricted: !text.startsWith('*') };
}

/** Parse a cron expression; CronError with the field at fault. */
export function parseCron(text: string): CronSpec {
  const fields = text.trim().split(/\s+/);
  if (fields.length !== 5) throw new CronError(`a cron expression has 5 fields (minute hour day-of-month month day-of-week), got ${fields.length}`);
  const [mi, h, dom, mo, dow] = fields.map((t, i) => parseField(t, FIELDS[i]!)) as [ReturnType<typeof parseField>, ...ReturnType<typeof parseField>[]];
  return {
    minutes: mi.set, hours: h!.set, daysOfMonth: dom!.set, months: mo!.set, daysOfWeek: dow!.set,
    domRestricted: dom!.restricted, dowRestricted: dow!.restricted,
  };
}

/** Does the cron's day part match this calendar date? */
export function cronMatchesDay(c: CronSpec, date: { month: number; day: number; weekday: number }): boolean {
  if (!c.months.has(date.month)) return false;
  const dom = c.daysOfMonth.has(date.day);
  const dow = c.daysOfWeek.has(date.weekday);
  if (c.domRestricted && c.dowRestricted) return dom || dow;
  return dom && dow;
}
