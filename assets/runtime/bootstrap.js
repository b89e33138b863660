// The node side of apigw-console's local Lambda worker. It plays the part of
// Lambda's node runtime: load the handler module once (the init phase), then
// serve invocations one at a time with Lambda's context object, callback and
// promise styles, console lines ("<time>\t<request id>\tINFO\t...") and error
// shapes.
//
// Channels (set up by the emulator): fd 3 brings invocations, fd 4 takes
// answers, fd 1 and 2 are the function's log. Frames are one header line
// "<kind> <length>\n" followed by <length> bytes:
//   in:  "invoke <hlen> <blen>\n" + header JSON (id, arn, deadline) + event
//   out: "init-ok 0", "init-error N", "ok N", "error N", "fatal N"
'use strict';

const fs = require('fs');
const net = require('net');
const path = require('path');
const url = require('url');
const util = require('util');

const TASK_ROOT = process.env.LAMBDA_TASK_ROOT || process.cwd();
const SHOWN_ROOT = '/var/task'; // where Lambda unpacks code; stacks show it
const SHOWN_RUNTIME = '/var/runtime/index.mjs';

let requestId; // undefined during init, printed as such, as Lambda does
let current = null; // the invocation being served

class RuntimeError extends Error {}
const errorClass = (name) => {
  const c = class extends RuntimeError {};
  c.prototype.name = `Runtime.${name}`;
  return c;
};
const ImportModuleError = errorClass('ImportModuleError');
const HandlerNotFound = errorClass('HandlerNotFound');
const MalformedHandlerName = errorClass('MalformedHandlerName');
const UserCodeSyntaxError = errorClass('UserCodeSyntaxError');
const UnhandledPromiseRejection = errorClass('UnhandledPromiseRejection');

// Paths in stacks as they read in Lambda.
function shown(text) {
  return String(text)
    .split(url.pathToFileURL(TASK_ROOT).href).join('file://' + SHOWN_ROOT)
    .split(TASK_ROOT).join(SHOWN_ROOT)
    .split(url.pathToFileURL(__filename).href).join('file://' + SHOWN_RUNTIME)
    .split(__filename).join('file://' + SHOWN_RUNTIME);
}

function writeAll(fd, data) {
  let off = 0;
  while (off < data.length) {
    try {
      off += fs.writeSync(fd, data, off, data.length - off);
    } catch (e) {
      if (e.code !== 'EAGAIN') throw e; // a non-blocking pipe that is full: the emulator reads it
    }
  }
}

function log(level, message, params) {
  const line = `${new Date().toISOString()}\t${requestId}\t${level}\t${util.format(message, ...params)}\n`;
  writeAll(1, Buffer.from(line, 'utf8'));
}

for (const [fn, level] of [['trace', 'TRACE'], ['debug', 'DEBUG'], ['info', 'INFO'],
  ['log', 'INFO'], ['warn', 'WARN'], ['error', 'ERROR'], ['fatal', 'FATAL']]) {
  console[fn] = (message, ...params) => log(level, message, params);
}

function isError(e) {
  return e && typeof e.name === 'string' && typeof e.message === 'string' &&
    typeof e.stack === 'string';
}

function intoError(e) {
  return e instanceof Error ? e : new Error(e);
}

// The error object Invoke returns.
function toResponse(e) {
  try {
    if (util.types.isNativeError(e) || isError(e)) {
      return { errorType: e.name, errorMessage: e.message, trace: shown(e.stack).split('\n') };
    }
    return { errorType: typeof e, errorMessage: e.toString(), trace: [] };
  } catch (_) {
    return {
      errorType: 'handled',
      errorMessage: 'callback called with Error argument, but there was a problem while retrieving one or more of its message, name, and stack',
    };
  }
}

