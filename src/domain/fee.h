/*
 * fee.h - the fee a procedure asks for (phí, lệ phí), read from the
 * published text into đồng where the text says one amount and nothing
 * else.
 *
 * Decided rule (docs/payments.md): the text gives an amount only when it is
 * "free" ("Miễn phí", "Không", "Không thu phí", "0 đồng") or exactly one
 * amount of at least 1.000 in đồng ("50.000 đồng", "100.000đ/hồ sơ",
 * "4,300,000 Đồng", "500,000 Việt Nam Đồng", "100,000 VNĐ"). Everything
 * else is ambiguous and the officer enters the amount: several amounts
 * (fees per case), a percentage, another currency, a range, a decimal, an
 * amount under 1.000 đồng (the national portal often drops the thousands:
 * "20 VNĐ" is 20.000 đ), or no amount at all ("Theo quy định").
 */
#ifndef MOTCUA_FEE_H
#define MOTCUA_FEE_H

#include <stdint.h>

#include "domain/procedure.h"

/* The amount in đồng, 0 for free, -1 when ambiguous. */
int64_t fee_text_amount(const char *text);

/*
 * The fee for a dossier filed through channel (1 direct, 2 online, 3 post):
 * the method's fee_amount when the catalogue import settled it (>= 0),
 * otherwise fee_text_amount of its fee text unless a note qualifies it;
 * -1 when no method of that channel exists or its fee is ambiguous.
 */
int64_t fee_for_channel(const struct procedure_rec *p, int channel);

#endif
