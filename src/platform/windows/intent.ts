// Windows-side additions to the dialect-neutral intents (platform/types.ts). Every field is optional, so a
// plain UpgradeIntent / SwitchIntent is a valid Windows intent: the engine needs to know nothing of them until
// it offers the options.

import type { InstallMethod, SwitchIntent, UpgradeIntent } from '../types.ts';

export interface WindowsIntentOptions {
  /** `--method`: side by side from the zip (default) or the official MSI (msi-script.ts); also on UpgradeIntent */
  method?: InstallMethod;
  /** drop other Go toolchain bins from the machine PATH (default false: only <goroot>\bin is placed first) */
  removeOtherGoPaths?: boolean;
}

export type WindowsUpgradeIntent = UpgradeIntent & WindowsIntentOptions;
export type WindowsSwitchIntent = SwitchIntent & WindowsIntentOptions;
