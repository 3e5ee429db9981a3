import type { EventClass } from '@warden/sdk';
import { ALERT_FILTER_CLASSES } from '../../events/event-texts.js';

/** The event class an alert filter `{ … }` names with `word` (any case), or undefined. */
export function alertEventClass(word: string): EventClass | undefined {
  const lower = word.toLowerCase();
  return ALERT_FILTER_CLASSES.find((c) => c === lower);
}
