// ANSI colour, off unless the output is a terminal and NO_COLOR is unset.

type Style = (text: string) => string;

export function paint(enabled: boolean): Record<'bold' | 'dim' | 'red' | 'green' | 'yellow' | 'cyan', Style> {
  const wrap =
    (open: number, close: number): Style =>
    (text) =>
      enabled ? `\x1b[${open}m${text}\x1b[${close}m` : text;
  return { bold: wrap(1, 22), dim: wrap(2, 22), red: wrap(31, 39), green: wrap(32, 39), yellow: wrap(33, 39), cyan: wrap(36, 39) };
}

export function colourWanted(stream: { isTTY?: boolean }, env: NodeJS.ProcessEnv = process.env): boolean {
  return Boolean(stream.isTTY) && env.NO_COLOR === undefined && env.TERM !== 'dumb';
}
