import { readFileSync } from 'node:fs';
import { Command, CommanderError } from 'commander';
import { EXIT_BAD_INPUT, EXIT_OK, EXIT_RUNTIME, isUserInputError } from '../errors.js';
import { registerBacktestCommand } from './backtest.js';
import { registerConfigCommands } from './config.js';
import { registerDbCommands } from './db.js';
import { processIO, type CliIO } from './io.js';
import { registerQuoteCommand } from './quote.js';
import { registerResearchCommands } from './research.js';

function packageVersion(): string {
  const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
  return pkg.version;
}

/** Builds the command tree. Each command lives in its own file and registers itself here. */
export function buildProgram(io: CliIO): Command {
  const program = new Command('hypermm')
    .description('Market-making engine for Hyperliquid perpetuals')
    .version(packageVersion(), '-V, --version')
    .showHelpAfterError('(run with --help for usage)')
    .configureOutput({ writeOut: (s) => io.out(s), writeErr: (s) => io.err(s) })
    .exitOverride();
  registerConfigCommands(program, io);
  registerDbCommands(program, io);
  registerBacktestCommand(program, io);
  registerQuoteCommand(program, io);
  registerResearchCommands(program, io);
  return program;
}

/** Runs the CLI and returns the process exit code; never calls process.exit itself. */
export async function main(argv: string[], io: CliIO = processIO): Promise<number> {
  const program = buildProgram(io);
  try {
    await program.parseAsync(argv);
    return EXIT_OK;
  } catch (error) {
    if (error instanceof CommanderError) {
      if (error.code === 'commander.helpDisplayed' || error.code === 'commander.version' || error.code === 'commander.help') {
        return EXIT_OK;
      }
      return error.exitCode === 0 ? EXIT_OK : EXIT_BAD_INPUT;
    }
    if (isUserInputError(error)) {
      io.err(`error: ${error.message}`);
      return EXIT_BAD_INPUT;
    }
    io.err(`error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    return EXIT_RUNTIME;
  }
}
