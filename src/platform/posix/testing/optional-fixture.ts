// A test fixture that may be missing on a developer's machine (not built yet) but never in CI:
// locally the test is skipped with a message that says so; with CI set the import error is thrown,
// so a broken or missing fixture turns CI red instead of green-by-skipping.

export interface OptionalFixture<T> {
  fixture: T | null;
  /** false to run; a reason string for node:test's `skip` otherwise. */
  skip: false | string;
}

/** True when the environment says this is CI (CI=true, CI=1, ...; CI=false and CI=0 do not count). */
export function inCi(env: NodeJS.ProcessEnv): boolean {
  const v = (env.CI ?? '').trim().toLowerCase();
  return v !== '' && v !== 'false' && v !== '0';
}

export async function optionalFixture<T>(options: { name: string; load: () => Promise<T>; env?: NodeJS.ProcessEnv }): Promise<OptionalFixture<T>> {
  try {
    return { fixture: await options.load(), skip: false };
  } catch (e) {
    if (inCi(options.env ?? process.env)) {
      throw new Error(`CI=true: the test fixture ${options.name} could not be loaded, failing instead of skipping: ${String(e)}`, { cause: e });
    }
    return { fixture: null, skip: `skipped locally only (in CI this fails): fixture ${options.name} could not be loaded: ${String(e)}` };
  }
}
