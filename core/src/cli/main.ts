import 'reflect-metadata';
import { Command, CommanderError, Option } from 'commander';
import { actionHelp, HELP_TAIL } from './help.js';
import { runCli } from './run-cli.js';

/** Entry point of `bin/warden`: parse argv Monit's way and exit with the command's code. */
export async function main(argv: readonly string[] = process.argv): Promise<void> {
  const program = new Command('warden')
    .usage('[options] {arguments}')
    .description('warden: monitor and supervise services from Monit control files and pmtr job files')
    .option('-c, --conf <file>', 'use this control file')
    .option('-d, --daemon <n>', 'run as a daemon, checking services every n seconds')
    .option('-g, --group <name>', 'restrict the action to a service group')
    .option('-l, --logfile <file>', 'log to this file, or "syslog"')
    .option('-p, --pidfile <file>', 'use this lock file in daemon mode')
    .option('-s, --statefile <file>', 'write state information to this file')
    .option('-I, --interactive', 'do not fork: run in the foreground')
    .option('-t, --test', 'check the control file syntax and exit')
    .option('--json', 'with -t: print the parsed model as JSON')
    .option('--format <language>', 'the control file\'s language: "monitrc" or "pmtr" (default: detected)')
    .option('--log-format <format>', 'log lines as "text" (Monit\'s) or "json" (one object per line)')
    .option('-v, --verbose', 'verbose mode (repeat for more)', (_v, n: number) => n + 1, 0)
    .addOption(new Option('-H, --hash [file]', 'print the SHA1 and MD5 hashes of a file, or of standard input'))
    .option('-V, --version', 'print the version and exit')
    .helpOption('-h, --help', 'print this text and exit')
    .argument('[action]', 'start|stop|restart|monitor|unmonitor|status|summary|report|reload|quit|validate|procmatch|help')
    .argument('[args...]', 'a service name, "all", or the action\'s argument')
    .allowExcessArguments(false)
    .exitOverride()
    .configureOutput({ writeErr: () => undefined })
    .addHelpText('after', HELP_TAIL);
  try {
    program.parse(argv as string[]);
  } catch (err) {
    if (err instanceof CommanderError) {
      if (err.code === 'commander.helpDisplayed' || err.code === 'commander.help') process.exit(0);
      if (err.code === 'commander.unknownOption') {
        const opt = /'(.*)'/.exec(err.message)?.[1] ?? '';
        process.stderr.write(`Invalid option -- ${opt.replace(/^-+/, '')}  (-h will show valid options)\n`);
      } else {
        process.stderr.write(`${err.message.replace(/^error: /, '')}  (-h will show valid options)\n`);
      }
      process.exit(1);
    }
    throw err;
  }
  const [action, args] = program.processedArgs as [string | undefined, string[]];
  if (action === 'help') {
    const text = args[0] === undefined ? program.helpInformation() : actionHelp(args[0]);
    if (text === undefined) {
      process.stderr.write(`Invalid argument -- ${args[0]}  (-h will show valid arguments)\n`);
      process.exitCode = 1;
    } else {
      process.stdout.write(`${text.trimEnd()}${args[0] === undefined ? HELP_TAIL : ''}\n`);
    }
    return;
  }
  const code = await runCli(program.opts(), action, args ?? []);
  process.exitCode = code;
}
