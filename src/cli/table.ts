import Table from 'cli-table3';

/** A compact, colourless table for terminal output (safe to pipe and to diff). */
export function createTable(head: string[]): Table.Table {
  return new Table({ head, style: { head: [], border: [], compact: true } });
}
