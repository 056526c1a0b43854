/*
 * test_db_payments.c - fees and payments (domain/payment.h) on SQLite and
 * PostgreSQL: collection accounts validated and stored; a fee set and paid
 * once by hand; statement import with matched, unmatched and duplicate
 * lines (also across two imports of the same file) in one write; finding
 * the dossier code in bank descriptions; the gateway callback's signature
 * good, bad, old and replayed. Every payment leaves one audit entry. A
 * payment and the dossier's WF_FINANCIAL_DONE are one write: a failure
 * injected in the second part leaves no payment, by hand, statement or
 * gateway.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "../testdb.h"
#include "db/db.h"
#include "domain/audit.h"
#include "domain/backoffice.h"
#include "domain/payment.h"
#include "http/router.h"

struct fixture {
	char dir[64];
	char target[512];
	db *d;
	arena *a;
};

static mc_status seed_fn(db_conn *c, void *arg)
{
	(void)arg;
	static const char sql[] =
		"INSERT INTO agency (code, name, level) VALUES ('SOTP', 'Sở Tư pháp', "
		"'department');"
		"INSERT INTO procedure (code, name) VALUES ('1.001193', 'Đăng ký khai sinh');"
		"INSERT INTO dossier (id, code, procedure_code, agency_code, status, created_at, "
		"updated_at) VALUES "
		"('d1', '000.00.16.H43-261128-0001', '1.001193', 'SOTP', 6, '2026-11-28 08:00:00', "
		"'2026-11-28 08:00:00'),"
		"('d2', '000.00.16.H43-261128-0002', '1.001193', 'SOTP', 4, '2026-11-28 08:00:00', "
		"'2026-11-28 08:00:00'),"
		"('d3', '000.00.16.H43-261128-0003', '1.001193', 'SOTP', 6, '2026-11-28 08:00:00', "
		"'2026-11-28 08:00:00'),"
		"('d4', '000.00.16.H43-261128-0004', '1.001193', 'SOTP', 6, '2026-11-28 08:00:00', "
		"'2026-11-28 08:00:00');";
	return db_exec(c, sql, NULL, -1, NULL);
}

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));
	if (!f || sodium_init() < 0)
		return -1;
	snprintf(f->dir, sizeof(f->dir), "/tmp/motcua-pay-XXXXXX");
	if (!mkdtemp(f->dir) || testdb_new(f->dir, f->target, sizeof(f->target)) != 0)
		return -1;
	char err[512] = "";
	if (db_open(f->target, &f->d, err, sizeof(err)) != MC_OK ||
	    db_migrate(f->d, NULL, err, sizeof(err)) != MC_OK ||
	    db_write(f->d, seed_fn, NULL) != MC_OK) {
		fprintf(stderr, "# %s\n", err);
		return -1;
	}
	f->a = arena_new(0);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;
	db_close(f->d);
	arena_free(f->a);
	char cmd[128];
	snprintf(cmd, sizeof(cmd), "rm -rf %s", f->dir);
	if (system(cmd) != 0)
		fprintf(stderr, "# could not remove %s\n", f->dir);
	free(f);
	return 0;
}

static int64_t count(struct fixture *f, const char *sql)
{
	db_result *r;
	assert_int_equal(db_query(db_reader(f->d), f->a, sql, DB_NOARGS, &r), MC_OK);
	return db_int(r, 0, 0);
}

#define CODE1 "000.00.16.H43-261128-0001"
#define CODE2 "000.00.16.H43-261128-0002"
#define CODE3 "000.00.16.H43-261128-0003"
#define CODE4 "000.00.16.H43-261128-0004"

static void test_accounts(void **state)
{
	struct fixture *f = *state;
	assert_string_equal(pay_bank_name("970436"), "Vietcombank");
	assert_null(pay_bank_name("970499"));
	assert_null(pay_bank_name(NULL));
	const char *why = NULL;
	const struct {
		struct pay_account acct;
		const char *why;
	} bad[] = {
		{{"SOTP", "970499", "0011004020393", "SO TU PHAP"}, "payment.bad_bin"},
		{{"SOTP", "970436", "12345", "SO TU PHAP"}, "payment.bad_account"},
		{{"SOTP", "970436", "0011-004020393", "SO TU PHAP"}, "payment.bad_account"},
		{{"SOTP", "970436", "00110040203931234567", "SO TU PHAP"}, "payment.bad_account"},
		{{"SOTP", "970436", "0011004020393", ""}, "payment.bad_account_name"},
		{{"SOTP", "970436", "0011004020393", "A\tB"}, "payment.bad_account_name"},
	};
	for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
		why = NULL;
		assert_int_equal(pay_account_set(f->d, "admin", &bad[i].acct, &why), MC_INVALID);
		assert_string_equal(why, bad[i].why);
	}
	struct pay_account good = {"SOTP", "970436", "0011004020393", "SỞ TƯ PHÁP NINH BÌNH"};
	assert_int_equal(pay_account_set(f->d, "admin", &good, &why), MC_OK);
	struct pay_account nowhere = {"NOPE", "970436", "0011004020393", "X"};
	assert_int_equal(pay_account_set(f->d, "admin", &nowhere, &why), MC_NOT_FOUND);
	/* Setting again replaces. */
	good.account = "1234567890";
	assert_int_equal(pay_account_set(f->d, "admin", &good, &why), MC_OK);
	struct pay_account got;
	assert_int_equal(pay_account_get(db_reader(f->d), f->a, "SOTP", &got), MC_OK);
	assert_string_equal(got.account, "1234567890");
	assert_string_equal(got.name, "SỞ TƯ PHÁP NINH BÌNH");
	assert_int_equal(pay_account_get(db_reader(f->d), f->a, "NOPE", &got), MC_NOT_FOUND);
	assert_int_equal(count(f, "SELECT COUNT(*) FROM audit_log WHERE action = "
				  "'payment.bank_set'"),
			 2);
}

