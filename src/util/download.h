// Downloads one file over HTTP(S) or file:// (libcurl) into place atomically:
// the bytes go to a temporary file beside the target, their sha256 is checked,
// and only then is the file renamed over the target. A failed or mismatching
// download leaves no file behind.
#pragma once
#include <string>

namespace pelagos {

struct DownloadRequest {
  std::string url;
  std::string target_path;      // its folder is created when missing
  std::string expected_sha256;  // lowercase hex; empty: no check
  bool progress = true;         // progress lines on stderr
};

// Returns the sha256 of what was written. Throws pelagos::Error naming the URL
// and what to do (network failure, HTTP error, checksum mismatch).
std::string download_file(const DownloadRequest& request);

}  // namespace pelagos
