#include "model/pickle_vm.h"

#include <array>
#include <cstring>
#include <fmt/format.h>

#include "pelagos/error.h"

namespace pelagos {
namespace {

// Upper bounds that no state_dict comes near; they keep hostile input from
// allocating without limit before the byte budget runs out.
constexpr size_t kMaxStack = 1 << 20;
constexpr size_t kMaxMemo = 1 << 20;
constexpr size_t kMaxTensorDims = 32;
constexpr int64_t kMaxElements = int64_t{1} << 40;

struct StorageGlobal {
  const char* name;
  RawDType dtype;
};
constexpr std::array<StorageGlobal, 10> kStorageGlobals{{
    {"FloatStorage", RawDType::Float32}, {"DoubleStorage", RawDType::Float64},
    {"HalfStorage", RawDType::Float16}, {"BFloat16Storage", RawDType::BFloat16},
    {"LongStorage", RawDType::Int64}, {"IntStorage", RawDType::Int32},
    {"ShortStorage", RawDType::Int16}, {"CharStorage", RawDType::Int8},
    {"ByteStorage", RawDType::UInt8}, {"BoolStorage", RawDType::Bool},
}};

constexpr const char* kOrderedDict = "collections.OrderedDict";
constexpr const char* kRebuildTensor = "torch._utils._rebuild_tensor_v2";
constexpr const char* kRebuildParameter = "torch._utils._rebuild_parameter";

std::string opcode_text(uint8_t op) {
  if (op >= 0x20 && op < 0x7f) return fmt::format("0x{:02x} ('{}')", op, static_cast<char>(op));
  return fmt::format("0x{:02x}", op);
}

}  // namespace

const char* PickleValue::kind_name() const {
  switch (kind) {
    case Kind::None: return "None";
    case Kind::Bool: return "bool";
    case Kind::Int: return "int";
    case Kind::BigInt: return "int";
    case Kind::Float: return "float";
    case Kind::String: return "str";
    case Kind::Tuple: return "tuple";
    case Kind::List: return "list";
    case Kind::Dict: return "dict";
    case Kind::Global: return "global";
    case Kind::Storage: return "storage";
    case Kind::Tensor: return "tensor";
  }
  return "?";
}

void MemoryReader::read(void* dst, size_t size) {
  if (size > remaining())
    throw Error(fmt::format("{}: truncated: needed {} bytes at offset {}, only {} left. The file is "
                            "incomplete or corrupt; download it again.", what_, size, pos_, remaining()));
  std::memcpy(dst, bytes_.data() + pos_, size);
  pos_ += size;
}

std::string allowed_pickle_globals() {
  std::string out = fmt::format("{}, {}, {}", kOrderedDict, kRebuildTensor, kRebuildParameter);
  for (const auto& s : kStorageGlobals) out += fmt::format(", torch.{}", s.name);
  return out;
}

Unpickled::~Unpickled() {
  // Unlink before release: no value then owns another, so destruction is flat.
  root_.reset();
  for (auto& v : arena_) {
    v->items.clear();
    v->entries.clear();
  }
}

class PickleMachine {
 public:
  PickleMachine(ByteReader& in, const std::string& what, const PersistentLoad& persistent_load)
      : in_(in), what_(what), persistent_load_(persistent_load) {}

  Unpickled run() {
    for (;;) {
      op_offset_ = in_.position();
      const uint8_t op = u8();
      if (op == '.') break;  // STOP
      step(op);
    }
    if (stack_.size() != 1 || !marks_.empty())
      fail(fmt::format("malformed pickle: {} values left on the stack at STOP", stack_.size()));
    result_.root_ = stack_.back();
    return std::move(result_);
  }

 private:
  [[noreturn]] void fail(const std::string& message) const {
    throw Error(fmt::format("{}: {} (pickle byte {}).", what_, message, op_offset_));
  }

