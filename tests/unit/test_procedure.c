/*
 * test_procedure.c - the procedure record's JSON format (domain/procedure.h):
 * a full record survives to_json then from_json unchanged and always dumps
 * to the same bytes; the reader fills defaults for absent optional keys,
 * normalises text to NFC and trims it; and every kind of bad input is refused
 * with a message that names the field. Every line of the generated demo
 * records (data/catalogue/generated.jsonl, tools/gen_catalogue.py) reads,
 * is flagged, and dumps back to its own bytes.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/arena.h"
#include "domain/procedure.h"

/* "Nguyễn" precomposed (ễ = U+1EC5) and decomposed (e + U+0302 + U+0303). */
#define NGUYEN_NFC "Nguy\xe1\xbb\x85n"
#define NGUYEN_NFD "Nguye\xcc\x82\xcc\x83n"

static int setup(void **state)
{
	*state = arena_new(0);
	return 0;
}

static int teardown(void **state)
{
	arena_free(*state);
	return 0;
}

static const char *applicants[] = {"Công dân Việt Nam", "Doanh nghiệp"};
static const char *steps[] = {"Bước 1: Nộp hồ sơ", "Bước 2: Nhận kết quả\n\nTrong ngày."};
static const char *templates[] = {"Mẫu số 01.docx", "Mẫu số 02.pdf"};

/* A record with every field set and every array non-empty. */
static void full_record(struct procedure_rec *p)
{
	static struct procedure_method methods[2];
	static struct procedure_document documents[2];
	static struct procedure_legal legal[2];
	static struct procedure_result results[1];
	procedure_init(p);
	p->code = "1.001193";
	p->name = "Đăng ký khai sinh";
	p->portal_name = "Thủ tục đăng ký khai sinh";
	p->decision = "1872/QĐ-BTP";
	p->kind = "TTHC được giao luật quy định chi tiết";
	p->field = "Hộ tịch";
	p->ministry = "bo-tu-phap";
	p->levels = PROCEDURE_LEVEL_COMMUNE | PROCEDURE_LEVEL_PROVINCE;
	p->applicants = applicants;
	p->napplicants = 2;
	p->steps = steps;
	p->nsteps = 2;
	methods[0] = (struct procedure_method){PROCEDURE_CHANNEL_DIRECT,
					       "0.5",
					       PROCEDURE_TIME_WORKING_DAYS,
					       "0.5 Ngày làm việc",
					       "Miễn phí",
					       "",
					       0,
					       "Nộp tại Bộ phận Một cửa"};
	methods[1] = (struct procedure_method){PROCEDURE_CHANNEL_ONLINE,
					       "1",
					       PROCEDURE_TIME_UNKNOWN,
					       "1",
					       "50,000 VNĐ",
					       "Lệ phí : 50.000 Đồng",
					       50000,
					       ""};
	p->methods = methods;
	p->nmethods = 2;
	documents[0] =
		(struct procedure_document){"", "Tờ khai đăng ký khai sinh", 1, 0, templates, 2};
	documents[1] = (struct procedure_document){
		"Trường hợp trẻ em bị bỏ rơi:", "Biên bản xác nhận", 0, 3, NULL, 0};
	p->documents = documents;
	p->ndocuments = 2;
	legal[0] = (struct procedure_legal){"Luật Hộ tịch", "60/2014/QH13"};
	legal[1] = (struct procedure_legal){"Thông tư hướng dẫn", ""};
	p->legal_basis = legal;
	p->nlegal_basis = 2;
	p->conditions = "Không quá 60 ngày";
	results[0] = (struct procedure_result){"Giấy khai sinh", "KQ.G15.000001"};
	p->results = results;
	p->nresults = 1;
	p->result_note = "Bản chính";
	p->agency_implementing = "Ủy ban nhân dân cấp xã";
	p->agency_competent = "Ủy ban nhân dân cấp xã";
	p->agency_delegated = "";
	p->agency_coordinating = "Công an cấp xã";
	p->receiving_address = "Bộ phận Một cửa\nsố 1 Lê Lợi";
	p->service_level = PROCEDURE_SERVICE_PARTIAL;
	p->source_url = "https://dichvucong.gov.vn/p/1.001193";
	p->published = false;
	p->generated = true;
}

