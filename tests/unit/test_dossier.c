/*
 * test_dossier.c - the rules of src/domain/dossier.c that need no
 * database: due dates for every unit of a time limit (working days around
 * the cut-off, calendar days, hours, months at month ends, years on 29
 * February, fractions), which method's limit counts, optional documents,
 * which statuses allow a withdrawal request, and status keys.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "core/arena.h"
#include "domain/dossier.h"

static arena *a;
static work_calendar *cal;

static int setup(void **state)
{
	a = arena_new(4096);
	cal = calendar_new();
	return a && cal ? 0 : -1;
}

static int teardown(void **state)
{
	calendar_free(cal);
	arena_free(a);
	return 0;
}

/* A procedure with one method of the given channel, value and unit. */
static struct procedure_rec proc(struct procedure_method *m, size_t n)
{
	struct procedure_rec p;
	procedure_init(&p);
	p.methods = m;
	p.nmethods = n;
	return p;
}

static struct procedure_method method(enum procedure_channel ch, const char *value,
				      enum procedure_time_unit unit)
{
	struct procedure_method m = {0};
	m.channel = ch;
	m.time_value = value;
	m.time_unit = unit;
	m.time_text = m.fee = m.fee_note = m.description = "";
	m.fee_amount = -1;
	return m;
}

static const char *due(const char *value, enum procedure_time_unit unit, const char *from)
{
	struct procedure_method m = method(PROCEDURE_CHANNEL_ONLINE, value, unit);
	struct procedure_rec p = proc(&m, 1);
	struct datetime t;
	assert_true(datetime_parse(from, &t));
	return dossier_due(a, cal, OFFICE_HOURS_DEFAULT, &p, t);
}

static void test_due_working_days(void **state)
{
	/* Friday 27/11/2026 16:00 is after the 15:00 cut-off: counted from
	 * Monday 30/11 at 07:30, three working days later is Thursday. */
	assert_string_equal(due("3", PROCEDURE_TIME_WORKING_DAYS, "2026-11-27 16:00"),
			    "2026-12-03 07:30");
	/* Before the cut-off: the same time, three working days on, across
	 * the weekend. */
	assert_string_equal(due("3", PROCEDURE_TIME_WORKING_DAYS, "2026-11-26 10:15"),
			    "2026-12-01 10:15");
	/* Half a working day is kept as one whole day. */
	assert_string_equal(due("0.5", PROCEDURE_TIME_WORKING_DAYS, "2026-11-30 09:00"),
			    "2026-12-01 09:00");
	/* Over the 2 September holiday (1 and 2 September 2026 off). */
	struct datetime t;
	assert_true(datetime_parse("2026-08-31 09:00", &t));
	char want[17];
	datetime_format(calendar_due(cal, OFFICE_HOURS_DEFAULT, t, 2), want);
	assert_string_equal(due("2", PROCEDURE_TIME_WORKING_DAYS, "2026-08-31 09:00"), want);
	assert_string_not_equal(want, "2026-09-02 09:00");
}

static void test_due_other_units(void **state)
{
	/* Calendar days do not skip weekends. */
	assert_string_equal(due("5", PROCEDURE_TIME_DAYS, "2026-11-27 16:00"), "2026-12-02 16:00");
	assert_string_equal(due("8", PROCEDURE_TIME_HOURS, "2026-11-27 20:30"), "2026-11-28 04:30");
	assert_string_equal(due("48", PROCEDURE_TIME_HOURS, "2026-12-31 12:00"),
			    "2027-01-02 12:00");
	assert_string_equal(due("1", PROCEDURE_TIME_MONTHS, "2026-01-31 10:00"),
			    "2026-02-28 10:00");
	assert_string_equal(due("1", PROCEDURE_TIME_MONTHS, "2028-01-31 10:00"),
			    "2028-02-29 10:00");
	assert_string_equal(due("2", PROCEDURE_TIME_MONTHS, "2026-11-15 08:00"),
			    "2027-01-15 08:00");
	assert_string_equal(due("1", PROCEDURE_TIME_YEARS, "2028-02-29 10:00"), "2029-02-28 10:00");
}

static void test_due_without_limit(void **state)
{
	assert_null(due("", PROCEDURE_TIME_WORKING_DAYS, "2026-11-27 10:00"));
	assert_null(due("3", PROCEDURE_TIME_UNKNOWN, "2026-11-27 10:00"));
	assert_null(due("ba", PROCEDURE_TIME_DAYS, "2026-11-27 10:00"));
	assert_null(due("0", PROCEDURE_TIME_DAYS, "2026-11-27 10:00"));
	assert_null(due("-2", PROCEDURE_TIME_DAYS, "2026-11-27 10:00"));
	struct procedure_rec p = proc(NULL, 0);
	struct datetime t;
	assert_true(datetime_parse("2026-11-27 10:00", &t));
	assert_null(dossier_due(a, cal, OFFICE_HOURS_DEFAULT, &p, t));
}

