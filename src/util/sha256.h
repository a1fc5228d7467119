// SHA-256 via OpenSSL: of a file (streamed) or of bytes, as lowercase hex.
#pragma once
#include <memory>
#include <string>
#include <string_view>

namespace pelagos {

class Sha256 {
 public:
  Sha256();
  ~Sha256();
  Sha256(const Sha256&) = delete;
  Sha256& operator=(const Sha256&) = delete;
  void update(const void* data, size_t size);
  void update(std::string_view text) { update(text.data(), text.size()); }
  std::string hex_digest();  // finishes the hash

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

std::string sha256_hex(std::string_view bytes);
// Throws pelagos::Error naming the file when it cannot be read.
std::string sha256_file(const std::string& path);

}  // namespace pelagos
