#include "util/download.h"

#include <curl/curl.h>

#include <chrono>
#include <filesystem>
#include <fmt/format.h>
#include <iostream>

#include "pelagos/error.h"
#include "util/atomic_file.h"
#include "util/sha256.h"
#include "util/system_library.h"

namespace pelagos {
namespace {

// libcurl and the ~30 libraries it pulls in (TLS, Kerberos, LDAP, ...) cost
// about 5 ms at every start of the program, a third of a `study ask`; only a
// download needs them, so they are loaded on first use.
struct CurlApi {
  decltype(&curl_easy_init) easy_init;
  decltype(&curl_easy_cleanup) easy_cleanup;
  decltype(&curl_easy_setopt) easy_setopt;
  decltype(&curl_easy_perform) easy_perform;
  decltype(&curl_easy_strerror) easy_strerror;
};

const CurlApi& curl_api() {
  static const CurlApi api = [] {
    const SystemLibrary lib("libcurl.so.4",
                            "cannot load libcurl ({}). Install it (apt-get install libcurl4), or download the "
                            "file another way and pass its path with --weights.");
    CurlApi a;
    a.easy_init = lib.function<decltype(a.easy_init)>("curl_easy_init");
    a.easy_cleanup = lib.function<decltype(a.easy_cleanup)>("curl_easy_cleanup");
    a.easy_setopt = lib.function<decltype(a.easy_setopt)>("curl_easy_setopt");
    a.easy_perform = lib.function<decltype(a.easy_perform)>("curl_easy_perform");
    a.easy_strerror = lib.function<decltype(a.easy_strerror)>("curl_easy_strerror");
    return a;
  }();
  return api;
}

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
  CURL* curl = curl_api().easy_init();
  ~CurlHandle() { curl_api().easy_cleanup(curl); }
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
  const auto setopt = curl_api().easy_setopt;
  setopt(c, CURLOPT_URL, request.url.c_str());
  setopt(c, CURLOPT_FOLLOWLOCATION, 1L);  // GitHub release assets redirect
  setopt(c, CURLOPT_MAXREDIRS, 10L);
  setopt(c, CURLOPT_FAILONERROR, 1L);     // HTTP >= 400 is an error, not a body
  setopt(c, CURLOPT_CONNECTTIMEOUT, 30L);
  setopt(c, CURLOPT_LOW_SPEED_LIMIT, 1L);  // give up after 60 s without progress
  setopt(c, CURLOPT_LOW_SPEED_TIME, 60L);
  setopt(c, CURLOPT_ERRORBUFFER, error_buffer);
  setopt(c, CURLOPT_WRITEFUNCTION, on_data);
  setopt(c, CURLOPT_WRITEDATA, &transfer);
  setopt(c, CURLOPT_XFERINFOFUNCTION, on_progress);
  setopt(c, CURLOPT_XFERINFODATA, &transfer);
  setopt(c, CURLOPT_NOPROGRESS, 0L);
  setopt(c, CURLOPT_USERAGENT, "pelagos/" PELAGOS_VERSION);
  if (request.progress) std::cerr << fmt::format("downloading {}\n  -> {}\n", request.url, request.target_path);
  const CURLcode rc = curl_api().easy_perform(c);
  if (rc != CURLE_OK) {
    if (!transfer.write_error.empty()) throw Error(transfer.write_error);
    const std::string detail = error_buffer[0] ? error_buffer : curl_api().easy_strerror(rc);
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
