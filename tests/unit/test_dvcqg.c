/*
 * test_dvcqg.c - the national portal parser (domain/dvcqg.h) on fourteen real
 * records copied from the 2026 crawl (tests/unit/fixtures/dvcqg_sample.jsonl,
 * public data) and on small made-up records for shapes the crawl lacks.
 *
 * Checked: filing methods (channels, time values and units, fees and their
 * amounts, a bare time glued to a fee, a time limit in words), documents
 * (cases, counts, form file names), legal numbers, levels, results, the
 * "Thủ tục " prefix, the service level, the crawl-mismatch rejection, that
 * extractions missing from raw_text are reported, that decomposed (NFD)
 * input parses as composed text does, and that every accepted record is a
 * valid record in our own format.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

#include "core/arena.h"
#include "domain/dvcqg.h"
#include "domain/procedure.h"

#define FIXTURES     "tests/unit/fixtures/dvcqg_sample.jsonl"
#define MAX_FIXTURES 32

static json_t *fixtures[MAX_FIXTURES];
static size_t nfixtures;

static int load_fixtures(void **state)
{
	(void)state;
	FILE *f = fopen(FIXTURES, "r");
	if (!f) {
		print_error("cannot open %s (run from the repository root)\n", FIXTURES);
		return -1;
	}
	json_error_t err;
	json_t *j;
	/* One object per line; JSON_DISABLE_EOF_CHECK lets jansson stop at
	 * the end of each. */
	while (nfixtures < MAX_FIXTURES &&
	       (j = json_loadf(f, JSON_DISABLE_EOF_CHECK, &err)) != NULL)
		fixtures[nfixtures++] = j;
	fclose(f);
	return nfixtures == 14 ? 0 : -1;
}

static int free_fixtures(void **state)
{
	(void)state;
	for (size_t i = 0; i < nfixtures; i++)
		json_decref(fixtures[i]);
	return 0;
}

static const json_t *fixture(const char *code)
{
	for (size_t i = 0; i < nfixtures; i++)
		if (strcmp(json_string_value(json_object_get(fixtures[i], "ma_thu_tuc")), code) ==
		    0)
			return fixtures[i];
	fail_msg("no fixture %s", code);
	return NULL;
}

/* Each test parses into its own arena. */
struct parsed {
	arena *a;
	struct procedure_rec p;
	struct dvcqg_report rep;
	int rc;
};

static struct parsed *parse(const json_t *rec)
{
	struct parsed *r = calloc(1, sizeof(*r));
	r->a = arena_new(0);
	r->rc = dvcqg_parse(rec, r->a, &r->p, &r->rep);
	return r;
}

static struct parsed *parse_code(const char *code)
{
	struct parsed *r = parse(fixture(code));
	assert_int_equal(r->rc, 0);
	return r;
}

static void done(struct parsed *r)
{
	arena_free(r->a);
	free(r);
}

/* Whether some problem message contains needle. */
static bool reported(const struct parsed *r, const char *needle)
{
	for (size_t i = 0; i < r->rep.nproblems; i++)
		if (strstr(r->rep.problems[i].message, needle))
			return true;
	return false;
}

static void method_is(const struct procedure_method *m, enum procedure_channel ch,
		      const char *value, enum procedure_time_unit unit, const char *fee,
		      int64_t amount)
{
	assert_int_equal(m->channel, ch);
	assert_string_equal(m->time_value, value);
	assert_int_equal(m->time_unit, unit);
	assert_string_equal(m->fee, fee);
	assert_int_equal(m->fee_amount, amount);
}

