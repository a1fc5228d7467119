#include "model/bundle.h"

#include <torch/serialize/input-archive.h>
#include <torch/serialize/output-archive.h>
#include <torch/utils.h>

#include <fmt/format.h>

#include "pelagos/error.h"
#include "util/atomic_file.h"

namespace pelagos {
namespace {

constexpr const char* kMagic = "pelagos-model";

std::vector<std::pair<std::string, torch::Tensor>> named_state(Classifier& c) {
  std::vector<std::pair<std::string, torch::Tensor>> out;
  for (const auto& p : c->named_parameters()) out.emplace_back(p.key(), p.value());
  for (const auto& b : c->named_buffers()) out.emplace_back(b.key(), b.value());
  return out;
}

c10::IValue read_value(torch::serialize::InputArchive& in, const std::string& key, const std::string& path) {
  c10::IValue v;
  if (!in.try_read(key, v))
    throw Error(fmt::format("{}: the model file has no '{}' entry; it is damaged or not a pelagos model.", path,
                            key));
  return v;
}

// Opens the archive and checks the magic and the format version.
nlohmann::json open_bundle(torch::serialize::InputArchive& in, const std::string& path) {
  try {
    in.load_from(path);
  } catch (const c10::Error& e) {
    throw Error(fmt::format("{}: not a pelagos model file (cannot open it as a LibTorch archive).", path));
  }
  c10::IValue magic;
  if (!in.try_read("magic", magic) || !magic.isString() || magic.toStringRef() != kMagic)
    throw Error(fmt::format("{}: not a pelagos model file (no pelagos marker).", path));
  const int64_t version = read_value(in, "format_version", path).toInt();
  if (version > kBundleFormatVersion)
    throw Error(fmt::format("{}: model format version {} is newer than this pelagos understands ({}); "
                            "upgrade pelagos to use this model.",
                            path, version, kBundleFormatVersion));
  try {
    return nlohmann::json::parse(read_value(in, "meta_json", path).toStringRef());
  } catch (const nlohmann::json::exception& e) {
    throw Error(fmt::format("{}: the model's metadata is damaged ({}).", path, e.what()));
  }
}

BundleInfo info_from_json(const nlohmann::json& j, const std::string& path) {
  BundleInfo info;
  try {
    info.labels = j.at("labels").get<std::vector<std::string>>();
    info.frontend = FrontendParams::from_json(j.at("frontend"));
    info.params = TrainParams::from_json(j.at("train_params"), path + " train_params");
    if (j.contains("augment")) info.augment = AugmentParams::from_json(j.at("augment"), path + " augment");
    info.base_weights = j.at("base_weights");
    info.metrics = j.value("metrics", nlohmann::json::object());
    info.pelagos_version = j.value("pelagos_version", std::string());
    info.format_version = j.value("format_version", 0);
  } catch (const nlohmann::json::exception& e) {
    throw Error(fmt::format("{}: the model's metadata is incomplete ({}).", path, e.what()));
  }
  if (info.labels.size() < 2) throw Error(fmt::format("{}: the model lists fewer than 2 species.", path));
  return info;
}

}  // namespace

nlohmann::json BundleInfo::to_json() const {
  return {{"labels", labels},          {"frontend", frontend.to_json()},       {"train_params", params.to_json()},
          {"augment", augment.to_json()},
          {"base_weights", base_weights}, {"metrics", metrics},                {"pelagos_version", pelagos_version},
          {"format_version", format_version}};
}

void save_bundle(const std::string& path, const BundleInfo& info, Classifier& classifier) {
  torch::serialize::OutputArchive out;
  out.write("magic", c10::IValue(std::string(kMagic)));
  out.write("format_version", c10::IValue(static_cast<int64_t>(info.format_version)));
  out.write("meta_json", c10::IValue(info.to_json().dump()));
  c10::List<std::string> names;
  c10::List<at::Tensor> values;
  for (auto& [name, t] : named_state(classifier)) {
    names.push_back(name);
    values.push_back(t.detach().to(torch::kCPU).contiguous());
  }
  out.write("weight_names", c10::IValue(names));
  out.write("weight_values", c10::IValue(values));
  AtomicFile file(path);
  out.save_to([&file](const void* data, size_t size) {
    file.write(data, size);
    return size;
  });
  file.commit();
}

BundleInfo read_bundle_info(const std::string& path) {
  torch::serialize::InputArchive in;
  return info_from_json(open_bundle(in, path), path);
}

LoadedModel load_bundle(const std::string& path, const std::string& weights_override) {
  torch::serialize::InputArchive in;
  LoadedModel m;
  m.info = info_from_json(open_bundle(in, path), path);
  m.base = restore_base_network(m.info.base_weights, weights_override, path);
  m.classifier = Classifier(m.base.net, m.info.params, static_cast<int>(m.info.labels.size()), HeadInit::Unwritten);
  auto state = named_state(m.classifier);
  // The tensors read become the parameters (set_data, no copy) and the
  // placeholders are freed: one copy of a large head (1 x 4608: 226 MB) is
  // resident while loading and for the run, not two.
  std::vector<std::vector<int64_t>> shapes;
  {
    torch::NoGradGuard no_grad;
    for (auto& [name, target] : state) {
      shapes.push_back(target.sizes().vec());
      target.set_data(torch::empty({0}, target.options()));
    }
  }

  const c10::IValue names_value = read_value(in, "weight_names", path);
  const c10::IValue values_value = read_value(in, "weight_values", path);
  std::vector<std::string> names;
  for (const c10::IValue& n : names_value.toListRef()) names.push_back(n.toStringRef());
  const std::vector<at::Tensor> values = values_value.toTensorVector();
  if (names.size() != values.size() || names.size() != state.size())
    throw Error(fmt::format("{}: the model holds {} weight tensors where its parameters need {}; it is damaged.",
                            path, values.size(), state.size()));
  torch::NoGradGuard no_grad;
  for (size_t i = 0; i < state.size(); ++i) {
    auto& [name, target] = state[i];
    if (names[i] != name)
      throw Error(fmt::format("{}: weight {} is '{}' where '{}' was expected; the model is damaged.", path, i,
                              names[i], name));
    if (values[i].sizes() != c10::IntArrayRef(shapes[i]))
      throw Error(fmt::format("{}: weight '{}' has shape {} where the recorded parameters need {}; the model is "
                              "damaged.",
                              path, name, fmt::join(values[i].sizes(), "x"), fmt::join(shapes[i], "x")));
    target.set_data(values[i].to(target.options().dtype()).contiguous());  // shares the read tensor
  }
  return m;
}

}  // namespace pelagos
