/*
 * procedure.h - one administrative procedure (thủ tục hành chính) as the
 * national procedure database describes it (Decree 63/2010/NĐ-CP art. 8),
 * and the JSON-lines format the portal imports, exports and ships in
 * data/catalogue/procedures.jsonl (docs/catalogue.md describes every field).
 *
 * A record is plain data: every string is valid UTF-8 in NFC, trimmed, never
 * NULL ("" when the source had nothing, including the portal's "Không có
 * thông tin"), and every array pointer is valid for its count. Records live
 * in an arena; nothing here frees. This module knows no storage and no HTTP,
 * and must never accept a record that breaks these rules: procedure_from_json
 * is the only way text from outside becomes a struct procedure_rec.
 */
#ifndef MOTCUA_PROCEDURE_H
#define MOTCUA_PROCEDURE_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/arena.h"

/* Where a procedure is carried out (cấp thực hiện); a set of these bits. */
enum procedure_level {
	PROCEDURE_LEVEL_MINISTRY = 1u << 0, /* cấp bộ */
	PROCEDURE_LEVEL_PROVINCE = 1u << 1, /* cấp tỉnh */
	PROCEDURE_LEVEL_DISTRICT = 1u << 2, /* cấp huyện (until 2025-07-01) */
	PROCEDURE_LEVEL_COMMUNE = 1u << 3,  /* cấp xã */
	PROCEDURE_LEVEL_OTHER = 1u << 4,    /* cơ quan khác */
};
#define PROCEDURE_LEVEL_LOCAL                                                                      \
	(PROCEDURE_LEVEL_PROVINCE | PROCEDURE_LEVEL_DISTRICT | PROCEDURE_LEVEL_COMMUNE)
#define PROCEDURE_LEVEL_ALL 0x1fu

/* How a dossier is filed (hình thức nộp); national channel codes 1, 2, 3. */
enum procedure_channel {
	PROCEDURE_CHANNEL_DIRECT, /* trực tiếp */
	PROCEDURE_CHANNEL_ONLINE, /* trực tuyến */
	PROCEDURE_CHANNEL_POST,	  /* dịch vụ bưu chính */
};

/* The unit of a time limit; UNKNOWN when the source gave a bare number or
 * none at all. */
enum procedure_time_unit {
	PROCEDURE_TIME_UNKNOWN,
	PROCEDURE_TIME_WORKING_DAYS,
	PROCEDURE_TIME_DAYS,
	PROCEDURE_TIME_HOURS,
	PROCEDURE_TIME_MONTHS,
	PROCEDURE_TIME_YEARS,
};

/* Online service level (Decree 42/2022/NĐ-CP); NONE when not known. */
enum procedure_service_level {
	PROCEDURE_SERVICE_NONE,
	PROCEDURE_SERVICE_FULL,	   /* "toan-trinh": fully online */
	PROCEDURE_SERVICE_PARTIAL, /* "mot-phan": partly online */
};

/* One way of filing, with its own time limit and fee. */
struct procedure_method {
	enum procedure_channel channel;
	const char *time_value; /* "3", "0.5", or "" */
	enum procedure_time_unit time_unit;
	const char *time_text; /* the time limit as published ("3 Ngày làm việc") */
	const char *fee;       /* the fee as published ("Miễn phí", "50,000 VNĐ", "") */
	const char *fee_note;  /* the explanation the portal puts beside the fee */
	int64_t fee_amount;    /* in đồng when one amount is known (0 = free), else -1 */
	const char *description;
};

/* One required document (thành phần hồ sơ). */
struct procedure_document {
	const char *case_name; /* "" or the case heading ("Trường hợp ...") it belongs to */
	const char *name;
	int originals;		/* bản chính */
	int copies;		/* bản sao */
	const char **templates; /* form file names ("Mẫu số 01.docx") */
	size_t ntemplates;
};

/* One legal basis (căn cứ pháp lý). */
struct procedure_legal {
	const char *title;
	const char *number; /* "70/2024/NĐ-CP", or "" when the source gave none */
};