static void test_hand_confirmation(void **state)
{
	struct fixture *f = *state;
	assert_int_equal(pay_fee_set(f->d, "desk", CODE1, 0), MC_INVALID);
	assert_int_equal(pay_fee_set(f->d, "desk", "NO-SUCH", 50000), MC_NOT_FOUND);
	assert_int_equal(pay_fee_set(f->d, "desk", CODE1, 80000), MC_OK);
	assert_int_equal(pay_fee_set(f->d, "desk", CODE1, 50000), MC_OK); /* corrected */
	struct pay_fee fee;
	assert_int_equal(pay_fee_get(db_reader(f->d), f->a, CODE1, &fee), MC_OK);
	assert_int_equal(fee.amount, 50000);
	assert_false(fee.paid);
	assert_string_equal(fee.purpose, CODE1);

	struct pay_record p = {CODE1, 40000, PAY_OFFICER, "BL-7", "2026-11-28 09:30:00", "desk"};
	struct pay_result res = {0};
	const char *why = NULL;
	assert_int_equal(pay_record(f->d, f->a, &p, &res, &why), MC_INVALID);
	assert_string_equal(why, "payment.amount_differs");
	p.amount = 50000;
	p.paid_at = "28/11/2026";
	assert_int_equal(pay_record(f->d, f->a, &p, &res, &why), MC_OK);
	assert_true(res.financial_due); /* the dossier is at status 6 */
	assert_non_null(res.receipt_no);
	assert_memory_equal(res.receipt_no, "BL", 2);
	/* Again: the same slip is a duplicate, another slip finds it paid. */
	assert_int_equal(pay_record(f->d, f->a, &p, &res, &why), MC_CONFLICT);
	assert_string_equal(why, "payment.duplicate");
	p.reference = "BL-8";
	assert_int_equal(pay_record(f->d, f->a, &p, &res, &why), MC_CONFLICT);
	assert_string_equal(why, "payment.already_paid");
	assert_int_equal(pay_fee_set(f->d, "desk", CODE1, 60000), MC_CONFLICT);
	/* A dossier without a fee, a bad date, an empty reference. */
	p = (struct pay_record){CODE2, 50000, PAY_OFFICER, "X", "2026-11-28", "desk"};
	assert_int_equal(pay_record(f->d, f->a, &p, &res, &why), MC_NOT_FOUND);
	p.paid_at = "31/02/2026";
	assert_int_equal(pay_record(f->d, f->a, &p, &res, &why), MC_INVALID);
	p.paid_at = "2026-11-28";
	p.reference = "";
	assert_int_equal(pay_record(f->d, f->a, &p, &res, &why), MC_INVALID);

	assert_int_equal(pay_fee_get(db_reader(f->d), f->a, CODE1, &fee), MC_OK);
	assert_true(fee.paid);
	assert_string_equal(fee.paid_at, "2026-11-28 00:00:00");
	struct pay_payment *list;
	int n;
	assert_int_equal(pay_list(db_reader(f->d), f->a, CODE1, &list, &n), MC_OK);
	assert_int_equal(n, 1);
	assert_string_equal(list[0].source, "officer");
	assert_int_equal(list[0].amount, 50000);
	assert_int_equal(count(f, "SELECT COUNT(*) FROM audit_log WHERE action = "
				  "'payment.record' AND subject = 'dossier:" CODE1 "'"),
			 1);
}

