/**
 * The error `run` throws, for the assertions that follow: fails the test when `run` returns, or
 * when the error is not a `type` (when given), so that a refusal that stopped happening is caught.
 */
export function thrown<E extends Error = Error>(run: () => unknown, type?: abstract new (...args: never[]) => E): E {
  let error: unknown;
  try {
    run();
  } catch (caught) {
    error = caught;
  }
  if (error === undefined) throw new Error('expected an error, but nothing was thrown');
  if (type && !(error instanceof type)) throw new Error(`expected a ${type.name}, got ${String(error)}`);
  return error as E;
}
