/* The mapping template engine: the lab's templates exactly as API Gateway
 * renders them, Velocity 1.7's syntax and white space, Java's typing and
 * methods, API Gateway's variables, errors with positions, and limits that
 * hostile templates cannot get past. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/mem.h"
#include "emulator/vtl.h"
#include "lab.h"

/* Render src with in; returns the output (malloc'd) or "ERROR: msg". */
static char *run_in(const char *src, const vtl_input *in) {
    err e = {0};
    vtl_template *t = vtl_parse(src, strlen(src), &e);
    if (!t) return xasprintf("SYNTAX: %s", e.msg);
    buf out = BUF_INIT;
    char *r;
    if (vtl_render(t, in, &out, &e) != 0) r = xasprintf("ERROR: %s", e.msg);
    else r = xstrdup(out.data ? out.data : "");
    buf_free(&out);
    vtl_free(t);
    return r;
}

static char *run(const char *src) { return run_in(src, NULL); }

#define EXPECT(src, want)                                                                          \
    do {                                                                                           \
        char *got_ = run(src);                                                                     \
        assert_string_equal(got_, want);                                                           \
        free(got_);                                                                                \
    } while (0)

#define EXPECT_IN(src, in, want)                                                                   \
    do {                                                                                           \
        char *got_ = run_in(src, in);                                                              \
        assert_string_equal(got_, want);                                                           \
        free(got_);                                                                                \
    } while (0)

static bool starts(const char *s, const char *p) { return strncmp(s, p, strlen(p)) == 0; }

static void lab_list_template(void **state) {
    EXPECT(LAB_ITEMS_TEMPLATE, "[\n"
                               "{\n\"ID\" : 1,\n\"name\" : \"foo1\",\n\"price\" : 1.5\n}\n"
                               ",{\n\"ID\" : 2,\n\"name\" : \"foo2\",\n\"price\" : 3.0\n}\n"
                               ",{\n\"ID\" : 3,\n\"name\" : \"foo3\",\n\"price\" : 4.5\n}\n"
                               "]");
}

static void lab_item_template_renders(void **state) {
    cJSON *path = cJSON_Parse("{\"ID\": \"1\"}");
    vtl_input in = {.path = path};
    EXPECT_IN(LAB_ITEM_TEMPLATE, &in, "{\n\"ID\" : 1,\n\"name\" : \"foo1\",\n\"price\" : 1.5\n}");
    cJSON_Delete(path);
    /* An empty ID: Integer.parseInt("") throws, the render fails. */
    path = cJSON_Parse("{\"ID\": \"\"}");
    in.path = path;
    char *r = run_in(LAB_ITEM_TEMPLATE, &in);
    assert_string_equal(r, "ERROR: line 2, column 21: NumberFormatException: For input string: \"\"");
    free(r);
    cJSON_Delete(path);
    /* No ID at all: params() gives "", the same error. */
    r = run_in(LAB_ITEM_TEMPLATE, NULL);
    assert_true(starts(r, "ERROR: "));
    free(r);
}

static void lab_request_templates(void **state) {
    cJSON *path = cJSON_Parse("{\"ID\": \"3\"}");
    vtl_input in = {.path = path};
    EXPECT_IN("{\n\"ID\": $input.params(\"ID\")\n}", &in, "{\n\"ID\": 3\n}");
    EXPECT_IN("{\"statusCode\": 200}", &in, "{\"statusCode\": 200}");
    cJSON_Delete(path);
}

static void parse_once_render_many(void **state) {
    err e = {0};
    vtl_template *t = vtl_parse(LAB_ITEM_TEMPLATE, strlen(LAB_ITEM_TEMPLATE), &e);
    assert_non_null(t);
    for (int i = 1; i <= 50; i++) {
        char id[16], want[128];
        snprintf(id, sizeof id, "%d", i);
        cJSON *path = cJSON_CreateObject();
        cJSON_AddStringToObject(path, "ID", id);
        vtl_input in = {.path = path};
        buf out = BUF_INIT;
        assert_int_equal(vtl_render(t, &in, &out, &e), 0);
        snprintf(want, sizeof want, "\"ID\" : %d,", i);
        assert_non_null(strstr(out.data, want));
        buf_free(&out);
        cJSON_Delete(path);
    }
    vtl_free(t);
}

