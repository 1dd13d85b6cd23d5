// Stands in for packages that a Lambda function's code imports but never runs (see infra/bundling/bundling.ts).
// It throws only if something loads it, with a message that says why, instead of failing later on an undefined export.
module.exports = (() => {
  throw new Error('This package is not bundled into this Lambda function: the Office writers live in the documents function only, and source-map in none (see infra/bundling/bundling.ts).');
})();
