// Reading WS-Management responses: fast-xml-parser with namespace prefixes removed (hosts pick their own
// prefixes: s:/env:, f:, rsp:), attributes kept as `@Name`, values left as strings.
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { GofleetError } from '../../../errors.ts';

export type XmlNode = Record<string, unknown>;

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '@',
  removeNSPrefix: true,
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: true,
  textNodeName: '#text',
  isArray: (name) => name === 'Stream' || name === 'Selector',
});

/** Parse a response body; a body that is not well-formed XML, or not a SOAP envelope, is WINRM_PROTOCOL. */
export function readEnvelope(xml: string, what: string): { header: XmlNode; body: XmlNode } {
  const valid = XMLValidator.validate(xml);
  if (valid !== true) {
    throw new GofleetError('WINRM_PROTOCOL', `the WinRM host's ${what} is not well-formed XML: ${valid.err.msg} (line ${valid.err.line})`);
  }
  const doc = parser.parse(xml) as XmlNode;
  const env = doc.Envelope as XmlNode | undefined;
  if (!env || typeof env !== 'object') throw new GofleetError('WINRM_PROTOCOL', `the WinRM host's ${what} is not a SOAP envelope`);
  return { header: asNode(env.Header), body: asNode(env.Body) };
}

export function asNode(v: unknown): XmlNode {
  return v && typeof v === 'object' && !Array.isArray(v) ? (v as XmlNode) : {};
}

export function asList(v: unknown): XmlNode[] {
  if (v === undefined) return [];
  return (Array.isArray(v) ? v : [v]).map((n) => (typeof n === 'string' ? { '#text': n } : asNode(n)));
}

/** All the text of a node and its children, in document order, whitespace runs collapsed. */
export function textOf(v: unknown): string {
  const parts: string[] = [];
  const walk = (n: unknown): void => {
    if (typeof n === 'string' || typeof n === 'number') parts.push(String(n));
    else if (Array.isArray(n)) n.forEach(walk);
    else if (n && typeof n === 'object') {
      for (const [k, child] of Object.entries(n)) if (!k.startsWith('@')) walk(child);
    }
  };
  walk(v);
  return parts.join(' ').replace(/\s+/g, ' ').trim();
}

export function attr(n: XmlNode, name: string): string | undefined {
  const v = n[`@${name}`];
  return typeof v === 'string' ? v : undefined;
}