static void references(void **state) {
    EXPECT("#set($a = \"x\")$a ${a} $!a $!{a}|$nope|$!nope|${nope}|$!{nope}", "x x x x|$nope||${nope}|");
    EXPECT("#set($a = \"x\")\\$a \\$nope \\\\$a \\\\$nope", "$a \\$nope \\x \\\\$nope");
    EXPECT("$5 $ $! a@b.c", "$5 $ $! a@b.c");
    EXPECT("#set($a-b = 1)$a-b", "1");             /* '-' belongs to identifiers */
    EXPECT("#set($a = 1)$a.", "1.");               /* a dot not followed by a letter */
    EXPECT("#set($m = {\"k\": 1})${m.k}x", "1x");
    EXPECT("$nope.method(1, 'a')", "$nope.method(1, 'a')"); /* printed as written */
}

static void literals_and_strings(void **state) {
    EXPECT("#set($i = 42)#set($s = 'no $i')#set($d = \"yes $i\")$s|$d", "no $i|yes 42");
    EXPECT("#set($a = 'it''s')#set($b = \"say \"\"hi\"\"\")$a $b", "it's say \"hi\"");
    EXPECT("#set($s = \"a\\nb\")$s", "a\\nb"); /* no backslash escapes in 1.7 */
    EXPECT("#set($s = \"\\u00e9\")$s", "\xc3\xa9");
    EXPECT("#set($l = [1, \"a\", true, 2.5])$l", "[1, a, true, 2.5]");
    EXPECT("#set($m = {\"a\": 1, \"b\": [1, 2]})$m", "{a=1, b=[1, 2]}");
    EXPECT("#set($e = {})#set($f = [])$e$f", "{}[]");
    EXPECT("#set($n = 2)#set($s = \"#if($n > 1)many#{else}one#end\")$s", "many");
}

static void ranges(void **state) {
    EXPECT("#foreach($i in [1..3])$i#end|#foreach($i in [2..-1])$i#end", "123|210-1");
    EXPECT("#set($n = 3)#set($r = [$n..1])$r", "[3, 2, 1]");
    EXPECT("#set($r = [1..1])$r.size()", "1");
    char *r = run("#set($r = [0..1000000000])");
    assert_true(starts(r, "ERROR: line 1, column 11: the range [0..1000000000] has more than"));
    free(r);
}

static void arithmetic_like_java(void **state) {
    EXPECT("#set($a = 7 / 2)$a #set($b = -7 / 2)$b #set($c = 7 % 3)$c #set($d = -7 % 3)$d", "3-31-1");
    EXPECT("#set($a = 2 * 1.5)$a,#set($b = 0.1 + 0.2)$b,#set($c = 1e21)$c,#set($d = 100.0)$d",
           "3.0,0.30000000000000004,1.0E21,100.0");
    EXPECT("#set($a = 1.0E-5)$a,#set($b = 12345678.9)$b,#set($c = 0.001)$c,#set($d = 1234567.0)$d",
           "1.0E-5,1.23456789E7,0.001,1234567.0");
    EXPECT("#set($a = 2147483647 + 1)$a", "2147483648"); /* int promotes to long */
    EXPECT("#set($a = \"n\" + 1)$a,#set($b = 1 + \"n\")$b,#set($c = \"x\" + $nope)$c", "n1,1n,x$nope");
    EXPECT("#set($a = 5)#set($a = 1 / 0)$a,#set($a = 2 % 0)$a", "5,5"); /* null: unchanged */
    EXPECT("#set($a = 1 + true)#set($b = 2)#set($b = $a)$b", "2");
    EXPECT("#set($a = 10 - 2 * 3)$a,#set($b = (10 - 2) * 3)$b", "4,24");
    char *r = run("#set($a = 9223372036854775807 + 1)");
    assert_true(starts(r, "ERROR: "));
    free(r);
}

static void comparisons_and_logic(void **state) {
    EXPECT("#if(1 == 1.0)a#end#if(\"1\" == 1)b#end#if(\"a\" == \"a\")c#end#if($x == $y)d#end", "abcd");
    EXPECT("#if(2 < 3 && 3 <= 3 && 4 > 3 && 4 >= 4 && 1 != 2)ok#end", "ok");
    EXPECT("#if(2 lt 3 and 3 le 3 and 4 gt 3 and 4 ge 4 and 1 ne 2 and 1 eq 1)ok#end", "ok");
    EXPECT("#if(!false && not false)ok#end#if(false || true)2#end#if(false or false)3#end", "ok2");
    EXPECT("#if(\"a\" < \"b\")yes#{else}no#end", "no"); /* 1.7 orders numbers only */
    EXPECT("#set($b = 1 == 1)$b #set($c = !true)$c", "truefalse"); /* a blank before #set goes */
    /* Only null and false are false: "" and 0 are true. */
    EXPECT("#set($e = \"\")#set($z = 0)#if($e)E#end#if($z)Z#end#if($nope)N#end#if(!$nope)n#end", "EZn");
}

