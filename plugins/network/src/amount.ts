import { compare, formatBytes, type Comparison, type TokenStream } from '@warden/sdk';

/** A threshold in bytes (`10 MB`, `10 MB/s`) or in packets (`1000 packets`, `1000 packets/s`). */
export interface Amount {
  readonly comparison: Comparison;
  readonly packets: boolean;
}

const PACKETS = /^packets?(\/s)?$/i;

/** Read `OP N unit[/s]` or `OP N packets[/s]`. */
export function parseAmount(ts: TokenStream): Amount {
  const mark = ts.mark();
  ts.operator();
  const numTok = ts.peek();
  ts.number('a number');
  const unit = ts.peek();
  ts.reset(mark);
  if (unit.kind === 'word' && PACKETS.test(unit.text)) {
    const op = ts.operator();
    const value = ts.number();
    ts.next();
    return { comparison: { op, value, unit: 'none', text: `${numTok.raw} packets` }, packets: true };
  }
  return { comparison: ts.comparison(['bytes']), packets: false };
}

/** A threshold as a rate for messages: `10 MB/s` whether or not the user wrote the `/s`. */
export function perSecondText(text: string): string {
  return text.endsWith('/s') ? text : `${text}/s`;
}

/** `1.2 MB` or `1200 packets`, with `/s` for a rate. */
export function formatAmount(value: number, packets: boolean, rate: boolean): string {
  const text = packets ? `${Math.round(value)} packets` : formatBytes(Math.round(value));
  return rate ? `${text}/s` : text;
}

/** Monit's resource-test wording: the message says what the engine will decide. */
export function resourceMessage(what: string, value: number, display: string, c: Comparison, limitText: string): string {
  return compare(value, c.op, c.value)
    ? `${what} of ${display} matches limit [${limitText}]`
    : `${what} check succeeded [current ${what} = ${display}]`;
}
