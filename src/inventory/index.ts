// The inventory layer's public surface: load an inventory (gofleet YAML, Ansible INI or YAML)
// and select hosts with --limit patterns.

export { loadInventory, type LoadInventoryOptions } from './load-inventory.ts';
export { selectHosts, matchPattern } from './select-hosts.ts';
export { parseLimit, type LimitTerm, type LimitOp } from './limit-pattern.ts';
export type { HostSpec, Inventory, SecretRef, ProxyJump, TransportKind, SourceRef } from './types.ts';
export type { HostOs } from '../platform/types.ts';
export { OS_DEFAULTS } from '../platform/types.ts';