static void test_due_prefers_online_method(void **state)
{
	struct procedure_method m[3] = {
		method(PROCEDURE_CHANNEL_DIRECT, "10", PROCEDURE_TIME_WORKING_DAYS),
		method(PROCEDURE_CHANNEL_POST, "", PROCEDURE_TIME_UNKNOWN),
		method(PROCEDURE_CHANNEL_ONLINE, "1", PROCEDURE_TIME_WORKING_DAYS),
	};
	struct procedure_rec p = proc(m, 3);
	struct datetime t;
	assert_true(datetime_parse("2026-11-26 10:00", &t));
	assert_string_equal(dossier_due(a, cal, OFFICE_HOURS_DEFAULT, &p, t), "2026-11-27 10:00");
	/* Without an online limit, the first method that has one. */
	m[2].time_value = "";
	assert_string_equal(dossier_due(a, cal, OFFICE_HOURS_DEFAULT, &p, t), "2026-12-10 10:00");
}

static void test_online_and_optional(void **state)
{
	struct procedure_method m =
		method(PROCEDURE_CHANNEL_DIRECT, "3", PROCEDURE_TIME_WORKING_DAYS);
	struct procedure_rec p = proc(&m, 1);
	assert_false(dossier_procedure_online(&p));
	p.service_level = PROCEDURE_SERVICE_PARTIAL;
	assert_true(dossier_procedure_online(&p));
	p.service_level = PROCEDURE_SERVICE_NONE;
	m.channel = PROCEDURE_CHANNEL_ONLINE;
	assert_true(dossier_procedure_online(&p));

	struct procedure_document d = {.case_name = "", .name = "Tờ khai", .originals = 1};
	assert_false(dossier_document_optional(&d));
	d.name = "Giấy ủy quyền (nếu có)";
	assert_true(dossier_document_optional(&d));
	d.name = "Nếu có thay đổi: bản sao giấy phép";
	assert_true(dossier_document_optional(&d));
	/* Đăng ký khai sinh (1.001193) as the national portal lists it. */
	d.case_name = "* Giấy tờ phải nộp:";
	d.name = "- Giấy chứng sinh; trường hợp không có Giấy chứng sinh thì nộp văn bản";
	assert_false(dossier_document_optional(&d));
	d.name = "- Trường hợp trẻ em bị bỏ rơi thì phải có biên bản";
	assert_true(dossier_document_optional(&d));
	d.name = "- Văn bản ủy quyền theo quy định của pháp luật trong trường hợp ủy quyền";
	assert_true(dossier_document_optional(&d));
	d.case_name = "* Giấy tờ phải xuất trình:";
	d.name = "- Hộ chiếu/Thẻ căn cước công dân";
	assert_true(dossier_document_optional(&d));
	d.case_name = "* Lưu ý:";
	d.name = "- Cá nhân có quyền lựa chọn";
	d.originals = 0;
	assert_true(dossier_document_optional(&d));
	d.case_name = "";
	d.name = "Người tiếp nhận hồ sơ thực hiện khai thác thông tin";
	assert_true(dossier_document_optional(&d)); /* no original, no copy: a note */
}

static void test_withdrawal_statuses(void **state)
{
	const bool allowed[11] = {false, true,	true,  false, true, true,
				  false, false, false, false, false};
	for (int s = 0; s <= 10; s++)
		assert_int_equal(dossier_can_withdraw(s), allowed[s]);
	assert_false(dossier_can_withdraw(-1));
	assert_false(dossier_can_withdraw(11));
}

static void test_status_keys(void **state)
{
	assert_string_equal(dossier_status_key(0), "dossier.status.0");
	assert_string_equal(dossier_status_key(7), "lookup.status.7");
	assert_string_equal(dossier_status_key(10), "lookup.status.10");
	assert_string_equal(dossier_status_key(11), "dossier.status.unknown");
	assert_string_equal(dossier_status_key(-1), "dossier.status.unknown");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_due_working_days),
		cmocka_unit_test(test_due_other_units),
		cmocka_unit_test(test_due_without_limit),
		cmocka_unit_test(test_due_prefers_online_method),
		cmocka_unit_test(test_online_and_optional),
		cmocka_unit_test(test_withdrawal_statuses),
		cmocka_unit_test(test_status_keys),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