static void test_find_code(void **state)
{
	(void)state;
	const char *codes[] = {CODE1, CODE2, "000.00.16.H43-261128-0012"};
	const struct {
		const char *desc, *want;
	} cases[] = {
		{"NGUYEN VAN A nop phi ho so " CODE1, CODE1},
		{"MBVCB.123.0000016H432611280002.CT tu 0011", CODE2},
		{"HS 000 00 16 H43 261128 0001 le phi", CODE1},
		{"hs 000.00.16.h43-261128-0001", CODE1},
		{"ho so 000.00.16.H43-261128-00012", NULL}, /* another number */
		{"X000.00.16.H43-261128-0001", NULL},	    /* glued to a word */
		{CODE1 " va " CODE2, NULL},		    /* two dossiers */
		{CODE1 " " CODE1, CODE1},		    /* the same one twice */
		{"000.00.16.H43-261128-0012", "000.00.16.H43-261128-0012"},
		{"chuyen tien", NULL},
		{"", NULL},
	};
	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
		const char *got = pay_find_code(cases[i].desc, codes, 3);
		if (cases[i].want)
			assert_string_equal(got, cases[i].want);
		else
			assert_null(got);
	}
}

static const char statement[] =
	"\xEF\xBB\xBF"
	"Date;Amount;Description;Reference\n"
	"28/11/2026;1.500.000;NGUYEN VAN A nop phi " CODE3 ";FT2633201\n" /* 2 matched */
	"28/11/2026;50.000;ho so " CODE4 " thieu tien;FT2633202\n"	  /* 3 amount */
	"28/11/2026;200.000;chuyen tien an trua;FT2633203\n"		  /* 4 no code */
	"28/11/2026;1.500.000;NGUYEN VAN A nop phi " CODE3 ";FT2633201\n" /* 5 dup in file */
	"\n"
	"29/11/2026;abc;" CODE4 ";FT2633204\n"					/* 7 bad amount */
	"2026-11-29 10:15:00;\"200,000\";\"phi, le phi " CODE4 "\";FT2633205\n" /* 8 matched */
	"32/11/2026;200.000;" CODE4 ";FT2633206\n"				/* 9 bad date */
	"29/11/2026;200.000\n"							/* 10 columns */
	"29/11/2026;200.000;" CODE2 " no fee;\n";				/* 11 no fee */