static void test_methods_units_and_fees(void **state)
{
	(void)state;
	struct parsed *r = parse_code("1.000178");
	assert_int_equal(r->p.nmethods, 2);
	method_is(&r->p.methods[0], PROCEDURE_CHANNEL_POST, "60", PROCEDURE_TIME_WORKING_DAYS, "",
		  -1);
	method_is(&r->p.methods[1], PROCEDURE_CHANNEL_DIRECT, "60", PROCEDURE_TIME_WORKING_DAYS, "",
		  -1);
	assert_string_equal(r->p.methods[0].time_text, "60 Ngày làm việc");
	assert_true(strncmp(r->p.methods[0].description, "Thời hạn giải quyết khiếu nại", 20) == 0);
	done(r);

	r = parse_code("2.001212");
	assert_int_equal(r->p.nmethods, 3);
	method_is(&r->p.methods[0], PROCEDURE_CHANNEL_ONLINE, "3", PROCEDURE_TIME_WORKING_DAYS,
		  "Miễn phí", 0);
	method_is(&r->p.methods[1], PROCEDURE_CHANNEL_POST, "3", PROCEDURE_TIME_WORKING_DAYS,
		  "Miễn phí", 0);
	method_is(&r->p.methods[2], PROCEDURE_CHANNEL_DIRECT, "3", PROCEDURE_TIME_WORKING_DAYS,
		  "Miễn phí", 0);
	assert_int_equal(dvcqg_report_total(&r->rep), 0);
	done(r);

	r = parse_code("1.009067"); /* hours */
	assert_int_equal(r->p.nmethods, 1);
	method_is(&r->p.methods[0], PROCEDURE_CHANNEL_ONLINE, "1", PROCEDURE_TIME_HOURS, "Miễn phí",
		  0);
	done(r);

	r = parse_code("1.001010"); /* months, a fee in dollars */
	method_is(&r->p.methods[0], PROCEDURE_CHANNEL_DIRECT, "6", PROCEDURE_TIME_MONTHS, "100 USD",
		  -1);
	assert_string_equal(r->p.methods[0].fee_note, "100 USD/thẻ.");
	done(r);

	r = parse_code("1.013097"); /* half days, an amount with a thousands comma */
	assert_int_equal(r->p.nmethods, 3);
	method_is(&r->p.methods[0], PROCEDURE_CHANNEL_ONLINE, "1.5", PROCEDURE_TIME_WORKING_DAYS,
		  "40,000 Việt Nam Đồng", 40000);
	assert_string_equal(r->p.methods[0].fee_note, "- Xe ô tô trên 10 chỗ");
	done(r);
}

static void test_methods_time_glued_to_fee(void **state)
{
	(void)state;
	/* "Trực tuyến1100 VNĐ(Phí ...: 100.000 đồng/lần ...)": time 1, and
	 * the fee column counts thousands, as the note shows. */
	struct parsed *r = parse_code("2.002009");
	assert_int_equal(r->p.nmethods, 3);
	for (size_t i = 0; i < 3; i++)
		method_is(&r->p.methods[i], r->p.methods[i].channel, "1", PROCEDURE_TIME_UNKNOWN,
			  "100 VNĐ", 100000);
	assert_true(reported(r, "read as 100000 đồng from its note"));
	assert_true(reported(r, "has no unit"));
	done(r);

	r = parse_code("1.000014"); /* "120 VNĐ(20.000 vnđ /tờ khai)" */
	method_is(&r->p.methods[0], PROCEDURE_CHANNEL_ONLINE, "1", PROCEDURE_TIME_UNKNOWN, "20 VNĐ",
		  20000);
	done(r);
}

static void test_methods_time_in_words(void **state)
{
	(void)state;
	struct parsed *r = parse_code("1.007689");
	assert_int_equal(r->p.nmethods, 3);
	const struct procedure_method *m = &r->p.methods[0];
	method_is(m, PROCEDURE_CHANNEL_ONLINE, "", PROCEDURE_TIME_UNKNOWN, "Miễn phí", 0);
	assert_string_equal(m->time_text, "Không phải trả kết quả cho người nộp thuế");
	assert_true(reported(r, "methods: could not read a time limit in 'Không phải trả"));
	assert_int_equal(r->rep.counts[DVCQG_METHODS], 3);
	done(r);
}

