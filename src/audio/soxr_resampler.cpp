// libsoxr, "HQ" quality (20-bit, steep low-pass): the default converter.
#include <soxr.h>

#include <cmath>
#include <fmt/format.h>

#include "audio/resampler.h"
#include "audio/sinc_resampler.h"
#include "pelagos/error.h"
#include "util/system_library.h"

namespace pelagos {
namespace {

// libsoxr, opened on first use: linked, it and the OpenMP runtime it brings
// were loaded at every start of the program.
struct SoxrApi {
  decltype(&::soxr_io_spec) soxr_io_spec;
  decltype(&::soxr_quality_spec) soxr_quality_spec;
  decltype(&::soxr_create) soxr_create;
  decltype(&::soxr_process) soxr_process;
  decltype(&::soxr_delete) soxr_delete;
};

const SoxrApi& soxr() {
  static const SoxrApi api = [] {
    const SystemLibrary lib(PELAGOS_SOXR_SONAME,
                            "cannot load libsoxr ({}), which pelagos needs to resample audio. Install it "
                            "(apt-get install libsoxr0), or pass --resampler sinc.");
    SoxrApi a;
    a.soxr_io_spec = lib.function<decltype(a.soxr_io_spec)>("soxr_io_spec");
    a.soxr_quality_spec = lib.function<decltype(a.soxr_quality_spec)>("soxr_quality_spec");
    a.soxr_create = lib.function<decltype(a.soxr_create)>("soxr_create");
    a.soxr_process = lib.function<decltype(a.soxr_process)>("soxr_process");
    a.soxr_delete = lib.function<decltype(a.soxr_delete)>("soxr_delete");
    return a;
  }();
  return api;
}

class SoxrResampler final : public Resampler {
 public:
  SoxrResampler(int in_rate, int out_rate) : ratio_(double(out_rate) / in_rate) {
    soxr_error_t err = nullptr;
    soxr_io_spec_t io = soxr().soxr_io_spec(SOXR_FLOAT32_I, SOXR_FLOAT32_I);
    soxr_quality_spec_t quality = soxr().soxr_quality_spec(SOXR_HQ, 0);
    soxr_ = soxr().soxr_create(in_rate, out_rate, 1, &err, &io, &quality, nullptr);
    if (err || !soxr_)
      throw Error(fmt::format("cannot set up resampling {} -> {} Hz: {}", in_rate, out_rate, err ? err : "?"));
  }
  ~SoxrResampler() override { soxr().soxr_delete(soxr_); }
  SoxrResampler(const SoxrResampler&) = delete;
  SoxrResampler& operator=(const SoxrResampler&) = delete;

  void process(const float* in, size_t n, std::vector<float>& out) override {
    // soxr stops consuming when the output buffer is full: loop until all input is taken.
    while (n > 0) {
      size_t used = 0;
      size_t got = run(in, n, &used, out);
      in += used;
      n -= used;
      if (used == 0 && got == 0) throw Error("resampling made no progress (libsoxr)");
    }
  }

  void flush(std::vector<float>& out) override {
    // Input nullptr drains soxr's delay line.
    while (run(nullptr, 0, nullptr, out) > 0) {
    }
  }

 private:
  size_t run(const float* in, size_t n, size_t* used, std::vector<float>& out) {
    const size_t capacity = static_cast<size_t>(std::ceil(double(n) * ratio_)) + 4096;
    const size_t start = out.size();
    out.resize(start + capacity);
    size_t got = 0;
    soxr_error_t err = soxr().soxr_process(soxr_, in, n, used, out.data() + start, capacity, &got);
    out.resize(start + got);
    if (err) throw Error(fmt::format("resampling failed (libsoxr): {}", err));
    return got;
  }

  soxr_t soxr_ = nullptr;
  double ratio_;
};

}  // namespace

std::unique_ptr<Resampler> make_resampler(ResamplerKind kind, int in_rate, int out_rate) {
  if (kind == ResamplerKind::Sinc) return std::make_unique<SincResampler>(in_rate, out_rate);
  return std::make_unique<SoxrResampler>(in_rate, out_rate);
}

}  // namespace pelagos
