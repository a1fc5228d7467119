// libzip (the .xlsx workbooks are zip archives), opened on first use: it
// links libcrypto, bzip2 and zlib, which cost about 0.7 ms at every start of
// the program, a tenth of a `study tell`.
#pragma once
#include <zip.h>

namespace pelagos {

struct ZipApi {
  decltype(&::zip_close) zip_close;
  decltype(&::zip_discard) zip_discard;
  decltype(&::zip_error_fini) zip_error_fini;
  decltype(&::zip_error_init) zip_error_init;
  decltype(&::zip_error_init_with_code) zip_error_init_with_code;
  decltype(&::zip_error_strerror) zip_error_strerror;
  decltype(&::zip_fclose) zip_fclose;
  decltype(&::zip_file_add) zip_file_add;
  decltype(&::zip_file_get_error) zip_file_get_error;
  decltype(&::zip_file_set_mtime) zip_file_set_mtime;
  decltype(&::zip_fopen_index) zip_fopen_index;
  decltype(&::zip_fread) zip_fread;
  decltype(&::zip_name_locate) zip_name_locate;
  decltype(&::zip_open) zip_open;
  decltype(&::zip_open_from_source) zip_open_from_source;
  decltype(&::zip_set_file_compression) zip_set_file_compression;
  decltype(&::zip_source_buffer) zip_source_buffer;
  decltype(&::zip_source_buffer_create) zip_source_buffer_create;
  decltype(&::zip_source_close) zip_source_close;
  decltype(&::zip_source_error) zip_source_error;
  decltype(&::zip_source_free) zip_source_free;
  decltype(&::zip_source_keep) zip_source_keep;
  decltype(&::zip_source_open) zip_source_open;
  decltype(&::zip_source_read) zip_source_read;
  decltype(&::zip_source_seek) zip_source_seek;
  decltype(&::zip_source_tell) zip_source_tell;
  decltype(&::zip_stat_index) zip_stat_index;
  decltype(&::zip_stat_init) zip_stat_init;
  decltype(&::zip_strerror) zip_strerror;
};

// Loads libzip (the soname built against) once per process; throws pelagos::Error saying how to
// install it when it is missing.
const ZipApi& libzip();

}  // namespace pelagos
