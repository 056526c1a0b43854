/*
 * schedule.h - the admin's official schedule (calendar_day rows) applied to
 * a working-day calendar.
 */
#ifndef MOTCUA_SCHEDULE_H
#define MOTCUA_SCHEDULE_H

#include "core/status.h"
#include "db/db.h"
#include "domain/calendar.h"

/* A calendar with the defaults and every override stored in the database. */
mc_status schedule_load(db *d, work_calendar **out);

#endif
