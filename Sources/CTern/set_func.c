/*
 * db_env_set_func_*: libdb lets an application replace the system calls it
 * makes.  Tern does its I/O through its own code and does not route it
 * through these (README: "What is supported"), but it accepts every call, as
 * libdb does, so programs that install them keep working.  They are here in
 * C because db_env_set_func_open takes a variadic function pointer, which
 * Swift cannot declare.
 */
#include "ctern.h"

int
db_env_set_func_assert(void (*f0)(const char *, const char *, int))
{
	(void)f0;
	return (0);
}

int
db_env_set_func_close(int (*f0)(int))
{
	(void)f0;
	return (0);
}

int
db_env_set_func_dirfree(void (*f0)(char **, int))
{
	(void)f0;
	return (0);
}

int
db_env_set_func_dirlist(int (*f0)(const char *, char ***, int *))
{
	(void)f0;
	return (0);
}

int
db_env_set_func_exists(int (*f0)(const char *, int *))
{
	(void)f0;
	return (0);
}

int
db_env_set_func_free(void (*f0)(void *))
{
	(void)f0;
	return (0);
}

int
db_env_set_func_fsync(int (*f0)(int))
{
	(void)f0;
	return (0);
}

int
db_env_set_func_ftruncate(int (*f0)(int, off_t))
{
	(void)f0;
	return (0);
}

int
db_env_set_func_ioinfo(int (*f0)(const char *, int, u_int32_t *, u_int32_t *, u_int32_t *))
{
	(void)f0;
	return (0);
}

int
db_env_set_func_malloc(void *(*f0)(size_t))
{
	(void)f0;
	return (0);
}

int
db_env_set_func_file_map(int (*f0)(DB_ENV *, char *, size_t, int, void **), int (*f1)(DB_ENV *, void *))
{
	(void)f0;
	(void)f1;
	return (0);
}

int
db_env_set_func_region_map(int (*f0)(DB_ENV *, char *, size_t, int *, void **), int (*f1)(DB_ENV *, void *))
{
	(void)f0;
	(void)f1;
	return (0);
}

int
db_env_set_func_pread(ssize_t (*f0)(int, void *, size_t, off_t))
{
	(void)f0;
	return (0);
}

int
db_env_set_func_pwrite(ssize_t (*f0)(int, const void *, size_t, off_t))
{
	(void)f0;
	return (0);
}

int
db_env_set_func_open(int (*f0)(const char *, int, ...))
{
	(void)f0;
	return (0);
}

int
db_env_set_func_read(ssize_t (*f0)(int, void *, size_t))
{
	(void)f0;
	return (0);
}

int
db_env_set_func_realloc(void *(*f0)(void *, size_t))
{
	(void)f0;
	return (0);
}

int
db_env_set_func_rename(int (*f0)(const char *, const char *))
{
	(void)f0;
	return (0);
}

int
db_env_set_func_seek(int (*f0)(int, off_t, int))
{
	(void)f0;
	return (0);
}

int
db_env_set_func_unlink(int (*f0)(const char *))
{
	(void)f0;
	return (0);
}

int
db_env_set_func_write(ssize_t (*f0)(int, const void *, size_t))
{
	(void)f0;
	return (0);
}

int
db_env_set_func_yield(int (*f0)(u_long, u_long))
{
	(void)f0;
	return (0);
}