static void directives(void **state) {
    EXPECT("#foreach($n in [1, 2, 3])#if($n == 1)one#elseif($n == 2)two#{else}many#end,#end",
           "one,two,many,");
    EXPECT("#set($a = true)#{if}($a)yes#{else}no#{end}", "yes");
    EXPECT("#foreach($i in [1..10])#if($i == 4)#break#end$i#end.", "123.");
    EXPECT("a#stop b", "a");
    EXPECT("#foreach($a in [1, 2])#foreach($b in [1, 2])#break($foreach.parent)#end$a#end.", ".");
    EXPECT("#define($blk)<$v>#end#set($v = 1)$blk#set($v = 2)$blk", "<1><2>");
    EXPECT("a ## comment\nb #* multi\nline *#c", "a b c");
    EXPECT("#[[ $x #if ]]#", " $x #if ");
    EXPECT("\\#if($a) \\#foo \\\\#if(true)x#end", "#if($a) \\#foo \\x");
    EXPECT("#foo #bar(1) #1 #{x", "#foo #bar(1) #1 #{x");
    EXPECT("#set($m = {})#set($m.a = 1)#set($m['b'] = 2)#set($l = [1, 2])#set($l[1] = 9)$m $l",
           "{a=1, b=2} [1, 9]");
    EXPECT("#set($a = \"kept\")#set($a = $nope)$a", "kept");
}

static void foreach_variables(void **state) {
    EXPECT("#foreach($x in [\"a\", \"b\"])$foreach.index$foreach.count$foreach.hasNext$foreach.first"
           "$foreach.last$velocityCount$velocityHasNext$x;#end",
           "01truetruefalse1truea;12falsefalsetrue2falseb;");
    EXPECT("#foreach($a in [1, 2])#foreach($b in [1])$foreach.parent.index#end#end", "01");
    EXPECT("#set($m = {\"a\": 1, \"b\": 2})#foreach($v in $m)$v#end", "12"); /* values */
    EXPECT("#foreach($x in $nope)x#end#foreach($x in \"str\")x#end.", ".");
    EXPECT("#set($x = \"outer\")#foreach($x in [1])$x#end$x", "1outer");
    EXPECT("#foreach($i in [1, 2])#set($last = $i)#end$last", "2");
    /* API Gateway stops a #foreach after 1000 iterations. */
    char *r = run("#set($n = 0)#foreach($i in [1..5000])#set($n = $n + 1)#end$n");
    assert_string_equal(r, "1000");
    free(r);
}

static void whitespace_like_velocity_17(void **state) {
    /* A directive's line loses its newline; #set also loses the blanks
     * before it when they start a token. */
    EXPECT("#if(true)   \nx\n#end   \ny\n#set($a = 1)  \nz\n", "x\ny\nz\n");
    EXPECT("{\n  #set($a = 1)\n  \"a\": $a,\n  #set($b = 2)\n  #set($c = 3)\n  \"c\": $c\n}\n",
           "{\n    \"a\": 1,\n    \"c\": 3\n}\n");
    EXPECT("[\n  #if(true)\n  yes\n  #end\n  #foreach($i in [1, 2])\n    $i\n  #end\n]\n",
           "[\n    yes\n        1\n      2\n  ]\n");
    EXPECT("a #if(true) b #end c", "a  b  c");
    EXPECT("#set($a = 1)\r\n$a\r\n", "1\r\n");
    EXPECT("x\n#* c *#\ny", "x\n\ny");
    EXPECT("$nope #set($a = 1)$a", "$nope1"); /* the blank after a reference goes too */
}

