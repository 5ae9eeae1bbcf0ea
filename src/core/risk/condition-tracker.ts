import type { RiskEvent, RiskEventKind, RiskSeverity } from './risk-types.js';

/**
 * One rule's condition, re-evaluated every loop, turned into events on its edges only: one event
 * when it starts to hold and one when it stops, so logs are not flooded.
 */
export class TrackedCondition {
  private active = false;

  constructor(
    private readonly kind: RiskEventKind,
    private readonly severity: RiskSeverity,
    /** null for bot-wide rules. */
    private readonly coin: string | null,
  ) {}

  /**
   * True when `update` with this state would report an edge. Checking it first spares callers
   * building the message on the many loops where nothing changes.
   */
  changes(isActive: boolean): boolean {
    return isActive !== this.active;
  }

  /**
   * On an edge, pushes an event whose `message` states the measurement behind the rule.
   * A clearing event has severity info and the message prefixed with "cleared: ".
   */
  update(events: RiskEvent[], isActive: boolean, ts: number, message: string): void {
    if (isActive === this.active) return;
    this.active = isActive;
    if (isActive) events.push({ ts, severity: this.severity, kind: this.kind, coin: this.coin, message });
    else events.push({ ts, severity: 'info', kind: this.kind, coin: this.coin, message: `cleared: ${message}` });
  }
}
