/*
 * test_search.c - the catalogue search (domain/search.h) over a small real
 * catalogue: every way a citizen types "đăng ký khai sinh" (marks or not,
 * any case, Telex, VNI, typos, half words, the code) finds it first; facet
 * counts, filters and pagination add up; blank, garbage, function-word and
 * 10 KB queries behave; the diacritics bonus tells "dạng" from "đăng"; and
 * many threads can query one index at once.
 *
 * Names and codes are real (national procedure database, 2026) except those
 * in the 9.9xxxxx range, which are test data. Agency codes, levels, service
 * levels and document names are test data too.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/arena.h"
#include "domain/fold.h"
#include "domain/search.h"

#define HT "Hộ tịch"
#define UB "Ủy ban nhân dân cấp xã"

static const struct search_doc catalogue[] = {
	{"1.001193", "Thủ tục đăng ký khai sinh", HT, UB,
	 "Tờ khai đăng ký khai sinh; Giấy chứng sinh", "ho-tich", "commune", "UBXA", "toan-trinh"},
	{"1.004884", "Thủ tục đăng ký lại khai sinh", HT, UB, "Tờ khai đăng ký lại khai sinh",
	 "ho-tich", "commune", "UBXA", "mot-phan"},
	{"1.003583", "Thủ tục đăng ký khai sinh lưu động", HT, UB, NULL, "ho-tich", "commune",
	 "UBXA", "mot-phan"},
	{"1.000689", "Thủ tục đăng ký khai sinh kết hợp đăng ký nhận cha, mẹ, con", HT, UB, NULL,
	 "ho-tich", "commune", "UBXA", "mot-phan"},
	{"1.004772", "Thủ tục đăng ký khai sinh cho người đã có hồ sơ, giấy tờ cá nhân", HT, UB,
	 NULL, "ho-tich", "commune", "UBXA", "mot-phan"},
	{"2.000986",
	 "Liên thông thủ tục hành chính về đăng ký khai sinh, đăng ký thường trú, cấp thẻ bảo hiểm "
	 "y tế cho trẻ em dưới 6 tuổi",
	 HT, UB "; Công an cấp xã; Bảo hiểm xã hội", NULL, "ho-tich", "commune", "UBXA CAXA BHXH",
	 "toan-trinh"},
	{"1.000894", "Thủ tục đăng ký kết hôn", HT, UB, "Tờ khai đăng ký kết hôn", "ho-tich",
	 "commune", "UBXA", "toan-trinh"},
	{"1.000593", "Thủ tục đăng ký kết hôn lưu động", HT, UB, NULL, "ho-tich", "commune", "UBXA",
	 "mot-phan"},
	{"1.004746", "Thủ tục đăng ký lại kết hôn", HT, UB, NULL, "ho-tich", "commune", "UBXA",
	 "mot-phan"},
	{"1.000656", "Thủ tục đăng ký khai tử", HT, UB, "Tờ khai đăng ký khai tử", "ho-tich",
	 "commune", "UBXA", "toan-trinh"},
	{"1.005461", "Đăng ký lại khai tử", HT, UB, NULL, "ho-tich", "commune", "UBXA", "mot-phan"},
	{"1.004222", "Đăng ký thường trú", "Đăng ký, quản lý cư trú", "Công an cấp xã",
	 "Tờ khai thay đổi thông tin cư trú", "dang-ky-quan-ly-cu-tru", "commune", "CAXA",
	 "toan-trinh"},
	{"1.003197", "Xóa đăng ký thường trú", "Đăng ký, quản lý cư trú", "Công an cấp xã", NULL,
	 "dang-ky-quan-ly-cu-tru", "commune", "CAXA", "toan-trinh"},
	{"1.012783",
	 "Cấp đổi Giấy chứng nhận quyền sử dụng đất, quyền sở hữu tài sản gắn liền với đất",
	 "Đất đai", "Văn phòng đăng ký đất đai", "Đơn đăng ký biến động đất đai", "dat-dai",
	 "province", "VPDKDD", "mot-phan"},
	{"1.012753",
	 "Đăng ký đất đai, tài sản gắn liền với đất, cấp Giấy chứng nhận quyền sử dụng đất, quyền "
	 "sở hữu tài sản gắn liền với đất lần đầu đối với tổ chức đang sử dụng đất",
	 "Đất đai", "Văn phòng đăng ký đất đai", NULL, "dat-dai", "province", "VPDKDD", "mot-phan"},
	{"3.000333",
	 "Cấp Phiếu Lý lịch tư pháp cho công dân Việt Nam, người nước ngoài đang cư trú tại Việt "
	 "Nam, người Việt Nam đang cư trú ở nước ngoài",
	 "Lý lịch tư pháp", "Sở Tư pháp", "Tờ khai yêu cầu cấp Phiếu lý lịch tư pháp",
	 "ly-lich-tu-phap", "province", "STP", "toan-trinh"},
	{"3.000348", "Cấp lại giấy phép lái xe", "Sát hạch, cấp giấy phép lái xe", "Sở Xây dựng",
	 NULL, "sat-hach-cap-giay-phep-lai-xe", "province", "SXD", "toan-trinh"},
	{"9.900001", "Cấp đổi giấy phép lái xe", "Sát hạch, cấp giấy phép lái xe", "Sở Xây dựng",
	 "Đơn đề nghị đổi giấy phép lái xe", "sat-hach-cap-giay-phep-lai-xe", "province", "SXD",
	 "toan-trinh"},
	{"1.001456", "Cấp hộ chiếu phổ thông ở trong nước (thực hiện tại cấp tỉnh)",
	 "Quản lý xuất nhập cảnh", "Công an tỉnh", "Tờ khai đề nghị cấp hộ chiếu",
	 "quan-ly-xuat-nhap-canh", "province", "CATINH", "toan-trinh"},
	{"1.001445", "Trình báo mất hộ chiếu phổ thông (thực hiện tại cấp tỉnh)",
	 "Quản lý xuất nhập cảnh", "Công an tỉnh", NULL, "quan-ly-xuat-nhap-canh", "province",
	 "CATINH", "toan-trinh"},
	{"1.014063", "Cấp đổi thẻ căn cước", "Cấp, quản lý căn cước", "Công an cấp xã", NULL,
	 "cap-quan-ly-can-cuoc", "commune", "CAXA", "mot-phan"},
	{"2.001610", "Đăng ký thành lập doanh nghiệp tư nhân",
	 "Thành lập và hoạt động của doanh nghiệp", "Sở Tài chính",
	 "Giấy đề nghị đăng ký doanh nghiệp", "thanh-lap-va-hoat-dong-cua-doanh-nghiep", "province",
	 "STC", "toan-trinh"},
	{"1.007037", "Hoàn thuế giá trị gia tăng của doanh nghiệp, tổ chức", "Thuế", "Cục Thuế",
	 NULL, "thue", "province", "THUE", "toan-trinh"},
	{"1.013859", "Cấp thẻ công chứng viên", "Công chứng", "Sở Tư pháp", NULL, "cong-chung",
	 "province", "STP", "mot-phan"},
	{"1.005134", "Cấp giấy phép xây dựng công trình thiết yếu, dùng chung với đường sắt",
	 "Đường sắt", "Sở Xây dựng", NULL, "duong-sat", "province", "SXD", "mot-phan"},
	{"1.008321", "Khai quyết toán phí bảo vệ môi trường đối với khai thác khoáng sản", "Thuế",
	 "Cục Thuế", NULL, "thue", "province", "THUE", ""},
	{"9.900002", "Cấp giấy phép khai thác khoáng sản", "Địa chất và khoáng sản",
	 "Sở Nông nghiệp và Môi trường", NULL, "dia-chat-va-khoang-san", "province", "SNNMT", ""},
};
#define NDOCS (sizeof(catalogue) / sizeof(catalogue[0]))

static search_index *ix;

static int setup(void **state)
{
	(void)state;
	ix = search_build(catalogue, NDOCS);
	return ix ? 0 : -1;
}

static int teardown(void **state)
{
	(void)state;
	search_free(ix);
	ix = NULL;
	return 0;
}

static struct search_result run_query(arena *a, const char *text, bool prefix_last)
{
	struct search_query q = {.text = text, .limit = 10, .prefix_last = prefix_last};
	struct search_result r;
	assert_int_equal(search_run(ix, &q, a, &r), MC_OK);
	return r;
}

static const char *first_code(arena *a, const char *text, bool prefix_last)
{
	struct search_result r = run_query(a, text, prefix_last);
	if (r.nhits == 0)
		return "(none)";
	/* Scores never increase down the list. */
	for (size_t i = 1; i < r.nhits; i++)
		assert_true(r.hits[i - 1].score >= r.hits[i].score);
	return search_code(ix, r.hits[0].doc);
}