static void string_methods(void **state) {
    EXPECT("#set($s = \"Hello, World\")$s.length() $s.substring(7) $s.substring(0, 5) $s.indexOf(\"o\") "
           "$s.lastIndexOf(\"o\") $s.contains(\"World\") $s.startsWith(\"Hell\") $s.endsWith(\"x\")",
           "12 World Hello 4 8 true true false");
    EXPECT("#set($s = \" Ab \")[$s.trim()] $s.toLowerCase() $s.toUpperCase() $s.isEmpty() $s.charAt(1) "
           "$s.equals(\" Ab \") $s.replace(\"b\", \"c\")",
           "[Ab]  ab   AB  false A true  Ac ");
    EXPECT("#set($s = \"a,b,,c,,\")$s.split(\",\").size() $s.split(\",\", -1).size() $s.split(\",\").get(2)|",
           "4 6 |");
    EXPECT("#set($s = \"a1b22\")$s.replaceAll(\"[0-9]+\", \"<$0>\") $s.replaceFirst(\"\\d\", \"_\") "
           "$s.matches(\"[a-z0-9]+\") $s.matches(\"[a-z]+\")",
           "a<1>b<22> a_b22 true false");
    EXPECT("#set($s = \"x'y\")$s.replaceAll(\"'\", \"\\\\'\")", "x\\'y");
    EXPECT("#set($s = \"\xc3\xa9t\xc3\xa9\")$s.length() $s.substring(1) $s.toUpperCase()",
           "3 t\xc3\xa9 \xc3\x89T\xc3\x89");
    EXPECT("#set($s = \"abc\")$s.noSuch() $s.substring(\"x\")", "$s.noSuch() $s.substring(\"x\")");
    char *r = run("#set($s = \"abc\")$s.substring(5)");
    assert_true(starts(r, "ERROR: line 1, column 20: StringIndexOutOfBoundsException"));
    free(r);
    r = run("#set($s = \"abc\")$s.replaceAll(\"a*?\", \"\")");
    assert_true(starts(r, "ERROR: ") && strstr(r, "lazy quantifiers"));
    free(r);
}

static void number_methods(void **state) {
    EXPECT("#set($I = 1)$I.parseInt(\"42\") $I.parseInt(\"-7\") $I.parseInt(\"+3\") $I.valueOf(\"9\") "
           "$I.parseInt(\"ff\", 16) $I.toString() $I.toHexString(255) $I.max(2, 5)",
           "42 -7 3 9 255 1 ff 5");
    EXPECT("#set($D = 1.0)$D.parseDouble(\"2.5\") $D.parseDouble(\" 1e3 \") $D.valueOf(\"3\") $D.intValue()",
           "2.5 1000.0 3.0 1");
    EXPECT("#set($s = \"\")$s.valueOf(12) $s.valueOf(2.0) $s.valueOf($nope)", "12 2.0 null");
    EXPECT("#set($b = true)$b.parseBoolean(\"TRUE\") $b.toString()", "true true");
    char *r = run("#set($I = 1)$I.parseInt(\"12x\")");
    assert_string_equal(r, "ERROR: line 1, column 16: NumberFormatException: For input string: \"12x\"");
    free(r);
    r = run("#set($I = 1)$I.parseInt(\"3000000000\")");
    assert_true(starts(r, "ERROR: "));
    free(r);
    r = run("#set($D = 1.0)$D.parseDouble(\"abc\")");
    assert_true(starts(r, "ERROR: ") && strstr(r, "NumberFormatException"));
    free(r);
}

static void list_and_map_methods(void **state) {
    EXPECT("#set($l = [1, 2, 3])$l.size() $l.get(0) $l.contains(2) $l.isEmpty() $l.add(4) $l $l.indexOf(3)",
           "3 1 true false true [1, 2, 3, 4] 2");
    EXPECT("#set($m = {\"k1\": \"v1\"})$m.size() $m.containsKey(\"k1\") $m.keySet() $m.values() "
           "$m.put(\"k2\", 2) $m.put(\"k2\", 3) $m.get(\"k2\") $m.isEmpty()",
           "1 true [k1] [v1] $m.put(\"k2\", 2) 2 3 false");
    EXPECT("#set($m = {\"a\": 1})#foreach($e in $m.entrySet())$e.key=$e.value#end", "a=1");
    EXPECT("#set($l = [\"a\", \"b\"])$l[0]$l[-1] #set($m = {\"k\": \"v\"})$m[\"k\"]", "abv");
    char *r = run("#set($l = [1])$l.get(3)");
    assert_true(starts(r, "ERROR: line 1, column 18: IndexOutOfBoundsException"));
    free(r);
}

