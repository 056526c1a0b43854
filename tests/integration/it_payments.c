/*
 * it_payments.c - fees and payments on a real motcua, on SQLite and
 * PostgreSQL: the agency's account set with `motcua agencies bank`; a desk
 * officer sets a dossier's fee through the API; the applicant sees it as
 * JSON and on the dossier page (amount as 1.500.000 đ, the beneficiary, a
 * VietQR payload that parses back with the right fields, an inline SVG);
 * strangers and officers of another agency get 404; the officer confirms a
 * payment by hand (wrong amount 422, then 201 and the receipt page, then
 * 409); the gateway callback (bad signature 401, old 401, good 200, replay
 * 409); `motcua payments import` of a statement with matched, unmatched and
 * duplicate lines; the receipt PDF's QR decodes to the public verification
 * page (genuine; forged, missing tag and unknown number alike 404; JSON
 * too); and the audit chain still verifies.
 */
#include <limits.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include <cmocka.h>
#include <jansson.h>

#include "core/arena.h"
#include "domain/payment.h"
#include "domain/payverify.h"
#include "domain/vietqr.h"
#include "harness.h"
#include "signin.h"

static struct it_server srv;
static struct it_user owner, other, desk, outsider, owner_web, admin_web;

#define CODE1  "000.00.16.H43-261128-0001"
#define CODE2  "000.00.16.H43-261128-0002"
#define CODE3  "000.00.16.H43-261128-0003"
#define SECRET "it-gateway-secret-0123456789"

static const char *const setup_sql[] = {
	"INSERT INTO agency (code, name, level, identifier) VALUES"
	" ('ubnd-hoalu', 'Ủy ban nhân dân phường Hoa Lư', 'commune', '000.00.16.H43'),"
	" ('ubnd-tamdiep', 'Ủy ban nhân dân phường Tam Điệp', 'commune', '000.00.17.H43')",
	"INSERT INTO procedure (code, name, record) VALUES ('1.001193', 'Đăng ký khai sinh',"
	" '{\"code\":\"1.001193\",\"name\":\"Đăng ký khai sinh\"}')",
	NULL,
};

static int add_dossiers(const char *owner_id)
{
	char sql[2048];
	snprintf(sql, sizeof sql,
		 "INSERT INTO dossier (id, code, procedure_code, agency_code, account_id, status,"
		 " stage, channel, applicant, created_at, updated_at, submitted_at) VALUES"
		 " ('d1', '" CODE1 "', '1.001193', 'ubnd-hoalu', '%s', 6, 'financial', 2,"
		 " '{\"name\":\"Nguyễn Văn An\"}', '2026-11-28 09:00:00', '2026-11-28 09:00:00',"
		 " '2026-11-28 09:00:00'),"
		 " ('d2', '" CODE2 "', '1.001193', 'ubnd-hoalu', '%s', 6, 'financial', 2,"
		 " '{\"name\":\"Nguyễn Văn An\"}', '2026-11-28 09:00:00', '2026-11-28 09:00:00',"
		 " '2026-11-28 09:00:00'),"
		 " ('d3', '" CODE3 "', '1.001193', 'ubnd-hoalu', '%s', 6, 'financial', 2,"
		 " '{\"name\":\"Nguyễn Văn An\"}', '2026-11-28 09:00:00', '2026-11-28 09:00:00',"
		 " '2026-11-28 09:00:00')",
		 owner_id, owner_id, owner_id);
	return it_db_exec(srv.db_path, sql);
}

/* Runs motcua with args (NULL-terminated, at most 12) on the server's database. */
static struct it_cmd cli_v(const char *const *args)
{
	const char *argv[14] = {it_bin()};
	for (int i = 0; i < 12 && args[i]; i++)
		argv[i + 1] = args[i];
	const char *env[] = {srv.db_env[0] ? srv.db_env : NULL, NULL};
	struct it_cmd r;
	assert_int_equal(it_run(&r, argv, env, 60000), 0);
	return r;
}

#define cli(...) cli_v((const char *const[]){__VA_ARGS__, NULL})

