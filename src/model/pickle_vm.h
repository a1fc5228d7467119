// A minimal, non-executing pickle interpreter: exactly what a torch.save
// state_dict needs (protocol 2 opcodes, plain containers and scalars, and an
// allowlist of globals). It never imports or calls anything: allowed globals
// are recognised by name and rebuilt here (OrderedDict -> dict, the tensor
// rebuild functions -> RawTensor, torch.*Storage -> a storage dtype). Any other
// global, any REDUCE on a non-allowlisted callable and any unknown opcode is
// refused with an Error naming the file, the byte offset and the offender.
// Every read is bounds-checked against the bytes left, so truncated or hostile
// input ends in an Error, never a crash.
#pragma once
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "model/raw_tensor.h"

namespace pelagos {

struct PickleValue;
using PickleRef = std::shared_ptr<PickleValue>;

struct PickleValue {
  enum class Kind { None, Bool, Int, BigInt, Float, String, Tuple, List, Dict, Global, Storage, Tensor };
  Kind kind = Kind::None;
  bool boolean = false;
  int64_t integer = 0;
  double real = 0.0;
  std::string text;                                 // String; BigInt (LE two's complement bytes); Global "module.name"
  std::vector<PickleRef> items;                     // Tuple, List
  std::vector<std::pair<PickleRef, PickleRef>> entries;  // Dict (insertion order)
  RawDType storage_dtype = RawDType::Float32;       // Global naming a torch.*Storage
  std::shared_ptr<RawStorage> storage;              // Storage
  RawTensor tensor;                                 // Tensor

  const char* kind_name() const;
};

// A bounded byte source: the interpreter never reads past `remaining()`.
class ByteReader {
 public:
  virtual ~ByteReader() = default;
  virtual void read(void* dst, size_t size) = 0;  // throws Error when fewer bytes remain
  virtual uint64_t remaining() const = 0;
  virtual uint64_t position() const = 0;
};

class MemoryReader : public ByteReader {
 public:
  MemoryReader(std::string_view bytes, std::string what) : bytes_(bytes), what_(std::move(what)) {}
  void read(void* dst, size_t size) override;
  uint64_t remaining() const override { return bytes_.size() - pos_; }
  uint64_t position() const override { return pos_; }

 private:
  std::string_view bytes_;
  std::string what_;
  size_t pos_ = 0;
};

// Turns a BINPERSID id (already a PickleValue) into the object it stands for.
using PersistentLoad = std::function<PickleRef(const PickleValue& pid)>;

// The result of one pickle. Owns every value created while reading, and on
// destruction unlinks them first, so deeply nested or cyclic hostile input
// cannot overflow the stack or leak.
class Unpickled {
 public:
  Unpickled() = default;
  ~Unpickled();
  Unpickled(Unpickled&&) = default;
  Unpickled& operator=(Unpickled&&) = delete;
  Unpickled(const Unpickled&) = delete;
  Unpickled& operator=(const Unpickled&) = delete;

  const PickleValue& root() const { return *root_; }

 private:
  friend class PickleMachine;
  std::vector<PickleRef> arena_;
  PickleRef root_;
};

// Reads one pickle (up to and including STOP) from `in`. `what` names the
// file (and record) in error messages.
Unpickled unpickle(ByteReader& in, const std::string& what, const PersistentLoad& persistent_load);

// The globals this interpreter accepts, for messages ("collections.OrderedDict, ...").
std::string allowed_pickle_globals();

}  // namespace pelagos
