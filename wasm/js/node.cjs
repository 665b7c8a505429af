// iamauth-wasm for `require` in Node: wasm-bindgen's nodejs glue loads the .wasm synchronously.
'use strict';
const native = require('./node/iamauth_wasm.js');
module.exports = require('./api.cjs')(native);
