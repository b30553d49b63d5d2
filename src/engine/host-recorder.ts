// Records one host's steps and emits them as events, so every step is journaled before and after.

import { GofleetError, asGofleetError, redact } from '../errors.ts';
import type { EngineStep, EventSink, FinalStatus, HostResult, StepRecord } from './events.ts';
import type { StepEvent } from '../platform/types.ts';

export interface StepDetail {
  code?: string;
  message?: string;
  /** the Go version found (the `facts` step): journaled as the host's `from` before the host finishes */
  version?: string | null;
}

export class HostRecorder {
  readonly steps: StepRecord[] = [];
  readonly warnings: string[] = [];
  readonly startedAt: number;

  constructor(
    readonly host: string,
    private readonly run: string,
    private readonly emit: EventSink,
    private readonly now: () => number,
  ) {
    this.startedAt = now();
  }

  start(step: EngineStep): StepRecord {
    const record: StepRecord = { step, status: 'running', startedAt: this.now(), endedAt: null };
    this.steps.push(record);
    this.emit({ kind: 'host-step', run: this.run, host: this.host, step, status: 'start', at: record.startedAt });
    return record;
  }

  end(record: StepRecord, status: 'ok' | 'fail' | 'skip', detail: StepDetail = {}): void {
    record.status = status;
    record.endedAt = this.now();
    if (detail.code) record.code = detail.code;
    // host output (a health command's, say) may echo a secret: redact before it reaches any subscriber
    if (detail.message) record.message = redact(detail.message);
    const shown = {
      ...(detail.code ? { code: detail.code } : {}),
      ...(record.message ? { message: record.message } : {}),
      ...(detail.version !== undefined ? { version: detail.version } : {}),
    };
    this.emit({ kind: 'host-step', run: this.run, host: this.host, step: record.step, status, ...shown, at: record.endedAt });
  }

  /** Run a controller-side step; a thrown error ends the step as failed and propagates. */
  async step<T>(step: EngineStep, fn: () => Promise<T>, okDetail?: (value: T) => StepDetail): Promise<T> {
    const record = this.start(step);
    try {
      const value = await fn();
      this.end(record, 'ok', okDetail?.(value));
      return value;
    } catch (err) {
      const e = asGofleetError(err);
      this.end(record, 'fail', { code: e.code, message: e.message });
      throw e;
    }
  }

  skip(step: EngineStep, message: string): void {
    this.end(this.start(step), 'skip', { message });
  }

  /** Mirror a step marker printed by a host script. */
  scriptStep(event: StepEvent): void {
    if (event.status === 'start') {
      this.start(event.step);
      return;
    }
    const open = [...this.steps].reverse().find((s) => s.step === event.step && s.status === 'running');
    const detail = { ...(event.code ? { code: event.code } : {}), ...(event.message ? { message: event.message } : {}) };
    this.end(open ?? this.start(event.step), event.status, detail);
  }

  /** Close steps a lost connection left running. */
  abandonOpenSteps(message: string): void {
    for (const s of this.steps) if (s.status === 'running') this.end(s, 'fail', { code: 'CONNECTION_LOST', message });
  }

  /** set by upgrade once it knows how the archive reaches the host: carried on the result (and journaled) */
  delivery?: { delivery: NonNullable<HostResult['delivery']>; reason: string };

  result(status: FinalStatus, from: string | null, to: string | null, error?: GofleetError | null): HostResult {
    const d = this.delivery;
    return {
      name: this.host,
      status,
      from,
      to,
      error: error ? { code: error.code, message: error.message, hint: error.hint } : null,
      warnings: this.warnings.map(redact),
      startedAt: this.startedAt,
      durationMs: this.now() - this.startedAt,
      steps: this.steps,
      ...(d ? { delivery: d.delivery, ...(d.reason ? { deliveryReason: d.reason } : {}) } : {}),
    };
  }
}
