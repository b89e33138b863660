/* Catching up: a student's account that did part of a step, or did it
 * differently, is found by name and set right by the setup, which keeps
 * what is there (same ids) and changes only what differs. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "client/apigw.h"
#include "core/json.h"
#include "lab.h"
#include "test_lab_kit.h"

/* ItemsAPI made by hand: an edge endpoint, no description, /items with a
 * mock GET whose template is not the lab's, no models, no stages. */
static void half_done_api(void **state) {
    (void)state;
    lab_env *E = lab_env_new();
    cJSON *api = NULL;
    assert_int_equal(fx_call(E->fx, "POST", "/restapis", "{\"name\":\"ItemsAPI\"}", &api), 201);
    const char *id = json_str(api, "id"), *root = json_str(api, "rootResourceId");
    char *items =
        fx_create_id(E->fx, "{\"pathPart\":\"items\"}", "/restapis/%s/resources/%s", id, root);
    assert_int_equal(fx_callf(E->fx, NULL, "PUT", "{\"authorizationType\":\"NONE\"}",
                              "/restapis/%s/resources/%s/methods/GET", id, items),
                     201);
    assert_int_equal(fx_callf(E->fx, NULL, "PUT", "{\"type\":\"MOCK\"}",
                              "/restapis/%s/resources/%s/methods/GET/integration", id, items),
                     201);
    assert_int_equal(fx_callf(E->fx, NULL, "PUT", "{}",
                              "/restapis/%s/resources/%s/methods/GET/responses/200", id, items),
                     201);
    assert_int_equal(
        fx_callf(E->fx, NULL, "PUT", "{\"responseTemplates\":{\"application/json\":\"[]\"}}",
                 "/restapis/%s/resources/%s/methods/GET/integration/responses/200", id, items),
        201);
    lab_data d;
    lab_env_fetch(E, &d);
    assert_check_fails(&d.s, 3, "3.api.regional", "ItemsAPI's endpoint type is EDGE, not REGIONAL");
    assert_check_fails(&d.s, 3, "3.api.description", "ItemsAPI has no description");
    assert_check_fails(&d.s, 3, "3.get.items",
                       "GET /items's 200 mapping template is not the lab's list template");
    lab_data_free(&d);

    lab_env_setup(E, 3, &d);
    assert_step_passes(&d.s, 3);
    /* The same API and resource, set right. */
    assert_int_equal(cJSON_GetArraySize(d.s.apis), 1);
    assert_string_equal(json_str(lab_api(&d.s), "id"), id);
    assert_string_equal(json_str(lab_resource(&d.s, "/items"), "id"), items);
    assert_non_null(strstr(E->log.data, "made ItemsAPI's endpoint Regional (it was EDGE)"));
    assert_non_null(strstr(E->log.data, "set ItemsAPI's description to 'Cloud Academy Lab API'"));
    assert_null(strstr(E->log.data, "created the method GET /items\n"));
    assert_non_null(strstr(E->log.data, "set the mapping template of GET /items's 200"));
    assert_non_null(strstr(E->log.data, "created the method GET /items/{ID}"));
    lab_data_free(&d);
    free(items);
    cJSON_Delete(api);
    lab_env_free(E);
}

/* ItemsFunction with other code: the test events show it, the setup puts
 * the lab's code in. */
static void wrong_code(void **state) {
    (void)state;
    lab_env *E = lab_env_new();
    lab_env_setup(E, 3, NULL);
    lab_create_function(E->fx, "ItemsFunction",
                        "def lambda_handler(event, context):\n    return []\n", NULL);
    lab_data d;
    lab_env_fetch(E, &d);
    assert_check_fails(&d.s, 4, "4.event.list",
                       "GetItems ({}) returns [], where the lab returns the four items");
    lab_data_free(&d);
    assert_int_equal(lab_env_setup(E, 4, &d), 1);
    assert_non_null(
        strstr(E->log.data, "replaced ItemsFunction's code with the lab's lambda_function.py"));
    assert_step_passes(&d.s, 4);
    lab_data_free(&d);
    lab_env_free(E);
}

/* prod on $LATEST, dev missing: the setup repoints and adds. */
static void aliases_astray(void **state) {
    (void)state;
    lab_env *E = lab_env_new();
    lab_env_setup(E, 4, NULL);
    assert_int_equal(fx_call(E->fx, "POST", "/2015-03-31/functions/ItemsFunction/aliases",
                             "{\"Name\":\"prod\",\"FunctionVersion\":\"$LATEST\"}", NULL),
                     201);
    lab_data d;
    assert_int_equal(lab_env_setup(E, 5, &d), 3);
    assert_non_null(strstr(E->log.data, "published version 1 of ItemsFunction"));
    assert_non_null(strstr(E->log.data, "created the alias dev on $LATEST"));
    assert_non_null(strstr(E->log.data, "pointed the alias prod at 1"));
    assert_step_passes(&d.s, 5);
    lab_data_free(&d);
    lab_env_free(E);
}

/* After the whole lab, a student removes prod's stage variable and turns
 * the cache off: the setup puts back just those, without redeploying
 * (neither needs a deployment). */