static void expect_first(const char *code, const char *text)
{
	arena *a = arena_new(0);
	const char *got = first_code(a, text, false);
	if (strcmp(got, code) != 0)
		fail_msg("query \"%s\": first hit %s, expected %s", text, got, code);
	got = first_code(a, text, true);
	if (strcmp(got, code) != 0)
		fail_msg("query \"%s\" (prefix_last): first hit %s, expected %s", text, got, code);
	arena_free(a);
}

static void test_khai_sinh_every_way(void **state)
{
	(void)state;
	static const char *const typed[] = {
		"đăng ký khai sinh",
		"Đăng ký khai sinh",
		"dang ky khai sinh",
		"DANG KY KHAI SINH",
		"ĐĂNG KÝ KHAI SINH",
		"ddawng kys khai sinh",
		"dang5 ky1 khai sinh",
		"d9ang8 ky1 khai sinh",
		"khai sinh",
		"khai sin",
		"khia sinh",
		"dang ky khia sinh",
		"dang ky khai sinhh",
		"thủ tục đăng ký khai sinh",
		"  đăng ký, khai-sinh! ",
		"1.001193",
		"001193",
		" 1.001193 ",
		NULL,
	};
	for (size_t i = 0; typed[i]; i++)
		expect_first("1.001193", typed[i]);

	/* Typed in NFD, as some phones and macOS send it. */
	arena *a = arena_new(0);
	static const char decomposed[] = "Đa\xcc\x86ng ky\xcc\x81 khai sinh";
	assert_string_equal(first_code(a, decomposed, false), "1.001193");
	arena_free(a);
}

