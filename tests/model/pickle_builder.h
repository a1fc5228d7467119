// Builds small torch.save files byte by byte for the reader tests: valid ones
// (legacy and zip layout) and hostile ones. Only the opcodes the tests need.
#pragma once
#include <zip.h>

#include <cstdint>
#include <cstring>
#include <stdexcept>
#include <string>
#include <vector>

#include "util/atomic_file.h"

namespace pelagos::test {

class PickleBuilder {
 public:
  PickleBuilder() { out_ += "\x80\x02"; }  // PROTO 2
  PickleBuilder& op(char c) { out_ += c; return *this; }
  PickleBuilder& raw(const std::string& bytes) { out_ += bytes; return *this; }
  PickleBuilder& global(const std::string& module, const std::string& name) {
    out_ += 'c' + module + '\n' + name + '\n';
    return *this;
  }
  PickleBuilder& str(const std::string& s) {
    out_ += 'X';
    put32(static_cast<uint32_t>(s.size()));
    out_ += s;
    return *this;
  }
  PickleBuilder& integer(int32_t v) {
    out_ += 'J';
    put32(static_cast<uint32_t>(v));
    return *this;
  }
  PickleBuilder& none() { return op('N'); }
  PickleBuilder& boolean(bool b) { return op(b ? '\x88' : '\x89'); }
  PickleBuilder& mark() { return op('('); }
  PickleBuilder& tuple() { return op('t'); }
  PickleBuilder& int_tuple(const std::vector<int64_t>& v) {
    mark();
    for (int64_t x : v) integer(static_cast<int32_t>(x));
    return tuple();
  }
  PickleBuilder& ordered_dict() { return global("collections", "OrderedDict").op(')').op('R'); }
  std::string finish() { return out_ + '.'; }

 private:
  void put32(uint32_t v) {
    for (int i = 0; i < 4; ++i) out_ += static_cast<char>((v >> (8 * i)) & 0xff);
  }
  std::string out_;
};

struct FakeTensor {
  std::string key;
  std::string storage_key;
  std::vector<int64_t> shape, stride;
  int64_t offset = 0;
};

struct FakeStorage {
  std::string key;
  std::string type = "FloatStorage";
  int64_t numel = 0;
  std::string bytes;  // numel * itemsize
};

inline std::string floats(const std::vector<float>& v) {
  return std::string(reinterpret_cast<const char*>(v.data()), v.size() * sizeof(float));
}

// The object pickle of an OrderedDict state_dict; `legacy` selects the 6-field persistent id.
inline std::string state_dict_pickle(const std::vector<FakeTensor>& tensors, const std::vector<FakeStorage>& storages,
                                     bool legacy) {
  PickleBuilder p;
  p.ordered_dict();
  for (const auto& t : tensors) {
    const FakeStorage* s = nullptr;
    for (const auto& c : storages)
      if (c.key == t.storage_key) s = &c;
    if (!s) throw std::logic_error("FakeTensor names an unknown storage");
    p.str(t.key).global("torch._utils", "_rebuild_tensor_v2").mark();
    p.mark().str("storage").global("torch", s->type).str(s->key).str("cpu").integer(static_cast<int32_t>(s->numel));
    if (legacy) p.none();
    p.tuple().op('Q');
    p.integer(static_cast<int32_t>(t.offset)).int_tuple(t.shape).int_tuple(t.stride).boolean(false).ordered_dict();
    p.tuple().op('R').op('s');
  }
  return p.finish();
}

inline std::string legacy_pth(const std::vector<FakeTensor>& tensors, const std::vector<FakeStorage>& storages) {
  std::string out = std::string("\x80\x02\x8a\x0a\x6c\xfc\x9c\x46\xf9\x20\x6a\xa8\x50\x19\x2e", 15);  // magic
  out += std::string("\x80\x02\x4d\xe9\x03\x2e", 6);  // 1001
  out += PickleBuilder().op('}').str("little_endian").boolean(true).op('s').finish();
  out += state_dict_pickle(tensors, storages, true);
  PickleBuilder keys;
  keys.op(']').mark();
  for (const auto& s : storages) keys.str(s.key);
  out += keys.op('e').finish();
  for (const auto& s : storages) {
    int64_t n = s.numel;
    out += std::string(reinterpret_cast<const char*>(&n), 8) + s.bytes;
  }
  return out;
}

// Writes a zip archive with the given records (name -> bytes), stored uncompressed.
inline void write_zip(const std::string& path, const std::vector<std::pair<std::string, std::string>>& records) {
  int err = 0;
  zip_t* z = zip_open(path.c_str(), ZIP_CREATE | ZIP_TRUNCATE, &err);
  if (!z) throw std::runtime_error("cannot create " + path);
  for (const auto& [name, bytes] : records) {
    zip_source_t* src = zip_source_buffer(z, bytes.data(), bytes.size(), 0);
    const zip_int64_t index = zip_file_add(z, name.c_str(), src, ZIP_FL_OVERWRITE);
    zip_set_file_compression(z, static_cast<zip_uint64_t>(index), ZIP_CM_STORE, 0);
  }
  if (zip_close(z) != 0) throw std::runtime_error("cannot write " + path);
}

inline void write_zip_pth(const std::string& path, const std::vector<FakeTensor>& tensors,
                          const std::vector<FakeStorage>& storages, const std::string& archive = "archive") {
  std::vector<std::pair<std::string, std::string>> records{
      {archive + "/data.pkl", state_dict_pickle(tensors, storages, false)}, {archive + "/version", "3\n"}};
  for (const auto& s : storages) records.emplace_back(archive + "/data/" + s.key, s.bytes);
  write_zip(path, records);
}

}  // namespace pelagos::test
