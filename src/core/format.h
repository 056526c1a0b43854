/*
 * format.h - how numbers and dates look to Vietnamese readers: dates as
 * dd/mm/yyyy, times as HH:MM, thousands separated by dots, money as
 * "1.500.000 đ".
 */
#ifndef MOTCUA_FORMAT_H
#define MOTCUA_FORMAT_H

#include <stdint.h>

#include "core/arena.h"

/* "2026-11-28", "2026-11-28 09:15" or "2026-11-28 09:15:02" -> "28/11/2026"
 * or "28/11/2026 09:15". Text that is not such a date is returned unchanged. */
const char *format_datetime_vn(arena *a, const char *iso);

/* 1500000 -> "1.500.000" (negative numbers keep their sign). */
const char *format_thousands(arena *a, int64_t n);

/* 1500000 -> "1.500.000 đ". */
const char *format_money_vnd(arena *a, int64_t dong);

/*
 * An amount of money in Vietnamese words, as receipts and invoices write it
 * (đọc số thành chữ): 1500000 -> "Một triệu năm trăm nghìn đồng". The
 * rules: "mười" for ten, "mươi" for the other tens; a one after twenty and
 * more is "mốt", a four "tư", a five after any ten "lăm"; a zero ten before
 * a unit is "lẻ" (105 "một trăm lẻ năm"); a group after the first is read
 * in full ("không trăm": 1000005 "một triệu không trăm lẻ năm"); empty
 * groups are skipped; past a billion "tỷ" repeats (1e12 "một nghìn tỷ").
 * 0 -> "Không đồng"; NULL for a negative amount.
 */
const char *format_money_words(arena *a, int64_t dong);

#endif