static void test_other_procedures_first(void **state)
{
	(void)state;
	expect_first("1.000894", "ket hon");
	expect_first("1.000894", "KẾT HÔN");
	expect_first("1.000894", "đăng ký kết hôn");
	expect_first("1.000894", "ddawng kys keets hoon");
	expect_first("1.000656", "khai tử");
	expect_first("1.000656", "dang ky khai tu");
	expect_first("1.004222", "đăng ký thường trú");
	expect_first("1.004222", "thuong tru");
	expect_first("1.004222", "thuogn tru");
	expect_first("1.004222", "thuowngf truws");
	expect_first("9.900001", "cấp đổi giấy phép lái xe");
	expect_first("9.900001", "doi giay phep lai xe");
	expect_first("3.000348", "cap lai giay phep lai xe");
	expect_first("3.000333", "lý lịch tư pháp");
	expect_first("3.000333", "phieu ly lich tu phap");
	expect_first("1.001456", "cấp hộ chiếu");
	expect_first("1.012783", "cap doi giay chung nhan quyen su dung dat");
	expect_first("1.014063", "can cuoc");
	expect_first("2.000986", "2.000986");
	expect_first("2.001610", "thanh lap doanh nghiep");
	expect_first("1.013859", "cong chung vien");
}

static void test_codes(void **state)
{
	(void)state;
	arena *a = arena_new(0);
	struct search_result r = run_query(a, "1.001193", false);
	assert_int_equal(r.total, 1);
	r = run_query(a, "000986", false);
	assert_int_equal(r.total, 1);
	assert_string_equal(search_code(ix, r.hits[0].doc), "2.000986");
	/* A code prefix lists every code that starts with it, in code order. */
	r = run_query(a, "1.0047", false);
	assert_int_equal(r.total, 2);
	assert_string_equal(search_code(ix, r.hits[0].doc), "1.004746");
	assert_string_equal(search_code(ix, r.hits[1].doc), "1.004772");
	r = run_query(a, "7.777777", false);
	assert_int_equal(r.total, 0);
	assert_null(search_code(ix, NDOCS));
	arena_free(a);
}

