# The python side of apigw-console's local Lambda worker. It plays the part
# of Lambda's python runtime: import the handler module once (the init
# phase), then serve invocations one at a time, with the context object,
# results, errors and log lines shaped as Lambda's runtime shapes them.
#
# Channels (set up by the emulator): fd 3 brings invocations, fd 4 takes
# answers, fd 1 and 2 are the function's log. Frames are one header line
# "<kind> <length>\n" followed by <length> bytes:
#   in:  "invoke <hlen> <blen>\n" + header JSON (id, arn, deadline) + event
#   out: "init-ok 0", "init-error N", "ok N", "error N", "fatal N"
import decimal
import importlib
import json
import logging
import os
import sys
import time
import traceback

TASK_ROOT = os.environ.get("LAMBDA_TASK_ROOT", os.getcwd())
SHOWN_ROOT = "/var/task"  # where Lambda unpacks code; tracebacks show it
EXEC_ENV = os.environ.get("AWS_EXECUTION_ENV", "")
NBSP = "\u00a0"  # Lambda indents traceback lines in the log with it
WARNING = (
    "LAMBDA_WARNING: Unhandled exception. The most likely cause is an issue in the "
    "function code. However, in rare cases, a Lambda runtime update can cause unexpected "
    "function behavior. For functions using managed runtimes, runtime updates can be "
    "triggered by a function change, or can be applied automatically. To determine if "
    "the runtime has been updated, check the runtime version in the INIT_START log "
    "entry. If this error correlates with a change in the runtime version, you may be "
    "able to mitigate this error by temporarily rolling back to the previous runtime "
    "version. For more information, see "
    "https://docs.aws.amazon.com/lambda/latest/dg/runtimes-update.html"
)

REQUEST_ID = None


class Fault(Exception):
    def __init__(self, kind, msg, trace=None):
        Exception.__init__(self, msg)
        self.kind = kind
        self.msg = msg
        self.trace = trace


class Unbuffered(object):
    """Every write reaches the log at once, as in Lambda."""

    def __init__(self, stream):
        self.stream = stream

    def __getattr__(self, attr):
        return getattr(self.stream, attr)

    def write(self, msg):
        self.stream.write(msg)
        self.stream.flush()

    def writelines(self, msgs):
        self.stream.writelines(msgs)
        self.stream.flush()


class Context(object):
    def __init__(self, request_id, deadline_ms, arn):
        self.aws_request_id = request_id
        self.log_group_name = os.environ.get("AWS_LAMBDA_LOG_GROUP_NAME")
        self.log_stream_name = os.environ.get("AWS_LAMBDA_LOG_STREAM_NAME")
        self.function_name = os.environ.get("AWS_LAMBDA_FUNCTION_NAME")
        self.memory_limit_in_mb = os.environ.get("AWS_LAMBDA_FUNCTION_MEMORY_SIZE")
        self.function_version = os.environ.get("AWS_LAMBDA_FUNCTION_VERSION")
        self.invoked_function_arn = arn
        self.client_context = None
        self.identity = None
        self._deadline_ms = deadline_ms

    def get_remaining_time_in_millis(self):
        left = self._deadline_ms - int(time.time() * 1000)
        return left if left > 0 else 0

    def log(self, msg):
        sys.stdout.write(str(msg))


class LogHandler(logging.Handler):
    def emit(self, record):
        sys.stdout.write(self.format(record))


class RequestIdFilter(logging.Filter):
    def filter(self, record):
        record.aws_request_id = REQUEST_ID or ""
        return True


def setup_logging():
    logging.Formatter.converter = time.gmtime
    handler = LogHandler()
    handler.setFormatter(
        logging.Formatter(
            "[%(levelname)s]\t%(asctime)s.%(msecs)03dZ\t%(aws_request_id)s\t%(message)s\n",
            "%Y-%m-%dT%H:%M:%S",
        )
    )
    handler.addFilter(RequestIdFilter())
    logging.getLogger().addHandler(handler)


def shown_path(path):
    if path and path.startswith(TASK_ROOT + "/"):
        return SHOWN_ROOT + path[len(TASK_ROOT):]
    return path


def get_handler(spec):
    try:
        modname, fname = spec.rsplit(".", 1)
    except ValueError as e:
        raise Fault("Runtime.MalformedHandlerName", "Bad handler '{}': {}".format(spec, e))
    try:
        if modname.split(".")[0] in sys.builtin_module_names:
            raise Fault(
                "Runtime.BuiltInModuleConflict",
                "Cannot use built-in module {} as a handler module".format(modname),
            )
        module = importlib.import_module(modname.replace("/", "."))
    except ImportError as e:
        raise Fault(
            "Runtime.ImportModuleError", "Unable to import module '{}': {}".format(modname, e)
        )
    except SyntaxError as e:
        trace = ['  File "%s" Line %s\n    %s' % (shown_path(e.filename), e.lineno, e.text)]
        raise Fault(
            "Runtime.UserCodeSyntaxError",
            "Syntax error in module '{}': {}".format(modname, e),
            trace,
        )
    try:
        return getattr(module, fname)
    except AttributeError:
        raise Fault(
            "Runtime.HandlerNotFound", "Handler '{}' missing on module '{}'".format(fname, modname)
        )