static void test_fee_amounts(void **state)
{
	(void)state;
	/* The fee cell is empty and the description names two fees: no single
	 * amount. */
	struct parsed *r = parse_code("1.003135");
	method_is(&r->p.methods[0], PROCEDURE_CHANNEL_ONLINE, "5", PROCEDURE_TIME_WORKING_DAYS, "",
		  -1);
	assert_non_null(strstr(r->p.methods[0].description, "Lệ phí : 50.000 Đồng"));
	done(r);

	/* "5,000 Việt Nam Đồng" online, but "40 Việt Nam Đồng" at the desk: too
	 * small to be đồng, and no note to say what it means. */
	r = parse_code("1.003133");
	method_is(&r->p.methods[0], PROCEDURE_CHANNEL_ONLINE, "1", PROCEDURE_TIME_WORKING_DAYS,
		  "5,000 Việt Nam Đồng", 5000);
	method_is(&r->p.methods[1], PROCEDURE_CHANNEL_DIRECT, "1", PROCEDURE_TIME_WORKING_DAYS,
		  "40 Việt Nam Đồng", -1);
	assert_true(reported(r, "fee '40 Việt Nam Đồng' is too small to be in đồng"));
	done(r);
}

static void test_documents_cases_and_templates(void **state)
{
	(void)state;
	struct parsed *r = parse_code("2.001212");
	assert_int_equal(r->p.ndocuments, 2);
	const struct procedure_document *d = &r->p.documents[0];
	assert_string_equal(d->case_name, "Trường hợp Giấy chứng nhận đăng ký bị hư hỏng:");
	assert_true(strncmp(d->name, "- Đơn đề nghị cấp lại Giấy chứng nhận", 30) == 0);
	assert_int_equal(d->originals, 1);
	assert_int_equal(d->copies, 0);
	assert_int_equal(d->ntemplates, 1);
	assert_string_equal(d->templates[0], "Mẫu đơn đề nghị CẤP LẠI GIẤY CHỨNG NHẬN ĐĂNG KÝ "
					     "PHƯƠNG TIỆN VUI CHƠI GIẢI TRÍ DƯỚI NƯỚC.docx");
	assert_string_equal(r->p.documents[1].case_name,
			    "Trường hợp bị mất Giấy chứng nhận đăng ký:");
	done(r);

	r = parse_code("1.000178"); /* no cases, no templates */
	assert_int_equal(r->p.ndocuments, 8);
	assert_string_equal(r->p.documents[0].case_name, "");
	assert_string_equal(r->p.documents[0].name, "Tài liệu, chứng cứ do các bên cung cấp");
	assert_string_equal(r->p.documents[7].name,
			    "Đơn khiếu nại hoặc bản ghi nội dung khiếu nại");
	done(r);

	r = parse_code("1.007689"); /* originals and copies; file name after "(Mẫu ...)" */
	assert_int_equal(r->p.ndocuments, 2);
	d = &r->p.documents[0];
	assert_string_equal(d->name,
			    "Tờ khai thuế đối với hoạt động cho thuê bất động sản (Mẫu số 01/BĐS)");
	assert_int_equal(d->originals, 1);
	assert_int_equal(d->copies, 1);
	assert_int_equal(d->ntemplates, 1);
	assert_string_equal(d->templates[0], "01 BĐS.docx");
	done(r);

	/* "01 bản sao có chứng thực ..." is part of a name, not a count. */
	r = parse_code("1.003133");
	assert_true(strncmp(r->p.documents[0].name, "01 bản sao có chứng thực giấy tờ", 30) == 0);
	assert_int_equal(r->p.documents[0].originals, 0);
	assert_int_equal(r->p.documents[0].copies, 1);
	assert_string_equal(r->p.documents[1].templates[0], "M01b.pdf");
	done(r);
}