static void test_round_trip(void **state)
{
	arena *a = *state;
	struct procedure_rec p, q;
	full_record(&p);
	json_t *j = procedure_to_json(&p);
	char err[256];
	int rc = procedure_from_json(j, a, &q, err, sizeof(err));
	if (rc)
		print_error("%s\n", err);
	assert_int_equal(rc, 0);
	assert_true(procedure_equal(&p, &q));
	assert_int_equal(q.methods[1].fee_amount, 50000);
	assert_int_equal(q.documents[1].copies, 3);
	assert_string_equal(q.documents[0].templates[1], "Mẫu số 02.pdf");

	/* The same record always dumps to the same bytes, keys in struct order. */
	json_t *k = procedure_to_json(&q);
	char *s1 = json_dumps(j, JSON_COMPACT);
	char *s2 = json_dumps(k, JSON_COMPACT);
	assert_string_equal(s1, s2);
	assert_true(strncmp(s1, "{\"code\":\"1.001193\",\"name\":", 26) == 0);
	assert_non_null(strstr(s1, "\"levels\":[\"province\",\"commune\"]"));
	assert_non_null(strstr(s1, "\"service_level\":\"mot-phan\""));
	free(s1);
	free(s2);
	json_decref(j);
	json_decref(k);

	/* Changing any part makes records unequal (q's arrays are its own,
	 * from the arena). */
	q.documents[0].originals = 2;
	assert_false(procedure_equal(&p, &q));
	q.documents[0].originals = 1;
	q.methods[1].fee_note = "";
	assert_false(procedure_equal(&p, &q));
	q.methods[1].fee_note = p.methods[1].fee_note;
	q.nlegal_basis = 1;
	assert_false(procedure_equal(&p, &q));
	q.nlegal_basis = 2;
	assert_true(procedure_equal(&p, &q));
}

static void test_enum_names(void **state)
{
	(void)state;
	for (unsigned b = 1; b <= PROCEDURE_LEVEL_OTHER; b <<= 1)
		assert_int_equal(procedure_level_parse(procedure_level_name(b)), (int)b);
	assert_string_equal(procedure_level_name(PROCEDURE_LEVEL_DISTRICT), "district");
	for (int c = PROCEDURE_CHANNEL_DIRECT; c <= PROCEDURE_CHANNEL_POST; c++)
		assert_int_equal(procedure_channel_parse(procedure_channel_name(c)), c);
	for (int u = PROCEDURE_TIME_UNKNOWN; u <= PROCEDURE_TIME_YEARS; u++)
		assert_int_equal(procedure_time_unit_parse(procedure_time_unit_name(u)), u);
	assert_string_equal(procedure_time_unit_name(PROCEDURE_TIME_WORKING_DAYS), "working_days");
	assert_string_equal(procedure_service_level_name(PROCEDURE_SERVICE_FULL), "toan-trinh");
	assert_int_equal(procedure_service_level_parse(""), PROCEDURE_SERVICE_NONE);
	assert_int_equal(procedure_channel_parse("fax"), -1);
	assert_int_equal(procedure_level_parse("village"), -1);

	assert_true(procedure_code_valid("1.001193"));
	assert_true(procedure_code_valid("6.006577"));
	assert_false(procedure_code_valid("0.001193"));
	assert_false(procedure_code_valid("1.00119"));
	assert_false(procedure_code_valid("1.0011933"));
	assert_false(procedure_code_valid("1-001193"));
	assert_false(procedure_code_valid("1.00119a"));
	assert_false(procedure_code_valid(NULL));
}

static json_t *minimal(void)
{
	return json_pack("{s:s, s:s, s:s, s:[s]}", "code", "2.000815", "name", "Chứng thực bản sao",
			 "field", "Chứng thực", "levels", "commune");
}

