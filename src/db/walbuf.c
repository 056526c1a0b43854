/* walbuf.c - the writer's buffered WAL appends (see walbuf.h). */
#include "db/walbuf.h"

#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>

struct wfile {
	sqlite3_file base;  /* pMethods = &wal_methods */
	sqlite3_file *real; /* the default VFS's file, in the bytes after this struct */
	unsigned char *buf; /* WALBUF_BYTES; NULL until the first write */
	size_t len;	    /* bytes held, for the file range [at, at + len) */
	sqlite3_int64 at;
};

/* Bytes per write call: the unix VFS writes at most 128 KiB - 1 in one call
 * (it masks the length with 0x1ffff, so 2 MiB in one call wrote nothing). */
#define WALBUF_CHUNK (124u << 10)

static sqlite3_vfs walbuf_vfs;
static sqlite3_vfs *real_vfs;

/* Writes what the buffer holds; empties it even on failure (the
 * transaction then fails, and SQLite writes its frames again later). */
static int flush(struct wfile *f)
{
	int rc = SQLITE_OK;
	for (size_t done = 0; done < f->len && rc == SQLITE_OK; done += WALBUF_CHUNK) {
		size_t n = f->len - done < WALBUF_CHUNK ? f->len - done : WALBUF_CHUNK;
		rc = f->real->pMethods->xWrite(f->real, f->buf + done, (int)n,
					       f->at + (sqlite3_int64)done);
	}
	f->len = 0;
	return rc;
}

static int wb_close(sqlite3_file *p)
{
	struct wfile *f = (struct wfile *)p;
	int rc = flush(f);
	int rc2 = f->real->pMethods->xClose(f->real);
	free(f->buf);
	f->buf = NULL;
	return rc != SQLITE_OK ? rc : rc2;
}

static int wb_read(sqlite3_file *p, void *out, int n, sqlite3_int64 off)
{
	struct wfile *f = (struct wfile *)p;
	int rc = flush(f);
	return rc != SQLITE_OK ? rc : f->real->pMethods->xRead(f->real, out, n, off);
}

static int wb_write(sqlite3_file *p, const void *data, int n, sqlite3_int64 off)
{
	struct wfile *f = (struct wfile *)p;
	if (n <= 0)
		return f->real->pMethods->xWrite(f->real, data, n, off);
	if (!f->buf && !(f->buf = malloc(WALBUF_BYTES)))
		return f->real->pMethods->xWrite(f->real, data, n, off);
	/* Only appends right after the held bytes join them. */
	if (f->len > 0 &&
	    (off != f->at + (sqlite3_int64)f->len || f->len + (size_t)n > WALBUF_BYTES)) {
		int rc = flush(f);
		if (rc != SQLITE_OK)
			return rc;
	}
	if ((size_t)n > WALBUF_CHUNK)
		return f->real->pMethods->xWrite(f->real, data, n, off);
	if (f->len == 0)
		f->at = off;
	memcpy(f->buf + f->len, data, (size_t)n);
	f->len += (size_t)n;
	return SQLITE_OK;
}

static int wb_truncate(sqlite3_file *p, sqlite3_int64 size)
{
	struct wfile *f = (struct wfile *)p;
	int rc = flush(f);
	return rc != SQLITE_OK ? rc : f->real->pMethods->xTruncate(f->real, size);
}

static int wb_sync(sqlite3_file *p, int flags)
{
	struct wfile *f = (struct wfile *)p;
	int rc = flush(f);
	return rc != SQLITE_OK ? rc : f->real->pMethods->xSync(f->real, flags);
}

static int wb_size(sqlite3_file *p, sqlite3_int64 *size)
{
	struct wfile *f = (struct wfile *)p;
	int rc = flush(f);
	return rc != SQLITE_OK ? rc : f->real->pMethods->xFileSize(f->real, size);
}

static int wb_lock(sqlite3_file *p, int level)
{
	struct wfile *f = (struct wfile *)p;
	return f->real->pMethods->xLock(f->real, level);
}

static int wb_unlock(sqlite3_file *p, int level)
{
	struct wfile *f = (struct wfile *)p;
	return f->real->pMethods->xUnlock(f->real, level);
}

static int wb_reserved(sqlite3_file *p, int *out)
{
	struct wfile *f = (struct wfile *)p;
	return f->real->pMethods->xCheckReservedLock(f->real, out);
}

static int wb_control(sqlite3_file *p, int op, void *arg)
{
	struct wfile *f = (struct wfile *)p;
	int rc = flush(f);
	return rc != SQLITE_OK ? rc : f->real->pMethods->xFileControl(f->real, op, arg);
}

static int wb_sector(sqlite3_file *p)
{
	struct wfile *f = (struct wfile *)p;
	return f->real->pMethods->xSectorSize(f->real);
}

static int wb_device(sqlite3_file *p)
{
	struct wfile *f = (struct wfile *)p;
	return f->real->pMethods->xDeviceCharacteristics(f->real);
}

/* Version 1: the WAL file is never memory-mapped and has no shared-memory
 * index of its own (that belongs to the database file). */
static const sqlite3_io_methods wal_methods = {
	.iVersion = 1,
	.xClose = wb_close,
	.xRead = wb_read,
	.xWrite = wb_write,
	.xTruncate = wb_truncate,
	.xSync = wb_sync,
	.xFileSize = wb_size,
	.xLock = wb_lock,
	.xUnlock = wb_unlock,
	.xCheckReservedLock = wb_reserved,
	.xFileControl = wb_control,
	.xSectorSize = wb_sector,
	.xDeviceCharacteristics = wb_device,
};

/* Every file but the WAL is opened by the default VFS straight into the
 * space SQLite gives (it is at least as large as that VFS asks). */
static int wb_open(sqlite3_vfs *vfs, sqlite3_filename name, sqlite3_file *p, int flags,
		   int *out_flags)
{
	(void)vfs;
	if (!(flags & SQLITE_OPEN_WAL))
		return real_vfs->xOpen(real_vfs, name, p, flags, out_flags);
	struct wfile *f = (struct wfile *)p;
	memset(f, 0, sizeof(*f));
	f->real = (sqlite3_file *)(f + 1);
	int rc = real_vfs->xOpen(real_vfs, name, f->real, flags, out_flags);
	/* On failure pMethods stays NULL: SQLite does not close the file. */
	if (rc == SQLITE_OK)
		f->base.pMethods = &wal_methods;
	return rc;
}

bool walbuf_register(void)
{
	real_vfs = sqlite3_vfs_find(NULL);
	if (!real_vfs)
		return false;
	walbuf_vfs = *real_vfs;
	walbuf_vfs.pNext = NULL;
	walbuf_vfs.zName = WALBUF_VFS;
	walbuf_vfs.szOsFile = (int)sizeof(struct wfile) + real_vfs->szOsFile;
	walbuf_vfs.xOpen = wb_open;
	return sqlite3_vfs_register(&walbuf_vfs, 0) == SQLITE_OK;
}