/* One result the procedure produces (kết quả thực hiện). */
struct procedure_result {
	const char *name;
	const char *code; /* "KQ.G01.000140", or "" */
};

struct procedure_rec {
	const char *code;	 /* "1.001193" */
	const char *name;	 /* display name (the portal's "Thủ tục " prefix dropped) */
	const char *portal_name; /* the name exactly as the national portal shows it */
	const char *decision;	 /* publishing decision (số quyết định) */
	const char *kind;	 /* loại thủ tục */
	const char *field;	 /* lĩnh vực */
	const char *ministry;	 /* the national list it came from ("bo-tu-phap") */
	unsigned levels;	 /* enum procedure_level bits, at least one */
	const char **applicants; /* đối tượng thực hiện */
	size_t napplicants;
	const char **steps; /* trình tự thực hiện, one element per "Bước N" */
	size_t nsteps;
	struct procedure_method *methods;
	size_t nmethods;
	struct procedure_document *documents;
	size_t ndocuments;
	struct procedure_legal *legal_basis;
	size_t nlegal_basis;
	const char *conditions; /* yêu cầu, điều kiện */
	struct procedure_result *results;
	size_t nresults;
	const char *result_note;
	const char *agency_implementing; /* cơ quan thực hiện */
	const char *agency_competent;	 /* cơ quan có thẩm quyền */
	const char *agency_delegated;	 /* cơ quan được ủy quyền */
	const char *agency_coordinating; /* cơ quan phối hợp */
	const char *receiving_address;	 /* địa chỉ tiếp nhận hồ sơ */
	enum procedure_service_level service_level;
	const char *source_url;
	bool published;
	bool generated; /* made up for a demo, not taken from an official source */
};

/* Limits procedure_from_json enforces (code points for text). */
#define PROCEDURE_MAX_LINE  4000   /* one-line fields: names, codes, fees */
#define PROCEDURE_MAX_BLOCK 200000 /* multi-line fields: steps, conditions */
#define PROCEDURE_MAX_ITEMS 2000   /* elements of any array */
#define PROCEDURE_MAX_COUNT 99	   /* originals, copies */
#define PROCEDURE_MAX_FEE   1000000000000ll

/* Sets every string to "", every array to empty, fee amounts to -1,
 * published to true and the rest to zero. */
void procedure_init(struct procedure_rec *p);

/* True when code has the national shape: one digit 1-9, '.', six digits. */
bool procedure_code_valid(const char *code);

/* Stable JSON names of the enums ("province", "working_days", "toan-trinh",
 * "" for unknown/none), and the reverse; the reverse returns -1 for a name it
 * does not know. procedure_level_name takes one bit. */
const char *procedure_level_name(enum procedure_level l);
const char *procedure_channel_name(enum procedure_channel c);
const char *procedure_time_unit_name(enum procedure_time_unit u);
const char *procedure_service_level_name(enum procedure_service_level s);
int procedure_level_parse(const char *s);
int procedure_channel_parse(const char *s);
int procedure_time_unit_parse(const char *s);
int procedure_service_level_parse(const char *s);

/* The record as one JSON object, keys in a fixed order, so the same record
 * always dumps to the same bytes. Returns a new reference (never NULL for a
 * valid record); the caller json_decref()s it. */
json_t *procedure_to_json(const struct procedure_rec *p);

/*
 * Reads one object in our format into *out, copying every string into a
 * (normalised to NFC and trimmed). Required keys: code, name, field, levels.
 * Unknown keys, wrong types, invalid UTF-8, control characters, unknown enum
 * names, negative counts and over-long values are refused. Returns 0, or -1
 * with a message naming the field ("methods[2].time_unit: unknown unit
 * 'weeks'") in err (errlen bytes, always terminated); *out is then
 * unspecified but safe to discard.
 */
int procedure_from_json(const json_t *j, arena *a, struct procedure_rec *out, char *err,
			size_t errlen);

/* True when a and b hold the same values (for tests and round-trip checks). */
bool procedure_equal(const struct procedure_rec *a, const struct procedure_rec *b);

#endif