static void test_defaults(void **state)
{
	arena *a = *state;
	json_t *j = minimal();
	struct procedure_rec p;
	char err[256];
	assert_int_equal(procedure_from_json(j, a, &p, err, sizeof(err)), 0);
	assert_string_equal(p.portal_name, "Chứng thực bản sao");
	assert_string_equal(p.decision, "");
	assert_int_equal(p.levels, PROCEDURE_LEVEL_COMMUNE);
	assert_int_equal(p.nmethods, 0);
	assert_int_equal(p.ndocuments, 0);
	assert_true(p.published);
	assert_false(p.generated);
	assert_int_equal(p.service_level, PROCEDURE_SERVICE_NONE);

	/* An absent fee amount is unknown, not free. */
	json_object_set_new(j, "methods", json_pack("[{s:s}]", "channel", "post"));
	assert_int_equal(procedure_from_json(j, a, &p, err, sizeof(err)), 0);
	assert_int_equal(p.methods[0].fee_amount, -1);
	assert_string_equal(p.methods[0].time_value, "");
	json_decref(j);
}

static void test_nfc_and_trim(void **state)
{
	arena *a = *state;
	json_t *j = minimal();
	json_object_set_new(j, "name", json_string("  Khai sinh cho " NGUYEN_NFD "  "));
	json_object_set_new(j, "documents",
			    json_pack("[{s:s, s:[s]}]", "name", NGUYEN_NFD, "templates",
				      " " NGUYEN_NFD ".docx"));
	struct procedure_rec p;
	char err[256];
	assert_int_equal(procedure_from_json(j, a, &p, err, sizeof(err)), 0);
	assert_string_equal(p.name, "Khai sinh cho " NGUYEN_NFC);
	assert_string_equal(p.documents[0].name, NGUYEN_NFC);
	assert_string_equal(p.documents[0].templates[0], NGUYEN_NFC ".docx");
	json_decref(j);
}

/* Sets key (a path of object keys and array indexes, "methods.0.channel")
 * in a copy of the full record to v, and expects the reader's error to
 * start with want. */
static void refused(arena *a, const char *path, json_t *v, const char *want)
{
	struct procedure_rec p;
	full_record(&p);
	json_t *root = procedure_to_json(&p);
	json_t *parent = root;
	char part[64];
	const char *dot;
	while ((dot = strchr(path, '.')) != NULL) {
		snprintf(part, sizeof(part), "%.*s", (int)(dot - path), path);
		parent = json_is_array(parent) ? json_array_get(parent, strtoul(part, NULL, 10))
					       : json_object_get(parent, part);
		path = dot + 1;
	}
	snprintf(part, sizeof(part), "%s", path);
	if (json_is_array(parent))
		json_array_set_new(parent, strtoul(part, NULL, 10), v);
	else if (v)
		json_object_set_new(parent, part, v);
	else
		json_object_del(parent, part);
	struct procedure_rec q;
	char err[256];
	int rc = procedure_from_json(root, a, &q, err, sizeof(err));
	if (rc == 0 || strncmp(err, want, strlen(want)) != 0)
		print_error("%s: got rc %d '%s', want '%s'\n", part, rc, err, want);
	assert_int_equal(rc, -1);
	assert_true(strncmp(err, want, strlen(want)) == 0);
	json_decref(root);
}

