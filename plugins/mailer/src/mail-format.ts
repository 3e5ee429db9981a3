import { defineSetting, parseMailFormat, type MailFormat } from '@warden/sdk';

/** `set mail-format { from: … reply-to: … subject: … message: … }` (reference A14). */
export const mailFormatSetting = defineSetting<MailFormat>({
  name: 'mail-format',
  summary: 'the default From, Reply-To, Subject and body of alert mail',
  keywords: ['mail-format'],
  options: {
    from: { type: 'string', description: 'Sender, `[Name] <addr>` or `addr`.', default: 'warden@<hostname>' },
    'reply-to': { type: 'string', description: 'Reply-To address.' },
    subject: { type: 'string', description: 'One line; `$VARS` expanded.', default: 'warden alert --  $EVENT $SERVICE' },
    message: { type: 'string', description: 'The body, verbatim up to the closing `}`; `$VARS` expanded.' },
  },
  parse: (ts) => parseMailFormat(ts),
});
