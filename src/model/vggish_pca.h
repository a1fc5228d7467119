// VGGish's PCA post-processing parameters (128 eigenvectors as rows, 128
// means), read from Google's vggish_pca_params.npz or torchvggish's
// vggish_pca_params .pth (a dict of pca_eigen_vectors / pca_means tensors,
// means shaped (128,) or (128, 1)). Torch-free.
#pragma once
#include <string>
#include <vector>

namespace pelagos {

constexpr int kPcaSize = 128;

struct PcaParams {
  std::vector<double> eigen_vectors;  // 128 x 128, row-major: row i is eigenvector i
  std::vector<double> means;          // 128
};

// By extension: .npz, else a torch.save file. Throws pelagos::Error naming the
// file and the missing or misshapen array.
PcaParams read_pca_params(const std::string& path);

}  // namespace pelagos
