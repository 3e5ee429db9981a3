import type { EventClass } from '@warden/sdk';
import { eventBit, eventText } from '../events/event-texts.js';

/** A rule that counts as failing this cycle, in rule order. */
export interface FailingRule {
  event: EventClass;
  state: 'failed' | 'changed';
}

/**
 * Monit's status column for a monitored service: `OK` when no rule is failing, else the
 * event text of the first failing rule (`Does not exist`, `Status failed`, `Checksum changed`).
 */
export function serviceStatusText(failing: readonly FailingRule[]): string {
  const first = failing[0];
  return first === undefined ? 'OK' : eventText(first.event, first.state);
}

/** The XML `<status>` value: the OR of the failing rules' legacy event bits. */
export function serviceStatusBits(failing: readonly FailingRule[]): number {
  return failing.reduce((bits, rule) => bits | eventBit(rule.event), 0);
}