  uint8_t u8() {
    uint8_t v;
    in_.read(&v, 1);
    return v;
  }
  uint32_t u16() {
    uint8_t b[2];
    in_.read(b, 2);
    return b[0] | (uint32_t{b[1]} << 8);
  }
  uint32_t u32() {
    uint8_t b[4];
    in_.read(b, 4);
    return b[0] | (uint32_t{b[1]} << 8) | (uint32_t{b[2]} << 16) | (uint32_t{b[3]} << 24);
  }
  std::string bytes(uint64_t n) {
    if (n > in_.remaining()) fail(fmt::format("truncated: a {}-byte string runs past the end", n));
    std::string s(static_cast<size_t>(n), '\0');
    in_.read(s.data(), s.size());
    return s;
  }
  std::string line() {  // GLOBAL arguments: text up to '\n'
    std::string s;
    for (;;) {
      const char c = static_cast<char>(u8());
      if (c == '\n') return s;
      if (s.size() > 256) fail("GLOBAL name longer than 256 characters");
      s += c;
    }
  }

  PickleRef make(PickleValue::Kind kind) {
    auto v = std::make_shared<PickleValue>();
    v->kind = kind;
    result_.arena_.push_back(v);
    return v;
  }
  PickleRef make_int(int64_t i) {
    auto v = make(PickleValue::Kind::Int);
    v->integer = i;
    return v;
  }
  void push(PickleRef v) {
    if (stack_.size() >= kMaxStack) fail("pickle stack too deep");
    stack_.push_back(std::move(v));
  }
  PickleRef pop() {
    if (stack_.size() <= mark_floor()) fail("pickle stack underflow");
    PickleRef v = std::move(stack_.back());
    stack_.pop_back();
    return v;
  }
  PickleRef& top() {
    if (stack_.size() <= mark_floor()) fail("pickle stack underflow");
    return stack_.back();
  }
  size_t mark_floor() const { return marks_.empty() ? 0 : marks_.back(); }
  std::vector<PickleRef> pop_to_mark() {
    if (marks_.empty()) fail("pickle opcode needs a MARK but none is set");
    const size_t start = marks_.back();
    marks_.pop_back();
    std::vector<PickleRef> items(stack_.begin() + static_cast<std::ptrdiff_t>(start), stack_.end());
    stack_.resize(start);
    return items;
  }
  PickleRef tuple(std::vector<PickleRef> items) {
    auto t = make(PickleValue::Kind::Tuple);
    t->items = std::move(items);
    return t;
  }
  void memo_put(uint32_t index) {
    if (memo_.size() >= kMaxMemo && !memo_.count(index)) fail("too many pickle memo entries");
    memo_[index] = top();
  }
  void memo_get(uint32_t index) {
    auto it = memo_.find(index);
    if (it == memo_.end()) fail(fmt::format("pickle memo index {} was never stored", index));
    push(it->second);
  }
  PickleValue& dict_target(PickleRef& target, const char* op) {
    if (target->kind != PickleValue::Kind::Dict)
      fail(fmt::format("{} on a {}, expected a dict", op, target->kind_name()));
    return *target;
  }