def make_error(msg, kind, trace, request_id):
    err = {"errorMessage": msg or "", "errorType": kind or ""}
    # Lambda's python 3.12 and later runtimes name the request in the error.
    if runtime_minor() >= 12:
        err["requestId"] = request_id if request_id is not None else ""
    err["stackTrace"] = trace or []
    return err


def runtime_minor():
    tail = EXEC_ENV.rsplit("python3.", 1)
    try:
        return int(tail[1]) if len(tail) == 2 else 0
    except ValueError:
        return 0


def fault_result(exc_info, request_id):
    etype, value, tb = exc_info
    frames = [(shown_path(f.filename), f.lineno, f.name, f.line) for f in traceback.extract_tb(tb)]
    for i in range(len(frames)):
        if frames[i][0] != __file__:  # leave out this bootstrap's own frames
            frames = frames[i:]
            break
    return make_error(str(value), etype.__name__, traceback.format_list(frames), request_id)


def log_error(err):
    desc = "[ERROR]"
    if err.get("errorType"):
        desc += " " + err["errorType"]
    if err.get("errorMessage"):
        if err.get("errorType"):
            desc += ":"
        desc += " " + err["errorMessage"]
    lines = [desc]
    if err.get("stackTrace") is not None:
        lines.append("Traceback (most recent call last):")
        for element in err["stackTrace"]:
            if element == "":
                lines.append("")
                continue
            for line in element.splitlines():
                stripped = line.lstrip(" ")
                lines.append(NBSP * (len(line) - len(stripped)) + stripped)
    sys.stdout.write("\n".join(lines) + "\n")


def encode_default(obj):
    if isinstance(obj, decimal.Decimal):
        return int(obj) if obj == obj.to_integral_value() else float(obj)
    raise TypeError("Object of type %s is not JSON serializable" % type(obj).__name__)


def to_json(obj):
    # ensure_ascii off only for python3.12, as Lambda's marshaller does
    return json.dumps(obj, default=encode_default, ensure_ascii=EXEC_ENV != "AWS_Lambda_python3.12")


class Channel(object):
    def __init__(self):
        self.inp = os.fdopen(3, "rb")
        self.out = 4

    def send(self, kind, data=b""):
        if isinstance(data, str):
            data = data.encode("utf-8", "surrogatepass")
        sys.stdout.flush()
        sys.stderr.flush()
        msg = ("%s %d\n" % (kind, len(data))).encode("ascii") + data
        view = memoryview(msg)
        while view:
            n = os.write(self.out, view)
            view = view[n:]

    def receive(self):
        line = self.inp.readline()
        if not line:
            return None
        parts = line.split()
        head = self.inp.read(int(parts[1]))
        body = self.inp.read(int(parts[2]))
        return json.loads(head.decode("utf-8")), body


def handle(chan, handler, head, body):
    global REQUEST_ID
    REQUEST_ID = head["id"]
    err = None
    try:
        ctx = Context(head["id"], head["deadline"], head["arn"])
        try:
            event = json.loads(body.decode("utf-8"))
        except Exception as e:
            raise Fault("Runtime.UnmarshalError", "Unable to unmarshal input: {}".format(e))
        response = handler(event, ctx)
        if isinstance(response, bytes):
            result = response
        else:
            try:
                result = to_json(response)
            except Exception as e:
                raise Fault("Runtime.MarshalError", "Unable to marshal response: {}".format(e))
    except Fault as f:
        err = make_error(f.msg, f.kind, f.trace, head["id"])
    except Exception:
        err = fault_result(sys.exc_info(), head["id"])
    if err is not None:
        log_error(err)
        chan.send("error", to_json(err))
    else:
        chan.send("ok", result)


def main():
    sys.stdout.reconfigure(encoding="utf-8", errors="backslashreplace")
    sys.stderr.reconfigure(encoding="utf-8", errors="backslashreplace")
    sys.stdout = Unbuffered(sys.stdout)
    sys.stderr = Unbuffered(sys.stderr)
    sys.path[0] = TASK_ROOT  # in place of this bootstrap's directory
    chan = Channel()
    setup_logging()
    try:
        handler = get_handler(os.environ.get("_HANDLER", ""))
    except Exception as e:
        if isinstance(e, Fault):
            err = make_error(e.msg, e.kind, e.trace, None)
        else:
            err = fault_result(sys.exc_info(), None)
        logging.warning(WARNING)
        log_error(err)
        chan.send("init-error", to_json(err))
        sys.exit(1)
    chan.send("init-ok")
    while True:
        msg = chan.receive()
        if msg is None:
            return
        handle(chan, handler, msg[0], msg[1])


if __name__ == "__main__":
    main()
