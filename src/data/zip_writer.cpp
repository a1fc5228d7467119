#include "data/zip_writer.h"

#include <algorithm>
#include <cstdio>
#include <fmt/format.h>
#include <memory>

#include "data/zip_api.h"
#include "pelagos/error.h"

namespace pelagos {
namespace {

constexpr time_t kFixedMtime = 1577836800;  // 2020-01-01: reproducible archives

[[noreturn]] void fail(const char* what, zip_error_t* err) {
  throw Error(fmt::format("building a zip archive: {} ({})", what, libzip().zip_error_strerror(err)));
}

}  // namespace

std::string zip_bytes(const std::vector<ZipEntry>& entries) {
  zip_error_t err;
  libzip().zip_error_init(&err);
  zip_source_t* buffer = libzip().zip_source_buffer_create(nullptr, 0, 0, &err);
  if (!buffer) fail("cannot create a buffer", &err);
  std::unique_ptr<zip_source_t, void (*)(zip_source_t*)> keep(buffer, libzip().zip_source_free);
  libzip().zip_source_keep(buffer);  // survive zip_close so the bytes can be read back
  zip_t* za = libzip().zip_open_from_source(buffer, ZIP_TRUNCATE, &err);
  if (!za) fail("cannot open the buffer", &err);
  for (const ZipEntry& e : entries) {
    zip_source_t* src = libzip().zip_source_buffer(za, e.data.data(), e.data.size(), 0);
    zip_int64_t idx = src ? libzip().zip_file_add(za, e.name.c_str(), src, ZIP_FL_ENC_UTF_8) : -1;
    if (idx < 0) {
      if (src) libzip().zip_source_free(src);
      std::string why = libzip().zip_strerror(za);
      libzip().zip_discard(za);
      throw Error(fmt::format("building a zip archive: cannot add '{}' ({})", e.name, why));
    }
    libzip().zip_file_set_mtime(za, static_cast<zip_uint64_t>(idx), kFixedMtime, 0);
    libzip().zip_set_file_compression(za, static_cast<zip_uint64_t>(idx), ZIP_CM_DEFLATE, 9);
  }
  if (libzip().zip_close(za) != 0) {
    std::string why = libzip().zip_strerror(za);
    libzip().zip_discard(za);
    throw Error("building a zip archive: " + why);
  }
  if (libzip().zip_source_open(buffer) != 0) fail("cannot reopen the buffer", libzip().zip_source_error(buffer));
  libzip().zip_source_seek(buffer, 0, SEEK_END);
  zip_int64_t size = libzip().zip_source_tell(buffer);
  libzip().zip_source_seek(buffer, 0, SEEK_SET);
  std::string out(static_cast<size_t>(std::max<zip_int64_t>(size, 0)), '\0');
  zip_int64_t got = libzip().zip_source_read(buffer, out.data(), out.size());
  libzip().zip_source_close(buffer);
  if (got != size) fail("cannot read the archive back", libzip().zip_source_error(buffer));
  return out;
}

}  // namespace pelagos
