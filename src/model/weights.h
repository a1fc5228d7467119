// Puts torchvggish weights into the VGGish module, or initialises it randomly
// (seeded) and says so. The state_dict keys map one to one onto the module's
// parameters (see docs/vggish_weights.md):
//
//   file key                 module parameter            shape            TF VGGish layer
//   features.0.{weight,bias}   features[0]  Conv2d 1->64     (64,1,3,3)     (64)   conv1
//   features.3.{weight,bias}   features[3]  Conv2d 64->128   (128,64,3,3)   (128)  conv2
//   features.6.{weight,bias}   features[6]  Conv2d 128->256  (256,128,3,3)  (256)  conv3/conv3_1
//   features.8.{weight,bias}   features[8]  Conv2d 256->256  (256,256,3,3)  (256)  conv3/conv3_2
//   features.11.{weight,bias}  features[11] Conv2d 256->512  (512,256,3,3)  (512)  conv4/conv4_1
//   features.13.{weight,bias}  features[13] Conv2d 512->512  (512,512,3,3)  (512)  conv4/conv4_2
//   embeddings.0.{weight,bias} embeddings[0] Linear 12288->4096 (4096,12288) (4096) fc1/fc1_1
//   embeddings.2.{weight,bias} embeddings[2] Linear 4096->4096  (4096,4096)  (4096) fc1/fc1_2
//   embeddings.4.{weight,bias} embeddings[4] Linear 4096->128   (128,4096)   (128)  fc2
//
// Every key must be present, no other key is accepted (pproc.* PCA entries are
// ignored with a note), shapes must match exactly, and float32 is expected
// (float64/float16/bfloat16 are converted with a note).
#pragma once
#include <string>
#include <utility>
#include <vector>

#include "model/raw_tensor.h"
#include "model/vggish.h"
#include "model/weights_spec.h"

namespace pelagos {

struct WeightsProvenance {
  bool pretrained = false;
  std::string path;            // the weight file; empty for random init
  std::string format;          // "zip" / "legacy"
  std::string sha256;          // of the file, for provenance
  uint64_t seed = 0;           // random init only
  std::vector<std::string> notes;  // conversions and ignored keys

  // One line for logs and model metadata, e.g. "pretrained VGGish weights from
  // /x/vggish-10086976.pth (sha256 1008...)" or "random init (seed 7), NOT pretrained".
  std::string describe() const;
};

// The 18 keys and shapes a torchvggish state_dict holds, in state_dict order.
const std::vector<std::pair<std::string, std::vector<int64_t>>>& vggish_weight_keys();

// Checks keys, shapes and dtypes; throws pelagos::Error naming `path`, the key,
// the expected and the found value. Returns notes (conversions, ignored keys).
std::vector<std::string> check_vggish_state_dict(const RawStateDict& tensors, const std::string& path);

// --weights PATH if given (must exist); else the hub cache's vggish-10086976.pth
// if present; else an Error telling the user to run `pelagos weights fetch` or
// pass --init random --seed S.
std::string resolve_weights_path(const std::string& explicit_path);

// Checks `tensors` (check_vggish_state_dict) and copies them into `model`,
// converting to float32. Returns the check's notes.
std::vector<std::string> apply_vggish_state_dict(VGGish& model, const RawStateDict& tensors, const std::string& path);
// Reads, checks and copies the file into `model`.
WeightsProvenance load_vggish_weights(VGGish& model, const std::string& path);
// Seeded default initialisation (PyTorch's Conv2d/Linear reset), deterministic for a seed.
WeightsProvenance init_vggish_random(VGGish& model, uint64_t seed);
// What the flags ask for: random init or resolve_weights_path + load.
WeightsProvenance prepare_vggish(VGGish& model, const WeightsSpec& spec);

}  // namespace pelagos