static void test_refuses_identity(void **state)
{
	arena *a = *state;
	refused(a, "code", NULL, "code: is required");
	refused(a, "code", json_string("1.23"), "code: must look like 1.001193, not '1.23'");
	refused(a, "code", json_integer(1001193), "code: must be a string");
	refused(a, "name", json_string("   "), "name: must not be empty");
	refused(a, "name", json_string("Hai\ndòng"), "name: must be one line");
	refused(a, "name", json_string("Có\x01điều khiển"), "name: is not UTF-8 text");
	refused(a, "name", json_stringn_nocheck("Sai \xc3\x28", 6), "name: is not UTF-8 text");
	refused(a, "name", json_stringn("Có\0NUL", 7), "name: contains a NUL character");
	refused(a, "field", NULL, "field: is required");
	refused(a, "colour", json_string("đỏ"), "colour: is not a known field");
	refused(a, "published", json_string("yes"), "published: must be true or false");
	refused(a, "service_level", json_string("full"), "service_level: unknown value 'full'");
	refused(a, "source_url", json_string("ftp://x"), "source_url: must be an http(s) address");

	char *longname = malloc(PROCEDURE_MAX_LINE + 2);
	memset(longname, 'a', PROCEDURE_MAX_LINE + 1);
	longname[PROCEDURE_MAX_LINE + 1] = '\0';
	refused(a, "name", json_string(longname), "name: is longer than 4000 characters");
	free(longname);

	struct procedure_rec q;
	char err[256];
	json_t *arr = json_array();
	assert_int_equal(procedure_from_json(arr, a, &q, err, sizeof(err)), -1);
	assert_string_equal(err, "record: must be a JSON object");
	/* A short buffer gets a terminated prefix; none at all is fine too. */
	char tiny[8];
	assert_int_equal(procedure_from_json(arr, a, &q, tiny, sizeof(tiny)), -1);
	assert_string_equal(tiny, "record:");
	assert_int_equal(procedure_from_json(arr, a, &q, NULL, 0), -1);
	json_decref(arr);
}

static void test_refuses_levels_and_arrays(void **state)
{
	arena *a = *state;
	refused(a, "levels", NULL, "levels: is required");
	refused(a, "levels", json_array(), "levels: must be a non-empty array");
	refused(a, "levels", json_pack("[s]", "village"), "levels[0]: unknown level 'village'");
	refused(a, "levels", json_pack("[s,s]", "commune", "commune"), "levels[1]: repeats");
	refused(a, "levels", json_pack("[i]", 1), "levels[0]: must be a string");
	refused(a, "applicants", json_string("Công dân"), "applicants: must be an array");
	refused(a, "steps.1", json_string(""), "steps[1]: must not be empty");
	refused(a, "steps.0", json_integer(1), "steps[0]: must be a string");
	refused(a, "methods", json_object(), "methods: must be an array");
	json_t *many = json_array();
	for (int i = 0; i <= PROCEDURE_MAX_ITEMS; i++)
		json_array_append_new(many, json_string("x"));
	refused(a, "applicants", many, "applicants: has more than 2000 elements");
}

static void test_refuses_methods(void **state)
{
	arena *a = *state;
	refused(a, "methods.1", json_string("online"), "methods[1]: must be an object");
	refused(a, "methods.1.channel", NULL, "methods[1].channel: is required");
	refused(a, "methods.1.channel", json_string("fax"),
		"methods[1].channel: unknown value 'fax'");
	refused(a, "methods.0.time_unit", json_string("weeks"),
		"methods[0].time_unit: unknown value 'weeks'");
	refused(a, "methods.0.time_value", json_string("3 ngày"),
		"methods[0].time_value: must be a number like 3 or 0.5");
	refused(a, "methods.0.time_value", json_string("05"), "methods[0].time_value: must be a");
	refused(a, "methods.0.time_value", json_string(".5"), "methods[0].time_value: must be a");
	refused(a, "methods.0.time_value", json_string(""),
		"methods[0].time_unit: needs a time_value");
	refused(a, "methods.0.fee_amount", json_integer(-2),
		"methods[0].fee_amount: must be between -1 and");
	refused(a, "methods.0.fee_amount", json_real(1.5),
		"methods[0].fee_amount: must be an integer");
	refused(a, "methods.0.speed", json_true(), "methods[0].speed: is not a known field");
}

