// Typed errors with stable codes. The class of an error decides the policy
// (retry or not, which exit code, which host status); see `errorPolicy`.
// Codes are part of the user-facing contract: never rename one, only add.

export const ERROR_CODES = {
  // input (exit 4/5)
  INVENTORY_NOT_FOUND: { kind: 'input', hint: 'Check the path given to -i.' },
  INVENTORY_PARSE: { kind: 'input', hint: 'Fix the syntax at the reported line.' },
  INVENTORY_INVALID: { kind: 'input', hint: 'Fix the field at the reported line; see docs/design.md "Inventory".' },
  INVENTORY_ENV_MISSING: { kind: 'input', hint: 'Export the environment variable named in ${env:NAME}, or remove the reference.' },
  LIMIT_NO_MATCH: { kind: 'input', hint: 'Run `gofleet inventory -i INV --graph` to see every host with its groups and tags (`gofleet facts -i INV` lists host names only).' },
  BAD_OPTION: { kind: 'usage', hint: 'See `gofleet <command> --help`.' },
  BAD_VERSION_SPEC: { kind: 'usage', hint: 'Use go1.27.3, 1.27.3, 1.27 or latest.' },
  // releases (exit 1)
  VERSION_UNKNOWN: { kind: 'release', hint: 'Run `gofleet releases --source SRC` to see what the source offers.' },
  RELEASE_FILE_MISSING: { kind: 'release', hint: 'The source has no archive for this OS/arch; pick another version or source.' },
  SOURCE_UNAVAILABLE: { kind: 'release', hint: 'Check the --source URL or directory, proxy settings (HTTPS_PROXY) and network reachability.' },
  CHECKSUM_MISMATCH: { kind: 'integrity', hint: 'The archive does not match its published SHA-256; the download or the mirror is corrupt. It was not used.' },
  CHECKSUM_MISSING: { kind: 'integrity', hint: 'The source publishes no SHA-256 for this file; provide index.json or FILE.sha256 beside the archive.' },
  // transport (host status unreachable / failed)
  HOST_UNREACHABLE: { kind: 'unreachable', hint: 'Check the address and port, firewalls, and that the host\'s SSH server is running.' },
  CONNECT_TIMEOUT: { kind: 'unreachable', hint: 'The host did not answer in time; check routing or raise --connect-timeout.' },
  AUTH_FAILED: { kind: 'auth', hint: 'Check user, key (identity) or password; gofleet never retries authentication, to avoid lockouts.' },
  HOST_KEY_UNKNOWN: { kind: 'hostkey', hint: 'Add the host key to known_hosts (ssh-keyscan, after checking its fingerprint) or pass --accept-new-host-keys.' },
  HOST_KEY_CHANGED: { kind: 'hostkey', hint: 'The host key differs from known_hosts: this may be an attack. If the host was rebuilt, remove the old key with `ssh-keygen -R HOST`.' },
  CONNECTION_LOST: { kind: 'unreachable', hint: 'The connection dropped; the host was left on its previous toolchain. Re-run to continue.' },
  EXEC_TIMEOUT: { kind: 'remote', hint: 'A remote step took too long; raise --step-timeout or look at the host.' },
  TRANSFER_FAILED: { kind: 'remote', hint: 'The archive could not be copied to the host; nothing was switched.' },
  // remote / host state (host status failed or rolled_back)
  BECOME_FAILED: { kind: 'remote', hint: 'The account could not gain the privileges the change needs (POSIX: sudo for become; Windows: an elevated administrator); the message says what is missing.' },
  NO_PRIVILEGE: { kind: 'remote', hint: 'The account cannot write goroot or versions_dir: connect as a privileged account (POSIX: root, or set become: true; Windows: an administrator) or choose paths it can write.' },
  UNSUPPORTED_PLATFORM: { kind: 'remote', hint: 'gofleet supports linux, darwin and windows hosts on amd64, arm64, 386 and armv6l.' },
  HOST_LOCKED: { kind: 'remote', hint: 'Another gofleet run holds the host lock (<versions_dir>/.gofleet/lock); wait for it, or remove a stale lock.' },
  DISK_FULL: { kind: 'remote', hint: 'Free space under versions_dir (gofleet prune --keep N) and retry.' },
  STAGE_FAILED: { kind: 'remote', hint: 'Extracting the toolchain failed; the host still runs its previous Go.' },
  ADOPT_FAILED: { kind: 'remote', hint: 'The existing goroot could not be moved under versions_dir; check its VERSION file and permissions.' },
  SWITCH_FAILED: { kind: 'remote', hint: 'Repointing goroot failed; the message says what goroot is now, as read back on the host (rolled back if it had changed).' },
  VERIFY_FAILED: { kind: 'remote', hint: 'The new toolchain did not pass verification; the host was rolled back to its previous Go.' },
  ROLLBACK_FAILED: { kind: 'remote', hint: 'Rolling back failed: inspect the host now (goroot link and versions_dir).' },
  VERSION_NOT_INSTALLED: { kind: 'remote', hint: 'Install it first with `gofleet upgrade --to VERSION`.' },
  NO_PREVIOUS_VERSION: { kind: 'remote', hint: 'There is no earlier switch recorded on this host to roll back to.' },
  REMOTE_FAILED: { kind: 'remote', hint: 'A remote command failed; see the message for its output.' },
  // controller
  INTERRUPTED: { kind: 'interrupted', hint: 'Interrupted; hosts in flight finished or rolled back.' },
  INTERNAL: { kind: 'internal', hint: 'This is a bug in gofleet; please report it with the command and output.' },
  // transport (appended)
  HOST_KEY_REVOKED: { kind: 'hostkey', hint: 'The host presented a key marked @revoked in known_hosts; do not connect until the host is re-keyed.' },
  // run journal (appended)
  RUN_NOT_FOUND: { kind: 'input', hint: 'Run `gofleet history` to list recorded runs and their ids.' },
  STATE_TOO_NEW: { kind: 'input', hint: 'The run journal was written by a newer gofleet; upgrade gofleet, or point --state at another file.' },
  STATE_UNAVAILABLE: { kind: 'input', hint: 'The run journal could not be opened; check the path given to --state (or $GOFLEET_STATE), its permissions and free space.' },
  // repos (appended)
  REPO_NOT_FOUND: { kind: 'input', hint: 'Check the repository paths given on the command line or in --from FILE.' },
  REPO_NO_MODULES: { kind: 'input', hint: 'No go.mod or go.work was found (vendor/, testdata/ and directories starting with . or _ are skipped).' },
  TOOLCHAIN_NOT_FOUND: { kind: 'usage', hint: 'Pass --toolchain DIR (a Go tree with bin/go), install the version locally, or let GOTOOLCHAIN=goX.Y.Z download it through GOPROXY.' },
  REPO_GIT_FAILED: { kind: 'remote', hint: 'A git command failed in the repository; see the message. The checkout itself was not changed.' },
  // rollout (appended)
  DEADLINE_PASSED: { kind: 'remote', hint: 'The deadline (--deadline, or the maintenance window of `reconcile`) passed before this host\'s turn, so it was not touched; hosts in flight finished or rolled back. The next run (or the next window\'s reconcile) picks it up.' },
  BUDGET_EXCEEDED: { kind: 'remote', hint: 'The --max-fail budget was spent, so these hosts were not touched: inspect the failed hosts (`gofleet show RUN`), fix them, then re-run the same command (hosts already at the target stay unchanged).' },
  // resume (appended)
  RUN_NOT_RESUMABLE: { kind: 'input', hint: 'Only a run that was interrupted or whose controller died can be resumed; `gofleet history` shows each run\'s status.' },
  // issue 13 (vulndb)
  VULNDB_UNAVAILABLE: { kind: 'input', hint: 'Check the --vulndb directory or URL (a copy of https://vuln.go.dev with index/ and ID/, or a directory of OSV .json files), proxy settings (HTTPS_PROXY) and network reachability.' },
  VULNDB_INVALID: { kind: 'input', hint: 'A file of the vulnerability database is not what vuln.go.dev serves (the message names it); fetch a fresh copy of the database.' },
  // drain (appended)
  HOST_BUSY: { kind: 'remote', hint: 'Processes (builds in flight) still use the toolchain: wait for them and re-run, raise --drain-timeout, or switch anyway with --force.' },
  // repos forge side: push, pull/merge requests, campaign status (appended)
  REPO_NO_REMOTE: { kind: 'remote', hint: 'The repository has no such remote: add one (git remote add origin URL) or pass --remote NAME.' },
  PUSH_FAILED: { kind: 'remote', hint: 'git push failed: check the remote URL, the network and that the branch is not protected; the local branch is kept, re-run to push again.' },
  PUSH_REJECTED: { kind: 'remote', hint: 'The remote branch moved since gofleet last saw it (someone else pushed), so --force-with-lease refused to overwrite it: inspect it, delete or rename it, then re-run.' },
  PUSH_AUTH_FAILED: { kind: 'auth', hint: 'The remote refused the credentials: check the SSH key or credential helper git uses for this remote, and write access to the repository.' },
  FORGE_UNKNOWN: { kind: 'usage', hint: 'The forge could not be told from the remote URL: pass --forge github|gitlab (and --forge-url for a self-hosted instance).' },
  FORGE_TOKEN_MISSING: { kind: 'auth', hint: 'Export GITHUB_TOKEN (GitHub) or GITLAB_TOKEN (GitLab) with rights to open pull/merge requests; gofleet never stores it.' },
  FORGE_AUTH_FAILED: { kind: 'auth', hint: 'The forge refused the token (401/403): check that it is valid, not expired, and may write pull/merge requests in this repository.' },
  FORGE_RATE_LIMITED: { kind: 'remote', hint: 'The forge kept answering with rate limits after the allowed waits; re-run later (finished repos are reused, not duplicated).' },
  FORGE_REQUEST_FAILED: { kind: 'remote', hint: 'A forge API request failed; see the message (status and path). Check --forge-url, the project path and network reachability (fetch ignores HTTPS_PROXY).' },
  CAMPAIGN_NOT_FOUND: { kind: 'input', hint: 'No campaign of that name is recorded: it is the branch name (gofleet/go1.X.Y) or the --campaign NAME given to `repos bump --push`.' },
  // plan: an OS older than the target supports (appended)
  OS_TOO_OLD: { kind: 'remote', hint: 'The target Go release does not run on this OS version (see go.dev/wiki/MinimumRequirements): upgrade the OS, or keep this host on an older Go with --limit.' },
  // issue 8 (a)
  HOST_KEY_TYPE_MISMATCH: { kind: 'hostkey', hint: 'known_hosts lists this host with another key type only: verify the offered key out of band (`ssh-keyscan -t TYPE HOST | ssh-keygen -lf -` against the fingerprint read on the host itself) before adding it; --accept-new-host-keys never adds a key type to a known host.' },
  // issue 8 (b)
  SYSTEM_PATH: { kind: 'remote', hint: 'goroot and versions_dir must be directories of their own (e.g. /usr/local/go, /usr/local/gofleet/versions), never a system directory or a link to one: fix goroot/versions_dir in the inventory, or the link on the host.' },
  VOLATILE_PATH: { kind: 'remote', hint: 'goroot and versions_dir must survive a reboot: move them off /tmp, /var/tmp, /dev/shm, /run and tmpfs mounts (e.g. /usr/local/go, /usr/local/gofleet/versions).' },
  GOROOT_NOT_TOOLCHAIN: { kind: 'remote', hint: 'goroot is a link to something that is not a Go toolchain or a managed version. If that link is yours to replace, re-run with --adopt-link: its old target is recorded on the host and `gofleet rollback` restores it.' },
  // issue 8 (e)
  OUTPUT_UNWRITABLE: { kind: 'input', hint: 'The file given to -o cannot be written: create its directory first (gofleet does not), check permissions and free space, or leave -o out to print to stdout.' },
  // issue 8 (f)
  INVENTORY_DUPLICATE_HOST: { kind: 'input', hint: 'Two inventory entries reach one machine (same address and port, after ~/.ssh/config), so they would fight over its lock: keep one entry, or select one with --limit.' },
  // issue 9 (h)
  VAULT_PASSWORD_MISSING: { kind: 'input', hint: 'Pass --vault-password-file FILE or set ANSIBLE_VAULT_PASSWORD_FILE: its first line is the vault password (an executable file is run, no arguments, and its output is used).' },
  VAULT_FILE_ENCRYPTED: { kind: 'input', hint: 'gofleet reads vault-encrypted values (`ansible-vault encrypt_string`), not whole encrypted files: encrypt only the secrets, or keep a decrypted copy out of version control.' },
  VAULT_DECRYPT_FAILED: { kind: 'input', hint: 'Check that the vault password file is the one the value was encrypted with (`ansible-vault view` or `ansible-vault decrypt --output -` shows it), and that the !vault text is intact.' },
  // issue 10 (ps-core)
  WINDOWS_PATH_INVALID: { kind: 'input', hint: 'Windows goroot and versions_dir must be absolute local paths with a drive letter, like C:\\ProgramData\\gofleet\\versions: UNC (\\\\server\\share) and device paths are not supported, nor the characters < > " | ? * in a name.' },
  // issue 10 (win-scripts)
  FILES_IN_USE: { kind: 'remote', hint: 'Windows refused to rename a directory because a file in it is open (a running go.exe, gopls or build, or antivirus scanning it): stop the process the message names, or wait for the scan, then re-run.' },
  VERIFY_BLOCKED: { kind: 'remote', hint: 'The verification program vanished or was refused right after it was built, as antivirus does: exclude versions_dir (with its .gofleet\\verify-cache) from real-time scanning, then re-run. The host was rolled back.' },
  MSI_FAILED: { kind: 'remote', hint: 'msiexec failed: the message holds its exit code and the tail of its log (kept under versions_dir\\.gofleet\\logs). 1603 is often a pending reboot or a locked file; 1618 means another installation kept running.' },
  // issue 10 (seams)
  SHELL_UNRECOGNISED: { kind: 'remote', hint: 'The account\'s login shell (Windows OpenSSH: the DefaultShell) answered neither like a POSIX sh, cmd.exe nor PowerShell: give the account a standard shell, or set the host\'s os in the inventory.' },
  // issue 10 (msi)
  MSI_NOT_APPLICABLE: { kind: 'input', hint: '--method msi installs the official Windows MSI into goroot: POSIX hosts take the default --method zip (leave them out with --limit, or run them separately), and a goroot that is already a gofleet junction (side by side) stays with --method zip unless a person removes the junction first.' },
  MSI_NO_ROLLBACK: { kind: 'remote', hint: 'The Go at goroot was installed by an MSI that is not in the host\'s MSI cache, so a failed upgrade could not reinstall it (the MSI removes the other version). Put that MSI (go<version>.windows-<arch>.msi from go.dev/dl) into <versions_dir>\\.gofleet\\cache on the host and run again, or use --method zip (side by side: the old version stays installed).' },
  // issue 11 (ntlm)
  WINRM_PROTOCOL: { kind: 'remote', hint: 'The WinRM host sent a reply gofleet could not read or verify (multipart/encrypted framing, Length or NTLM signature mismatch): something between may be altering traffic, or the listener is not a standard WinRM; try HTTPS (port 5986) and report the message if it persists.' },
  // issue 11 (winrm-http)
  WINRM_HTTP: { kind: 'remote', hint: 'The WinRM listener answered with an unexpected HTTP status (not 200, 401 or 500): check the port, scheme (http 5985 / https 5986) and path (/wsman), and that nothing (a proxy, a load balancer) stands in between.' },
  WINRM_TIMEOUT: { kind: 'unreachable', hint: 'The host accepted the WinRM request but did not answer within the read timeout, which must exceed the WS-Man operation timeout: look at the host (WinRM service, load), or raise the read timeout.' },
  TLS_CERT_SELF_SIGNED: { kind: 'hostkey', hint: 'The host presented a self-signed certificate: give its certificate (or the CA that signed it) as the CA file (winrm caFile / ansible_winrm_ca_trust_path); skip validation only for a lab host (certValidation: ignore), never for production.' },
  TLS_CERT_EXPIRED: { kind: 'hostkey', hint: 'The host\'s certificate has expired (or is not valid yet): renew the WinRM HTTPS listener\'s certificate, or check the clocks of both machines.' },
  TLS_CERT_NAME_MISMATCH: { kind: 'hostkey', hint: 'The certificate does not name the address gofleet connected to: connect by a name the certificate lists (its subjectAltName), set the TLS server name, or reissue the certificate with that name.' },
  TLS_CERT_UNKNOWN_CA: { kind: 'hostkey', hint: 'The host\'s certificate was issued by a CA that is not trusted here: give that CA\'s certificate as the CA file (winrm caFile / ansible_winrm_ca_trust_path); it is added to the system CAs.' },
  // issue 11 (winrm-transport)
  WINRM_AUTH_UNSUPPORTED: { kind: 'auth', hint: 'Kerberos and CredSSP are not supported yet: use ntlm (works over http with message encryption, and over https) or https with basic or certificate auth (winrm: { auth: ntlm } in gofleet YAML, ansible_winrm_transport=ntlm in Ansible).' },
  WINRM_QUOTA: { kind: 'remote', hint: 'The host\'s WinRM quotas were exhausted even after gofleet opened a fresh shell (winrm/config/Winrs: MaxShellsPerUser, MaxProcessesPerShell, MaxConcurrentOperationsPerUser, MaxMemoryPerShellMB): close other remote sessions of this account or raise the quota (winrm set winrm/config/winrs @{...}). gofleet never retries further: to WinRM, quota exhaustion can look like rejected credentials.' },
  WINRM_FAULT: { kind: 'remote', hint: 'The WinRM host refused a request with a WS-Management fault; its code and message are in the error (codes: wsmerror.h). Check the WinRM service (winrm get winrm/config) and the account\'s rights to remote shells.' },
  // issue 11 (winrm-facts)
  VERIFY_OUT_OF_MEMORY: { kind: 'remote', hint: 'The verification build ran out of memory on the host (an allocation failed: Go\'s "fatal error: out of memory", "The paging file is too small", exit 0xC0000017): the host is short of memory or commit (page file), the toolchain is not at fault and is not marked failed. The host was rolled back; re-run once it has memory, or without the verification build.' },
  WINRM_SHELL_MEMORY: { kind: 'remote', hint: 'The verification build was stopped by the WinRM shell\'s memory cap (MaxMemoryPerShellMB, which counts the shell and everything it starts), not by a broken toolchain; the host was rolled back. Raise the cap as an administrator: Set-Item WSMan:\\localhost\\Shell\\MaxMemoryPerShellMB 2048 and the PowerShell plugin\'s own quota Set-Item WSMan:\\localhost\\Plugin\\Microsoft.PowerShell\\Quotas\\MaxMemoryPerShellMB 2048, then Restart-Service WinRM, and re-run.' },
  // issue 10 (msi-rollback)
  MSI_NOT_CACHED: { kind: 'remote', hint: 'goroot on this host is an MSI install: `use` and `rollback` reinstall the wanted version\'s MSI from the host\'s MSI cache (<versions_dir>\\.gofleet\\cache) and never put a junction over it, and that .msi is not there. Run `gofleet upgrade --to VERSION --method msi` (it pushes the MSI, installs it and keeps it for the next rollback), or put go<version>.windows-<arch>.msi from go.dev/dl into the cache and run again; or, to leave the MSI, uninstall it (Apps & features) and `gofleet use VERSION` switches side by side to a version under versions_dir. Nothing was changed on the host.' },
  // issue 11 (winrm-review)
  WINRM_REQUEST_TOO_LARGE: { kind: 'remote', hint: 'The host refused a WinRM request as larger than it accepts (HTTP 413: over its MaxEnvelopeSizekb, or HTTP.sys\'s own request limits). gofleet sizes its requests from the host\'s winrm/config; an account that may not read it (not an administrator) makes gofleet assume 150 KB, the MS-WSMV default. Raise the limit as an administrator (Set-Item WSMan:\\localhost\\MaxEnvelopeSizekb 500), or connect with an account that may read winrm/config.' },
  // issue 12 (mirror-sign)
  SOURCE_SIGNATURE_MISSING: { kind: 'integrity', hint: 'With --trust-key the source\'s index.json must be signed: run `gofleet mirror sync ... --sign-key KEYFILE` to write index.json.sig beside it, or drop --trust-key for an unsigned source. Nothing from the source was used.' },
  SOURCE_SIGNATURE_INVALID: { kind: 'integrity', hint: 'index.json or index.json.sig was changed after signing, or was signed by another key: check that --trust-key names the mirror\'s KEYFILE.pub, and sync the mirror again from a trusted source. Nothing from the source was used.' },
  // issue 12 (sumdb)
  SUMDB_VERIFY_FAILED: { kind: 'integrity', hint: 'The checksum database (sum.golang.org) did not vouch for this module: its signed note, tree tiles or record failed verification, or the hash it vouches for differs from the download. Nothing was used; do not retry from the same source, and report it if it persists (it may be an attack, or a corrupt proxy or cache).' },
  SUMDB_UNAVAILABLE: { kind: 'release', hint: 'The checksum database could not be reached (directly or through the GOPROXY /sumdb/ path): check the network, HTTPS_PROXY and GOSUMDB settings, and retry.' },
  // issue 12 (goproxy-source)
  MODULE_HASH_MISMATCH: { kind: 'integrity', hint: 'The toolchain module zip from the GOPROXY does not hash (h1:) to what the Go checksum database records: the proxy or the download is corrupt or tampered with. It was not used; nothing was installed.' },
  SUMDB_REQUIRED: { kind: 'usage', hint: 'golang.org/toolchain zips are always checked against the checksum database (as the go command does); GOSUMDB=off / GONOSUMDB / GOPRIVATE may skip it only for a single file:// GOPROXY. Unset them, or use a file:// proxy you trust.' },
  // issue 12 (goproxy2)
  REPACK_TOO_LARGE: { kind: 'release', hint: 'The toolchain module zip is too large to repack as a Windows .zip without zip64 (over 65,535 files or 4 GiB), which gofleet does not write; no real Go toolchain is that large: check the module zip, or use another --source.' },
  // issue 12 (authority)
  SOURCE_CHECKSUM_DISAGREES: { kind: 'integrity', hint: 'Two sources of the SHA-256 named in the message disagree, so neither is trusted: a mirror whose index.json or FILE.sha256 differs from the official index is stale or tampered with (use another --source, or sync the mirror again from a trusted source); a --sha256 that differs was mistyped or is for another file. Nothing was downloaded or installed.' },
  // issue 12 (pull)
  PULL_FAILED: { kind: 'remote', hint: 'The host could not download the archive from the source URL itself (the message has the download tool\'s words: refused, 404, TLS, timeout). Check the host\'s route to the source and its http_proxy / https_proxy, or run with --distribution push (or auto). Goroot was not touched.' },
  PULL_NO_TOOL: { kind: 'remote', hint: 'The host has no curl, wget or busybox wget to download the archive with: install one, or run with --distribution push (or auto). Goroot was not touched.' },
  // issue 13 (policy)
  POLICY_NOT_FOUND: { kind: 'input', hint: 'Check the path given to --policy.' },
  POLICY_PARSE: { kind: 'input', hint: 'Fix the YAML syntax at the reported line of the policy file.' },
  POLICY_INVALID: { kind: 'input', hint: 'Fix the field at the reported line of the policy file; see docs/design.md "Policy" (channels: track/pin, min_age, allow_downgrade; assign: hosts, channel, window, rollout, gotoolchain).' },
  // issue 13 (serve)
  TOKEN_EXISTS: { kind: 'input', hint: 'Token names are unique: pick another name, or `gofleet serve token revoke NAME` first (`gofleet serve token list` shows them).' },
  TOKEN_NOT_FOUND: { kind: 'input', hint: 'Run `gofleet serve token list` to see the token names.' },
  // issue 14 (pgstore)
  STATE_URL_PASSWORD: { kind: 'usage', hint: 'A password in the --state URL would sit in the command line, the shell history and the journal: remove it, and give it through $PGPASSWORD or ~/.pgpass (mode 0600; host:port:database:user:password), both of which gofleet reads as psql does.' },
  // issue 14 (workers)
  WORKERS_NEED_POSTGRES: { kind: 'usage', hint: 'The coordinator and its workers share the journal and the job queue on PostgreSQL: pass --state postgres://USER@HOST:PORT/DB (or set GOFLEET_STATE to it) here and to every `gofleet worker`; the password comes from PGPASSWORD or ~/.pgpass.' },
  WORKER_SECRET_UNSHIPPABLE: { kind: 'input', hint: 'A job carries secret references, never secret values: give the host its password as ${env:NAME} (gofleet YAML) or a !vault value (Ansible), and set it in each worker\'s environment (or its --vault-password-file); a prompt cannot be answered by a worker.' },
  WORKER_JOB_FAILED: { kind: 'remote', hint: 'The worker could not run the host\'s command (its message says why: the release source, a secret not set in the worker\'s environment, an option it refused); the host was not touched. Fix the worker and run `gofleet resume RUN`.' },
  // issue 14 (fence; dispatch reuses it)
  LEASE_LOST: { kind: 'remote', hint: 'Another worker holds this host now (a newer fencing token is recorded in the host lock) and finishes it; nothing was changed by this one after it lost its lease, and the host\'s result is the other worker\'s.' },
} as const satisfies Record<string, { kind: ErrorKind; hint: string }>;

