/*
 * it_backoffice.c - the back office's JSON API on a real motcua with the
 * `init --demo` accounts (desk, specialist and leader of so-tu-phap and of
 * ubnd-13285, signed in with POST /api/v1/tokens), on SQLite and
 * PostgreSQL: receive -> supplement -> the applicant supplements ->
 * receive -> assign -> submit for approval -> approve -> return, with the
 * queues, the 409 of a stale version naming who did what, 403 and 422 for
 * refused actions, 404 for another agency, notices in the outbox and an
 * intact audit chain.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>
#include <jansson.h>

#include "harness.h"
#include "signin.h"

#define CODE  "000.00.16.H43-261123-9001"
#define EMAIL "cong.dan@example.test"

static struct it_server srv;
/* Authorization header lines of the demo people. */
static char desk[160], spec[160], lead[160], desk_xa[160], citizen[160];
static char citizen_id[40], spec_id[40];

/* Signs a demo account in through the API: its password from the TSV. */
static int token_for(const char *tsv, const char *login, char out[160])
{
	char needle[80];
	snprintf(needle, sizeof(needle), "%s\t", login);
	const char *line = strstr(tsv, needle);
	for (; line && line != tsv && line[-1] != '\n'; line = strstr(line + 1, needle))
		;
	if (!line)
		return -1;
	char pw[128];
	if (sscanf(line + strlen(needle), "%127[^\t]", pw) != 1)
		return -1;
	json_t *j = json_pack("{s:s,s:s}", "login", login, "password", pw);
	char *body = json_dumps(j, 0);
	json_decref(j);
	struct http_resp r;
	int rc = http_fetch(srv.port, "POST", "/api/v1/tokens",
			    "Content-Type: application/json\r\n", body, strlen(body), &r);
	free(body);
	if (rc != 0 || (r.status != 200 && r.status != 201)) {
		it_note("token for %s: %d %s", login, r.status, rc == 0 ? r.body : "");
		return -1;
	}
	json_t *doc = json_loadb(r.body, r.body_len, 0, NULL);
	const char *tok = json_string_value(json_object_get(doc, "token"));
	snprintf(out, 160, "Authorization: Bearer %s\r\n", tok ? tok : "");
	json_decref(doc);
	http_resp_free(&r);
	return tok ? 0 : -1;
}

static int group_setup(void **state)
{
	struct it_server_opts o = {.demo = true};
	if (it_server_start(&srv, &o) != 0)
		return -1;
	char path[PATH_MAX + 64];
	snprintf(path, sizeof(path), "%s/demo-accounts.tsv", srv.data);
	char *tsv = it_read_file(path, NULL);
	if (!tsv)
		return -1;
	/* The first citizen of the file. */
	char cit_login[64] = "";
	const char *c = strstr(tsv, "\tcitizen");
	const char *start = c;
	while (start && start > tsv && start[-1] != '\n')
		start--;
	if (start)
		sscanf(start, "%63[^\t]", cit_login);
	int rc = token_for(tsv, "motcua.stp", desk) | token_for(tsv, "chuyenvien.stp", spec) |
		 token_for(tsv, "lanhdao.stp", lead) | token_for(tsv, "motcua.xa", desk_xa) |
		 token_for(tsv, cit_login, citizen);
	free(tsv);
	if (rc != 0)
		return -1;
	char *cols[1] = {NULL};
	if (it_db_row(srv.db_path, "SELECT id FROM account WHERE login = $1", cit_login, cols, 1) !=
	    1)
		return -1;
	snprintf(citizen_id, sizeof(citizen_id), "%s", cols[0]);
	free(cols[0]);
	if (it_db_row(srv.db_path, "SELECT id FROM account WHERE login = $1", "chuyenvien.stp",
		      cols, 1) != 1)
		return -1;
	snprintf(spec_id, sizeof(spec_id), "%s", cols[0]);
	free(cols[0]);
	/* A dossier that arrived online just now at so-tu-phap, for a
	 * procedure the department carries out. */
	if (it_db_row(srv.db_path,
		      "SELECT procedure_code FROM procedure_agency WHERE agency_code = $1"
		      " ORDER BY procedure_code LIMIT 1",
		      "so-tu-phap", cols, 1) != 1)
		return -1;
	time_t t = time(NULL) + 7 * 3600;
	struct tm tm;
	gmtime_r(&t, &tm);
	char now[32];
	strftime(now, sizeof(now), "%Y-%m-%d %H:%M:%S", &tm);
	char sql[2048];
	snprintf(sql, sizeof(sql),
		 "INSERT INTO dossier (id, code, procedure_code, agency_code, account_id, status,"
		 " channel, applicant, created_at, updated_at, submitted_at, stage,"
		 " applicant_search) VALUES ('00000000000000000000000000009001', '" CODE
		 "', '%s', 'so-tu-phap', '%s', 1, 2, '{\"name\": \"Nguyễn Văn Thử\","
		 " \"email\": \"" EMAIL "\"}', '%s', '%s', '%s', 'new', 'nguyen van thu');",
		 cols[0], citizen_id, now, now, now);
	free(cols[0]);
	return it_db_exec_retry(srv.db_path, sql) < 0 ? -1 : 0;
}

