// The releases layer: version specs, release sources, the verified archive cache.

export type { FileKind, OpenFileOptions, OpenedFile, Release, ReleaseFile, ReleaseSource, SourceKind } from './types.ts';
export { compareVersions, isStable, normalizeVersion, parseVersion, sortVersionsDesc, versionLine } from './version.ts';
export type { GoVersion, PreKind } from './version.ts';
export { nearest, parseSpec, resolveSpec } from './version-spec.ts';
export type { ResolveOptions, VersionSpec } from './version-spec.ts';
export { archiveFileName, normalizeArch, normalizeOs, parseFileName } from './file-name.ts';
export type { ParsedFileName } from './file-name.ts';
export { findFile, findMsiFile } from './find-file.ts';
export { buildReleaseIndex, filesByName, parseReleaseIndex } from './release-index.ts';
export { listedFileNames, releasesFromListing } from './html-listing.ts';
export { parseSha256File } from './source-common.ts';
export { proxyFor } from './proxy-env.ts';
export type { ProxyEnv } from './proxy-env.ts';
export { displayUrl, httpGet, httpGetText } from './http-client.ts';
export type { HttpOptions, HttpResponse } from './http-client.ts';
export { CHINA_BASE_URL, OFFICIAL_BASE_URL, openOfficialSource } from './source-official.ts';
export type { OfficialSourceOptions } from './source-official.ts';
export { openUrlSource } from './source-url.ts';
export type { UrlSourceOptions } from './source-url.ts';
export { openDirSource } from './source-dir.ts';
export { openSource } from './open-source.ts';
export type { OpenSourceOptions } from './open-source.ts';
export { defaultCacheDir, ensureArchive, expectedChecksum } from './cache.ts';
export type { CachedArchive, EnsureArchiveOptions } from './cache.ts';
export { sha256File } from './hash-file.ts';
