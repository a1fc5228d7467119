#include "util/sha256.h"

#include <openssl/evp.h>

#include <cstdio>
#include <memory>
#include <fmt/format.h>

#include "pelagos/error.h"

namespace pelagos {

struct Sha256::Impl {
  EVP_MD_CTX* ctx = nullptr;
};

Sha256::Sha256() : impl_(std::make_unique<Impl>()) {
  impl_->ctx = EVP_MD_CTX_new();
  if (!impl_->ctx || EVP_DigestInit_ex(impl_->ctx, EVP_sha256(), nullptr) != 1)
    throw std::runtime_error("OpenSSL SHA-256 initialisation failed");
}

Sha256::~Sha256() { EVP_MD_CTX_free(impl_->ctx); }

void Sha256::update(const void* data, size_t size) { EVP_DigestUpdate(impl_->ctx, data, size); }

std::string Sha256::hex_digest() {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  EVP_DigestFinal_ex(impl_->ctx, digest, &length);
  std::string hex;
  hex.reserve(length * 2);
  for (unsigned int i = 0; i < length; ++i) hex += fmt::format("{:02x}", digest[i]);
  return hex;
}

std::string sha256_hex(std::string_view bytes) {
  Sha256 h;
  h.update(bytes);
  return h.hex_digest();
}

std::string sha256_file(const std::string& path) {
  std::FILE* f = std::fopen(path.c_str(), "rb");
  if (!f) throw Error(fmt::format("{}: cannot open for reading", path));
  Sha256 h;
  constexpr size_t kBuffer = size_t(1) << 20;
  const std::unique_ptr<char[]> buffer(new char[kBuffer]);  // not zero-filled: fread overwrites it
  size_t n;
  while ((n = std::fread(buffer.get(), 1, kBuffer, f)) > 0) h.update(buffer.get(), n);
  bool failed = std::ferror(f) != 0;
  std::fclose(f);
  if (failed) throw Error(fmt::format("{}: read error while hashing", path));
  return h.hex_digest();
}

}  // namespace pelagos
