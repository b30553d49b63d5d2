// One warning line about a host: `warning: HOST: TEXT`, the host named once even when the text (a transport's own
// warning, which names its host) already starts with it; control characters shown escaped.
import { safeText } from './safe-text.ts';

export function hostWarningLine(host: string, text: string): string {
  const body = text.startsWith(`${host}: `) ? text.slice(host.length + 2) : text;
  return `warning: ${safeText(host)}: ${safeText(body)}\n`;
}
