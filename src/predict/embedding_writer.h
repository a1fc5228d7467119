// Writes embeddings row by row in constant memory, atomically (nothing
// appears at the target until finish()):
//   npy: OUT (N x 128, float32 or uint8) + a sidecar <stem>.index.csv with
//        file,start_s,end_s per row; the .npy header is rewritten at the end,
//        when N is known.
//   csv: one file with file,start_s,end_s,e0..e127.
// Torch-free.
#pragma once
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace pelagos {

enum class EmbeddingFormat { Npy, Csv };

class EmbeddingWriter {
 public:
  // `quantized`: rows are uint8 (PCA post-processed), else float32.
  EmbeddingWriter(const std::string& path, EmbeddingFormat format, bool quantized, int dims);
  ~EmbeddingWriter();
  EmbeddingWriter(const EmbeddingWriter&) = delete;
  EmbeddingWriter& operator=(const EmbeddingWriter&) = delete;

  // `values` holds `dims` floats (or uint8 values stored as bytes when quantized).
  void add(const std::string& file, double start_s, double end_s, const void* values);
  void finish();  // completes headers and moves the files into place
  int64_t rows() const { return rows_; }
  // The index file written beside an .npy output.
  static std::string index_path(const std::string& npy_path);

 private:
  struct Files;
  std::unique_ptr<Files> files_;
  EmbeddingFormat format_;
  bool quantized_;
  int dims_;
  int64_t rows_ = 0;
  std::string header_;  // npy header written at the start, sized for any row count
};

}  // namespace pelagos