static void import(struct fixture *f, struct pay_line **lines, int *n, struct pay_summary *sum)
{
	char err[200] = "";
	assert_int_equal(pay_statement_parse(f->a, statement, sizeof statement - 1, lines, n, err,
					     sizeof err),
			 MC_OK);
	struct bo_env env = {f->d, f->dir, {450, 900}, NULL, NULL, false};
	assert_int_equal(pay_statement_import(&env, f->a, "officer-1", *lines, *n, sum), MC_OK);
}

static void test_statement_import(void **state)
{
	struct fixture *f = *state;
	assert_int_equal(pay_fee_set(f->d, "desk", CODE3, 1500000), MC_OK);
	assert_int_equal(pay_fee_set(f->d, "desk", CODE4, 200000), MC_OK);
	struct pay_line *lines;
	int n;
	struct pay_summary sum;
	import(f, &lines, &n, &sum);
	assert_int_equal(n, 9);
	const struct {
		int line;
		enum pay_outcome outcome;
		const char *why;
	} want[] = {
		{2, PAY_MATCHED, NULL},
		{3, PAY_UNMATCHED, "payment.amount_differs"},
		{4, PAY_UNMATCHED, "payment.no_code"},
		{5, PAY_DUPLICATE, "payment.duplicate"},
		{7, PAY_UNMATCHED, "payment.line_amount"},
		{8, PAY_MATCHED, NULL},
		{9, PAY_UNMATCHED, "payment.line_date"},
		{10, PAY_UNMATCHED, "payment.line_columns"},
		{11, PAY_UNMATCHED, "payment.no_code"},
	};
	for (int i = 0; i < n; i++) {
		assert_int_equal(lines[i].line, want[i].line);
		assert_int_equal(lines[i].outcome, want[i].outcome);
		if (want[i].why)
			assert_string_equal(lines[i].why, want[i].why);
		else
			assert_non_null(lines[i].receipt_no);
	}
	assert_int_equal(sum.matched, 2);
	assert_int_equal(sum.unmatched, 6);
	assert_int_equal(sum.duplicate, 1);
	assert_int_equal(sum.amount, 1700000);
	assert_int_equal(count(f, "SELECT COUNT(*) FROM payment WHERE source = 'qr-statement'"), 2);

	/* The same statement again: its two matched lines are duplicates now. */
	import(f, &lines, &n, &sum);
	assert_int_equal(sum.matched, 0);
	assert_int_equal(sum.duplicate, 3);
	assert_int_equal(lines[0].outcome, PAY_DUPLICATE);
	assert_int_equal(lines[5].outcome, PAY_DUPLICATE);
	assert_int_equal(count(f, "SELECT COUNT(*) FROM payment"), 2);
	assert_int_equal(count(f, "SELECT COUNT(*) FROM dossier_fee WHERE status = 'paid'"), 2);
	assert_int_equal(count(f, "SELECT COUNT(*) FROM audit_log WHERE action = "
				  "'payment.record'"),
			 2);

	char err[200] = "";
	assert_int_equal(
		pay_statement_parse(f->a, "when,how much\n1,2\n", 18, &lines, &n, err, sizeof err),
		MC_INVALID);
	assert_non_null(strstr(err, "line 1"));
}

static void signed_body(arena *a, const char *secret, const char *code, int64_t amount,
			const char *ref, int64_t ts, const char *nonce, const char **body,
			char sig[65])
{
	*body = arena_printf(a,
			     "{\"dossier\":\"%s\",\"amount\":%lld,\"reference\":\"%s\","
			     "\"paid_at\":\"2026-11-29 10:00:00\",\"timestamp\":%lld,"
			     "\"nonce\":\"%s\"}",
			     code, (long long)amount, ref, (long long)ts, nonce);
	pay_signature(secret, *body, strlen(*body), sig);
}

