#include "model/pth_reader.h"

#include <zip.h>

#include <array>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fmt/format.h>
#include <map>
#include <memory>

#include "model/pickle_vm.h"
#include "pelagos/error.h"

namespace pelagos {
namespace {

// Legacy files start with the pickled magic number 0x1950a86a20f9469cfc6c.
constexpr std::array<uint8_t, 10> kLegacyMagic{0x6c, 0xfc, 0x9c, 0x46, 0xf9, 0x20, 0x6a, 0xa8, 0x50, 0x19};
constexpr int64_t kLegacyProtocol = 1001;
constexpr uint64_t kMaxPickleBytes = 64ull << 20;  // a state_dict's pickle is a few KB

class FileReader : public ByteReader {
 public:
  explicit FileReader(const std::string& path) : path_(path), file_(std::fopen(path.c_str(), "rb")) {
    if (!file_) throw Error(fmt::format("{}: cannot open ({}).", path, std::strerror(errno)));
    std::fseek(file_.get(), 0, SEEK_END);
    size_ = static_cast<uint64_t>(std::ftell(file_.get()));
    std::fseek(file_.get(), 0, SEEK_SET);
  }
  void read(void* dst, size_t size) override {
    if (size > remaining())
      throw Error(fmt::format("{}: truncated: needed {} bytes at offset {}, only {} left. The file is "
                              "incomplete or corrupt; download it again.", path_, size, pos_, remaining()));
    if (std::fread(dst, 1, size, file_.get()) != size) throw Error(fmt::format("{}: read error at offset {}.", path_, pos_));
    pos_ += size;
  }
  uint64_t remaining() const override { return size_ - pos_; }
  uint64_t position() const override { return pos_; }
  uint64_t size() const { return size_; }

 private:
  struct Closer {
    void operator()(std::FILE* f) const { std::fclose(f); }
  };
  std::string path_;
  std::unique_ptr<std::FILE, Closer> file_;
  uint64_t size_ = 0;
  uint64_t pos_ = 0;
};

// A persistent id names a storage: ('storage', torch.<T>Storage, key, location, numel[, view]).
struct StorageRef {
  RawDType dtype;
  std::string key;
  int64_t numel;
};

StorageRef parse_storage_id(const PickleValue& pid, const std::string& what, size_t fields) {
  using K = PickleValue::Kind;
  const auto& f = pid.items;
  if (pid.kind != K::Tuple || f.size() != fields || f[0]->kind != K::String || f[0]->text != "storage")
    throw Error(fmt::format("{}: a persistent id is not a ('storage', ...) tuple of {} fields; the file is "
                            "not a torch state_dict.", what, fields));
  if (f[1]->kind != K::Global || f[2]->kind != K::String || f[3]->kind != K::String || f[4]->kind != K::Int ||
      f[4]->integer < 0)
    throw Error(fmt::format("{}: malformed storage reference.", what));
  if (fields == 6 && f[5]->kind != K::None)
    throw Error(fmt::format("{}: storage '{}' is a view of another storage (pre-1.0 layout); re-save "
                            "the file with a current PyTorch.", what, f[2]->text));
  // The global was allowlisted when read; its storage_dtype is the element type.
  if (f[1]->text.rfind("torch.", 0) != 0 || f[1]->text.find("Storage") == std::string::npos)
    throw Error(fmt::format("{}: storage type '{}' is not a torch storage.", what, f[1]->text));
  return {f[1]->storage_dtype, f[2]->text, f[4]->integer};
}

PickleRef storage_value(std::shared_ptr<RawStorage> storage) {
  auto v = std::make_shared<PickleValue>();
  v->kind = PickleValue::Kind::Storage;
  v->storage = std::move(storage);
  return v;
}

// Shares one RawStorage per key and checks that every use agrees on dtype and size.
class StorageTable {
 public:
  explicit StorageTable(std::string what) : what_(std::move(what)) {}
  std::shared_ptr<RawStorage> get(const StorageRef& ref, bool* created) {
    auto& slot = by_key_[ref.key];
    *created = !slot;
    if (!slot) {
      slot = std::make_shared<RawStorage>();
      slot->dtype = ref.dtype;
      slot->numel = ref.numel;
    } else if (slot->dtype != ref.dtype || slot->numel != ref.numel) {
      throw Error(fmt::format("{}: storage '{}' is referenced with different types or sizes.", what_, ref.key));
    }
    return slot;
  }
  std::shared_ptr<RawStorage> find(const std::string& key) const {
    auto it = by_key_.find(key);
    return it == by_key_.end() ? nullptr : it->second;
  }
  size_t size() const { return by_key_.size(); }