static void test_legal_numbers(void **state)
{
	(void)state;
	/* "Luật Khiếu nại  năm 201102/2011/QH13": a year glued to a number. */
	static const char *const want[] = {"68/2013/TT-BCA", "02/2011/QH13", "11/2015/TT-BCA",
					   "05/2012/NĐ-CP"};
	struct parsed *r = parse_code("1.000178");
	assert_int_equal(r->p.nlegal_basis, 4);
	for (size_t i = 0; i < 4; i++)
		assert_string_equal(r->p.legal_basis[i].number, want[i]);
	assert_string_equal(r->p.legal_basis[1].title, "Luật Khiếu nại năm 2011");
	assert_string_equal(r->p.legal_basis[3].title, "Nghị định 05/2012/NĐ-CP");
	done(r);

	/* "...NĐ-CP-Quy định ...": the dash belongs to neither. */
	r = parse_code("1.001598");
	assert_string_equal(r->p.legal_basis[0].number, "2222/QĐ-BHXH");
	assert_string_equal(r->p.legal_basis[5].number, "26/2017/TT-BLĐTBXH");
	assert_string_equal(r->p.legal_basis[7].number, "166/2016/NĐ-CP");
	assert_true(strncmp(r->p.legal_basis[7].title, "Quy định về giao dịch điện tử", 20) == 0);
	done(r);
}

static void test_levels(void **state)
{
	(void)state;
	struct parsed *r = parse_code("1.000178");
	assert_int_equal(r->p.levels, PROCEDURE_LEVEL_MINISTRY);
	done(r);
	r = parse_code("1.003135");
	assert_int_equal(r->p.levels, PROCEDURE_LEVEL_PROVINCE | PROCEDURE_LEVEL_OTHER);
	done(r);
	r = parse_code("1.001598");
	assert_int_equal(r->p.levels, PROCEDURE_LEVEL_PROVINCE | PROCEDURE_LEVEL_COMMUNE);
	done(r);
	r = parse_code("1.013065");
	assert_int_equal(r->p.levels, PROCEDURE_LEVEL_MINISTRY | PROCEDURE_LEVEL_PROVINCE |
					      PROCEDURE_LEVEL_COMMUNE);
	done(r);
}

static void test_results(void **state)
{
	(void)state;
	struct parsed *r = parse_code("1.001598");
	assert_int_equal(r->p.nresults, 3);
	assert_string_equal(r->p.results[0].code, "KQ.G24.000005");
	assert_string_equal(r->p.results[1].name, "Tiền trợ cấp");
	assert_string_equal(r->p.results[1].code, "KQ.G24.000053");
	assert_string_equal(r->p.results[2].code, "KQ.G24.000056");
	done(r);

	r = parse_code("2.000954");
	assert_int_equal(r->p.nresults, 1);
	assert_string_equal(r->p.results[0].code, "000.00.00.G15-KQ0108");
	done(r);

	r = parse_code("1.000014"); /* the crawl lost the section */
	assert_int_equal(r->p.nresults, 0);
	assert_true(reported(r, "results: none given"));
	assert_true(reported(r, "conditions: the crawl appended"));
	assert_string_equal(r->p.conditions, "");
	done(r);
}

static void test_names(void **state)
{
	(void)state;
	struct parsed *r = parse_code("2.000954");
	assert_string_equal(r->p.portal_name,
			    "Thủ tục cấp lại Giấy đăng ký tham gia trợ giúp pháp lý");
	assert_string_equal(r->p.name, "Cấp lại Giấy đăng ký tham gia trợ giúp pháp lý");
	assert_true(r->rep.name_prefix_dropped);
	done(r);

	/* A customs procedure is what the name is about: kept. */
	r = parse_code("1.000014");
	assert_string_equal(
		r->p.name,
		"Thủ tục hải quan đối với xăng dầu, hóa chất, khí chuyển tiêu thụ nội địa");
	assert_false(r->rep.name_prefix_dropped);
	done(r);
}

static void test_service_level(void **state)
{
	(void)state;
	struct parsed *r = parse_code("1.013065");
	assert_int_equal(r->p.service_level, PROCEDURE_SERVICE_FULL);
	done(r);
	r = parse_code("2.001212"); /* online, but nothing says how far */
	assert_int_equal(r->p.service_level, PROCEDURE_SERVICE_NONE);
	done(r);
	r = parse_code("1.000178"); /* not online at all */
	assert_int_equal(r->p.service_level, PROCEDURE_SERVICE_NONE);
	done(r);
}

static void test_crawl_mismatch_rejected(void **state)
{
	(void)state;
	struct parsed *r = parse(fixture("3.000226"));
	assert_int_equal(r->rc, -1);
	assert_true(r->rep.rejected);
	assert_true(
		reported(r, "crawl mismatch: the page is for procedure 3.000579, not 3.000226"));
	done(r);
}

