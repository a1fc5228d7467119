#include "util/atomic_file.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fmt/format.h>
#include <fstream>
#include <sstream>
#include <vector>

#include "pelagos/error.h"

namespace pelagos {

AtomicFile::AtomicFile(std::string target_path) : target_path_(std::move(target_path)) {
  namespace fs = std::filesystem;
  fs::path target(target_path_);
  fs::path dir = target.has_parent_path() ? target.parent_path() : fs::path(".");
  std::string pattern = (dir / ("." + target.filename().string() + ".tmp.XXXXXX")).string();
  std::vector<char> buf(pattern.begin(), pattern.end());
  buf.push_back('\0');
  fd_ = mkstemp(buf.data());
  if (fd_ < 0)
    throw Error(fmt::format("{}: cannot create a temporary file in {} ({}). Check that the folder "
                            "exists and is writable.", target_path_, dir.string(), std::strerror(errno)));
  temp_path_ = buf.data();
  fchmod(fd_, 0644);
}

AtomicFile::~AtomicFile() {
  if (fd_ >= 0) close(fd_);
  if (!committed_ && !temp_path_.empty()) unlink(temp_path_.c_str());
}

void AtomicFile::write(const void* data, size_t size) {
  const char* p = static_cast<const char*>(data);
  while (size > 0) {
    ssize_t n = ::write(fd_, p, size);
    if (n < 0) {
      if (errno == EINTR) continue;
      throw Error(fmt::format("{}: write failed ({}); the previous file, if any, is unchanged.",
                              target_path_, std::strerror(errno)));
    }
    p += n;
    size -= static_cast<size_t>(n);
  }
}

void AtomicFile::commit(bool flush_to_disk) {
  if (flush_to_disk && fsync(fd_) != 0)
    throw Error(fmt::format("{}: flushing to disk failed ({}); the previous file, if any, is unchanged.",
                            target_path_, std::strerror(errno)));
  close(fd_);
  fd_ = -1;
  if (std::rename(temp_path_.c_str(), target_path_.c_str()) != 0)
    throw Error(fmt::format("{}: cannot move the finished file into place ({}).", target_path_,
                            std::strerror(errno)));
  committed_ = true;
}

void write_file_atomic(const std::string& path, std::string_view bytes) {
  AtomicFile f(path);
  f.write(bytes);
  f.commit();
}

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw Error(fmt::format("{}: cannot open for reading ({}).", path, std::strerror(errno)));
  std::ostringstream ss;
  ss << in.rdbuf();
  if (in.bad()) throw Error(fmt::format("{}: read error.", path));
  return ss.str();
}

}  // namespace pelagos
