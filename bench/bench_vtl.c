/* Mapping template figures: renders per second of the lab's two templates
 * (parsed once, rendered many times, as the data plane does), and parses per
 * second of the list template. Prints "name value unit". */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/buf.h"
#include "emulator/vtl.h"

static const char *LIST = "[\n#foreach($ID in [1, 2, 3])\n#set($price = $ID * 1.5)\n"
                          "#set($name = \"foo\" + $ID)\n{\n\"ID\" : $ID,\n\"name\" : \"$name\",\n"
                          "\"price\" : $price\n}\n#if($foreach.hasNext),#end\n#end\n]\n";
static const char *ITEM = "#set($Integer = 1)\n#set($ID = $Integer.parseInt($input.params(\"ID\")))\n"
                          "#set($name = \"foo\" + $ID)\n#set($price = $ID * 1.5)\n{\n\"ID\" : $ID,\n"
                          "\"name\" : \"$name\",\n\"price\" : $price\n}\n";

static double now(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Render t for about a second; renders per second. */
static double renders_per_s(const char *src, const vtl_input *in) {
    err e = {0};
    vtl_template *t = vtl_parse(src, strlen(src), &e);
    if (!t) {
        fprintf(stderr, "bench_vtl: %s\n", e.msg);
        exit(1);
    }
    buf out = BUF_INIT;
    long n = 0;
    double t0 = now(), t1;
    do {
        for (int i = 0; i < 1000; i++, n++) {
            buf_reset(&out);
            if (vtl_render(t, in, &out, &e) != 0) {
                fprintf(stderr, "bench_vtl: %s\n", e.msg);
                exit(1);
            }
        }
        t1 = now();
    } while (t1 - t0 < 1.0);
    buf_free(&out);
    vtl_free(t);
    return (double)n / (t1 - t0);
}

static double parses_per_s(const char *src) {
    long n = 0;
    double t0 = now(), t1;
    do {
        for (int i = 0; i < 1000; i++, n++) {
            err e;
            vtl_free(vtl_parse(src, strlen(src), &e));
        }
        t1 = now();
    } while (t1 - t0 < 1.0);
    return (double)n / (t1 - t0);
}

int main(void) {
    cJSON *path = cJSON_Parse("{\"ID\": \"1\"}");
    vtl_input in = {.path = path};
    printf("vtl_renders_per_s_list %.0f renders/s\n", renders_per_s(LIST, &in));
    printf("vtl_renders_per_s_item %.0f renders/s\n", renders_per_s(ITEM, &in));
    printf("vtl_parses_per_s_list %.0f parses/s\n", parses_per_s(LIST));
    cJSON_Delete(path);
    return 0;
}
