// Stands in for packages that a Lambda function's code imports but never runs (see infra/bundling/bundling.ts).
// It throws only if something loads it, with a message that says why, instead of failing later on an undefined export.
module.exports = (() => {
  throw new Error('This package is not bundled into this Lambda function: only the tenders function renders documents (see infra/bundling/bundling.ts).');
})();