static mc_status callback(struct fixture *f, const char *secret, const char *body, const char *sig,
			  int64_t now, const char **why)
{
	mc_status rc = pay_signature_check(secret, body, strlen(body), sig);
	if (rc != MC_OK)
		return rc;
	struct pay_callback cb;
	rc = pay_callback_parse(f->a, body, strlen(body), &cb, why);
	if (rc != MC_OK)
		return rc;
	struct pay_result res;
	struct bo_env env = {f->d, f->dir, {450, 900}, NULL, NULL, false};
	return pay_callback_record(&env, f->a, &cb, now, &res, why);
}

static void test_callback(void **state)
{
	struct fixture *f = *state;
	const char *secret = "s3cret-shared-with-the-gateway";
	int64_t now = (int64_t)time(NULL);
	assert_int_equal(pay_fee_set(f->d, "desk", CODE4, 300000), MC_OK);
	const char *body, *why = NULL;
	char sig[65];

	/* RFC 4231 test case 2: HMAC-SHA256 with key "Jefe". */
	char mac[65];
	pay_signature("Jefe", "what do ya want for nothing?", 28, mac);
	assert_string_equal(mac,
			    "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");

	/* Bad signature: another secret, one byte changed, not hex, missing. */
	signed_body(f->a, "other", CODE4, 300000, "GW-1", now, "nonce-0123456789ab", &body, sig);
	assert_int_equal(callback(f, secret, body, sig, now, &why), MC_UNAUTHORIZED);
	signed_body(f->a, secret, CODE4, 300000, "GW-1", now, "nonce-0123456789ab", &body, sig);
	char *tampered = arena_strdup(f->a, body);
	tampered[strlen(tampered) - 3] ^= 1;
	assert_int_equal(callback(f, secret, tampered, sig, now, &why), MC_UNAUTHORIZED);
	assert_int_equal(callback(f, secret, body, "zz", now, &why), MC_UNAUTHORIZED);
	assert_int_equal(callback(f, secret, body, NULL, now, &why), MC_UNAUTHORIZED);
	assert_int_equal(callback(f, "", body, sig, now, &why), MC_UNAUTHORIZED);

	/* Old (or from the future) by more than five minutes. */
	signed_body(f->a, secret, CODE4, 300000, "GW-1", now - 301, "nonce-old-0123456789", &body,
		    sig);
	assert_int_equal(callback(f, secret, body, sig, now, &why), MC_UNAUTHORIZED);
	assert_string_equal(why, "payment.stale");
	signed_body(f->a, secret, CODE4, 300000, "GW-1", now + 301, "nonce-new-0123456789", &body,
		    sig);
	assert_int_equal(callback(f, secret, body, sig, now, &why), MC_UNAUTHORIZED);

	/* Good, upper-case signature accepted too. */
	signed_body(f->a, secret, CODE4, 300000, "GW-1", now - 200, "nonce-0123456789ab", &body,
		    sig);
	for (char *s = sig; *s; s++)
		if (*s >= 'a' && *s <= 'f')
			*s = (char)(*s - 'a' + 'A');
	assert_int_equal(callback(f, secret, body, sig, now, &why), MC_OK);
	struct pay_fee fee;
	assert_int_equal(pay_fee_get(db_reader(f->d), f->a, CODE4, &fee), MC_OK);
	assert_true(fee.paid);

	/* Replayed: the same nonce is refused, whatever else. */
	why = NULL;
	assert_int_equal(callback(f, secret, body, sig, now, &why), MC_CONFLICT);
	assert_string_equal(why, "payment.replay");
	/* A new nonce for the same transaction: a duplicate, not a second payment. */
	signed_body(f->a, secret, CODE4, 300000, "GW-1", now, "nonce-other-456789ab", &body, sig);
	assert_int_equal(callback(f, secret, body, sig, now, &why), MC_CONFLICT);
	assert_string_equal(why, "payment.duplicate");
	/* Malformed fields. */
	signed_body(f->a, secret, CODE4, -5, "GW-2", now, "nonce-third-456789ab", &body, sig);
	assert_int_equal(callback(f, secret, body, sig, now, &why), MC_INVALID);
	signed_body(f->a, secret, CODE4, 5, "GW-2", now, "short", &body, sig);
	assert_int_equal(callback(f, secret, body, sig, now, &why), MC_INVALID);
	assert_int_equal(count(f, "SELECT COUNT(*) FROM payment WHERE source = 'gateway'"), 1);
}

