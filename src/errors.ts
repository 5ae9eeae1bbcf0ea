/** Exit codes every command uses: 0 ok, 1 runtime failure, 2 bad input (flags, config, files). */
export const EXIT_OK = 0;
export const EXIT_RUNTIME = 1;
export const EXIT_BAD_INPUT = 2;

/**
 * An error the user caused and can fix: a bad flag, config key, file or line.
 * The message is one line that names the place (file, key path, line) and the problem.
 */
export class UserInputError extends Error {
  readonly exitCode = EXIT_BAD_INPUT;
  constructor(message: string) {
    super(message);
    this.name = 'UserInputError';
  }
}

export function isUserInputError(error: unknown): error is UserInputError {
  return error instanceof UserInputError;
}
