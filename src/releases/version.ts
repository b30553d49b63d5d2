// Go version names and their order live in src/version/go-version.ts, the one ordering that every
// layer (releases, repos, engine, platform) shares; this re-export keeps the releases imports working.
export * from '../version/go-version.ts';