static void test_refuses_documents_and_results(void **state)
{
	arena *a = *state;
	refused(a, "documents.0.originals", json_integer(-1),
		"documents[0].originals: must be between 0 and 99");
	refused(a, "documents.0.copies", json_integer(100),
		"documents[0].copies: must be between 0 and 99");
	refused(a, "documents.0.originals", json_string("1"),
		"documents[0].originals: must be an integer");
	refused(a, "documents.1.name", NULL, "documents[1].name: is required");
	refused(a, "documents.0.templates.1", json_string(""),
		"documents[0].templates[1]: must not be empty");
	refused(a, "documents.0.templates.0", json_string("a\nb.docx"),
		"documents[0].templates[0]: must be one line");
	refused(a, "legal_basis.0", json_pack("{s:s}", "title", ""),
		"legal_basis[0].title: and number must not both be empty");
	refused(a, "results.0.code", json_string("KQ G01"), "results[0].code: must be letters");
	refused(a, "results.0", json_object(), "results[0].name: and code must not both be empty");
}

/* The generator writes what procedure_to_json would: every line reads back
 * and dumps to the same bytes, so `init --demo` stores it unchanged. */
static void test_generated_records(void **state)
{
	FILE *f = fopen("data/catalogue/generated.jsonl", "r");
	assert_non_null(f);
	static const char *const ministries[] = {"bo-y-te",   "bo-giao-duc-dt", "bo-van-hoa-ttdl",
						 "bo-noi-vu", "bo-cong-thuong", "bo-khoa-hoc-cn"};
	int per_ministry[6] = {0}, n = 0;
	char *line = NULL;
	size_t cap = 0;
	ssize_t len;
	while ((len = getline(&line, &cap, f)) > 0) {
		arena *a = arena_new(0);
		if (line[len - 1] == '\n')
			line[--len] = '\0';
		json_error_t je;
		json_t *j = json_loadb(line, (size_t)len, 0, &je);
		assert_non_null(j);
		struct procedure_rec p;
		char err[256];
		int rc = procedure_from_json(j, a, &p, err, sizeof(err));
		if (rc)
			print_error("line %d: %s\n", n + 1, err);
		assert_int_equal(rc, 0);
		json_decref(j);
		assert_true(p.generated && p.published);
		assert_int_equal(p.code[0], '9');
		assert_true(p.levels == PROCEDURE_LEVEL_PROVINCE ||
			    p.levels == PROCEDURE_LEVEL_COMMUNE);
		assert_true(p.nsteps > 0 && p.nmethods > 0 && p.ndocuments > 0 &&
			    p.nlegal_basis > 0 && p.nresults > 0);
		bool online = false;
		for (size_t i = 0; i < p.nmethods; i++) {
			assert_int_not_equal(p.methods[i].time_unit, PROCEDURE_TIME_UNKNOWN);
			assert_true(p.methods[i].fee_amount >= 0);
			online |= p.methods[i].channel == PROCEDURE_CHANNEL_ONLINE;
		}
		assert_int_equal(online, p.service_level != PROCEDURE_SERVICE_NONE);
		int m = -1;
		for (int i = 0; i < 6; i++)
			if (strcmp(p.ministry, ministries[i]) == 0)
				m = i;
		assert_true(m >= 0);
		per_ministry[m]++;
		json_t *back = procedure_to_json(&p);
		char *dumped = json_dumps(back, JSON_COMPACT);
		assert_string_equal(dumped, line);
		free(dumped);
		json_decref(back);
		arena_free(a);
		n++;
	}
	free(line);
	fclose(f);
	assert_true(n >= 520);
	for (int i = 0; i < 6; i++)
		assert_true(per_ministry[i] >= 30);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_round_trip, setup, teardown),
		cmocka_unit_test_setup_teardown(test_enum_names, setup, teardown),
		cmocka_unit_test_setup_teardown(test_defaults, setup, teardown),
		cmocka_unit_test_setup_teardown(test_nfc_and_trim, setup, teardown),
		cmocka_unit_test_setup_teardown(test_refuses_identity, setup, teardown),
		cmocka_unit_test_setup_teardown(test_refuses_levels_and_arrays, setup, teardown),
		cmocka_unit_test_setup_teardown(test_refuses_methods, setup, teardown),
		cmocka_unit_test_setup_teardown(test_refuses_documents_and_results, setup,
						teardown),
		cmocka_unit_test(test_generated_records),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
