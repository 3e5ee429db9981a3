// Dialogue (Postfix SMTP access policy delegation, https://www.postfix.org/SMTPD_POLICY_README.html;
// Monit's src/protocols/postfix_policy.c), fixed values so real traffic is not affected:
//   C: request=smtpd_access_policy\n protocol_state=RCPT\n protocol_name=SMTP\n
//      sender=monit@foo.tld\n recipient=monit@foo.tld\n client_address=1.2.3.4\n client_name=mx.foo.tld\n \n
//   S: action=…\n
import { defineProtocol } from '@warden/sdk';
import { converse, DialogueError, quote, Reader, send } from './io.js';

const REQUEST = [
  'request=smtpd_access_policy', 'protocol_state=RCPT', 'protocol_name=SMTP', 'sender=monit@foo.tld',
  'recipient=monit@foo.tld', 'client_address=1.2.3.4', 'client_name=mx.foo.tld', '', '',
].join('\n');

/** `protocol postfix-policy`. */
export const postfixPolicyProtocol = defineProtocol<undefined>({
  name: 'postfix-policy',
  summary: 'Postfix policy service: a RCPT request answered with an action',
  speak: (ctx) =>
    converse(async () => {
      const reader = new Reader(ctx.socket, ctx.signal);
      await send(ctx.socket, REQUEST);
      const line = await reader.line('POSTFIX-POLICY response');
      if (line.length <= 7 || line.slice(0, 7).toLowerCase() !== 'action=') {
        throw new DialogueError(`POSTFIX-POLICY error: ${line ? quote(line) : 'no action returned'}`);
      }
      return quote(line);
    }),
});
