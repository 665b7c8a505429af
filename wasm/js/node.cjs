// iamauth-wasm for `require` in Node: wasm-bindgen's nodejs glue loads the signing module
// synchronously. Its module has no error table: the build wrote the core's as data (codes.cjs).
'use strict';
const native = require('./node/iamauth_wasm.js');
const codes = require('./codes.cjs');
module.exports = require('./api.cjs')({ ...native, errorCodes: () => codes });