  void step(uint8_t op) {
    using K = PickleValue::Kind;
    switch (op) {
      case 0x80: {  // PROTO
        const uint8_t proto = u8();
        if (proto < 2 || proto > 3) fail(fmt::format("pickle protocol {} is not supported (expected 2)", proto));
        break;
      }
      case 'c': global(); break;
      case 'R': reduce(); break;
      case 'b': build(); break;
      case 'Q': {  // BINPERSID
        PickleRef pid = pop();
        PickleRef obj = persistent_load_(*pid);
        result_.arena_.push_back(obj);
        push(std::move(obj));
        break;
      }
      case '(':
        if (marks_.size() >= kMaxStack) fail("too many MARKs");
        marks_.push_back(stack_.size());
        break;
      case ')': push(make(K::Tuple)); break;
      case 't': push(tuple(pop_to_mark())); break;
      case 0x85: { auto a = pop(); push(tuple({a})); break; }
      case 0x86: { auto b = pop(); auto a = pop(); push(tuple({a, b})); break; }
      case 0x87: { auto c = pop(); auto b = pop(); auto a = pop(); push(tuple({a, b, c})); break; }
      case '}': push(make(K::Dict)); break;
      case ']': push(make(K::List)); break;
      case 'a': {  // APPEND
        auto v = pop();
        auto& list = top();
        if (list->kind != K::List) fail(fmt::format("APPEND on a {}", list->kind_name()));
        list->items.push_back(v);
        break;
      }
      case 'e': {  // APPENDS
        auto items = pop_to_mark();
        auto& list = top();
        if (list->kind != K::List) fail(fmt::format("APPENDS on a {}", list->kind_name()));
        list->items.insert(list->items.end(), items.begin(), items.end());
        break;
      }
      case 's': {  // SETITEM
        auto value = pop();
        auto key = pop();
        dict_target(top(), "SETITEM").entries.emplace_back(key, value);
        break;
      }
      case 'u': {  // SETITEMS
        auto items = pop_to_mark();
        if (items.size() % 2) fail("SETITEMS with an odd number of values");
        auto& dict = dict_target(top(), "SETITEMS");
        for (size_t i = 0; i < items.size(); i += 2) dict.entries.emplace_back(items[i], items[i + 1]);
        break;
      }
      case 'q': memo_put(u8()); break;     // BINPUT
      case 'r': memo_put(u32()); break;    // LONG_BINPUT
      case 'h': memo_get(u8()); break;     // BINGET
      case 'j': memo_get(u32()); break;    // LONG_BINGET
      case 'X': {                          // BINUNICODE
        auto s = make(K::String);
        s->text = bytes(u32());
        push(s);
        break;
      }
      case 0x8c: {                         // SHORT_BINUNICODE
        auto s = make(K::String);
        s->text = bytes(u8());
        push(s);
        break;
      }
      case 'J': push(make_int(static_cast<int32_t>(u32()))); break;  // BININT (signed)
      case 'K': push(make_int(u8())); break;                          // BININT1
      case 'M': push(make_int(u16())); break;                         // BININT2
      case 0x8a: long1(); break;
      case 'G': {  // BINFLOAT: big-endian double
        uint8_t b[8];
        in_.read(b, 8);
        uint64_t bits = 0;
        for (uint8_t byte : b) bits = (bits << 8) | byte;
        auto f = make(K::Float);
        std::memcpy(&f->real, &bits, sizeof bits);
        push(f);
        break;
      }
      case 'N': push(make(K::None)); break;
      case 0x88: case 0x89: {  // NEWTRUE, NEWFALSE
        auto b = make(K::Bool);
        b->boolean = op == 0x88;
        push(b);
        break;
      }
      default:
        fail(fmt::format("unsupported pickle opcode {}; a torch state_dict never needs it, so the file "
                         "is not a plain state_dict (or it is corrupt)", opcode_text(op)));
    }
  }

  void long1() {
    const uint8_t n = u8();
    std::string raw = bytes(n);
    if (n <= 8) {
      uint64_t v = 0;
      for (size_t i = 0; i < n; ++i) v |= uint64_t{static_cast<uint8_t>(raw[i])} << (8 * i);
      if (n > 0 && n < 8 && (static_cast<uint8_t>(raw[n - 1]) & 0x80)) v |= ~uint64_t{0} << (8 * n);  // sign-extend
      int64_t value;
      std::memcpy(&value, &v, sizeof value);
      push(make_int(value));
    } else {
      auto big = make(PickleValue::Kind::BigInt);  // only the legacy magic number is this long
      big->text = std::move(raw);
      push(big);
    }
  }

  void global() {
    const std::string module = line();
    const std::string name = line();
    const std::string full = module + "." + name;
    auto g = make(PickleValue::Kind::Global);
    g->text = full;
    bool allowed = full == kOrderedDict || full == kRebuildTensor || full == kRebuildParameter;
    if (module == "torch") {
      for (const auto& s : kStorageGlobals) {
        if (name == s.name) {
          allowed = true;
          g->storage_dtype = s.dtype;
        }
      }
    }
    if (!allowed)
      fail(fmt::format("refusing to load: the pickle references the global '{}', which a tensor "
                       "state_dict never needs. pelagos does not execute code from weight files; it "
                       "accepts only {}. Use a plain torch.save(model.state_dict()) file",
                       full, allowed_pickle_globals()));
    push(g);
  }