static int group_teardown(void **state)
{
	int st = it_server_stop(&srv);
	if (st != 0)
		it_server_dump_log(&srv);
	it_server_free(&srv);
	return st == 0 ? 0 : -1;
}

/* ---- requests ---- */

static json_t *call(const char *method, const char *path, const char *auth, json_t *body, int want)
{
	char *text = body ? json_dumps(body, 0) : NULL;
	json_decref(body);
	char headers[512];
	snprintf(headers, sizeof(headers), "%s%s", auth,
		 text ? "Content-Type: application/json\r\n" : "");
	struct http_resp r;
	int rc = http_fetch(srv.port, method, path, headers, text, text ? strlen(text) : 0, &r);
	free(text);
	assert_int_equal(rc, 0);
	if (r.status != want)
		it_note("%s %s: %d %s", method, path, r.status, r.body);
	assert_int_equal(r.status, want);
	json_t *j = json_loadb(r.body, r.body_len, 0, NULL);
	http_resp_free(&r);
	assert_non_null(j);
	return j;
}

/* POSTs an action; returns the reply's JSON. */
static json_t *act(const char *auth, json_t *body, int want)
{
	return call("POST", "/api/v1/officer/dossiers/" CODE "/actions", auth, body, want);
}

static json_int_t jint(json_t *j, const char *k)
{
	return json_integer_value(json_object_get(j, k));
}

static const char *jstr(json_t *j, const char *k)
{
	const char *s = json_string_value(json_object_get(j, k));
	return s ? s : "";
}

static void expect_stage(json_t *j, const char *stage, json_int_t version)
{
	assert_string_equal(jstr(j, "stage"), stage);
	assert_int_equal(jint(j, "version"), version);
	json_decref(j);
}

/* The applicant's supplement: a multipart form with the version and a note. */
static int supplement(json_int_t version, int want)
{
	char body[1024];
	int n = snprintf(body, sizeof(body),
			 "--B0undary\r\nContent-Disposition: form-data; name=\"version\"\r\n\r\n"
			 "%lld\r\n--B0undary\r\nContent-Disposition: form-data; name=\"note\"\r\n"
			 "\r\nĐã bổ sung bản sao giấy chứng sinh\r\n--B0undary--\r\n",
			 (long long)version);
	char headers[512];
	snprintf(headers, sizeof(headers),
		 "%sContent-Type: multipart/form-data; boundary=B0undary\r\n", citizen);
	struct http_resp r;
	assert_int_equal(http_fetch(srv.port, "POST", "/api/v1/dossiers/" CODE "/supplement",
				    headers, body, (size_t)n, &r),
			 0);
	if (r.status != want)
		it_note("supplement: %d %s", r.status, r.body);
	int status = r.status;
	http_resp_free(&r);
	return status;
}

/* ---- the path ---- */

