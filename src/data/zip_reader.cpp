#include "data/zip_reader.h"

#include <fmt/format.h>

#include "data/zip_api.h"
#include "pelagos/error.h"

namespace pelagos {

ZipReader::ZipReader(const std::string& path) : path_(path) {
  int code = 0;
  zip_ = libzip().zip_open(path.c_str(), ZIP_RDONLY, &code);
  if (!zip_) {
    zip_error_t err;
    libzip().zip_error_init_with_code(&err, code);
    std::string why = libzip().zip_error_strerror(&err);
    libzip().zip_error_fini(&err);
    if (code == ZIP_ER_NOZIP || code == ZIP_ER_INCONS)
      throw Error(fmt::format("{}: not a valid .xlsx workbook (it is not a zip archive: {}). Save it "
                              "from a spreadsheet program as Excel Workbook (.xlsx), or use CSV metadata.",
                              path, why));
    throw Error(fmt::format("{}: cannot open ({}).", path, why));
  }
}

ZipReader::~ZipReader() {
  if (zip_) libzip().zip_discard(zip_);
}

int64_t ZipReader::locate(const std::string& part) const {
  zip_int64_t idx = libzip().zip_name_locate(zip_, part.c_str(), 0);
  if (idx < 0) idx = libzip().zip_name_locate(zip_, part.c_str(), ZIP_FL_NOCASE);
  return idx;
}

bool ZipReader::has(const std::string& part) const { return locate(part) >= 0; }

std::string ZipReader::read(const std::string& part) const {
  zip_int64_t idx = locate(part);
  if (idx < 0)
    throw Error(fmt::format("{}: the workbook has no part '{}'. The file is incomplete or not a "
                            "spreadsheet; re-save it as .xlsx.", path_, part));
  zip_stat_t st;
  libzip().zip_stat_init(&st);
  if (libzip().zip_stat_index(zip_, static_cast<zip_uint64_t>(idx), 0, &st) != 0 || !(st.valid & ZIP_STAT_SIZE) ||
      !(st.valid & ZIP_STAT_COMP_SIZE))
    throw Error(fmt::format("{}: cannot read the directory entry of '{}' ({}).", path_, part,
                            libzip().zip_strerror(zip_)));
  if (st.size > ZipLimits::kMaxPartBytes)
    throw Error(fmt::format("{}: part '{}' declares {} bytes uncompressed, more than the {} MiB "
                            "pelagos accepts for metadata; refusing to inflate it (damaged file or zip bomb).",
                            path_, part, st.size, ZipLimits::kMaxPartBytes >> 20));
  if (st.size > ZipLimits::kRatioCheckBytes && st.size / std::max<zip_uint64_t>(st.comp_size, 1) > ZipLimits::kMaxRatio)
    throw Error(fmt::format("{}: part '{}' would inflate {} compressed bytes to {} (ratio > {}); "
                            "refusing it as a likely zip bomb.",
                            path_, part, st.comp_size, st.size, ZipLimits::kMaxRatio));
  zip_file_t* f = libzip().zip_fopen_index(zip_, static_cast<zip_uint64_t>(idx), 0);
  if (!f)
    throw Error(fmt::format("{}: cannot open part '{}' ({}).", path_, part, libzip().zip_strerror(zip_)));
  // Read at most the declared size plus one byte: a part longer than its header claims is damaged.
  std::string data(static_cast<size_t>(st.size) + 1, '\0');
  size_t got = 0;
  bool failed = false;
  while (got < data.size()) {
    zip_int64_t n = libzip().zip_fread(f, data.data() + got, data.size() - got);
    if (n < 0) {
      failed = true;
      break;
    }
    if (n == 0) break;
    got += static_cast<size_t>(n);
  }
  std::string why = failed ? libzip().zip_error_strerror(libzip().zip_file_get_error(f)) : "";
  libzip().zip_fclose(f);
  if (failed)
    throw Error(fmt::format("{}: part '{}' is damaged ({}). Re-save the workbook.", path_, part, why));
  if (got != st.size)
    throw Error(fmt::format("{}: part '{}' holds {} bytes but its header says {}; the workbook is "
                            "damaged. Re-save it.", path_, part, got, st.size));
  data.resize(got);
  return data;
}

}  // namespace pelagos
