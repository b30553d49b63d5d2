// A parsed, validated policy file (docs/design.md "Policy"): channels say which version a host should run,
// assignments map --limit-style host patterns to a channel, a maintenance window and a rollout shape.

import type { MaintenanceWindow } from './window.ts';

export type GoToolchainMode = 'local' | 'auto';

export type ChannelTarget =
  /** `track: "1.27"` (newest 1.27.x) or `track: latest`: a SPEC as --to takes it */
  | { kind: 'track'; spec: string }
  /** `pin: go1.26.8`: exactly this version */
  | { kind: 'pin'; version: string };

export interface Channel {
  name: string;
  target: ChannelTarget;
  /** --min-age text (3d): a tracked release must be this old */
  minAge?: string;
  /** a host newer than the channel may be moved down to it (reconcile); default false */
  allowDowngrade: boolean;
  /** the GOTOOLCHAIN hosts of the channel should run with; undefined: not checked */
  gotoolchain?: GoToolchainMode;
  line?: number;
}

/** The rollout options `upgrade` takes, under the same names (--canary, --waves, --max-fail, --parallel, --drain-timeout, --pause, --pause-after). */
export interface RolloutShape {
  canary?: number;
  waves?: string;
  maxFail?: string;
  parallel?: number;
  drainTimeout?: string;
  /** wait for a person's approval between waves (upgrade --pause): the dashboard of `gofleet serve` gives it */
  pause?: boolean;
  /** wait this long between waves, then go on unless stopped (upgrade --pause-after) */
  pauseAfter?: string;
}

export interface Assignment {
  /** position in the `assign` list (0-based): first match wins */
  index: number;
  /** a --limit pattern */
  hosts: string;
  channel: string;
  window?: MaintenanceWindow;
  rollout: RolloutShape;
  /** overrides the channel's gotoolchain */
  gotoolchain?: GoToolchainMode;
  line?: number;
}

export interface Policy {
  file: string;
  channels: ReadonlyMap<string, Channel>;
  assign: readonly Assignment[];
}
