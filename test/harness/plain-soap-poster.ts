// A plain HTTP SOAP poster on one keep-alive socket, for the fake WinRM host's auth-none mode: what the WinRM
// transport's tests use below the auth layer (the production WinrmHttpSession always authenticates).
// As the session does (http-exchange.ts), a request that met a reset on a reused keep-alive socket before any
// answer is sent once more on a new one: a host that closed its idle connection (a WinRM restart cuts them all)
// has not seen it; never a request posted with `resend: false` (Send, Receive).
import http from 'node:http';
import type { SoapPoster } from '../../src/transport/winrm/winrs-shell.ts';

export function plainPoster(url: string): SoapPoster {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  const once = (soap: string, again: boolean): Promise<string> => new Promise((resolve, reject) => {
    let answered = false;
    const req = http.request(url, { method: 'POST', agent, headers: { 'Content-Type': 'application/soap+xml;charset=UTF-8' } }, (res) => {
      answered = true;
      const chunks: Buffer[] = [];
      res.on('data', (d: Buffer) => chunks.push(d)).on('end', () => resolve(Buffer.concat(chunks).toString('utf8'))).on('error', reject);
    });
    req.on('error', (err: NodeJS.ErrnoException) => {
      if (!again && !answered && req.reusedSocket && err.code === 'ECONNRESET') once(soap, true).then(resolve, reject);
      else reject(err);
    });
    req.end(soap);
  });
  return {
    post: (soap, opts) => once(soap, opts?.resend === false),
    close: async () => agent.destroy(),
  };
}