static int group_setup(void **state)
{
	(void)state;
	struct it_server_opts o = {.conf = "payment_callback_secret = " SECRET "\n",
				   .sql = setup_sql};
	const char *t = srv.db_path;
	if (it_server_start(&srv, &o) != 0 ||
	    it_user_new(t, "owner", "citizen", 1, NULL, "api", &owner) < 0 ||
	    it_signin(t, owner.account_id, "web", &owner_web) < 0 ||
	    it_user_new(t, "other", "citizen", 1, NULL, "api", &other) < 0 ||
	    it_user_new(t, "desk", "officer", 4, "ubnd-hoalu", "api", &desk) < 0 ||
	    it_user_new(t, "outsider", "officer", 4, "ubnd-tamdiep", "api", &outsider) < 0 ||
	    it_user_new(t, "admin", "officer", 32, "ubnd-hoalu", "web", &admin_web) < 0)
		return -1;
	return add_dossiers(owner.account_id) == 0 ? 0 : -1;
}

static int group_teardown(void **state)
{
	(void)state;
	return it_server_finish(&srv);
}

static struct http_resp req(const char *method, const char *path, const struct it_user *u,
			    const char *extra, const char *body, int want)
{
	char headers[1024];
	snprintf(headers, sizeof headers, "%s%sContent-Type: application/json\r\n",
		 u ? u->headers : "", extra ? extra : "");
	struct http_resp r;
	int rc = http_fetch(srv.port, method, path, headers, body, body ? strlen(body) : 0, &r);
	assert_int_equal(rc, 0);
	if (r.status != want)
		fail_msg("%s %s: status %d, wanted %d; body: %.600s", method, path, r.status, want,
			 r.body);
	return r;
}

static json_t *json_of(const struct http_resp *r)
{
	json_t *j = json_loadb(r->body, r->body_len, 0, NULL);
	if (!j)
		fail_msg("not JSON: %.300s", r->body);
	return j;
}

static void assert_contains(const char *hay, const char *needle)
{
	if (!strstr(hay, needle))
		fail_msg("'%s' not found in: %.2000s", needle, hay);
}

static void test_bank_account_cli(void **state)
{
	(void)state;
	struct it_cmd r = cli("agencies", "bank", "ubnd-hoalu", "--data", srv.data, "--bin",
			      "970499", "--account", "0011004020393", "--name", "UBND HOA LU");
	assert_int_equal(r.status, 1);
	assert_contains(r.err, "BIN");
	it_cmd_free(&r);
	r = cli("agencies", "bank", "ubnd-hoalu", "--data", srv.data, "--bin", "970436",
		"--account", "0011004020393", "--name", "UBND PHUONG HOA LU");
	if (r.status != 0)
		fail_msg("agencies bank: %s", r.err);
	assert_contains(r.out, "Vietcombank");
	it_cmd_free(&r);
	/* The agency's admin sees it on the accounts page. */
	struct http_resp p = req("GET", "/quan-tri/tai-khoan", &admin_web, NULL, NULL, 200);
	assert_contains(p.body, "Vietcombank 0011004020393");
	assert_contains(p.body, "UBND PHUONG HOA LU");
	http_resp_free(&p);
}

