import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { proxyFor, type ProxyEnv } from './proxy-env.ts';

const P = 'http://proxy.corp:3128';

describe('proxyFor', () => {
  const cases: [string, string, ProxyEnv, string | null][] = [
    ['no proxy set', 'https://go.dev/dl/', {}, null],
    ['HTTPS_PROXY for https', 'https://go.dev/dl/', { HTTPS_PROXY: P }, `${P}/`],
    ['https_proxy wins over HTTPS_PROXY', 'https://go.dev/dl/', { HTTPS_PROXY: 'http://upper:1', https_proxy: P }, `${P}/`],
    ['HTTP_PROXY is not used for https', 'https://go.dev/dl/', { HTTP_PROXY: P }, null],
    ['HTTP_PROXY for http', 'http://mirror.corp/golang/', { HTTP_PROXY: P }, `${P}/`],
    ['scheme-less proxy means http', 'https://go.dev/', { HTTPS_PROXY: 'proxy.corp:3128' }, `${P}/`],
    ['loopback is never proxied', 'http://127.0.0.1:8080/', { HTTP_PROXY: P }, null],
    ['localhost is never proxied', 'http://localhost:8080/', { HTTP_PROXY: P }, null],
    ['::1 is never proxied', 'http://[::1]:8080/', { HTTP_PROXY: P }, null],
    ['NO_PROXY=* bypasses everything', 'https://go.dev/', { HTTPS_PROXY: P, NO_PROXY: '*' }, null],
    ['NO_PROXY domain matches itself', 'https://go.dev/', { HTTPS_PROXY: P, NO_PROXY: 'go.dev' }, null],
    ['NO_PROXY domain matches subdomains', 'https://dl.go.dev/', { HTTPS_PROXY: P, no_proxy: 'example.com, go.dev' }, null],
    ['NO_PROXY .domain matches only subdomains', 'https://go.dev/', { HTTPS_PROXY: P, NO_PROXY: '.go.dev' }, `${P}/`],
    ['NO_PROXY .domain on a subdomain', 'https://dl.go.dev/', { HTTPS_PROXY: P, NO_PROXY: '.go.dev' }, null],
    ['NO_PROXY *.domain', 'https://dl.go.dev/', { HTTPS_PROXY: P, NO_PROXY: '*.go.dev' }, null],
    ['NO_PROXY suffix is not a substring match', 'https://notgo.dev/', { HTTPS_PROXY: P, NO_PROXY: 'go.dev' }, `${P}/`],
    ['NO_PROXY with port, other port', 'https://mirror.corp:8443/', { HTTPS_PROXY: P, NO_PROXY: 'mirror.corp:443' }, `${P}/`],
    ['NO_PROXY with port, same port', 'https://mirror.corp/', { HTTPS_PROXY: P, NO_PROXY: 'mirror.corp:443' }, null],
    ['NO_PROXY CIDR', 'http://10.1.2.3/golang/', { HTTP_PROXY: P, NO_PROXY: '10.0.0.0/8' }, null],
    ['NO_PROXY CIDR miss', 'http://11.1.2.3/golang/', { HTTP_PROXY: P, NO_PROXY: '10.0.0.0/8' }, `${P}/`],
    ['NO_PROXY exact IP', 'http://192.168.1.5/', { HTTP_PROXY: P, NO_PROXY: '192.168.1.5' }, null],
    ['NO_PROXY IPv6 CIDR', 'http://[fd00::5]/', { HTTP_PROXY: P, NO_PROXY: 'fd00::/8' }, null],
    ['proxy credentials are kept', 'https://go.dev/', { HTTPS_PROXY: 'http://u:p%40ss@proxy.corp:3128' }, 'http://u:p%40ss@proxy.corp:3128/'],
  ];
  for (const [name, url, env, want] of cases) {
    it(name, () => assert.equal(proxyFor(new URL(url), env)?.toString() ?? null, want));
  }
});