static mc_status stage_fn(db_conn *c, void *arg)
{
	(void)arg;
	return db_exec(c, "UPDATE dossier SET stage = 'financial' WHERE id = 'd3'", DB_NOARGS,
		       NULL);
}

/* A payment recorded by the system moves a dossier waiting in stage
 * financial on (WF_FINANCIAL_DONE through bo_act); others stay. */
static void test_financial_done(void **state)
{
	struct fixture *f = *state;
	assert_int_equal(db_write(f->d, stage_fn, NULL), MC_OK);
	assert_int_equal(pay_fee_set(f->d, "desk", CODE3, 70000), MC_OK);
	struct pay_record p = {CODE3, 70000, PAY_GATEWAY, "GW-9", "2026-11-29", "system"};
	struct pay_result res;
	const char *why = NULL;
	assert_int_equal(pay_record(f->d, f->a, &p, &res, &why), MC_OK);
	assert_true(res.financial_due);
	struct bo_env env = {f->d, f->dir, {450, 900}, NULL, NULL, false};
	bool done = false;
	assert_int_equal(pay_financial_done(&env, f->a, NULL, CODE3, &done), MC_OK);
	assert_true(done);
	assert_int_equal(count(f, "SELECT status FROM dossier WHERE id = 'd3'"), 4);
	assert_int_equal(count(f, "SELECT COUNT(*) FROM audit_log WHERE action = "
				  "'dossier.financial_done' AND actor = 'system'"),
			 1);
	/* Again: nothing to do. A dossier that never waited: nothing either. */
	assert_int_equal(pay_financial_done(&env, f->a, NULL, CODE3, &done), MC_OK);
	assert_false(done);
	assert_int_equal(pay_financial_done(&env, f->a, NULL, CODE2, &done), MC_OK);
	assert_false(done);
	assert_int_equal(pay_financial_done(&env, f->a, NULL, "NO-SUCH", &done), MC_NOT_FOUND);
}

static mc_status sql_fn(db_conn *c, void *arg)
{
	return db_exec(c, arg, DB_NOARGS, NULL);
}

static void run_sql(struct fixture *f, const char *sql)
{
	assert_int_equal(db_write(f->d, sql_fn, (void *)sql), MC_OK);
}

/* Nothing of a payment of d3 is stored: no row, the fee owed, no audit
 * entry, the dossier still waiting. */
static void assert_unpaid(struct fixture *f)
{
	assert_int_equal(count(f, "SELECT COUNT(*) FROM payment WHERE dossier_id = 'd3'"), 0);
	assert_int_equal(count(f, "SELECT COUNT(*) FROM dossier_fee WHERE dossier_id = 'd3' "
				  "AND status = 'owed'"),
			 1);
	assert_int_equal(count(f, "SELECT COUNT(*) FROM audit_log WHERE action = "
				  "'payment.record'"),
			 0);
	assert_int_equal(count(f, "SELECT status FROM dossier WHERE id = 'd3'"), 6);
}

/* The payment and WF_FINANCIAL_DONE in one write: when the second part
 * fails (its holder table made unwritable), the payment rolls back too, for
 * all three ways a payment arrives; once repaired, both happen together. */