static void input_variables(void **state) {
    cJSON *path = cJSON_Parse("{\"id\": \"p1\"}"), *qs = cJSON_Parse("{\"q\": \"s\", \"id\": \"q1\"}"),
          *hdr = cJSON_Parse("{\"Accept\": \"*/*\"}");
    const char *body = "{\"name\": \"x\", \"n\": 3, \"d\": 3.0, \"url\": \"a/b\", \"items\": [{\"id\": 1}, {\"id\": 2}]}";
    vtl_input in = {.body = body, .body_len = strlen(body), .path = path, .querystring = qs, .header = hdr};
    EXPECT_IN("$input.params('id') $input.params('q') $input.params('Accept') [$input.params('none')]", &in,
              "p1 s */* []");
    EXPECT_IN("$input.params()", &in, "{path={id=p1}, header={Accept=*/*}, querystring={q=s, id=q1}}");
    EXPECT_IN("$input.json('$.name') $input.json('$.n') $input.json('$.d') $input.json('$.items[1]') "
              "$input.json('$.url') [$input.json('$.missing')]",
              &in, "\"x\" 3 3.0 {\"id\":2} \"a\\/b\" []");
    EXPECT_IN("$input.json('$.items[*].id') $input.json('$..id')", &in, "[1,2] [1,2]");
    EXPECT_IN("#set($b = $input.path('$'))$b.name $b.items.size() $b.items.get(1).id $input.path('$.items') "
              "$input.path('$').size()",
              &in, "x 2 2 [{\"id\":1},{\"id\":2}] 5");
    EXPECT_IN("$input.path('$.items[0]')", &in, "{id=1}");
    EXPECT_IN("$input.body", &in, body);
    cJSON_Delete(path);
    cJSON_Delete(qs);
    cJSON_Delete(hdr);
    /* No body: JSONPath sees {}, $input.body is {}. */
    EXPECT("$input.json('$') $input.body", "{} {}");
    char *r = run("$input.json('$[?(@.a)]')");
    assert_true(starts(r, "ERROR: ") && strstr(r, "filters"));
    free(r);
}

static void context_and_stage_variables(void **state) {
    cJSON *ctx = cJSON_Parse("{\"stage\": \"dev\", \"requestId\": \"r-1\", \"identity\": {\"sourceIp\": \"127.0.0.1\"}}");
    cJSON *sv = cJSON_Parse("{\"lambdaAlias\": \"prod\"}");
    vtl_input in = {.context = ctx, .stage_variables = sv};
    EXPECT_IN("$context.stage $context.requestId $context.identity.sourceIp $stageVariables.lambdaAlias "
              "${stageVariables['lambdaAlias']} $context.nope",
              &in, "dev r-1 127.0.0.1 prod prod $context.nope");
    cJSON_Delete(ctx);
    cJSON_Delete(sv);
}

static void util_functions(void **state) {
    EXPECT("$util.escapeJavaScript('it''s \"q\" a/b \xc3\xa9\n')", "it\\'s \\\"q\\\" a\\/b \\u00E9\\n");
    EXPECT("$util.escapeJavaScript('x''y').replaceAll(\"\\\\'\", \"'\")", "x'y");
    EXPECT("$util.urlEncode('a b&c=d/\xc3\xa9*~') $util.urlDecode('a+b%26c')", "a+b%26c%3Dd%2F%C3%A9*%7E a b&c");
    EXPECT("$util.base64Encode('hello') $util.base64Decode('aGVsbG8=') $util.base64Decode('aGk')", "aGVsbG8= hello hi");
    EXPECT("#set($o = $util.parseJson('{\"k\": {\"arr\": [1, 2, 3]}}'))$o.k.arr[0] $o.k.arr.size() $o.k.arr",
           "1 3 [1,2,3]");
    char *r = run("$util.parseJson('{bad')");
    assert_true(starts(r, "ERROR: line 1, column 7: Invalid JSON"));
    free(r);
    r = run("$util.base64Decode('a b')");
    assert_true(starts(r, "ERROR: ") && strstr(r, "Illegal base64"));
    free(r);
    r = run("$util.urlDecode('%zz')");
    assert_true(starts(r, "ERROR: ") && strstr(r, "URLDecoder"));
    free(r);
}

