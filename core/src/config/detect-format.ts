/** The control-file languages warden reads. */
export type ConfigFormat = 'monitrc' | 'pmtr';

/**
 * Which language a control file is written in, from its content: a file whose first
 * statement (comments and blank lines skipped) is `job {`, `report to` or `listen on` is
 * pmtr.conf; anything else is a monitrc. An empty file is a monitrc (no services either way).
 */
export function detectFormat(text: string): ConfigFormat {
  for (const raw of text.split('\n')) {
    const line = raw.replace(/^[ \t\r]+/, '');
    if (line === '' || line.startsWith('#')) continue;
    return /^(job[ \t\r]+\{|job[ \t\r]*$|report[ \t\r]+to([ \t\r]|$)|listen[ \t\r]+on([ \t\r]|$))/.test(line) ? 'pmtr' : 'monitrc';
  }
  return 'monitrc';
}
