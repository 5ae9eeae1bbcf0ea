import type { RiskEvent, RiskEventKind, RiskSeverity } from './risk-types.js';

/**
 * Turns rule conditions, re-evaluated every loop, into events on their edges only: one event
 * when a condition starts to hold and one when it stops, so logs are not flooded.
 */
export class ConditionTracker {
  private readonly active = new Set<string>();

  /**
   * True when `update` with this state would report an edge. Checking it first spares callers
   * building their message closure on the many loops where nothing changes.
   */
  changes(key: string, isActive: boolean): boolean {
    return isActive !== this.active.has(key);
  }

  /**
   * `describe(active)` is called only on an edge; it states the measurement behind the rule.
   * A clearing event has severity info and the message prefixed with "cleared: ".
   */
  update(
    events: RiskEvent[],
    key: string,
    isActive: boolean,
    ts: number,
    event: { readonly kind: RiskEventKind; readonly severity: RiskSeverity; readonly coin: string | null },
    describe: (active: boolean) => string,
  ): void {
    if (isActive === this.active.has(key)) return;
    if (isActive) {
      this.active.add(key);
      events.push({ ts, severity: event.severity, kind: event.kind, coin: event.coin, message: describe(true) });
    } else {
      this.active.delete(key);
      events.push({ ts, severity: 'info', kind: event.kind, coin: event.coin, message: `cleared: ${describe(false)}` });
    }
  }
}