static void test_one_write(void **state)
{
	struct fixture *f = *state;
	assert_int_equal(db_write(f->d, stage_fn, NULL), MC_OK);
	assert_int_equal(pay_fee_set(f->d, "desk", CODE3, 70000), MC_OK);
	struct bo_env env = {f->d, f->dir, {450, 900}, NULL, NULL, false};
	run_sql(f, "ALTER TABLE dossier_holder RENAME TO dossier_holder_off");

	struct pay_record p = {CODE3, 70000, PAY_OFFICER, "BL-1", "2026-11-29 09:00", "desk-1"};
	struct bo_actor leader = {"leader-1", ROLE_LEADER, "SOTP"};
	struct pay_result res = {0};
	const char *why = NULL;
	assert_int_not_equal(pay_record_done(&env, f->a, &leader, &p, &res, &why), MC_OK);
	assert_false(res.financial_done);
	assert_unpaid(f);

	static const char csv[] = "date;amount;description;reference\n"
				  "29/11/2026;70.000;nop phi " CODE3 ";FT1\n";
	struct pay_line *lines;
	int n;
	char err[128];
	assert_int_equal(
		pay_statement_parse(f->a, csv, sizeof csv - 1, &lines, &n, err, sizeof err), MC_OK);
	struct pay_summary sum;
	assert_int_not_equal(pay_statement_import(&env, f->a, "system", lines, n, &sum), MC_OK);
	assert_unpaid(f);

	const char *secret = "s3cret-for-tests";
	const char *body;
	char sig[65];
	int64_t now = (int64_t)time(NULL);
	signed_body(f->a, secret, CODE3, 70000, "GW-1", now, "nonce-one-write-0001", &body, sig);
	assert_int_not_equal(callback(f, secret, body, sig, now, &why), MC_OK);
	assert_unpaid(f);
	assert_int_equal(count(f, "SELECT COUNT(*) FROM payment_nonce"), 0);

	/* Repaired: a leader's confirmation records the payment and the agency
	 * (as a desk, no person) performs financial_done, in one write. */
	run_sql(f, "ALTER TABLE dossier_holder_off RENAME TO dossier_holder");
	assert_int_equal(pay_record_done(&env, f->a, &leader, &p, &res, &why), MC_OK);
	assert_true(res.financial_due);
	assert_true(res.financial_done);
	assert_int_equal(count(f, "SELECT status FROM dossier WHERE id = 'd3'"), 4);
	assert_int_equal(count(f, "SELECT COUNT(*) FROM payment WHERE dossier_id = 'd3'"), 1);
	assert_int_equal(count(f, "SELECT COUNT(*) FROM audit_log WHERE action = "
				  "'dossier.financial_done' AND actor = 'system'"),
			 1);
	/* A desk officer's own confirmation acts in their name. */
	run_sql(f, "INSERT INTO account (id, login, kind, roles, agency_code, full_name, "
		   "password_hash, created_at) VALUES ('desk-1', 'desk1', 'officer', 4, 'SOTP', "
		   "'Trần Thị B', 'x', '2026-11-01 08:00:00')");
	run_sql(f, "UPDATE dossier SET stage = 'financial', status = 6 WHERE id = 'd1'");
	assert_int_equal(pay_fee_set(f->d, "desk", CODE1, 30000), MC_OK);
	struct pay_record p1 = {CODE1, 30000, PAY_OFFICER, "BL-2", "2026-11-29", "desk-1"};
	struct bo_actor desk = {"desk-1", ROLE_DESK, "SOTP"};
	assert_int_equal(pay_record_done(&env, f->a, &desk, &p1, &res, &why), MC_OK);
	assert_true(res.financial_done);
	assert_int_equal(count(f, "SELECT COUNT(*) FROM audit_log WHERE action = "
				  "'dossier.financial_done' AND actor = 'desk-1'"),
			 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_accounts, setup, teardown),
		cmocka_unit_test_setup_teardown(test_hand_confirmation, setup, teardown),
		cmocka_unit_test(test_find_code),
		cmocka_unit_test_setup_teardown(test_statement_import, setup, teardown),
		cmocka_unit_test_setup_teardown(test_callback, setup, teardown),
		cmocka_unit_test_setup_teardown(test_financial_done, setup, teardown),
		cmocka_unit_test_setup_teardown(test_one_write, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
