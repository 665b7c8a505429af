// iamauth-wasm/verify for `require` in Node: inspect and verify, from the verify module (loaded
// synchronously by wasm-bindgen's nodejs glue). IamAuthError is the default entry's class (one
// front-end, api.cjs, for both entries).
'use strict';
const native = require('./node/iamauth_wasm_verify.js');
module.exports = require('./api.cjs')(native);
