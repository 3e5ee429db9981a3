import { defineTest, fail, ok, type ProbeResult } from '@warden/sdk';
import type { NetworkTarget } from './network-type.js';

/** `link down` (and `failed link`) or `link up`. */
export interface LinkOptions {
  readonly check: 'down' | 'up';
}

/**
 * `if link down|up` (Monit C38) and `if failed link` (C39, the old spelling of `link down`).
 * Down also covers link errors: input or output errors counted since the previous cycle.
 * `if changed link` is its own test (`network.capacity`), so it does not replace the implicit
 * `if link down then alert`.
 */
export const linkTest = defineTest<LinkOptions, NetworkTarget>({
  name: 'network.link',
  summary: 'Link state of the interface: up, down, link errors',
  serviceTypes: ['network'],
  keywords: ['link'],
  polarities: ['none', 'failed'],
  event: 'link',
  codes: {
    'network.down': 'the link is down (administratively, no carrier, or the interface is missing)',
    'network.errors': 'the interface counted input or output errors since the previous cycle',
  },
  parse(ts, ctx) {
    ts.expect('link');
    if (ctx.polarity === 'failed') return { options: { check: 'down' }, condition: { kind: 'state' }, describe: 'failed link' };
    const word = ts.expect('down', 'up').text.toLowerCase() as 'down' | 'up';
    // `link up` alerts while the link is up: the same probe, judged the other way round.
    return { options: { check: word }, condition: { kind: 'state', invert: word === 'up' }, describe: `link ${word}` };
  },
  run(ctx): ProbeResult {
    const t = ctx.target;
    const name = t.interface ?? 'unknown';
    const observations = { linkState: t.up ? 1 : 0, operstate: t.link?.operstate ?? 'missing', speedMbps: t.link?.speedMbps ?? null };
    if (!t.link) return fail('network.down', `link down -- interface ${name} not found`, { observations });
    if (!t.up) {
      const why = !t.link.adminUp ? 'administratively down' : `operstate ${t.link.operstate}, ${t.link.carrier === false ? 'no carrier' : 'carrier unknown'}`;
      return fail('network.down', `link down on ${name} -- ${why}`, { observations });
    }
    const errIn = t.delta?.rxErrors ?? 0;
    const errOut = t.delta?.txErrors ?? 0;
    if (errIn > 0 || errOut > 0) {
      return fail('network.errors', `link errors on ${name} -- ${errIn} input errors, ${errOut} output errors detected`, { observations });
    }
    return ok(`link up on ${name}`, { observations });
  },
});