static void test_fee_and_view(void **state)
{
	(void)state;
	const char *path = "/api/v1/officer/dossiers/" CODE1 "/fee";
	/* The applicant cannot set fees (403), another agency's officer sees no dossier. */
	struct http_resp r = req("POST", path, &owner, NULL, "{\"amount\":1500000}", 403);
	http_resp_free(&r);
	r = req("POST", path, &outsider, NULL, "{\"amount\":1500000}", 404);
	http_resp_free(&r);
	r = req("POST", path, &desk, NULL, "{\"amount\":-3}", 422);
	http_resp_free(&r);
	/* The record states no fee: the officer must enter the amount. */
	r = req("POST", path, &desk, NULL, "{}", 422);
	http_resp_free(&r);
	r = req("POST", path, &desk, NULL, "not json", 400);
	http_resp_free(&r);
	r = req("POST", path, &desk, NULL, "{\"amount\":1500000}", 200);
	http_resp_free(&r);

	r = req("GET", "/api/v1/dossiers/" CODE1 "/payment", &owner, NULL, NULL, 200);
	json_t *j = json_of(&r);
	assert_string_equal(json_string_value(json_object_get(j, "status")), "owed");
	assert_int_equal(json_integer_value(json_object_get(j, "amount")), 1500000);
	assert_string_equal(json_string_value(json_object_get(j, "amount_text")), "1.500.000 đ");
	json_t *b = json_object_get(j, "beneficiary");
	assert_string_equal(json_string_value(json_object_get(b, "bank")), "Vietcombank");
	assert_string_equal(json_string_value(json_object_get(b, "account")), "0011004020393");
	const char *payload = json_string_value(json_object_get(j, "vietqr"));
	assert_non_null(payload);
	arena *a = arena_new(0);
	struct vietqr q;
	char err[160];
	assert_int_equal(vietqr_parse(a, payload, strlen(payload), &q, err, sizeof err), MC_OK);
	assert_string_equal(q.bin, "970436");
	assert_string_equal(q.account, "0011004020393");
	assert_int_equal(q.amount, 1500000);
	assert_string_equal(q.purpose, CODE1);
	char *copy = strdup(payload);
	json_decref(j);
	http_resp_free(&r);

	/* The dossier page: amount, beneficiary, the QR as inline SVG, the payload. */
	r = req("GET", "/ho-so/" CODE1, &owner_web, NULL, NULL, 200);
	assert_contains(r.body, "1.500.000 đ");
	assert_contains(r.body, "UBND PHUONG HOA LU");
	assert_contains(r.body, "<svg");
	assert_contains(r.body, copy);
	http_resp_free(&r);
	free(copy);
	arena_free(a);

	r = req("GET", "/api/v1/dossiers/" CODE1 "/payment", &other, NULL, NULL, 404);
	http_resp_free(&r);
	r = req("GET", "/api/v1/dossiers/" CODE1 "/payment", &outsider, NULL, NULL, 404);
	http_resp_free(&r);
	r = req("GET", "/api/v1/dossiers/" CODE1 "/payment", &desk, NULL, NULL, 200);
	http_resp_free(&r);
}