export type ErrorKind =
  | 'input'
  | 'usage'
  | 'release'
  | 'integrity'
  | 'unreachable'
  | 'auth'
  | 'hostkey'
  | 'remote'
  | 'interrupted'
  | 'internal';

export type ErrorCode = keyof typeof ERROR_CODES;

export interface ErrorOptions {
  hint?: string;
  cause?: unknown;
  /** file:line for input errors */
  location?: { file: string; line?: number; field?: string };
  /** the host this error is about, when there is one */
  host?: string;
}

const secrets = new Set<string>();

/** Register a secret (password, token) so that no error message, log line or report ever shows it. */
export function registerSecret(value: string | undefined): void {
  if (value && value.length >= 3) secrets.add(value);
}

/** Replace every registered secret in `text` with `***`. */
export function redact(text: string): string {
  let out = text;
  for (const s of secrets) out = out.split(s).join('***');
  return out;
}

/** The shortest piece of a secret `redactCut` hides: shorter ones tell little and would hide ordinary text. */
export const SECRET_FRAGMENT_MIN = 6;

/** Characters a cut may leave at an edge before the text proper: a cut multi-byte character (U+FFFD), an ellipsis. */
const CUT_START = /^[\uFFFD\u2026]*/;
const CUT_END = /[\uFFFD\u2026]*$/;

