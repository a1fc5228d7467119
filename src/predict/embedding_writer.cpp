#include "predict/embedding_writer.h"

#include <filesystem>
#include <fmt/format.h>
#include <stdexcept>

#include "pelagos/error.h"
#include "util/atomic_file.h"
#include "util/npy.h"

namespace pelagos {
namespace {

// A row count this wide makes the placeholder header as long as any final one.
constexpr int64_t kMaxRowsForHeader = 999999999999;

// CSV field quoting (RFC 4180) for file names with commas or quotes.
std::string csv_field(const std::string& s) {
  if (s.find_first_of(",\"\n\r") == std::string::npos) return s;
  std::string out = "\"";
  for (char c : s) out += c == '"' ? std::string("\"\"") : std::string(1, c);
  return out + "\"";
}

}  // namespace

struct EmbeddingWriter::Files {
  AtomicFile main;
  std::unique_ptr<AtomicFile> index;
  explicit Files(const std::string& path) : main(path) {}
};

std::string EmbeddingWriter::index_path(const std::string& npy_path) {
  std::filesystem::path p(npy_path);
  return (p.parent_path() / (p.stem().string() + ".index.csv")).string();
}

EmbeddingWriter::EmbeddingWriter(const std::string& path, EmbeddingFormat format, bool quantized, int dims)
    : files_(std::make_unique<Files>(path)), format_(format), quantized_(quantized), dims_(dims) {
  if (format_ == EmbeddingFormat::Npy) {
    header_ = npy_header(quantized_ ? "|u1" : "<f4", {kMaxRowsForHeader, dims_});
    files_->main.write(header_);
    files_->index = std::make_unique<AtomicFile>(index_path(path));
    files_->index->write("file,start_s,end_s\n");
  } else {
    std::string header = "file,start_s,end_s";
    for (int i = 0; i < dims_; ++i) header += fmt::format(",e{}", i);
    files_->main.write(header + "\n");
  }
}

EmbeddingWriter::~EmbeddingWriter() = default;

void EmbeddingWriter::add(const std::string& file, double start_s, double end_s, const void* values) {
  const std::string stamp = fmt::format("{},{:.6g},{:.6g}", csv_field(file), start_s, end_s);
  if (format_ == EmbeddingFormat::Npy) {
    files_->main.write(values, static_cast<size_t>(dims_) * (quantized_ ? 1 : sizeof(float)));
    files_->index->write(stamp + "\n");
  } else {
    std::string line = stamp;
    for (int i = 0; i < dims_; ++i) {
      if (quantized_) line += fmt::format(",{}", static_cast<const uint8_t*>(values)[i]);
      else line += fmt::format(",{}", static_cast<const float*>(values)[i]);  // shortest exact form
    }
    files_->main.write(line + "\n");
  }
  ++rows_;
}

void EmbeddingWriter::finish() {
  if (format_ == EmbeddingFormat::Npy) {
    const std::string header = npy_header(quantized_ ? "|u1" : "<f4", {rows_, dims_});
    // Both headers pad to the same 64-byte block; the data must not move.
    if (header.size() != header_.size()) throw std::logic_error("npy header size changed");
    files_->main.write_at(0, header.data(), header.size());
    files_->index->commit();
  }
  files_->main.commit();
}

}  // namespace pelagos