static void test_officer_path(void **state)
{
	(void)state;
	/* The desk sees it waiting, finds it by the folded name. */
	json_t *q = call("GET", "/api/v1/officer/queues", desk, NULL, 200);
	assert_true(jint(json_object_get(q, "queues"), "new") >= 1);
	json_decref(q);
	q = call("GET", "/api/v1/officer/queues", desk_xa, NULL, 200);
	assert_int_equal(jint(json_object_get(q, "queues"), "new"), 0);
	json_decref(q);
	json_t *page = call("GET", "/api/v1/officer/dossiers?queue=new&q=nguyen%20van%20thu", desk,
			    NULL, 200);
	assert_int_equal(json_array_size(json_object_get(page, "dossiers")), 1);
	assert_string_equal(jstr(json_array_get(json_object_get(page, "dossiers"), 0), "code"),
			    CODE);
	json_decref(page);
	json_decref(call("GET", "/api/v1/officer/dossiers?queue=nope", desk, NULL, 400));
	json_decref(call("GET", "/api/v1/officer/dossiers?queue=new&limit=101", desk, NULL, 400));
	json_decref(call("GET", "/api/v1/officer/queues", citizen, NULL, 403));

	json_t *d = call("GET", "/api/v1/officer/dossiers/" CODE, desk, NULL, 200);
	assert_int_equal(jint(d, "version"), 0);
	assert_string_equal(json_string_value(json_array_get(json_object_get(d, "actions"), 0)),
			    "receive");
	json_decref(d);
	/* Another agency: not found, for reading and acting. */
	json_decref(call("GET", "/api/v1/officer/dossiers/" CODE, desk_xa, NULL, 404));
	json_decref(act(desk_xa, json_pack("{s:s,s:i}", "action", "receive", "version", 0), 404));
	/* Not the leader's to receive (403); not possible now (422); reasons. */
	json_t *e = act(lead, json_pack("{s:s,s:i}", "action", "receive", "version", 0), 403);
	assert_string_equal(jstr(json_object_get(e, "error"), "key"), "workflow.not_yours");
	json_decref(e);
	e = act(desk, json_pack("{s:s,s:i}", "action", "approve", "version", 0), 422);
	assert_string_equal(jstr(json_object_get(e, "error"), "key"), "workflow.not_now");
	json_decref(e);
	e = act(desk, json_pack("{s:s,s:i}", "action", "request_supplement", "version", 0), 422);
	assert_non_null(
		json_object_get(json_object_get(json_object_get(e, "error"), "fields"), "items"));
	json_decref(e);
	json_decref(act(desk, json_pack("{s:s}", "action", "receive"), 422));
	json_decref(act(desk, json_pack("{s:s,s:i}", "action", "fly", "version", 0), 422));

	/* Supplement requested; a second officer on the old version: 409. */
	expect_stage(act(desk,
			 json_pack("{s:s,s:i,s:s}", "action", "request_supplement", "version", 0,
				   "items", "Bản sao giấy chứng sinh"),
			 200),
		     "supplement", 1);
	e = act(desk, json_pack("{s:s,s:i,s:s}", "action", "refuse", "version", 0, "note", "Sai"),
		409);
	json_t *h = json_object_get(json_object_get(e, "error"), "happened");
	assert_string_equal(jstr(h, "action"), "request_supplement");
	assert_int_equal(jint(h, "version"), 1);
	assert_non_null(strstr(jstr(json_object_get(e, "error"), "message"), "yêu cầu bổ sung"));
	json_decref(e);

	/* The applicant supplements (a stale version is 409 too). */
	assert_int_equal(supplement(0, 409), 409);
	assert_int_equal(supplement(1, 200), 200);
	expect_stage(act(desk, json_pack("{s:s,s:i}", "action", "receive", "version", 2), 200),
		     "received", 3);
	expect_stage(act(lead,
			 json_pack("{s:s,s:i,s:s}", "action", "assign", "version", 3, "assignee",
				   spec_id),
			 200),
		     "assigned", 4);
	expect_stage(
		act(spec, json_pack("{s:s,s:i}", "action", "submit_approval", "version", 4), 200),
		"pending_approval", 5);
	q = call("GET", "/api/v1/officer/queues", lead, NULL, 200);
	assert_int_equal(jint(json_object_get(q, "queues"), "approval"), 1);
	json_decref(q);
	expect_stage(act(lead, json_pack("{s:s,s:i}", "action", "approve", "version", 5), 200),
		     "done", 6);
	expect_stage(
		act(desk, json_pack("{s:s,s:i}", "action", "return_result", "version", 6), 200),
		"returned", 7);

	d = call("GET", "/api/v1/officer/dossiers/" CODE, lead, NULL, 200);
	assert_int_equal(json_array_size(json_object_get(d, "actions")), 0);
	assert_int_equal(json_array_size(json_object_get(d, "events")), 7);
	assert_int_equal(jint(d, "supplements"), 1);
	assert_true(json_array_size(json_object_get(d, "holders")) >= 6);
	json_decref(d);
	/* The applicant was told: supplement, receipt, result, return. */
	assert_int_equal(it_db_count(srv.db_path,
				     "SELECT COUNT(*) FROM mail_outbox WHERE to_addr = $1", EMAIL),
			 4);
	/* And the chain holds. */
	const char *argv[] = {it_bin(), "audit", "verify", "--data", srv.data, NULL};
	const char *env[] = {srv.db_env[0] ? srv.db_env : NULL, NULL};
	struct it_cmd cmd;
	assert_int_equal(it_run(&cmd, argv, env, 30000), 0);
	assert_int_equal(cmd.status, 0);
	it_cmd_free(&cmd);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_officer_path),
	};
	return cmocka_run_group_tests_name("it_backoffice", tests, group_setup, group_teardown);
}
