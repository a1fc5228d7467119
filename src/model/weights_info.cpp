#include "model/weights_info.h"

#include <filesystem>
#include <fmt/format.h>
#include <iostream>

#include "model/pth_reader.h"
#include "model/weights.h"
#include "pelagos/error.h"
#include "util/paths.h"
#include "util/sha256.h"
#include "util/torch_command.h"

namespace pelagos {

int run_weights_info(const WeightsInfoOptions& options) {
  namespace fs = std::filesystem;
  const std::string cached = (fs::path(torch_hub_checkpoints_dir()) / kVGGishWeightsFile).string();
  std::cout << fmt::format("hub cache:   {} ({})\n", cached, fs::is_regular_file(cached) ? "present" : "absent");
  const std::string path = options.path.empty() ? cached : options.path;
  std::cout << fmt::format("file:        {}\n", path);
  if (!fs::is_regular_file(path)) {
    std::cout << "status:      no weights. Run `pelagos weights fetch`, pass --weights PATH, or use "
                 "--init random --seed S (NOT pretrained).\n";
    return 1;
  }
  const std::string sha = sha256_file(path);
  std::cout << fmt::format("size:        {} bytes\n", fs::file_size(path));
  std::cout << fmt::format("sha256:      {}{}\n", sha,
                           sha == kVGGishWeightsSha256 ? " (torchvggish release vggish-10086976.pth)"
                                                       : " (not the torchvggish release file)");
  try {
    const PthContents contents = read_pth(path);
    std::cout << fmt::format("format:      torch.save {}\n", pth_format_name(contents.format));
    for (const auto& [key, t] : contents.tensors)
      std::cout << fmt::format("  {:<22} {:<16} {}\n", key, t.shape_string(), raw_dtype_name(t.dtype));
    for (const auto& note : check_vggish_state_dict(contents.tensors, path)) std::cout << "note:        " << note << "\n";
    std::cout << fmt::format("content:     {}\n", content_sha256(contents.tensors));
  } catch (const Error& e) {
    std::cout << "status:      NOT usable: " << e.what() << "\n";
    return 1;
  }
  std::cout << "status:      OK: all 18 VGGish keys with the expected shapes\n";
  return 0;
}

PELAGOS_TORCH_COMMAND(weights_info, WeightsInfoOptions, run_weights_info)

}  // namespace pelagos