static void test_autocomplete(void **state)
{
	(void)state;
	arena *a = arena_new(0);
	assert_string_equal(first_code(a, "dang ky ket h", true), "1.000894");
	assert_string_equal(first_code(a, "đăng ký khai s", true), "1.001193");
	assert_string_equal(first_code(a, "ly lich t", true), "3.000333");
	/* Without prefix_last a one-letter word must match exactly: "h" does
	 * not, so only the other words match. */
	struct search_result r = run_query(a, "dang ky ket h", false);
	assert_true(r.partial);
	/* A trailing space ends the word: no prefix. */
	r = run_query(a, "ly lich t", true);
	assert_false(r.partial);
	r = run_query(a, "ly lich t ", true);
	assert_true(r.partial);
	arena_free(a);
}

static void test_facets(void **state)
{
	(void)state;
	arena *a = arena_new(0);
	struct search_query q = {.text = "khai sinh", .limit = 10};
	struct search_result r;
	assert_int_equal(search_run(ix, &q, a, &r), MC_OK);
	assert_int_equal(r.total, 6);
	assert_false(r.partial);
	assert_int_equal(r.field_code.n, 1);
	assert_string_equal(r.field_code.items[0].value, "ho-tich");
	assert_int_equal(r.field_code.items[0].count, 6);
	assert_int_equal(r.level.n, 1);
	assert_int_equal(r.level.items[0].count, 6);
	/* Most frequent first. */
	assert_int_equal(r.service_level.n, 2);
	assert_string_equal(r.service_level.items[0].value, "mot-phan");
	assert_int_equal(r.service_level.items[0].count, 4);
	assert_string_equal(r.service_level.items[1].value, "toan-trinh");
	assert_int_equal(r.service_level.items[1].count, 2);
	assert_int_equal(r.agency_code.n, 3);
	assert_string_equal(r.agency_code.items[0].value, "UBXA");
	assert_int_equal(r.agency_code.items[0].count, 6);
	assert_string_equal(r.agency_code.items[1].value, "BHXH");
	assert_int_equal(r.agency_code.items[1].count, 1);
	assert_string_equal(r.agency_code.items[2].value, "CAXA");

	/* A filter narrows the hits and the other dimensions, not its own. */
	q.service_level = "toan-trinh";
	assert_int_equal(search_run(ix, &q, a, &r), MC_OK);
	assert_int_equal(r.total, 2);
	assert_int_equal(r.nhits, 2);
	assert_string_equal(search_code(ix, r.hits[0].doc), "1.001193");
	assert_int_equal(r.service_level.n, 2);
	assert_int_equal(r.service_level.items[0].count, 4);
	assert_int_equal(r.field_code.items[0].count, 2);
	assert_int_equal(r.agency_code.items[0].count, 2);

	q.service_level = NULL;
	q.agency_code = "CAXA";
	assert_int_equal(search_run(ix, &q, a, &r), MC_OK);
	assert_int_equal(r.total, 1);
	assert_string_equal(search_code(ix, r.hits[0].doc), "2.000986");
	assert_int_equal(r.agency_code.n, 3);
	assert_int_equal(r.service_level.n, 1);
	assert_string_equal(r.service_level.items[0].value, "toan-trinh");

	/* An unknown value lets nothing through. */
	q.agency_code = NULL;
	q.field_code = "khong-co";
	assert_int_equal(search_run(ix, &q, a, &r), MC_OK);
	assert_int_equal(r.total, 0);
	assert_int_equal(r.nhits, 0);
	assert_int_equal(r.field_code.n, 1); /* its own filter does not apply */
	assert_int_equal(r.level.n, 0);

	/* "" is no filter. */
	q.field_code = "";
	assert_int_equal(search_run(ix, &q, a, &r), MC_OK);
	assert_int_equal(r.total, 6);

	/* Documents without a service level are not counted in it. */
	q = (struct search_query){.text = "khoang san", .limit = 10};
	assert_int_equal(search_run(ix, &q, a, &r), MC_OK);
	assert_int_equal(r.total, 2);
	assert_int_equal(r.service_level.n, 0);
	arena_free(a);
}