/* Every accepted fixture is a valid record in our format, and reads back
 * equal. */
static void test_output_is_valid(void **state)
{
	(void)state;
	size_t accepted = 0;
	for (size_t i = 0; i < nfixtures; i++) {
		struct parsed *r = parse(fixtures[i]);
		if (r->rc == 0) {
			accepted++;
			json_t *j = procedure_to_json(&r->p);
			struct procedure_rec back;
			char err[256];
			int rc = procedure_from_json(j, r->a, &back, err, sizeof(err));
			if (rc)
				print_error("%s: %s\n", r->p.code, err);
			assert_int_equal(rc, 0);
			assert_true(procedure_equal(&r->p, &back));
			json_decref(j);
		}
		done(r);
	}
	assert_int_equal(accepted, 13);
}

/* A document the page never shows is reported. */
static void test_raw_text_check(void **state)
{
	(void)state;
	json_t *rec = json_deep_copy(fixture("1.000178"));
	const char *docs = json_string_value(json_object_get(rec, "thanh_phan_ho_so"));
	char *changed = NULL;
	assert_true(asprintf(&changed, "%sGiấy tờ không có trên trang1 bản chính", docs) > 0);
	json_object_set_new(rec, "thanh_phan_ho_so", json_string(changed));
	free(changed);
	struct parsed *r = parse(rec);
	assert_int_equal(r->rc, 0);
	assert_int_equal(r->p.ndocuments, 9);
	assert_true(reported(r, "documents: document name not found in raw_text: 'Giấy tờ không có "
				"trên trang'"));
	done(r);
	json_decref(rec);
}

static json_t *decomposed(const json_t *rec)
{
	json_t *copy = json_deep_copy(rec);
	const char *key;
	json_t *v;
	json_object_foreach(copy, key, v)
	{
		utf8proc_uint8_t *nfd = NULL;
		utf8proc_ssize_t n =
			utf8proc_map((const utf8proc_uint8_t *)json_string_value(v), 0, &nfd,
				     UTF8PROC_NULLTERM | UTF8PROC_STABLE | UTF8PROC_DECOMPOSE);
		assert_true(n >= 0);
		json_string_setn(v, (const char *)nfd, (size_t)n);
		free(nfd);
	}
	return copy;
}

static void test_nfd_input(void **state)
{
	(void)state;
	const json_t *rec = fixture("2.001212");
	json_t *nfd = decomposed(rec);
	assert_string_not_equal(json_string_value(json_object_get(nfd, "ten_thu_tuc")),
				json_string_value(json_object_get(rec, "ten_thu_tuc")));
	struct parsed *a = parse(rec);
	struct parsed *b = parse(nfd);
	assert_int_equal(b->rc, 0);
	assert_true(procedure_equal(&a->p, &b->p));
	assert_int_equal(dvcqg_report_total(&b->rep), 0);
	done(a);
	done(b);
	json_decref(nfd);
}

/* A made-up record whose page text holds everything its fields say. */
static json_t *made_up(const char *level, const char *methods, const char *docs)
{
	char *raw = NULL;
	assert_true(asprintf(&raw, "Tên thủ tụcCấp thửMã thủ tục1.999999Số quyết định1/QĐ%s%s",
			     methods, docs) > 0);
	json_t *rec =
		json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s}", "ma_thu_tuc", "1.999999",
			  "ten_thu_tuc", "Cấp thử", "cap_thuc_hien", level, "linh_vuc", "Thử",
			  "cach_thuc_thuc_hien", methods, "thanh_phan_ho_so", docs, "raw_text", raw,
			  "detail_url", "https://dichvucong.gov.vn/x");
	free(raw);
	return rec;
}

