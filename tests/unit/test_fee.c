/*
 * test_fee.c - fee texts into đồng (domain/fee.h): a table of strings as
 * the national portal and agencies publish them, each with the amount or
 * "ambiguous"; and every method of the shipped catalogue whose fee both
 * the import and this reader settle gets the same amount from both.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <jansson.h>
#include <stdio.h>
#include <string.h>

#include "core/assets.h"
#include "domain/fee.h"

static void test_table(void **state)
{
	(void)state;
	static const struct {
		const char *text;
		int64_t want;
	} cases[] = {
		/* free */
		{"Miễn phí", 0},
		{"miễn phí.", 0},
		{"MIỄN PHÍ", 0},
		{"Không", 0},
		{"Không thu phí", 0},
		{"0 đồng", 0},
		/* one amount in đồng, as the catalogue writes it */
		{"50.000 đồng", 50000},
		{"100.000đ/hồ sơ", 100000},
		{"4,300,000 Đồng", 4300000},
		{"500,000 Việt Nam Đồng", 500000},
		{"100,000 VNĐ", 100000},
		{"1.025.000 VND", 1025000},
		{"Lệ phí: 50.000 đồng/lần", 50000},
		{"50.000 đồng/bản; nộp 02 bản", 50000},
		{"1.500.000 đ", 1500000},
		{"50.000 đồng (năm mươi nghìn đồng)", 50000},
		/* ambiguous: the officer enters the amount */
		{"", -1},
		{"Theo quy định", -1},
		{"20 VNĐ", -1},
		{"500 VNĐ", -1},
		{"10 USD", -1},
		{"0,1% giá trị hợp đồng", -1},
		{"Từ 50.000 đến 100.000 đồng", -1},
		{"50.000 đồng/lần; cấp lại 25.000 đồng/lần", -1},
		{"1,5 triệu đồng", -1},
		{"1.50 đồng", -1},
		{"1.500,000 đồng", -1},
		{"Phí thẩm định 2.000.000", -1},
		{NULL, -1},
	};
	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
		int64_t got = fee_text_amount(cases[i].text);
		if (got != cases[i].want)
			fail_msg("\"%s\": %lld, wanted %lld",
				 cases[i].text ? cases[i].text : "NULL", (long long)got,
				 (long long)cases[i].want);
	}
}

static void test_channel(void **state)
{
	(void)state;
	struct procedure_method m[2] = {
		{.channel = PROCEDURE_CHANNEL_DIRECT,
		 .fee = "50.000 đồng",
		 .fee_note = "",
		 .fee_amount = -1},
		{.channel = PROCEDURE_CHANNEL_ONLINE,
		 .fee = "Miễn phí",
		 .fee_note = "Lệ phí 25.000 đồng khi nhận bản giấy",
		 .fee_amount = -1},
	};
	struct procedure_rec p = {.methods = m, .nmethods = 2};
	assert_int_equal(fee_for_channel(&p, 1), 50000);
	assert_int_equal(fee_for_channel(&p, 2), -1); /* the note qualifies "free" */
	assert_int_equal(fee_for_channel(&p, 3), -1); /* no postal method */
	m[1].fee_amount = 25000;
	assert_int_equal(fee_for_channel(&p, 2), 25000);
}

/* Every method of the shipped catalogue: where both readers settle the
 * amount, they agree; and count how many this reader leaves to officers. */
static void test_catalogue(void **state)
{
	(void)state;
	const struct asset *as = asset_find("data/catalogue/procedures.jsonl");
	assert_non_null(as);
	const char *p = as->data, *end = as->data + as->len;
	int methods = 0, both = 0, free_ = 0;
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		size_t len = nl ? (size_t)(nl - p) : (size_t)(end - p);
		json_t *j = json_loadb(p, len, 0, NULL);
		p += len + 1;
		if (!j)
			continue;
		size_t i;
		json_t *m;
		json_array_foreach(json_object_get(j, "methods"), i, m)
		{
			const char *fee = json_string_value(json_object_get(m, "fee"));
			int64_t imported = json_integer_value(json_object_get(m, "fee_amount"));
			int64_t mine = fee_text_amount(fee);
			methods++;
			if (mine >= 0 && imported >= 0) {
				both++;
				if (mine != imported)
					fail_msg("\"%s\": %lld here, %lld by the import", fee,
						 (long long)mine, (long long)imported);
			}
			free_ += mine == 0;
		}
		json_decref(j);
	}
	print_message("# %d methods, %d settled by both readers, %d free\n", methods, both, free_);
	assert_true(methods > 1000);
	assert_true(both > methods / 2);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_table),
		cmocka_unit_test(test_channel),
		cmocka_unit_test(test_catalogue),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