 private:
  std::string what_;
  std::map<std::string, std::shared_ptr<RawStorage>> by_key_;
};

uint64_t storage_bytes(const RawStorage& s, const std::string& what) {
  const uint64_t item = raw_dtype_size(s.dtype);
  if (static_cast<uint64_t>(s.numel) > (uint64_t{1} << 50) / item)
    throw Error(fmt::format("{}: a storage claims {} elements, more than any real file holds.", what, s.numel));
  return static_cast<uint64_t>(s.numel) * item;
}

RawStateDict to_state_dict(const PickleValue& root, const std::string& what) {
  using K = PickleValue::Kind;
  if (root.kind != K::Dict)
    throw Error(fmt::format("{}: holds a {}, not a state_dict (a dict of tensors). Save the model with "
                            "torch.save(model.state_dict(), path).", what, root.kind_name()));
  RawStateDict out;
  for (const auto& [key, value] : root.entries) {
    if (key->kind != K::String) throw Error(fmt::format("{}: a state_dict key is a {}, not a string.", what, key->kind_name()));
    if (value->kind != K::Tensor)
      throw Error(fmt::format("{}: entry '{}' is a {}, not a tensor. Save only model.state_dict().", what,
                              key->text, value->kind_name()));
    out.emplace_back(key->text, value->tensor);
  }
  return out;
}

void check_loaded(const RawStateDict& tensors, const std::string& what) {
  for (const auto& [key, t] : tensors)
    if (t.storage->bytes.size() != storage_bytes(*t.storage, what))
      throw Error(fmt::format("{}: the data of tensor '{}' is missing from the file.", what, key));
}

// ---- legacy layout ---------------------------------------------------------

PthContents read_legacy(const std::string& path) {
  FileReader in(path);
  auto no_persistent = [&](const PickleValue&) -> PickleRef {
    throw Error(fmt::format("{}: unexpected storage reference in the file header.", path));
  };
  {
    Unpickled magic = unpickle(in, path, no_persistent);
    const auto& m = magic.root();
    if (m.kind != PickleValue::Kind::BigInt || m.text.size() != kLegacyMagic.size() ||
        std::memcmp(m.text.data(), kLegacyMagic.data(), kLegacyMagic.size()) != 0)
      throw Error(fmt::format("{}: not a torch.save file (wrong magic number).", path));
  }
  {
    Unpickled protocol = unpickle(in, path, no_persistent);
    if (protocol.root().kind != PickleValue::Kind::Int || protocol.root().integer != kLegacyProtocol)
      throw Error(fmt::format("{}: unsupported legacy torch.save protocol.", path));
  }
  {
    Unpickled sys_info = unpickle(in, path, no_persistent);
    const auto& info = sys_info.root();
    if (info.kind != PickleValue::Kind::Dict) throw Error(fmt::format("{}: malformed sys-info header.", path));
    for (const auto& [k, v] : info.entries)
      if (k->kind == PickleValue::Kind::String && k->text == "little_endian" &&
          !(v->kind == PickleValue::Kind::Bool && v->boolean))
        throw Error(fmt::format("{}: saved on a big-endian machine; re-save it on a little-endian one.", path));
  }
  StorageTable storages(path);
  auto persistent = [&](const PickleValue& pid) {
    bool created = false;
    return storage_value(storages.get(parse_storage_id(pid, path, 6), &created));
  };
  RawStateDict tensors;
  {
    Unpickled object = unpickle(in, path, persistent);
    tensors = to_state_dict(object.root(), path);
  }
  Unpickled keys = unpickle(in, path, no_persistent);
  if (keys.root().kind != PickleValue::Kind::List)
    throw Error(fmt::format("{}: the storage key list is missing or malformed.", path));
  for (const auto& key : keys.root().items) {
    if (key->kind != PickleValue::Kind::String) throw Error(fmt::format("{}: a storage key is not a string.", path));
    auto storage = storages.find(key->text);
    if (!storage) throw Error(fmt::format("{}: data for unknown storage '{}'.", path, key->text));
    if (!storage->bytes.empty()) throw Error(fmt::format("{}: storage '{}' appears twice.", path, key->text));
    int64_t count;
    in.read(&count, sizeof count);
    if (count != storage->numel)
      throw Error(fmt::format("{}: storage '{}' holds {} elements, the pickle declared {}.", path, key->text,
                              count, storage->numel));
    const uint64_t n = storage_bytes(*storage, path);
    if (n > in.remaining())
      throw Error(fmt::format("{}: truncated: storage '{}' needs {} bytes, only {} left. Download the file again.",
                              path, key->text, n, in.remaining()));
    storage->bytes.resize(n);
    in.read(storage->bytes.data(), n);
  }
  check_loaded(tensors, path);
  return {PthFormat::Legacy, std::move(tensors)};
}

// ---- zip layout ------------------------------------------------------------

class ZipArchive {
 public:
  explicit ZipArchive(const std::string& path) : path_(path) {
    int err = 0;
    zip_ = zip_open(path.c_str(), ZIP_RDONLY, &err);
    if (!zip_) {
      zip_error_t e;
      zip_error_init_with_code(&e, err);
      std::string msg = zip_error_strerror(&e);
      zip_error_fini(&e);
      throw Error(fmt::format("{}: cannot open as a zip archive ({}).", path, msg));
    }
  }
  ~ZipArchive() { zip_discard(zip_); }
  ZipArchive(const ZipArchive&) = delete;
  ZipArchive& operator=(const ZipArchive&) = delete;