static void test_hand_confirmation(void **state)
{
	(void)state;
	const char *path = "/api/v1/officer/dossiers/" CODE1 "/payments";
	struct http_resp r = req("POST", path, &desk, NULL,
				 "{\"amount\":1000000,\"reference\":\"BL-0001\"}", 422);
	http_resp_free(&r);
	r = req("POST", path, &outsider, NULL, "{\"amount\":1500000,\"reference\":\"BL-0001\"}",
		404);
	http_resp_free(&r);
	r = req("POST", path, &desk, NULL,
		"{\"amount\":1500000,\"reference\":\"BL-0001\",\"paid_at\":\"2026-11-29 "
		"08:30:00\"}",
		201);
	json_t *j = json_of(&r);
	/* The dossier waited for this payment: it resumes (status 6 -> 4). */
	assert_true(json_is_true(json_object_get(j, "financial_done")));
	assert_int_equal(
		it_db_count(srv.db_path, "SELECT status FROM dossier WHERE code = $1", CODE1), 4);
	const char *url = json_string_value(json_object_get(j, "receipt_url"));
	assert_non_null(url);
	char *receipt = strdup(url);
	const char *no = json_string_value(json_object_get(j, "receipt_no"));
	char *receipt_no = strdup(no);
	json_decref(j);
	http_resp_free(&r);
	r = req("POST", path, &desk, NULL, "{\"amount\":1500000,\"reference\":\"BL-0001\"}", 409);
	http_resp_free(&r);

	r = req("GET", receipt, &owner_web, NULL, NULL, 200);
	assert_contains(r.body, receipt_no);
	assert_contains(r.body, "1.500.000 đ");
	assert_contains(r.body, "29/11/2026 08:30");
	assert_contains(r.body, "Một triệu năm trăm nghìn đồng");
	assert_contains(r.body, ".pdf\" download");
	http_resp_free(&r);
	r = req("GET", receipt, &other, NULL, NULL, 404);
	http_resp_free(&r);
	/* The same receipt as a PDF: an attachment for the applicant and the
	 * agency's officers (a bearer token too), 404 for anyone else. */
	char pdf_url[256];
	snprintf(pdf_url, sizeof pdf_url, "%s.pdf", receipt);
	r = req("GET", pdf_url, &owner_web, NULL, NULL, 200);
	assert_non_null(http_resp_header(&r, "Content-Type"));
	assert_non_null(http_resp_header(&r, "Content-Disposition"));
	assert_non_null(http_resp_header(&r, "X-Content-Type-Options"));
	assert_string_equal(http_resp_header(&r, "Content-Type"), "application/pdf");
	assert_contains(http_resp_header(&r, "Content-Disposition"), "attachment");
	assert_contains(http_resp_header(&r, "Content-Disposition"), receipt_no);
	assert_string_equal(http_resp_header(&r, "X-Content-Type-Options"), "nosniff");
	char *text = it_pdf_text(r.body, r.body_len, "-enc UTF-8");
	assert_non_null(text);
	assert_contains(text, receipt_no);
	assert_contains(text, "BIÊN LAI THU PHÍ, LỆ PHÍ");
	assert_contains(text, "1.500.000 đ");
	assert_contains(text, "Một triệu năm trăm nghìn đồng");
	assert_contains(text, "Tiền mặt tại Bộ phận một cửa");
	assert_contains(text, "29/11/2026 08:30");
	free(text);
	http_resp_free(&r);
	r = req("GET", pdf_url, &desk, NULL, NULL, 200);
	http_resp_free(&r);
	r = req("GET", pdf_url, &other, NULL, NULL, 404);
	http_resp_free(&r);
	snprintf(pdf_url, sizeof pdf_url, "/ho-so/%s/bien-lai/BL000000-00000000.pdf", CODE1);
	r = req("GET", pdf_url, &owner_web, NULL, NULL, 404);
	http_resp_free(&r);
	r = req("GET", "/api/v1/dossiers/" CODE1 "/payment", &owner, NULL, NULL, 200);
	assert_contains(r.body, "\"status\":\"paid\"");
	assert_contains(r.body, "\"receipt_pdf_url\":\"/ho-so/" CODE1 "/bien-lai/");
	assert_contains(r.body, "\"vietqr\":null");
	http_resp_free(&r);
	free(receipt);
	free(receipt_no);
	assert_int_equal(
		it_db_count(srv.db_path,
			    "SELECT COUNT(*) FROM audit_log WHERE action = 'payment.record'", NULL),
		1);
}

/* The text of the QR code in a PDF reply (pdftoppm, then zbarimg). */
static char *pdf_qr(const struct http_resp *r)
{
	char dir[PATH_MAX], path[PATH_MAX + 16], cmd[PATH_MAX * 5];
	assert_int_equal(it_mkdtemp(dir), 0);
	snprintf(path, sizeof(path), "%s/r.pdf", dir);
	FILE *f = fopen(path, "wb");
	assert_non_null(f);
	assert_int_equal(fwrite(r->body, 1, r->body_len, f), r->body_len);
	assert_int_equal(fclose(f), 0);
	snprintf(cmd, sizeof(cmd),
		 "pdftoppm -r 200 -png -singlefile '%s' '%s/r' && zbarimg --raw -q '%s/r.png'"
		 " > '%s/qr.txt'",
		 path, dir, dir, dir);
	assert_int_equal(system(cmd), 0);
	snprintf(path, sizeof(path), "%s/qr.txt", dir);
	size_t len;
	char *text = it_read_file(path, &len);
	assert_non_null(text);
	text[strcspn(text, "\n")] = 0;
	it_rmtree(dir);
	return text;
}

/* The receipt's QR points to the public verification page: genuine shows
 * the receipt's facts and no personal data; a forged tag, a missing tag and
 * an unknown number (with the right key's tag) get the same 404 page; the
 * JSON twin agrees. */
