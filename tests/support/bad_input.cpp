#include "support/bad_input.h"

#include <filesystem>

#include "data/xlsx_writer.h"

namespace pelagos::test {
namespace fs = std::filesystem;

Sandbox::Sandbox() {
  for (const char* s : {"train", "validate", "test"}) fs::create_directories(fs::path(root()) / s);
}

std::string Sandbox::clip_path(const std::string& split, const std::string& name) const {
  return (fs::path(root()) / split / name).string();
}

void Sandbox::clip(const std::string& split, const std::string& name, double hz) {
  write_audio(clip_path(split, name), sine(hz, 0.5, 16000), 16000);
}

void Sandbox::metadata(const std::string& split, const Rows& rows) {
  write_xlsx((fs::path(root()) / (split + "_metadata.xlsx")).string(), rows);
}

void Sandbox::good_dataset(const Rows& extra_train) {
  const Rows header{{"file_name", "source", "species_name"}};
  Rows train = header;
  for (const char* n : {"a1.wav", "a2.wav"}) clip("train", n, 300), train.push_back({n, "", "Alpha"});
  for (const char* n : {"b1.wav", "b2.wav"}) clip("train", n, 900), train.push_back({n, "", "Beta"});
  train.insert(train.end(), extra_train.begin(), extra_train.end());
  metadata("train", train);
  for (const char* split : {"validate", "test"}) {
    const std::string a = std::string(split) + "_a.wav", b = std::string(split) + "_b.wav";
    clip(split, a, 320);
    clip(split, b, 880);
    metadata(split, {header[0], {a, "", "Alpha"}, {b, "", "Beta"}});
  }
}

std::string file_url(const std::string& path) { return "file://" + fs::absolute(path).string(); }

namespace {

void replace_all(std::string& s, const std::string& from, const std::string& to) {
  for (size_t pos = 0; (pos = s.find(from, pos)) != std::string::npos; pos += to.size()) s.replace(pos, from.size(), to);
}

}  // namespace

void run_bad_input_case(const BadInputCase& c) {
  if (c.needs_torch) PELAGOS_REQUIRE_TORCH_PART();
  Sandbox box;
  std::vector<std::string> argv = c.setup(box);
  argv.insert(argv.begin(), pelagos_binary());
  const ProcessResult r =
      run_process(argv, c.timeout_s,
                  {"GLOG_minloglevel=2", "XDG_CACHE_HOME=" + box.path("cache"), "TORCH_HOME=" + box.path("torch"),
                   "PELAGOS_SQLITE_TIMEOUT_S=1", "OMP_NUM_THREADS=1"},
                  box.path(""));
  ASSERT_FALSE(r.timed_out) << "hung for " << c.timeout_s << " s: " << r.describe();
  ASSERT_EQ(r.signal, 0) << "crashed: " << r.describe();
  ASSERT_TRUE(r.exited) << r.describe();
  if (c.valid)
    EXPECT_EQ(r.exit_code, 0) << r.describe();
  else
    EXPECT_NE(r.exit_code, 0) << "accepted bad input: " << r.describe();
  const std::string text = r.err + r.out;
  EXPECT_EQ(text.find("internal error"), std::string::npos) << "reached the bug handler: " << r.describe();
  for (std::string words : c.expect) {
    replace_all(words, "{sandbox}", box.path(""));
    EXPECT_NE(text.find(words), std::string::npos) << "missing \"" << words << "\" in: " << r.describe();
  }
  if (c.also) c.also(box, r);
}

}  // namespace pelagos::test
