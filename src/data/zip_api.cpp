#include "data/zip_api.h"

#include "util/system_library.h"

namespace pelagos {

const ZipApi& libzip() {
  static const ZipApi api = [] {
    const SystemLibrary lib(PELAGOS_LIBZIP_SONAME,
                            "cannot load libzip ({}), which pelagos needs to read and write .xlsx workbooks. "
                            "Install it (apt-get install libzip4).");
    ZipApi a;
    a.zip_close = lib.function<decltype(a.zip_close)>("zip_close");
    a.zip_discard = lib.function<decltype(a.zip_discard)>("zip_discard");
    a.zip_error_fini = lib.function<decltype(a.zip_error_fini)>("zip_error_fini");
    a.zip_error_init = lib.function<decltype(a.zip_error_init)>("zip_error_init");
    a.zip_error_init_with_code = lib.function<decltype(a.zip_error_init_with_code)>("zip_error_init_with_code");
    a.zip_error_strerror = lib.function<decltype(a.zip_error_strerror)>("zip_error_strerror");
    a.zip_fclose = lib.function<decltype(a.zip_fclose)>("zip_fclose");
    a.zip_file_add = lib.function<decltype(a.zip_file_add)>("zip_file_add");
    a.zip_file_get_error = lib.function<decltype(a.zip_file_get_error)>("zip_file_get_error");
    a.zip_file_set_mtime = lib.function<decltype(a.zip_file_set_mtime)>("zip_file_set_mtime");
    a.zip_fopen_index = lib.function<decltype(a.zip_fopen_index)>("zip_fopen_index");
    a.zip_fread = lib.function<decltype(a.zip_fread)>("zip_fread");
    a.zip_name_locate = lib.function<decltype(a.zip_name_locate)>("zip_name_locate");
    a.zip_open = lib.function<decltype(a.zip_open)>("zip_open");
    a.zip_open_from_source = lib.function<decltype(a.zip_open_from_source)>("zip_open_from_source");
    a.zip_set_file_compression = lib.function<decltype(a.zip_set_file_compression)>("zip_set_file_compression");
    a.zip_source_buffer = lib.function<decltype(a.zip_source_buffer)>("zip_source_buffer");
    a.zip_source_buffer_create = lib.function<decltype(a.zip_source_buffer_create)>("zip_source_buffer_create");
    a.zip_source_close = lib.function<decltype(a.zip_source_close)>("zip_source_close");
    a.zip_source_error = lib.function<decltype(a.zip_source_error)>("zip_source_error");
    a.zip_source_free = lib.function<decltype(a.zip_source_free)>("zip_source_free");
    a.zip_source_keep = lib.function<decltype(a.zip_source_keep)>("zip_source_keep");
    a.zip_source_open = lib.function<decltype(a.zip_source_open)>("zip_source_open");
    a.zip_source_read = lib.function<decltype(a.zip_source_read)>("zip_source_read");
    a.zip_source_seek = lib.function<decltype(a.zip_source_seek)>("zip_source_seek");
    a.zip_source_tell = lib.function<decltype(a.zip_source_tell)>("zip_source_tell");
    a.zip_stat_index = lib.function<decltype(a.zip_stat_index)>("zip_stat_index");
    a.zip_stat_init = lib.function<decltype(a.zip_stat_init)>("zip_stat_init");
    a.zip_strerror = lib.function<decltype(a.zip_strerror)>("zip_strerror");
    return a;
  }();
  return api;
}

}  // namespace pelagos