static void syntax_errors_have_positions(void **state) {
    EXPECT("a\n#end", "SYNTAX: line 2, column 1: #end without a matching #if, #foreach or #define");
    EXPECT("#if(true)\nx", "SYNTAX: line 1, column 1: #if without a matching #end");
    EXPECT("#set($a = \"open)", "SYNTAX: line 1, column 11: unterminated string literal");
    EXPECT("x #* open", "SYNTAX: line 1, column 3: unterminated #* comment");
    EXPECT("#[[ open", "SYNTAX: line 1, column 1: unterminated #[[ block (expected ]]#)");
    EXPECT("#if(1 +)x#end", "SYNTAX: line 1, column 8: unexpected ')' in an expression");
    EXPECT("#set($a = 5 -1)", "SYNTAX: line 1, column 13: unexpected number (write a space after '-')");
    EXPECT("${a", "SYNTAX: line 1, column 4: expected } to close ${ at the reference");
    EXPECT("#foreach($a on $b)#end", "SYNTAX: line 1, column 9: #foreach needs ($item in list)");
    EXPECT("#if(true)#else#else#end", "SYNTAX: line 1, column 15: #else after #else");
    EXPECT("$a.b(1 + 2)", "SYNTAX: line 1, column 8: unexpected '+' in method arguments (expected , or ))");
    EXPECT("#macro(x)#end", "SYNTAX: line 1, column 1: #macro is not supported by this emulator");
    EXPECT("\xc3\xa9\xc3\xa9 #end", "SYNTAX: line 1, column 4: #end without a matching #if, #foreach or #define");
}

static void hostile_templates_fail_cleanly(void **state) {
    buf b = BUF_INIT;
    for (int i = 0; i < 5000; i++) buf_puts(&b, "#if(true)");
    char *r = run(b.data);
    assert_true(starts(r, "SYNTAX: ") && strstr(r, "nests deeper"));
    free(r);
    buf_reset(&b);
    buf_puts(&b, "#set($a = ");
    for (int i = 0; i < 5000; i++) buf_putc(&b, '(');
    r = run(b.data);
    assert_true(starts(r, "SYNTAX: "));
    free(r);
    buf_free(&b);
    /* Output that doubles each round is stopped by the size limits. */
    r = run("#set($s = \"xxxxxxxxxxxxxxxx\")#foreach($i in [1..100])#set($s = \"$s$s\")#end$s.length()");
    assert_true(starts(r, "ERROR: "));
    free(r);
    /* Nested loops: 1000^3 iterations are refused, not run. */
    r = run("#foreach($a in [1..1000])#foreach($b in [1..1000])#foreach($c in [1..1000])#end#end#end");
    assert_true(starts(r, "ERROR: ") && strstr(r, "work"));
    free(r);
    /* A list that holds itself prints like Java's, without looping. */
    EXPECT("#set($l = [1])#set($x = $l.add($l))$l", "[1, (this Collection)]");
    r = run("#set($a = [])#set($b = [$a])#set($x = $a.add($b))$a");
    assert_true(starts(r, "ERROR: ") && strstr(r, "StackOverflowError"));
    free(r);
    /* #define blocks that render each other forever. */
    r = run("#define($a)$b#end#define($b)$a#end$a");
    assert_true(starts(r, "ERROR: ") && strstr(r, "#define"));
    free(r);
    /* Output limit. */
    r = run("#set($s = \"0123456789012345678901234567890123456789\")"
            "#foreach($i in [1..1000])#foreach($j in [1..1000])$s#end#end");
    assert_true(starts(r, "ERROR: ") && strstr(r, "output"));
    free(r);
    /* Bytes that are not text, NULs included, never crash the parser. */
    const char junk[] = "#set($a = \"\0\")$a\xff\xfe#if(\0";
    err e = {0};
    vtl_template *t = vtl_parse(junk, sizeof junk - 1, &e);
    assert_null(t);
    t = vtl_parse("", 0, &e);
    assert_non_null(t);
    buf out = BUF_INIT;
    assert_int_equal(vtl_render(t, NULL, &out, &e), 0);
    assert_int_equal(out.len, 0);
    buf_free(&out);
    vtl_free(t);
    vtl_free(NULL);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(lab_list_template),
        cmocka_unit_test(lab_item_template_renders),
        cmocka_unit_test(lab_request_templates),
        cmocka_unit_test(parse_once_render_many),
        cmocka_unit_test(references),
        cmocka_unit_test(literals_and_strings),
        cmocka_unit_test(ranges),
        cmocka_unit_test(arithmetic_like_java),
        cmocka_unit_test(comparisons_and_logic),
        cmocka_unit_test(directives),
        cmocka_unit_test(foreach_variables),
        cmocka_unit_test(whitespace_like_velocity_17),
        cmocka_unit_test(string_methods),
        cmocka_unit_test(number_methods),
        cmocka_unit_test(list_and_map_methods),
        cmocka_unit_test(input_variables),
        cmocka_unit_test(context_and_stage_variables),
        cmocka_unit_test(util_functions),
        cmocka_unit_test(syntax_errors_have_positions),
        cmocka_unit_test(hostile_templates_fail_cleanly),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
