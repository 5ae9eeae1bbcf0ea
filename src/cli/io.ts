/** Where a command writes: stdout for results, stderr for progress and errors. */
export interface CliIO {
  out(text: string): void;
  err(text: string): void;
  /** True when stderr is an interactive terminal (progress bars only then). */
  readonly interactive: boolean;
}

export const processIO: CliIO = {
  out: (text) => process.stdout.write(text.endsWith('\n') ? text : `${text}\n`),
  err: (text) => process.stderr.write(text.endsWith('\n') ? text : `${text}\n`),
  interactive: Boolean(process.stderr.isTTY),
};

/** Prints `data` as one JSON document, or the human rendering of it. */
export function report<T>(io: CliIO, json: boolean, data: T, human: (data: T) => string): void {
  io.out(json ? JSON.stringify(data, null, 2) : human(data));
}