// "Invoke Error \t{...}": the error with its enumerable members.
function formatted(e) {
  const withMembers = (_k, v) => {
    if (!(v instanceof Error)) return v;
    const out = Object.assign({ errorType: v.name, errorMessage: v.message, code: v.code }, v);
    if (typeof v.stack === 'string') out.stack = shown(v.stack).split('\n');
    return out;
  };
  try {
    return '\t' + JSON.stringify(e, withMembers);
  } catch (_) {
    return '\t' + JSON.stringify(toResponse(e));
  }
}

function logError(what, e) {
  console.error(what, formatted(intoError(e)));
}

function send(kind, text) {
  const data = Buffer.from(text, 'utf8');
  writeAll(4, Buffer.concat([Buffer.from(`${kind} ${data.length}\n`, 'ascii'), data]));
}

// --- loading the handler (Lambda's rules for module files) ---------------

function typeModule(folder) {
  for (let dir = folder; ; dir = path.dirname(dir)) {
    if (dir.endsWith('/node_modules')) return false;
    const pj = path.join(dir, 'package.json');
    if (fs.existsSync(pj)) {
      try {
        return JSON.parse(fs.readFileSync(pj)).type === 'module';
      } catch (_) {
        return false;
      }
    }
    if (dir === TASK_ROOT || dir === path.dirname(dir)) return false;
  }
}

function tryRequire(file) {
  return fs.existsSync(file) ? require(file) : undefined;
}

async function tryImport(file) {
  return fs.existsSync(file) ? await import(url.pathToFileURL(file).href) : undefined;
}

async function loadModule(moduleRoot, module) {
  const file = path.resolve(TASK_ROOT, moduleRoot, module);
  const asModule = typeModule(path.dirname(file));
  const loaded =
    tryRequire(file) ||
    (!asModule && tryRequire(file + '.js')) ||
    (asModule && (await tryImport(file + '.js'))) ||
    (await tryImport(file + '.mjs')) ||
    tryRequire(file + '.cjs');
  if (loaded) return loaded;
  try {
    return require(require.resolve(module, { paths: [TASK_ROOT, path.resolve(TASK_ROOT, moduleRoot)] }));
  } catch (e) {
    if (e.code !== 'MODULE_NOT_FOUND') throw e;
    const missing = new Error(`Cannot find module '${module}'\nRequire stack:\n- ${SHOWN_RUNTIME}`);
    missing.code = 'MODULE_NOT_FOUND';
    throw missing;
  }
}

async function loadHandler(spec) {
  if (spec.includes('..')) {
    throw new MalformedHandlerName(`'${spec}' is not a valid handler name. Use absolute paths when specifying root directories in handler names.`);
  }
  const base = path.basename(spec);
  const moduleRoot = spec.substring(0, spec.indexOf(base));
  const match = base.match(/^([^.]*)\.(.*)$/);
  if (!match) throw new MalformedHandlerName('Bad handler');
  let app;
  try {
    app = await loadModule(moduleRoot, match[1]);
  } catch (e) {
    if (e instanceof SyntaxError) throw new UserCodeSyntaxError(e);
    if (e.code === 'MODULE_NOT_FOUND') throw new ImportModuleError(e);
    throw e;
  }
  const fn = match[2].split('.').reduce((o, k) => o && o[k], app);
  if (!fn) throw new HandlerNotFound(`${spec} is undefined or not exported`);
  if (typeof fn !== 'function') throw new HandlerNotFound(`${spec} is not a function`);
  return fn;
}

// --- invocations -----------------------------------------------------------

function finish(inv, err, result) {
  if (inv.done) return;
  inv.done = true;
  current = null;
  if (err !== undefined && err !== null) {
    logError('Invoke Error', err);
    send('error', JSON.stringify(toResponse(intoError(err))));
  } else {
    let text;
    try {
      text = JSON.stringify(result === undefined ? null : result);
    } catch (e) {
      logError('Invoke Error', e);
      send('error', JSON.stringify(toResponse(e)));
      return input.ref();
    }
    send('ok', text === undefined ? 'null' : text);
  }
  input.ref();
}