static void test_receipt_verification(void **state)
{
	(void)state;
	char *no = NULL;
	assert_int_equal(it_db_row(srv.db_path,
				   "SELECT p.receipt_no FROM payment p JOIN dossier d ON"
				   " d.id = p.dossier_id WHERE d.code = $1",
				   CODE1, &no, 1),
			 1);
	char path[512];
	snprintf(path, sizeof(path), "/ho-so/%s/bien-lai/%s.pdf", CODE1, no);
	struct http_resp r = req("GET", path, &owner_web, NULL, NULL, 200);
	char *qr = pdf_qr(&r);
	http_resp_free(&r);
	const char *local = strstr(qr, "/bien-lai/xac-thuc?ma=" CODE1 "&so=");
	if (!local)
		fail_msg("the QR holds %s", qr);
	assert_non_null(strstr(local, no));
	const char *tag = strstr(local, "&t=");
	assert_non_null(tag);
	assert_int_equal(strlen(tag + 3), PAYVERIFY_TAG_LEN);
	/* genuine, for anyone (no session) */
	r = req("GET", local, NULL, NULL, NULL, 200);
	assert_contains(r.body, no);
	assert_contains(r.body, CODE1);
	assert_contains(r.body, "1.500.000 đ");
	assert_contains(r.body, "29/11/2026 08:30");
	assert_contains(r.body, "Ủy ban nhân dân phường Hoa Lư");
	assert_null(strstr(r.body, "Nguyễn Văn An"));
	assert_null(strstr(r.body, "BL-0001")); /* the desk slip reference */
	http_resp_free(&r);
	/* forged: the last character of the tag changed */
	char forged[512];
	snprintf(forged, sizeof(forged), "%s", local);
	char *last = forged + strlen(forged) - 1;
	*last = *last == '0' ? '1' : '0';
	struct http_resp bad = req("GET", forged, NULL, NULL, NULL, 404);
	assert_null(strstr(bad.body, no + 2));
	/* unknown number, with the tag the server's key gives it: the same page */
	/* another node's view: the key is the deployment's, in the database */
	assert_true(it_payverify_load(srv.db_path));
	char t[PAYVERIFY_TAG_LEN + 1], unknown[512];
	payverify_tag(CODE1, "BL000000-00000000", t);
	snprintf(unknown, sizeof(unknown), "/bien-lai/xac-thuc?ma=%s&so=BL000000-00000000&t=%s",
		 CODE1, t);
	r = req("GET", unknown, NULL, NULL, NULL, 404);
	assert_string_equal(r.body, bad.body);
	http_resp_free(&r);
	snprintf(unknown, sizeof(unknown), "/bien-lai/xac-thuc?ma=%s&so=%s", CODE1, no);
	r = req("GET", unknown, NULL, NULL, NULL, 404);
	assert_string_equal(r.body, bad.body);
	http_resp_free(&r);
	http_resp_free(&bad);
	/* the test computes the server's own tag: the key file is the server's */
	assert_string_equal(tag + 3, (payverify_tag(CODE1, no, t), t));
	/* JSON */
	char api[512];
	snprintf(api, sizeof(api), "/api/v1/receipts/verify?code=%s&receipt_no=%s&tag=%s", CODE1,
		 no, t);
	r = req("GET", api, NULL, NULL, NULL, 200);
	json_t *j = json_of(&r);
	assert_true(json_is_true(json_object_get(j, "valid")));
	assert_int_equal(json_integer_value(json_object_get(j, "amount")), 1500000);
	assert_string_equal(json_string_value(json_object_get(j, "receipt_no")), no);
	assert_string_equal(json_string_value(json_object_get(j, "method")), "officer");
	assert_string_equal(json_string_value(json_object_get(j, "paid_at")),
			    "2026-11-29 08:30:00");
	assert_null(json_object_get(j, "payer"));
	json_decref(j);
	http_resp_free(&r);
	snprintf(api, sizeof(api), "/api/v1/receipts/verify?code=%s&receipt_no=%s&tag=%s", CODE1,
		 no, forged + strlen(forged) - PAYVERIFY_TAG_LEN);
	r = req("GET", api, NULL, NULL, NULL, 404);
	http_resp_free(&r);
	/* one key for the deployment, made once */
	assert_int_equal(it_db_count(srv.db_path, "SELECT COUNT(*) FROM app_secret WHERE name = $1",
				     "receipt-verify"),
			 1);
	free(qr);
	free(no);
}

