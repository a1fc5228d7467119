#include "util/sha256.h"

#include <openssl/evp.h>

#include <cstdio>
#include <memory>
#include <fmt/format.h>

#include "pelagos/error.h"
#include "util/system_library.h"

namespace pelagos {
namespace {

// libcrypto, opened on first use: linked, it costs about half a millisecond at
// every start of the program, and only downloads and caches hash.
struct CryptoApi {
  decltype(&::EVP_MD_CTX_new) EVP_MD_CTX_new;
  decltype(&::EVP_MD_CTX_free) EVP_MD_CTX_free;
  decltype(&::EVP_sha256) EVP_sha256;
  decltype(&::EVP_DigestInit_ex) EVP_DigestInit_ex;
  decltype(&::EVP_DigestUpdate) EVP_DigestUpdate;
  decltype(&::EVP_DigestFinal_ex) EVP_DigestFinal_ex;
};

const CryptoApi& crypto() {
  static const CryptoApi api = [] {
    const SystemLibrary lib(PELAGOS_LIBCRYPTO_SONAME,
                            "cannot load libcrypto ({}), which pelagos needs to compute SHA-256 hashes. Install "
                            "OpenSSL's library (apt-get install libssl3).");
    CryptoApi a;
    a.EVP_MD_CTX_new = lib.function<decltype(a.EVP_MD_CTX_new)>("EVP_MD_CTX_new");
    a.EVP_MD_CTX_free = lib.function<decltype(a.EVP_MD_CTX_free)>("EVP_MD_CTX_free");
    a.EVP_sha256 = lib.function<decltype(a.EVP_sha256)>("EVP_sha256");
    a.EVP_DigestInit_ex = lib.function<decltype(a.EVP_DigestInit_ex)>("EVP_DigestInit_ex");
    a.EVP_DigestUpdate = lib.function<decltype(a.EVP_DigestUpdate)>("EVP_DigestUpdate");
    a.EVP_DigestFinal_ex = lib.function<decltype(a.EVP_DigestFinal_ex)>("EVP_DigestFinal_ex");
    return a;
  }();
  return api;
}

}  // namespace

struct Sha256::Impl {
  EVP_MD_CTX* ctx = nullptr;
};

Sha256::Sha256() : impl_(std::make_unique<Impl>()) {
  impl_->ctx = crypto().EVP_MD_CTX_new();
  if (!impl_->ctx || crypto().EVP_DigestInit_ex(impl_->ctx, crypto().EVP_sha256(), nullptr) != 1)
    throw std::runtime_error("OpenSSL SHA-256 initialisation failed");
}

Sha256::~Sha256() { crypto().EVP_MD_CTX_free(impl_->ctx); }

void Sha256::update(const void* data, size_t size) { crypto().EVP_DigestUpdate(impl_->ctx, data, size); }

std::string Sha256::hex_digest() {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  crypto().EVP_DigestFinal_ex(impl_->ctx, digest, &length);
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
