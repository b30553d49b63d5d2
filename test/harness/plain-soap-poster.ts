// A plain HTTP SOAP poster on one keep-alive socket, for the fake WinRM host's auth-none mode: what the WinRM
// transport's tests use below the auth layer (the production WinrmHttpSession always authenticates).
import http from 'node:http';
import type { SoapPoster } from '../../src/transport/winrm/winrs-shell.ts';

export function plainPoster(url: string): SoapPoster {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  return {
    post: (soap) => new Promise((resolve, reject) => {
      const req = http.request(url, { method: 'POST', agent, headers: { 'Content-Type': 'application/soap+xml;charset=UTF-8' } }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (d: Buffer) => chunks.push(d)).on('end', () => resolve(Buffer.concat(chunks).toString('utf8'))).on('error', reject);
      });
      req.on('error', reject);
      req.end(soap);
    }),
    close: async () => agent.destroy(),
  };
}
