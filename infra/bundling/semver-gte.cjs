// Stands in for semver (≈ 29 KiB minified) in the Lambda bundles. Two bundled modules require it, each for one
// comparison: cls-hooked (the X-Ray SDK's context) checks `gte(process.versions.node, '8.0.0')` when it loads, and
// aws-xray-sdk-core's AWS SDK v2 patcher checks the v2 SDK's version, a patcher Powertools never calls for the v3
// clients. `gte` compares major.minor.patch as numbers (a pre-release tag is ignored); anything else throws.
function parts(version) {
  const match = /^v?(\d+)\.(\d+)\.(\d+)/.exec(String(version));
  if (!match) throw new TypeError(`Invalid Version: ${version}`);
  return match.slice(1).map(Number);
}

exports.gte = function gte(a, b) {
  const x = parts(a);
  const y = parts(b);
  for (let i = 0; i < 3; i++) if (x[i] !== y[i]) return x[i] > y[i];
  return true;
};