static void test_made_up_shapes(void **state)
{
	(void)state;
	json_t *rec =
		made_up("Cấp huyện, Cấp xã",
			"Hình thức nộpThời gianPhí, lệ phíMô tả"
			"Trực tiếp0,5 Ngày làm việcMiễn phí"
			"Trực tuyến05 NgàyKhông có thông tin"
			"Dịch vụ bưu chính1 Năm50.000 ĐồngGửi qua bưu điện",
			"--Tên giấy tờMẫu đơn, tờ khaiSố lượng"
			"Tờ khai theo Mẫu số 01/2026/TT-BTP;Mẫu 01.docx0 bản chính,2 bản sao");
	struct parsed *r = parse(rec);
	assert_int_equal(r->rc, 0);
	assert_int_equal(r->p.levels, PROCEDURE_LEVEL_DISTRICT | PROCEDURE_LEVEL_COMMUNE);
	assert_int_equal(r->p.nmethods, 3);
	method_is(&r->p.methods[0], PROCEDURE_CHANNEL_DIRECT, "0.5", PROCEDURE_TIME_WORKING_DAYS,
		  "Miễn phí", 0);
	method_is(&r->p.methods[1], PROCEDURE_CHANNEL_ONLINE, "5", PROCEDURE_TIME_DAYS, "", -1);
	method_is(&r->p.methods[2], PROCEDURE_CHANNEL_POST, "1", PROCEDURE_TIME_YEARS,
		  "50.000 Đồng", 50000);
	assert_string_equal(r->p.methods[2].description, "Gửi qua bưu điện");
	assert_int_equal(r->p.ndocuments, 1);
	assert_string_equal(r->p.documents[0].name, "Tờ khai theo Mẫu số 01/2026/TT-BTP;");
	assert_string_equal(r->p.documents[0].templates[0], "Mẫu 01.docx");
	assert_int_equal(r->p.documents[0].originals, 0);
	assert_int_equal(r->p.documents[0].copies, 2);
	assert_int_equal(r->rep.counts[DVCQG_METHODS], 0);
	done(r);
	json_decref(rec);
}

static void test_unusable_records(void **state)
{
	(void)state;
	json_t *arr = json_array();
	struct parsed *r = parse(arr);
	assert_int_equal(r->rc, -1);
	assert_true(r->rep.rejected);
	done(r);
	json_decref(arr);

	json_t *rec = made_up("Cấp tỉnh", "", "");
	json_object_set_new(rec, "ma_thu_tuc", json_string("1.23"));
	r = parse(rec);
	assert_int_equal(r->rc, -1);
	assert_true(reported(r, "code '1.23' is not a national procedure code"));
	done(r);

	json_object_set_new(rec, "ma_thu_tuc", json_string("1.999999"));
	json_object_set_new(rec, "cap_thuc_hien", json_string("Cấp thôn"));
	r = parse(rec);
	assert_int_equal(r->rc, -1);
	assert_true(reported(r, "levels: unknown level 'Cấp thôn'"));
	done(r);

	/* Missing sections are problems, not failures. */
	json_object_set_new(rec, "cap_thuc_hien", json_string("Cấp tỉnh"));
	r = parse(rec);
	assert_int_equal(r->rc, 0);
	assert_true(reported(r, "methods: none given"));
	assert_true(reported(r, "documents: none listed"));
	assert_true(reported(r, "steps: none given"));
	done(r);
	json_decref(rec);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_methods_units_and_fees),
		cmocka_unit_test(test_methods_time_glued_to_fee),
		cmocka_unit_test(test_methods_time_in_words),
		cmocka_unit_test(test_fee_amounts),
		cmocka_unit_test(test_documents_cases_and_templates),
		cmocka_unit_test(test_legal_numbers),
		cmocka_unit_test(test_levels),
		cmocka_unit_test(test_results),
		cmocka_unit_test(test_names),
		cmocka_unit_test(test_service_level),
		cmocka_unit_test(test_crawl_mismatch_rejected),
		cmocka_unit_test(test_output_is_valid),
		cmocka_unit_test(test_raw_text_check),
		cmocka_unit_test(test_nfd_input),
		cmocka_unit_test(test_made_up_shapes),
		cmocka_unit_test(test_unusable_records),
	};
	return cmocka_run_group_tests(tests, load_fixtures, free_fixtures);
}