  void reduce() {
    using K = PickleValue::Kind;
    PickleRef args = pop();
    PickleRef callable = pop();
    if (callable->kind != K::Global)
      fail(fmt::format("REDUCE on a {}, only allowlisted globals may be called", callable->kind_name()));
    if (args->kind != K::Tuple) fail(fmt::format("REDUCE arguments are a {}, expected a tuple", args->kind_name()));
    const std::string& name = callable->text;
    if (name == kOrderedDict) {
      if (!args->items.empty()) fail("collections.OrderedDict called with arguments");
      push(make(K::Dict));
    } else if (name == kRebuildTensor) {
      push(rebuild_tensor(*args));
    } else if (name == kRebuildParameter) {
      if (args->items.size() != 3 || args->items[0]->kind != K::Tensor)
        fail("torch._utils._rebuild_parameter expects (tensor, requires_grad, hooks)");
      push(args->items[0]);
    } else {
      fail(fmt::format("refusing to call '{}': it is not a function a state_dict needs", name));
    }
  }

  // BUILD sets an object's state. The only case in a state_dict is an
  // OrderedDict's `_metadata` attribute, which carries nothing we use.
  void build() {
    PickleRef state = pop();
    PickleRef& obj = top();
    if (obj->kind != PickleValue::Kind::Dict)
      fail(fmt::format("BUILD on a {}: only OrderedDict state is accepted", obj->kind_name()));
    if (state->kind != PickleValue::Kind::Dict && state->kind != PickleValue::Kind::None)
      fail(fmt::format("BUILD with {} state on an OrderedDict", state->kind_name()));
  }

  std::vector<int64_t> int_tuple(const PickleValue& v, const char* what, size_t max_len) {
    if (v.kind != PickleValue::Kind::Tuple) fail(fmt::format("tensor {} is a {}, expected a tuple", what, v.kind_name()));
    if (v.items.size() > max_len) fail(fmt::format("tensor {} has {} entries", what, v.items.size()));
    std::vector<int64_t> out;
    for (const auto& item : v.items) {
      if (item->kind != PickleValue::Kind::Int || item->integer < 0 || item->integer > kMaxElements)
        fail(fmt::format("tensor {} holds an invalid entry", what));
      out.push_back(item->integer);
    }
    return out;
  }

  // _rebuild_tensor_v2(storage, storage_offset, size, stride, requires_grad, hooks[, metadata])
  PickleRef rebuild_tensor(const PickleValue& args) {
    using K = PickleValue::Kind;
    const auto& a = args.items;
    if (a.size() < 6 || a.size() > 7) fail("torch._utils._rebuild_tensor_v2 expects 6 or 7 arguments");
    if (a[0]->kind != K::Storage || !a[0]->storage) fail("tensor storage is not a persistent storage reference");
    if (a[1]->kind != K::Int || a[1]->integer < 0) fail("tensor storage offset is invalid");
    RawTensor t;
    t.storage = a[0]->storage;
    t.dtype = t.storage->dtype;
    t.storage_offset = a[1]->integer;
    t.shape = int_tuple(*a[2], "size", kMaxTensorDims);
    t.strides = int_tuple(*a[3], "stride", kMaxTensorDims);
    if (t.shape.size() != t.strides.size()) fail("tensor size and stride have different lengths");
    // The furthest element any index can reach must lie inside the storage.
    int64_t numel = 1, last = t.storage_offset;
    for (size_t d = 0; d < t.shape.size(); ++d) {
      numel *= t.shape[d];
      if (numel > kMaxElements) fail("tensor has too many elements");
      if (t.shape[d] > 0) {
        if (t.strides[d] > kMaxElements) fail("tensor stride is too large");
        last += (t.shape[d] - 1) * t.strides[d];
        if (last > kMaxElements) fail("tensor extends past any possible storage");
      }
    }
    if (numel > 0 && last >= t.storage->numel)
      fail(fmt::format("tensor of shape {} (offset {}) reaches element {} of a {}-element storage",
                       t.shape_string(), t.storage_offset, last, t.storage->numel));
    auto v = make(K::Tensor);
    v->tensor = std::move(t);
    return v;
  }

  ByteReader& in_;
  const std::string& what_;
  const PersistentLoad& persistent_load_;
  std::vector<PickleRef> stack_;
  std::vector<size_t> marks_;
  std::unordered_map<uint32_t, PickleRef> memo_;
  Unpickled result_;
  uint64_t op_offset_ = 0;
};

Unpickled unpickle(ByteReader& in, const std::string& what, const PersistentLoad& persistent_load) {
  return PickleMachine(in, what, persistent_load).run();
}

}  // namespace pelagos
