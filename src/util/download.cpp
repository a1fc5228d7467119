#include "util/download.h"

#include <curl/curl.h>

#include <chrono>
#include <filesystem>
#include <fmt/format.h>
#include <iostream>

#include "pelagos/error.h"
#include "util/atomic_file.h"
#include "util/sha256.h"

namespace pelagos {
namespace {

struct Transfer {
  AtomicFile* out;
  Sha256* hash;
  bool progress;
  std::chrono::steady_clock::time_point last_report;
  std::string write_error;
};

size_t on_data(char* data, size_t size, size_t count, void* user) {
  auto* t = static_cast<Transfer*>(user);
  const size_t n = size * count;
  try {
    t->out->write(data, n);
  } catch (const Error& e) {
    t->write_error = e.what();
    return 0;  // makes curl abort with CURLE_WRITE_ERROR
  }
  t->hash->update(data, n);
  return n;
}

int on_progress(void* user, curl_off_t total, curl_off_t done, curl_off_t, curl_off_t) {
  auto* t = static_cast<Transfer*>(user);
  const auto now = std::chrono::steady_clock::now();
  if (!t->progress || now - t->last_report < std::chrono::seconds(1)) return 0;
  t->last_report = now;
  const double mb = static_cast<double>(done) / 1e6;
  if (total > 0)
    std::cerr << fmt::format("  {:.1f} / {:.1f} MB ({:.0f}%)\n", mb, static_cast<double>(total) / 1e6,
                             100.0 * static_cast<double>(done) / static_cast<double>(total));
  else
    std::cerr << fmt::format("  {:.1f} MB\n", mb);
  return 0;
}

struct CurlHandle {
  CURL* curl = curl_easy_init();
  ~CurlHandle() { curl_easy_cleanup(curl); }
};

}  // namespace

std::string download_file(const DownloadRequest& request) {
  namespace fs = std::filesystem;
  const fs::path target(request.target_path);
  if (target.has_parent_path()) {
    std::error_code ec;
    fs::create_directories(target.parent_path(), ec);
    if (ec)
      throw Error(fmt::format("{}: cannot create the folder ({}).", target.parent_path().string(), ec.message()));
  }
  AtomicFile out(request.target_path);
  Sha256 hash;
  Transfer transfer{&out, &hash, request.progress, std::chrono::steady_clock::now(), {}};
  CurlHandle handle;
  if (!handle.curl) throw Error("cannot initialise libcurl");
  char error_buffer[CURL_ERROR_SIZE] = {0};
  CURL* c = handle.curl;
  curl_easy_setopt(c, CURLOPT_URL, request.url.c_str());
  curl_easy_setopt(c, CURLOPT_FOLLOWLOCATION, 1L);  // GitHub release assets redirect
  curl_easy_setopt(c, CURLOPT_MAXREDIRS, 10L);
  curl_easy_setopt(c, CURLOPT_FAILONERROR, 1L);     // HTTP >= 400 is an error, not a body
  curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT, 30L);
  curl_easy_setopt(c, CURLOPT_LOW_SPEED_LIMIT, 1L);  // give up after 60 s without progress
  curl_easy_setopt(c, CURLOPT_LOW_SPEED_TIME, 60L);
  curl_easy_setopt(c, CURLOPT_ERRORBUFFER, error_buffer);
  curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, on_data);
  curl_easy_setopt(c, CURLOPT_WRITEDATA, &transfer);
  curl_easy_setopt(c, CURLOPT_XFERINFOFUNCTION, on_progress);
  curl_easy_setopt(c, CURLOPT_XFERINFODATA, &transfer);
  curl_easy_setopt(c, CURLOPT_NOPROGRESS, 0L);
  curl_easy_setopt(c, CURLOPT_USERAGENT, "pelagos/" PELAGOS_VERSION);
  if (request.progress) std::cerr << fmt::format("downloading {}\n  -> {}\n", request.url, request.target_path);
  const CURLcode rc = curl_easy_perform(c);
  if (rc != CURLE_OK) {
    if (!transfer.write_error.empty()) throw Error(transfer.write_error);
    const std::string detail = error_buffer[0] ? error_buffer : curl_easy_strerror(rc);
    throw Error(fmt::format("download of {} failed: {}. Check the network connection (and proxy settings), or "
                            "download the file another way and pass its path with --weights.",
                            request.url, detail));
  }
  const std::string got = hash.hex_digest();
  if (!request.expected_sha256.empty() && got != request.expected_sha256)
    throw Error(fmt::format("download of {} has sha256 {}, expected {}; the file was discarded. The server "
                            "sent something else (a proxy error page, a changed release?); try again, or pass "
                            "--sha256 if you trust this file.", request.url, got, request.expected_sha256));
  out.commit();
  if (request.progress) std::cerr << fmt::format("  done, sha256 {}\n", got);
  return got;
}

}  // namespace pelagos
