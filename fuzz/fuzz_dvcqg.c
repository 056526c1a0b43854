/*
 * fuzz_dvcqg.c - libFuzzer target for the national portal parser
 * (domain/dvcqg.c) and the reader of our own procedure format
 * (domain/procedure.c).
 *
 * An input whose first byte is '{' or '[' is JSON text: it goes through
 * json_loads, then dvcqg_parse and procedure_from_json. Any other input is
 * split at its first byte: that byte picks one section of a valid-looking
 * national record (methods, documents, legal basis, ...) and the rest becomes
 * that section's text, and is appended to raw_text too, so the fuzzer spends
 * its time inside the section parsers instead of on JSON syntax.
 *
 * Whatever the input, a record dvcqg_parse accepts must be a valid record in
 * our format: its JSON must read back with procedure_from_json and compare
 * equal (which also proves every string is NFC and trimmed). A refused
 * record must say so in its report. Any broken promise aborts. It must never
 * keep state between inputs.
 *
 * Built by scripts/fuzz.sh (clang -fsanitize=fuzzer,address,undefined) from
 * this file, src/domain/dvcqg.c, src/domain/procedure.c, src/core/arena.c,
 * src/core/parse.c and src/core/text.c, with pkg-config jansson libutf8proc.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "core/arena.h"
#include "core/parse.h"
#include "domain/dvcqg.h"
#include "domain/procedure.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define CHECK(cond)                                                                                \
	do {                                                                                       \
		if (!(cond))                                                                       \
			abort();                                                                   \
	} while (0)

/* The sections a non-JSON input can land in. */
static const char *const sections[] = {
	"cach_thuc_thuc_hien", "thanh_phan_ho_so",   "can_cu_phap_ly",
	"ket_qua_xu_ly",       "trinh_tu_thuc_hien", "cap_thuc_hien",
	"doi_tuong_thuc_hien", "yeu_cau_dieu_kien",  "ten_thu_tuc",
	"co_quan_thuc_hien",   "raw_text",	     "ma_thu_tuc"};

#define PAGE "Tên thủ tụcThửMã thủ tục1.000001Số quyết định1/QĐ"

/* A small record whose page text matches its fields; one section is then
 * replaced by the input. */
static json_t *base_record(void)
{
	return json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s}", "ma_thu_tuc",
			 "1.000001", "ten_thu_tuc", "Thử", "cap_thuc_hien", "Cấp tỉnh, Cấp xã",
			 "linh_vuc", "Thử", "trinh_tu_thuc_hien", "Bước 1: Nộp hồ sơ",
			 "cach_thuc_thuc_hien",
			 "Hình thức nộpThời gianPhí, lệ phíMô tảTrực tiếp3 Ngày làm việcMiễn phí",
			 "thanh_phan_ho_so", "--Tên giấy tờMẫu đơn, tờ khaiSố lượngĐơn1 bản chính",
			 "ket_qua_xu_ly", "Giấy phépMã: KQ.G01.000001", "detail_url",
			 "https://dichvucong.gov.vn/x", "raw_text", PAGE);
}

static json_t *section_record(const uint8_t *data, size_t size)
{
	const char *key = sections[data[0] % (sizeof(sections) / sizeof(sections[0]))];
	json_t *text = json_stringn((const char *)data + 1, size - 1);
	if (!text)
		return NULL; /* not UTF-8: jansson would never hand us that */
	json_t *rec = base_record();
	if (strcmp(key, "raw_text") != 0) {
		/* Keep the page consistent with the field, as a real crawl is. */
		const char *raw = json_string_value(json_object_get(rec, "raw_text"));
		size_t rawlen = strlen(raw);
		char *joined = malloc(rawlen + size);
		memcpy(joined, raw, rawlen);
		memcpy(joined + rawlen, data + 1, size - 1);
		json_t *page = json_stringn(joined, rawlen + size - 1);
		free(joined);
		if (page)
			json_object_set_new(rec, "raw_text", page);
	}
	json_object_set_new(rec, key, text);
	return rec;
}

/* The promise dvcqg.h makes about an accepted record. */
static void check_accepted(const struct procedure_rec *p, arena *a)
{
	json_t *j = procedure_to_json(p);
	CHECK(j != NULL);
	char *text = json_dumps(j, JSON_COMPACT);
	json_decref(j);
	CHECK(text != NULL);
	json_t *back = json_loads(text, 0, NULL);
	free(text);
	CHECK(back != NULL);
	struct procedure_rec q;
	char err[256];
	CHECK(procedure_from_json(back, a, &q, err, sizeof(err)) == 0);
	CHECK(procedure_equal(p, &q));
	json_decref(back);
	CHECK(procedure_code_valid(p->code) && *p->name && p->levels);
}

static void check_report(const struct dvcqg_report *rep, int rc)
{
	CHECK((rc == 0) == !rep->rejected);
	CHECK(rep->nproblems <= DVCQG_MAX_PROBLEMS);
	CHECK(rep->nproblems <= dvcqg_report_total(rep));
	for (size_t i = 0; i < rep->nproblems; i++)
		CHECK(rep->problems[i].message &&
		      (unsigned)rep->problems[i].section < DVCQG_NSECTIONS);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size == 0 || size > 256 * 1024)
		return 0;
	json_t *rec;
	if (data[0] == '{' || data[0] == '[')
		rec = json_loadb((const char *)data, size, 0, NULL);
	else
		rec = section_record(data, size);
	if (!rec)
		return 0;
	arena *a = arena_new(0);
	struct procedure_rec p;
	struct dvcqg_report rep;
	int rc = dvcqg_parse(rec, a, &p, &rep);
	check_report(&rep, rc);
	if (rc == 0)
		check_accepted(&p, a);

	/* The same object as our own format: refused or accepted, never a
	 * crash, and an accepted one dumps and reads back the same. */
	char err[128];
	struct procedure_rec own;
	if (procedure_from_json(rec, a, &own, err, sizeof(err)) == 0)
		check_accepted(&own, a);
	else
		CHECK(strlen(err) < sizeof(err) && strchr(err, ':') &&
		      utf8_valid_text(err, strlen(err)));
	arena_free(a);
	json_decref(rec);
	return 0;
}