// Called as a method of a Runtime, so that stacks read "at Runtime.handler"
// as in Lambda.
class Runtime {
  constructor(handler) {
    this.handler = handler;
  }
}

function invoke(runtime, head, body) {
  requestId = head.id;
  const inv = { done: false, promise: false };
  current = inv;
  let waits = true;
  const done = (err, result) => finish(inv, err, result);
  const context = {
    get callbackWaitsForEmptyEventLoop() { return waits; },
    set callbackWaitsForEmptyEventLoop(v) { waits = v; },
    succeed: (result) => done(null, result),
    fail: (err) => done(err === undefined || err === null ? 'handled' : err, null),
    done,
    functionName: process.env.AWS_LAMBDA_FUNCTION_NAME,
    functionVersion: process.env.AWS_LAMBDA_FUNCTION_VERSION,
    invokedFunctionArn: head.arn,
    memoryLimitInMB: process.env.AWS_LAMBDA_FUNCTION_MEMORY_SIZE,
    awsRequestId: head.id,
    logGroupName: process.env.AWS_LAMBDA_LOG_GROUP_NAME,
    logStreamName: process.env.AWS_LAMBDA_LOG_STREAM_NAME,
    getRemainingTimeInMillis: () => Math.max(head.deadline - Date.now(), 0),
  };
  // Until it answers, the channel does not keep node alive: a handler that
  // neither returns a promise nor calls back answers null once its event
  // loop is empty (beforeExit), as in Lambda.
  input.unref();
  try {
    const result = runtime.handler(JSON.parse(body), context, done);
    if (result && typeof result.then === 'function') {
      inv.promise = true;
      result.then(context.succeed, context.fail).catch(context.fail);
    }
  } catch (e) {
    done(e);
  }
}

process.on('beforeExit', () => {
  if (current && !current.promise) finish(current, null, null);
});

function fatal(what, e) {
  logError(what, e);
  send(current ? 'fatal' : 'init-error', JSON.stringify(toResponse(e)));
  process.exit(what === 'Uncaught Exception' ? 129 : 128);
}

process.on('uncaughtException', (e) => fatal('Uncaught Exception', e));
process.on('unhandledRejection', (reason, promise) => {
  const e = new UnhandledPromiseRejection(reason);
  e.reason = reason;
  e.promise = promise;
  fatal('Unhandled Promise Rejection', e);
});

let input = null;

function serve(handler) {
  const runtime = new Runtime(handler);
  let chunks = [];
  let size = 0;
  let need = 0; // bytes of the frame being received, once its header is known
  input = new net.Socket({ fd: 3, readable: true, writable: false });
  input.on('data', (chunk) => {
    chunks.push(chunk);
    size += chunk.length;
    for (;;) {
      if (need === 0 && chunks.length > 1) chunks = [Buffer.concat(chunks)];
      const pending = chunks[0];
      const nl = pending ? pending.indexOf(10) : -1;
      if (nl < 0) return;
      const [, hlen, blen] = pending.subarray(0, nl).toString('ascii').split(' ').map(Number);
      need = nl + 1 + hlen + blen;
      if (size < need) return; // concatenated once, when the frame is whole
      const frame = chunks.length > 1 ? Buffer.concat(chunks) : pending;
      const head = JSON.parse(frame.subarray(nl + 1, nl + 1 + hlen).toString('utf8'));
      const body = frame.subarray(nl + 1 + hlen, need).toString('utf8');
      const rest = frame.subarray(need);
      chunks = rest.length ? [rest] : [];
      size = rest.length;
      need = 0;
      invoke(runtime, head, body);
    }
  });
  input.on('end', () => process.exit(0));
  input.on('error', () => process.exit(0));
}

loadHandler(process.env._HANDLER || '').then(
  (handler) => {
    send('init-ok', '');
    serve(handler);
  },
  (e) => fatal('Uncaught Exception', e),
);