function fragmentLength(text: string, at: number, secret: string, fromEnd: boolean): number {
  for (let n = Math.min(secret.length, text.length - at); n >= SECRET_FRAGMENT_MIN; n--) {
    const piece = fromEnd ? secret.slice(-n) : secret.slice(0, n);
    if (fromEnd ? text.startsWith(piece, at) : text.endsWith(piece, text.length - at)) return n;
  }
  return 0;
}

/**
 * Redact text that may be a piece of a longer one (a host keeps only the tail of long output, so a secret can
 * straddle the cut): whole secrets, then a secret's tail at the start of `text` or its head at the end,
 * SECRET_FRAGMENT_MIN characters or more, becomes `***` too.
 */
export function redactCut(text: string): string {
  let out = redact(text);
  for (const s of secrets) {
    if (s.length < SECRET_FRAGMENT_MIN) continue;
    const lead = CUT_START.exec(out)?.[0].length ?? 0;
    const head = fragmentLength(out, lead, s, true);
    if (head > 0) out = `${out.slice(0, lead)}***${out.slice(lead + head)}`;
    const trail = CUT_END.exec(out)?.[0].length ?? 0;
    const tail = fragmentLength(out, trail, s, false);
    if (tail > 0) out = `${out.slice(0, out.length - trail - tail)}***${out.slice(out.length - trail)}`;
  }
  return out;
}