static void undone_settings(void **state) {
    (void)state;
    lab_env *E = lab_env_new();
    lab_data d;
    lab_env_setup(E, 10, &d);
    const char *api = json_str(lab_api(&d.s), "id");
    assert_int_equal(
        fx_patch(E->fx, NULL,
                 "[{\"op\":\"remove\",\"path\":\"/variables/lambdaAlias\"},"
                 "{\"op\":\"replace\",\"path\":\"/cacheClusterEnabled\",\"value\":\"false\"}]",
                 "/restapis/%s/stages/prod", api),
        200);
    int deployments = cJSON_GetArraySize(d.s.deployments);
    lab_data_free(&d);
    lab_env_fetch(E, &d);
    assert_check_fails(&d.s, 7, "7.var.prod", "prod has no stage variable lambdaAlias");
    assert_check_fails(&d.s, 10, "10.cache", "prod has no API cache");
    assert_false(lab_through_passes(&d.s, 10));
    lab_data_free(&d);
    assert_int_equal(lab_env_setup(E, 10, &d), 2);
    assert_non_null(strstr(E->log.data, "set prod's stage variable lambdaAlias to prod"));
    assert_true(lab_through_passes(&d.s, 10));
    assert_int_equal(cJSON_GetArraySize(d.s.deployments), deployments);
    lab_data_free(&d);
    lab_env_free(E);
}

/* A step that changed the API's methods without deploying: the stages
 * still refuse keyless calls only after a deployment, which the setup
 * makes when the lab's requests show it missing. */
static void undeployed_change(void **state) {
    (void)state;
    lab_env *E = lab_env_new();
    lab_env_setup(E, 7, NULL);
    lab_data d;
    lab_env_fetch(E, &d);
    const char *api = json_str(lab_api(&d.s), "id");
    const char *res[] = {json_str(lab_resource(&d.s, "/items"), "id"),
                         json_str(lab_resource(&d.s, "/items/{ID}"), "id")};
    for (int i = 0; i < 2; i++)
        assert_int_equal(
            fx_patch(E->fx, NULL,
                     "[{\"op\":\"replace\",\"path\":\"/apiKeyRequired\",\"value\":\"true\"}]",
                     "/restapis/%s/resources/%s/methods/GET", api, res[i]),
            200);
    lab_data_free(&d);
    lab_env_fetch(E, &d);
    assert_check_fails(&d.s, 8, "8.deployed.dev",
                       "dev answers GET /items without an API key with 200: deploy the API to dev");
    lab_data_free(&d);
    lab_env_setup(E, 8, &d);
    assert_non_null(strstr(E->log.data, "redeployed ItemsAPI to dev"));
    assert_null(strstr(E->log.data, "made GET /items require an API key"));
    assert_step_passes(&d.s, 8);
    lab_data_free(&d);
    lab_env_free(E);
}

/* GET /items/{ID}'s request template lost after CORS: the integration is
 * put back with the template, and its responses as they were (the CORS
 * header of step 9 stays). */
static void lost_request_template(void **state) {
    (void)state;
    lab_env *E = lab_env_new();
    lab_data d;
    lab_env_setup(E, 9, &d);
    const char *api = json_str(lab_api(&d.s), "id");
    const char *item = json_str(lab_resource(&d.s, "/items/{ID}"), "id");
    assert_int_equal(
        fx_patch(E->fx, NULL,
                 "[{\"op\":\"remove\",\"path\":\"/requestTemplates/application~1json\"}]",
                 "/restapis/%s/resources/%s/methods/GET/integration", api, item),
        200);
    lab_data_free(&d);
    lab_env_fetch(E, &d);
    assert_check_fails(&d.s, 6, "6.integ.item",
                       "GET /items/{ID}'s integration request has no application/json template "
                       "passing the ID: { \"ID\": $input.params(\"ID\") }");
    lab_data_free(&d);
    lab_env_setup(E, 9, &d);
    assert_non_null(strstr(E->log.data, "set GET /items/{ID}'s request template to pass the ID"));
    assert_null(strstr(E->log.data, "Access-Control-Allow-Origin"));
    for (int k = 1; k <= 9; k++)
        assert_step_passes(&d.s, k);
    const cJSON *integ = json_obj(lab_method(&d.s, "/items/{ID}", "GET"), "methodIntegration");
    assert_string_equal(json_str(integ, "passthroughBehavior"), "WHEN_NO_TEMPLATES");
    lab_data_free(&d);
    lab_env_free(E);
}

/* Without the lab's requests (a backend with no data plane) the setup
 * still does every step; only what they would tell is skipped. */
static void without_probes(void **state) {
    (void)state;
    lab_env *E = lab_env_new();
    E->o.fetch.probes = false;
    lab_data d;
    lab_env_setup(E, 10, &d);
    assert_null(d.s.requests);
    assert_null(d.s.invokes);
    assert_true(lab_through_passes(&d.s, 10));
    lab_step_result r;
    lab_evaluate(&d.s, 6, &r);
    assert_int_equal(r.skipped, 2);
    assert_int_equal(r.failed, 0);
    lab_data_free(&d);
    /* The same account, with the requests: everything holds. */
    E->o.fetch.probes = true;
    lab_env_fetch(E, &d);
    for (int k = 1; k <= 10; k++)
        assert_step_passes(&d.s, k);
    lab_data_free(&d);
    assert_int_equal(lab_env_setup(E, 10, NULL), 0);
    lab_env_free(E);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(half_done_api),     cmocka_unit_test(wrong_code),
        cmocka_unit_test(aliases_astray),    cmocka_unit_test(undone_settings),
        cmocka_unit_test(undeployed_change), cmocka_unit_test(lost_request_template),
        cmocka_unit_test(without_probes),
    };
    return cmocka_run_group_tests_name("lab_catchup", tests, NULL, NULL);
}