static void test_pagination(void **state)
{
	(void)state;
	arena *a = arena_new(0);
	struct search_query q = {.text = "dang ky", .limit = 100};
	struct search_result all;
	assert_int_equal(search_run(ix, &q, a, &all), MC_OK);
	assert_true(all.total > 10);
	assert_int_equal(all.nhits, all.total);
	size_t seen = 0;
	for (size_t off = 0; off < all.total + 3; off += 3) {
		struct search_result page;
		q.offset = off;
		q.limit = 3;
		assert_int_equal(search_run(ix, &q, a, &page), MC_OK);
		assert_int_equal(page.total, all.total);
		for (size_t i = 0; i < page.nhits; i++)
			assert_int_equal(page.hits[i].doc, all.hits[off + i].doc);
		seen += page.nhits;
	}
	assert_int_equal(seen, all.total);

	/* Past the end, and a zero limit: no hits, same totals. */
	q.offset = 1000000;
	struct search_result r;
	assert_int_equal(search_run(ix, &q, a, &r), MC_OK);
	assert_int_equal(r.nhits, 0);
	assert_int_equal(r.total, all.total);
	q.offset = SIZE_MAX;
	q.limit = SIZE_MAX;
	assert_int_equal(search_run(ix, &q, a, &r), MC_OK);
	assert_int_equal(r.nhits, 0);
	q.offset = 0;
	q.limit = 0;
	assert_int_equal(search_run(ix, &q, a, &r), MC_OK);
	assert_int_equal(r.nhits, 0);
	assert_int_equal(r.total, all.total);
	assert_int_equal(r.field_code.n, all.field_code.n);
	arena_free(a);
}

static void test_blank_browses_by_name(void **state)
{
	(void)state;
	arena *a = arena_new(0);
	static const char *const blanks[] = {NULL, "", "   ", "\t\n"};
	for (size_t b = 0; b < 4; b++) {
		struct search_query q = {.text = blanks[b], .limit = 100};
		struct search_result r;
		assert_int_equal(search_run(ix, &q, a, &r), MC_OK);
		assert_true(r.browse);
		assert_int_equal(r.total, NDOCS);
		assert_int_equal(r.nhits, NDOCS);
		for (size_t i = 1; i < r.nhits; i++) {
			const char *x = catalogue[r.hits[i - 1].doc].name;
			const char *y = catalogue[r.hits[i].doc].name;
			assert_true(strcmp(fold(a, x, strlen(x)), fold(a, y, strlen(y))) <= 0);
		}
	}
	struct search_query q = {.text = "", .field_code = "ho-tich", .limit = 5};
	struct search_result r;
	assert_int_equal(search_run(ix, &q, a, &r), MC_OK);
	assert_int_equal(r.total, 11);
	assert_int_equal(r.nhits, 5);
	assert_int_equal(r.field_code.n, 12); /* every field: its own filter is off */
	arena_free(a);
}

static void test_nothing_to_match(void **state)
{
	(void)state;
	arena *a = arena_new(0);
	static const char *const junk[] = {"!!! ??? ...",
					   "xyzqw qqqq",
					   "và của các",
					   "va cac voi",
					   "\xff\xfe\xfd",
					   "\xcc\x81",
					   "zzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzz",
					   "ky tu la xyzqw wqzyx",
					   NULL};
	for (size_t i = 0; junk[i]; i++) {
		struct search_result r = run_query(a, junk[i], true);
		if (r.total != 0)
			fail_msg("query \"%s\" matched %zu", junk[i], r.total);
		assert_int_equal(r.nhits, 0);
		assert_false(r.browse);
	}
	arena_free(a);
}

