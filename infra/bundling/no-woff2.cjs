// Stands in for fontkit's brotli decoder (≈ 475 KB), which only WOFF2 fonts need: the bundled fonts are TTF.
// fontkit imports it when it loads, so this module must load; it throws only if a WOFF2 font is ever decoded.
module.exports = function decompress() {
  throw new Error('WOFF2 fonts are not supported in this Lambda bundle (see infra/bundling/bundling.ts).');
};
