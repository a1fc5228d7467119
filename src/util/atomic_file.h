// Atomic outputs: write to a temporary file in the target's folder, flush it to
// disk, then rename over the target. A reader never sees a half-written file and
// an existing output survives a crash or a full disk.
#pragma once
#include <string>
#include <string_view>

namespace pelagos {

class AtomicFile {
 public:
  explicit AtomicFile(std::string target_path);
  ~AtomicFile();  // removes the temporary file unless commit() succeeded
  AtomicFile(const AtomicFile&) = delete;
  AtomicFile& operator=(const AtomicFile&) = delete;

  void write(const void* data, size_t size);
  void write(std::string_view text) { write(text.data(), text.size()); }
  // fsync + rename; throws pelagos::Error naming the target on failure. Pass
  // false for caches whose entries carry their own checksum: the rename stays
  // atomic for readers, only durability across a power loss is given up.
  void commit(bool flush_to_disk = true);
  const std::string& temp_path() const { return temp_path_; }

 private:
  std::string target_path_;
  std::string temp_path_;
  int fd_ = -1;
  bool committed_ = false;
};

void write_file_atomic(const std::string& path, std::string_view bytes);
std::string read_file(const std::string& path);  // throws pelagos::Error naming the file

}  // namespace pelagos