static void test_partial_fallback(void **state)
{
	(void)state;
	arena *a = arena_new(0);
	struct search_result r = run_query(a, "dang ky khai sinh xyzqwv", false);
	assert_true(r.partial);
	assert_true(r.nhits > 0);
	assert_string_equal(search_code(ix, r.hits[0].doc), "1.001193");
	r = run_query(a, "dang ky khai sinh", false);
	assert_false(r.partial);
	/* Function words are optional: "cho" is not in the name. */
	assert_string_equal(first_code(a, "đăng ký kết hôn cho công dân", false), "1.000894");
	arena_free(a);
}

static void test_long_query(void **state)
{
	(void)state;
	arena *a = arena_new(0);
	size_t len = 10 * 1024;
	char *q = arena_alloc(a, len + 1);
	static const char phrase[] = "dang ky khai sinh ";
	for (size_t i = 0; i < len; i++)
		q[i] = phrase[i % (sizeof(phrase) - 1)];
	q[len] = '\0';
	assert_string_equal(first_code(a, q, true), "1.001193");
	memset(q, 'a', len);
	struct search_result r = run_query(a, q, true);
	assert_int_equal(r.total, 0);
	for (size_t i = 0; i < len; i++)
		q[i] = (char)(0x80 | (i * 7 % 64));
	r = run_query(a, q, true);
	assert_int_equal(r.total, 0);
	arena_free(a);
}

static void test_diacritics_bonus(void **state)
{
	(void)state;
	/* Two names that fold alike and differ only in marks. */
	static const struct search_doc docs[] = {
		{"T.1", "Thay đổi dạng tài liệu", NULL, NULL, NULL, NULL, NULL, NULL, NULL},
		{"T.2", "Thay đổi đăng tài liệu", NULL, NULL, NULL, NULL, NULL, NULL, NULL},
	};
	search_index *small = search_build(docs, 2);
	assert_non_null(small);
	arena *a = arena_new(0);
	static const struct {
		const char *text, *first;
	} cases[] = {{"dạng", "T.1"},	       {"đăng", "T.2"},		 {"dang5", "T.1"},
		     {"ddawng", "T.2"},	       {"d9ang8", "T.2"},	 {"dangj", "T.1"},
		     {"thay đổi đăng", "T.2"}, {"thay doi dang", "T.1"}, {"dang", "T.1"}};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct search_query q = {.text = cases[i].text, .limit = 2};
		struct search_result r;
		assert_int_equal(search_run(small, &q, a, &r), MC_OK);
		assert_int_equal(r.total, 2);
		const char *got = search_code(small, r.hits[0].doc);
		if (strcmp(got, cases[i].first) != 0)
			fail_msg("query \"%s\": first %s, expected %s", cases[i].text, got,
				 cases[i].first);
	}
	/* Without marks neither name is preferred: the tie goes to the code. */
	struct search_query q = {.text = "dang", .limit = 2};
	struct search_result r;
	assert_int_equal(search_run(small, &q, a, &r), MC_OK);
	assert_true(r.hits[0].score == r.hits[1].score);
	arena_free(a);
	search_free(small);
}

