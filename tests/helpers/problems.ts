/** The start-up errors (configuration, service definitions, client registry) all list every problem at once. */
type ProblemsError = abstract new (...args: never[]) => Error & { readonly problems: readonly string[] };

/**
 * Runs `fn`, expecting it to throw an `errorClass`, and returns that error's problems.
 * Any other outcome fails the test.
 */
export function problemsOf(fn: () => unknown, errorClass: ProblemsError): readonly string[] {
  try {
    fn();
  } catch (err) {
    if (err instanceof errorClass) return err.problems;
    throw err;
  }
  throw new Error(`expected a ${errorClass.name}`);
}
