#include "model/vggish_fixture.h"

#include <zlib.h>

#include <filesystem>
#include <fmt/format.h>
#include <fstream>
#include <mutex>
#include <regex>
#include <stdexcept>
#include <vector>

#include "support/test_support.h"
#include "util/atomic_file.h"
#include "util/sha256.h"

namespace pelagos::test {
namespace {

struct Published {
  std::string sha256;
  uintmax_t bytes = 0;
};

// The reference README lists "| `sha` | bytes | path |" for every file.
Published published(const std::string& relative) {
  const std::string readme = read_file(shared_dir() + "/reference/README.md");
  std::smatch m;
  const std::regex row("\\| `([0-9a-f]{64})` \\| ([0-9]+) \\| " + std::regex_replace(relative, std::regex("\\."), "\\.") +
                       " \\|");
  if (!std::regex_search(readme, m, row)) throw std::runtime_error("reference README lists no sha256 for " + relative);
  return {m[1], std::stoull(m[2])};
}

// MANIFEST.sha256 ("sha  path" lines) covers the .gz files.
std::string manifest_sha256(const std::string& relative) {
  std::ifstream in(shared_dir() + "/reference/MANIFEST.sha256");
  std::string sha, path;
  while (in >> sha >> path)
    if (path == relative) return sha;
  throw std::runtime_error("MANIFEST.sha256 lists no " + relative);
}

void gunzip(const std::string& from, const std::string& to) {
  gzFile in = gzopen(from.c_str(), "rb");
  if (!in) throw std::runtime_error("cannot open " + from);
  AtomicFile out(to);
  std::vector<char> buf(1 << 20);
  for (;;) {
    const int n = gzread(in, buf.data(), static_cast<unsigned>(buf.size()));
    if (n < 0) {
      gzclose(in);
      throw std::runtime_error("gzip error in " + from);
    }
    if (n == 0) break;
    out.write(buf.data(), static_cast<size_t>(n));
  }
  gzclose(in);
  out.commit();
}

}  // namespace

std::string vggish_reference_dir() { return shared_dir() + "/reference/vggish"; }

std::string vggish_weight_fixture(const std::string& name) {
  static std::mutex mutex;
  std::lock_guard<std::mutex> lock(mutex);
  namespace fs = std::filesystem;
  const Published want = published("vggish/" + name);
  const fs::path dir = fs::path(PELAGOS_BINARY_DIR) / "test_fixtures";
  const fs::path target = dir / name;
  std::error_code ec;
  if (fs::is_regular_file(target) && fs::file_size(target, ec) == want.bytes) return target.string();
  fs::create_directories(dir);
  const std::string gz = vggish_reference_dir() + "/" + name + ".gz";
  if (sha256_file(gz) != manifest_sha256("vggish/" + name + ".gz"))
    throw std::runtime_error(gz + " does not match MANIFEST.sha256");
  gunzip(gz, target.string());
  if (sha256_file(target.string()) != want.sha256) {
    fs::remove(target);
    throw std::runtime_error(fmt::format("{} decompressed to the wrong bytes", gz));
  }
  return target.string();
}

}  // namespace pelagos::test