static void test_edge_indexes(void **state)
{
	(void)state;
	arena *a = arena_new(0);
	search_index *empty = search_build(NULL, 0);
	assert_non_null(empty);
	assert_int_equal(search_count(empty), 0);
	struct search_query q = {.text = "dang ky", .limit = 10, .prefix_last = true};
	struct search_result r;
	assert_int_equal(search_run(empty, &q, a, &r), MC_OK);
	assert_int_equal(r.total, 0);
	q.text = NULL;
	assert_int_equal(search_run(empty, &q, a, &r), MC_OK);
	assert_int_equal(r.total, 0);
	q.text = "1.001193";
	assert_int_equal(search_run(empty, &q, a, &r), MC_OK);
	assert_int_equal(r.total, 0);
	search_free(empty);
	search_free(NULL);

	/* Documents with nothing in them. */
	static const struct search_doc blank[3] = {{NULL}, {"", "", "", "", "", "", "", "", ""}};
	search_index *b = search_build(blank, 3);
	assert_non_null(b);
	q.text = "";
	assert_int_equal(search_run(b, &q, a, &r), MC_OK);
	assert_int_equal(r.total, 3);
	assert_int_equal(r.field_code.n, 0);
	q.text = "khai sinh";
	assert_int_equal(search_run(b, &q, a, &r), MC_OK);
	assert_int_equal(r.total, 0);
	search_free(b);

	assert_null(search_build(NULL, 3));
	assert_int_equal(search_run(NULL, &q, a, &r), MC_INVALID);
	assert_int_equal(search_run(ix, NULL, a, &r), MC_INVALID);
	assert_int_equal(search_run(ix, &q, NULL, &r), MC_INVALID);
	assert_int_equal(search_run(ix, &q, a, NULL), MC_INVALID);
	assert_int_equal(search_count(ix), NDOCS);
	assert_true(search_memory(ix) > 0);
	arena_free(a);
}

/* ---- many threads, one index ---- */

static const char *const thread_queries[] = {"dang ky khai sinh",
					     "ket hon",
					     "ddawng kys",
					     "khia sinh",
					     "1.001193",
					     "giay phep lai x",
					     "thuong tru",
					     "",
					     "zzz",
					     "dang5 ky1 khai sinh",
					     "chung nhan quyen su dung dat",
					     NULL};

struct answer {
	size_t total;
	uint32_t first[5];
	size_t nhits;
};

static struct answer answer_of(const char *text, arena *a)
{
	struct search_query q = {.text = text, .limit = 5, .prefix_last = true};
	struct search_result r;
	struct answer ans = {0};
	if (search_run(ix, &q, a, &r) != MC_OK)
		return ans;
	ans.total = r.total;
	ans.nhits = r.nhits;
	for (size_t i = 0; i < r.nhits; i++)
		ans.first[i] = r.hits[i].doc;
	return ans;
}

static struct answer expected[16];

static void *worker(void *arg)
{
	(void)arg;
	long bad = 0;
	for (int round = 0; round < 50; round++) {
		for (size_t i = 0; thread_queries[i]; i++) {
			arena *a = arena_new(0);
			struct answer got = answer_of(thread_queries[i], a);
			if (memcmp(&got, &expected[i], sizeof(got)) != 0)
				bad++;
			arena_free(a);
		}
	}
	return (void *)bad;
}

static void test_threads(void **state)
{
	(void)state;
	arena *a = arena_new(0);
	for (size_t i = 0; thread_queries[i]; i++) {
		memset(&expected[i], 0, sizeof(expected[i]));
		expected[i] = answer_of(thread_queries[i], a);
	}
	arena_free(a);
	pthread_t t[4];
	for (int i = 0; i < 4; i++)
		assert_int_equal(pthread_create(&t[i], NULL, worker, NULL), 0);
	for (int i = 0; i < 4; i++) {
		void *bad;
		assert_int_equal(pthread_join(t[i], &bad), 0);
		assert_null(bad);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_khai_sinh_every_way),
		cmocka_unit_test(test_other_procedures_first),
		cmocka_unit_test(test_codes),
		cmocka_unit_test(test_autocomplete),
		cmocka_unit_test(test_facets),
		cmocka_unit_test(test_pagination),
		cmocka_unit_test(test_blank_browses_by_name),
		cmocka_unit_test(test_nothing_to_match),
		cmocka_unit_test(test_partial_fallback),
		cmocka_unit_test(test_long_query),
		cmocka_unit_test(test_diacritics_bonus),
		cmocka_unit_test(test_edge_indexes),
		cmocka_unit_test(test_threads),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