export class GofleetError extends Error {
  readonly code: ErrorCode;
  readonly hint: string;
  readonly location: ErrorOptions['location'];
  readonly host: string | undefined;

  constructor(code: ErrorCode, message: string, options: ErrorOptions = {}) {
    super(redact(message), options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'GofleetError';
    this.code = code;
    this.hint = redact(options.hint ?? ERROR_CODES[code].hint);
    this.location = options.location;
    this.host = options.host;
  }

  get kind(): ErrorKind {
    return ERROR_CODES[this.code].kind;
  }

  /** The `{code, message}` shape used in every JSON document. */
  toJSON(): { code: ErrorCode; message: string; hint: string } {
    return { code: this.code, message: this.message, hint: this.hint };
  }
}

/** Wrap anything thrown into a GofleetError (unknown errors become INTERNAL). */
export function asGofleetError(err: unknown, fallback: ErrorCode = 'INTERNAL'): GofleetError {
  if (err instanceof GofleetError) return err;
  const message = err instanceof Error ? err.message : String(err);
  return new GofleetError(fallback, message, { cause: err });
}

export interface ErrorPolicy {
  retry: boolean;
  /** exit code contribution (docs/design.md) */
  exitCode: 1 | 2 | 3 | 4 | 5 | 99;
}

/** The class decides the policy: retry only what may succeed next time, never auth or integrity. */
export function errorPolicy(code: ErrorCode): ErrorPolicy {
  switch (ERROR_CODES[code].kind) {
    case 'unreachable':
      return { retry: true, exitCode: 3 };
    case 'auth':
    case 'hostkey':
      return { retry: false, exitCode: 3 };
    case 'input':
      return { retry: false, exitCode: 4 };
    case 'usage':
      return { retry: false, exitCode: 5 };
    case 'interrupted':
      return { retry: false, exitCode: 99 };
    case 'remote':
      return { retry: false, exitCode: 2 };
    default:
      return { retry: false, exitCode: 1 };
  }
}
