import { defineTest, fail, ok, skipped } from '@warden/sdk';
import { readSmall } from './proc.js';
import type { ProcessTarget } from './target.js';

/** `failed security attribute "S"`. */
export interface SecurityOptions {
  readonly attribute: string;
}

/**
 * The process's security label from `/proc/PID/attr/current`: an SELinux context
 * (`system_u:system_r:ntpd_t:s0`) or an AppArmor profile (`/usr/sbin/ntpd (enforce)`,
 * `unconfined`). Empty when no security module labels processes (the read fails with EINVAL)
 * or the process is gone.
 */
export function readSecurityAttribute(pid: number): string {
  const text = readSmall(`/proc/${pid}/attr/current`, 4096);
  return text === undefined ? '' : text.replace(/[\0\s]+$/, '');
}

/**
 * True when `current` is the label `expected`: the whole label, or for AppArmor the profile
 * name without its mode (`ntpd` for `ntpd (enforce)`), so a rule survives complain mode.
 */
export function attributeMatches(current: string, expected: string): boolean {
  if (current === expected) return true;
  const mode = /^(.*) \((enforce|complain|kill|unconfined|prompt)\)$/.exec(current);
  return mode !== null && mode[1] === expected;
}

/**
 * `if failed security attribute "S"` (Monit C18): the SELinux or AppArmor label of the
 * process differs from S. Without a security module every process's label is empty (Monit
 * shows `-`), so the rule fails.
 */
export const securityTest = defineTest<SecurityOptions, ProcessTarget>({
  name: 'process.security',
  summary: 'SELinux or AppArmor label of the process',
  serviceTypes: ['process'],
  keywords: ['security'],
  polarities: ['failed'],
  event: 'invalid',
  codes: { 'process.security': 'the process has another security label (or none: no SELinux or AppArmor)' },
  parse(ts) {
    ts.expect('security');
    ts.expect('attribute');
    const attribute = ts.string('a security attribute');
    return { options: { attribute }, condition: { kind: 'state' }, describe: `failed security attribute "${attribute}"` };
  },
  run(ctx) {
    const pid = ctx.target.pid;
    if (pid === undefined) return skipped('process is not running');
    const current = readSecurityAttribute(pid);
    const shown = current || '-';
    const extras = { value: shown, observations: { securityAttribute: shown } };
    if (!attributeMatches(current, ctx.options.attribute)) {
      return fail('process.security', `Security attribute test failed for ${ctx.service.name} -- current attribute is ${shown}`, extras);
    }
    return ok(`security attribute test succeeded [current attribute = ${shown}]`, extras);
  },
});