  std::vector<std::string> names() const {
    std::vector<std::string> out;
    const zip_int64_t n = zip_get_num_entries(zip_, 0);
    for (zip_int64_t i = 0; i < n; ++i)
      if (const char* name = zip_get_name(zip_, static_cast<zip_uint64_t>(i), 0)) out.emplace_back(name);
    return out;
  }
  bool has(const std::string& name) const { return zip_name_locate(zip_, name.c_str(), 0) >= 0; }
  uint64_t size_of(const std::string& name) const {
    zip_stat_t st;
    if (zip_stat(zip_, name.c_str(), 0, &st) != 0 || !(st.valid & ZIP_STAT_SIZE))
      throw Error(fmt::format("{}: record '{}' is missing.", path_, name));
    return st.size;
  }
  // Reads exactly `size` bytes of a record into dst.
  void read(const std::string& name, void* dst, uint64_t size) const {
    zip_file_t* f = zip_fopen(zip_, name.c_str(), 0);
    if (!f) throw Error(fmt::format("{}: cannot open record '{}' ({}).", path_, name, zip_strerror(zip_)));
    uint64_t done = 0;
    while (done < size) {
      const zip_int64_t got = zip_fread(f, static_cast<char*>(dst) + done, size - done);
      if (got <= 0) break;
      done += static_cast<uint64_t>(got);
    }
    zip_fclose(f);
    if (done != size)
      throw Error(fmt::format("{}: record '{}' is truncated or corrupt ({} of {} bytes).", path_, name, done, size));
  }

 private:
  std::string path_;
  zip_t* zip_ = nullptr;
};

PthContents read_zip(const std::string& path, uint64_t file_size) {
  ZipArchive zip(path);
  // torch writes every record under one top-level folder whose name varies.
  std::string prefix;
  int found = 0;
  for (const auto& name : zip.names()) {
    const std::string tail = "data.pkl";
    if (name.size() < tail.size() || name.compare(name.size() - tail.size(), tail.size(), tail) != 0) continue;
    const std::string p = name.substr(0, name.size() - tail.size());
    if (!p.empty() && (p.back() != '/' || p.find('/') != p.size() - 1)) continue;
    prefix = p;
    ++found;
  }
  if (found == 0)
    throw Error(fmt::format("{}: zip archive without a data.pkl record, so it is not a torch.save file "
                            "(a TorchScript or other archive?).", path));
  if (found > 1) throw Error(fmt::format("{}: zip archive holds several data.pkl records.", path));

  const std::string pkl_name = prefix + "data.pkl";
  const uint64_t pkl_size = zip.size_of(pkl_name);
  if (pkl_size > kMaxPickleBytes) throw Error(fmt::format("{}: data.pkl is implausibly large ({} bytes).", path, pkl_size));
  std::string pkl(pkl_size, '\0');
  zip.read(pkl_name, pkl.data(), pkl_size);

  const std::string what = fmt::format("{} ({})", path, pkl_name);
  StorageTable storages(what);
  uint64_t total_bytes = 0;
  auto persistent = [&](const PickleValue& pid) {
    const StorageRef ref = parse_storage_id(pid, what, 5);
    bool created = false;
    auto storage = storages.get(ref, &created);
    if (created) {
      const std::string record = prefix + "data/" + ref.key;
      if (!zip.has(record)) throw Error(fmt::format("{}: record '{}' is missing.", path, record));
      const uint64_t n = storage_bytes(*storage, path);
      if (zip.size_of(record) != n)
        throw Error(fmt::format("{}: record '{}' holds {} bytes, the pickle declared {} {} elements ({} bytes).",
                                path, record, zip.size_of(record), ref.numel, raw_dtype_name(ref.dtype), n));
      total_bytes += n;
      // Stored (uncompressed) records cannot exceed the archive; allow some room for compressed ones.
      if (total_bytes > 64 * file_size + (1u << 20))
        throw Error(fmt::format("{}: storages claim far more data than the archive can hold.", path));
      storage->bytes.resize(n);
      zip.read(record, storage->bytes.data(), n);
    }
    return storage_value(storage);
  };
  MemoryReader in(pkl, what);
  Unpickled object = unpickle(in, what, persistent);
  RawStateDict tensors = to_state_dict(object.root(), what);
  check_loaded(tensors, path);
  return {PthFormat::Zip, std::move(tensors)};
}

}  // namespace

const char* pth_format_name(PthFormat format) { return format == PthFormat::Zip ? "zip" : "legacy"; }

PthContents read_pth(const std::string& path) {
  uint64_t size = 0;
  std::array<uint8_t, 4> head{};
  {
    FileReader probe(path);
    size = probe.size();
    if (size < head.size()) throw Error(fmt::format("{}: file too short to be a torch.save file ({} bytes).", path, size));
    probe.read(head.data(), head.size());
  }
  if (head[0] == 'P' && head[1] == 'K') return read_zip(path, size);
  if (head[0] == 0x80 && head[1] == 0x02 && head[2] == 0x8a) return read_legacy(path);
  throw Error(fmt::format("{}: not a torch.save file (neither a zip archive nor a legacy pickle). "
                          "Pass the VGGish state_dict .pth file.", path));
}

}  // namespace pelagos
