// Render one template with velocityjs, giving it the same $input, $util,
// $context and $stageVariables the C engine sees (see vtl_driver.c).
// Usage: node render.js TEMPLATE.vtl [INPUT.json]
'use strict';
const fs = require('fs');
const path = require('path');
const { render } = require(path.join(__dirname, 'node_modules', 'velocityjs'));

const tmpl = fs.readFileSync(process.argv[2], 'utf8');
const input = process.argv[3] ? JSON.parse(fs.readFileSync(process.argv[3], 'utf8')) : {};
let body = input.body === undefined ? '' : input.body;
if (typeof body !== 'string') body = JSON.stringify(body);

// The JSONPath subset the corpus uses: $, .name, ['name'], [index].
function jsonpath(doc, p) {
  if (!p.startsWith('$')) p = '$.' + p;
  let cur = doc;
  const re = /\.([^.[]+)|\[(-?\d+)\]|\['([^']*)'\]/g;
  let m;
  re.lastIndex = 1;
  while ((m = re.exec(p))) {
    if (cur === undefined || cur === null) return undefined;
    if (m[1] !== undefined) cur = cur[m[1]];
    else if (m[2] !== undefined) cur = cur[Number(m[2]) < 0 ? cur.length + Number(m[2]) : Number(m[2])];
    else cur = cur[m[3]];
  }
  return cur;
}
const doc = () => (body.trim() === '' ? {} : JSON.parse(body));
const params = { path: input.path || {}, header: input.header || {}, querystring: input.querystring || {} };
const ctx = {
  input: {
    body: body === '' ? '{}' : body,
    json: (p) => { const v = jsonpath(doc(), p); return v === undefined ? '' : JSON.stringify(v); },
    path: (p) => { const v = jsonpath(doc(), p); return v === undefined ? '' : v; },
    params: (n) => {
      if (n === undefined) return params;
      for (const k of ['path', 'querystring', 'header']) if (n in params[k]) return params[k][n];
      return '';
    },
  },
  util: {
    escapeJavaScript: (s) => JSON.stringify(String(s)).slice(1, -1).replace(/'/g, "\\'"),
    urlEncode: (s) => encodeURIComponent(s).replace(/%20/g, '+'),
    urlDecode: (s) => decodeURIComponent(String(s).replace(/\+/g, ' ')),
    base64Encode: (s) => Buffer.from(String(s), 'utf8').toString('base64'),
    base64Decode: (s) => Buffer.from(String(s), 'base64').toString('utf8'),
    parseJson: (s) => JSON.parse(s),
  },
  context: input.context || {},
  stageVariables: input.stageVariables || {},
};
try {
  process.stdout.write(render(tmpl, ctx));
} catch (e) {
  process.stdout.write('ERROR: ' + e.message.split('\n')[0] + '\n');
  process.exitCode = 3;
}