static struct http_resp callback(const char *secret, int64_t ts, const char *nonce, int want)
{
	char body[512], sig[65], headers[128];
	snprintf(body, sizeof body,
		 "{\"dossier\":\"" CODE2 "\",\"amount\":200000,\"reference\":\"GW-77\","
		 "\"paid_at\":\"2026-11-29 10:00:00\",\"timestamp\":%lld,\"nonce\":\"%s\"}",
		 (long long)ts, nonce);
	pay_signature(secret, body, strlen(body), sig);
	snprintf(headers, sizeof headers, "X-Signature: %s\r\n", sig);
	return req("POST", "/api/v1/payments/callback", NULL, headers, body, want);
}

static void test_callback(void **state)
{
	(void)state;
	struct http_resp r = req("POST", "/api/v1/officer/dossiers/" CODE2 "/fee", &desk, NULL,
				 "{\"amount\":200000}", 200);
	http_resp_free(&r);
	int64_t now = (int64_t)time(NULL);
	r = callback("wrong-secret", now, "nonce-aaaaaaaaaaaaaaaa", 401);
	http_resp_free(&r);
	r = callback(SECRET, now - 600, "nonce-bbbbbbbbbbbbbbbb", 401);
	http_resp_free(&r);
	r = callback(SECRET, now, "nonce-cccccccccccccccc", 200);
	assert_contains(r.body, "receipt_no");
	assert_contains(r.body, "\"financial_done\":true");
	http_resp_free(&r);
	r = callback(SECRET, now, "nonce-cccccccccccccccc", 409);
	http_resp_free(&r);
	assert_int_equal(it_db_count(srv.db_path,
				     "SELECT COUNT(*) FROM payment WHERE source = 'gateway'", NULL),
			 1);
}

static void test_statement_import_cli(void **state)
{
	(void)state;
	struct http_resp r = req("POST", "/api/v1/officer/dossiers/" CODE3 "/fee", &desk, NULL,
				 "{\"amount\":50000}", 200);
	http_resp_free(&r);
	char path[PATH_MAX + 32];
	snprintf(path, sizeof path, "%s/statement.csv", srv.root);
	assert_int_equal(it_write_file(path,
				       "date,amount,description,reference\n"
				       "29/11/2026,50.000,NOP PHI HS 0000016H432611280003,FT01\n"
				       "29/11/2026,50.000,chuyen tien,FT02\n"
				       "29/11/2026,50.000,NOP PHI HS 0000016H432611280003,FT01\n",
				       false),
			 0);
	struct it_cmd c = cli("payments", "import", path, "--data", srv.data);
	if (c.status != 0)
		fail_msg("payments import: %s", c.err);
	assert_contains(c.out, "line 2\tmatched\t" CODE3);
	assert_contains(c.out, "line 3\tunmatched");
	assert_contains(c.out, "line 4\tduplicate");
	assert_contains(c.out, "1 matched (50.000 đ), 1 unmatched, 1 duplicate; 1 dossiers resume");
	assert_int_equal(
		it_db_count(srv.db_path, "SELECT status FROM dossier WHERE code = $1", CODE3), 4);
	it_cmd_free(&c);
	r = req("GET", "/api/v1/dossiers/" CODE3 "/payment", &owner, NULL, NULL, 200);
	assert_contains(r.body, "\"status\":\"paid\"");
	http_resp_free(&r);

	c = cli("audit", "verify", "--data", srv.data);
	assert_int_equal(c.status, 0);
	it_cmd_free(&c);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_bank_account_cli),
		cmocka_unit_test(test_fee_and_view),
		cmocka_unit_test(test_hand_confirmation),
		cmocka_unit_test(test_receipt_verification),
		cmocka_unit_test(test_callback),
		cmocka_unit_test(test_statement_import_cli),
	};
	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
