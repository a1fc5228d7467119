#include "support/test_support.h"

#include "pelagos/error.h"

#include <sndfile.h>
#include <unistd.h>

#include <sys/wait.h>

#include <cmath>
#include <cstdio>
#include <random>
#include <sstream>
#include <stdexcept>

namespace pelagos::test {

std::string shared_dir() {
  std::filesystem::path p(PELAGOS_SHARED_DIR);
  return std::filesystem::is_directory(p / "reference") ? p.string() : std::string();
}

TempDir::TempDir() {
  std::random_device rd;
  auto base = std::filesystem::temp_directory_path();
  for (int i = 0; i < 100; ++i) {
    auto candidate = base / ("pelagos-test-" + std::to_string(getpid()) + "-" + std::to_string(rd()));
    if (std::filesystem::create_directory(candidate)) {
      path_ = candidate;
      return;
    }
  }
  throw std::runtime_error("cannot create a temporary directory");
}

TempDir::~TempDir() {
  std::error_code ec;
  std::filesystem::remove_all(path_, ec);
}

void write_audio(const std::string& path, const std::vector<float>& interleaved, int sample_rate,
                 int channels, int sf_format) {
  SF_INFO info{};
  info.samplerate = sample_rate;
  info.channels = channels;
  info.format = sf_format ? sf_format : (SF_FORMAT_WAV | SF_FORMAT_PCM_16);
  SNDFILE* f = sf_open(path.c_str(), SFM_WRITE, &info);
  if (!f) throw std::runtime_error("cannot write " + path + ": " + sf_strerror(nullptr));
  sf_writef_float(f, interleaved.data(), static_cast<sf_count_t>(interleaved.size() / static_cast<size_t>(channels)));
  sf_close(f);
}

CommandResult run_command(const std::string& command) {
  CommandResult r;
  FILE* p = popen(command.c_str(), "r");
  if (!p) throw std::runtime_error("cannot run " + command);
  char buf[4096];
  size_t n = 0;
  while ((n = fread(buf, 1, sizeof buf, p)) > 0) r.out.append(buf, n);
  const int status = pclose(p);
  r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + (WIFSIGNALED(status) ? WTERMSIG(status) : 0);
  return r;
}

const std::string& optuna_python() {
  static const std::string python = [] {
    const std::string candidate = "/usr/bin/python3";
    if (access(candidate.c_str(), X_OK) != 0) return std::string();
    return run_command(candidate + " -c 'import optuna' 2>/dev/null").exit_code == 0 ? candidate : std::string();
  }();
  return python;
}

const std::string& chromium() {
  static const std::string path = [] {
    for (const char* candidate : {"/usr/bin/chromium", "/usr/bin/chromium-browser"})
      if (access(candidate, X_OK) == 0) return std::string(candidate);
    return std::string();
  }();
  return path;
}

BrowserRender render_in_chromium(const std::string& html_path, const std::string& png_path, int width, int height) {
  const std::string common = chromium() + " --headless --no-sandbox --disable-gpu --no-first-run "
                             "--user-data-dir=" + std::filesystem::path(png_path).parent_path().string() +
                             "/chromium-profile";
  const std::string url = "'file://" + std::filesystem::absolute(html_path).string() + "'";
  BrowserRender r;
  std::filesystem::remove(png_path);
  const CommandResult shot = run_command(common + " --enable-logging=stderr --v=0 --screenshot='" + png_path +
                                         "' --window-size=" + std::to_string(width) + "," + std::to_string(height) +
                                         " " + url + " 2>&1");
  r.screenshot_ok = shot.exit_code == 0 && std::filesystem::exists(png_path) && std::filesystem::file_size(png_path) > 0;
  std::istringstream lines(shot.out);
  for (std::string line; std::getline(lines, line);)
    if (line.find(":CONSOLE") != std::string::npos || line.find("Uncaught") != std::string::npos)
      r.console.push_back(line);
  r.dom = run_command(common + " --dump-dom " + url + " 2>/dev/null").out;
  return r;
}

std::vector<float> sine(double hz, double seconds, int sample_rate, double amp) {
  std::vector<float> x(static_cast<size_t>(std::llround(seconds * sample_rate)));
  for (size_t i = 0; i < x.size(); ++i)
    x[i] = static_cast<float>(amp * std::sin(2 * M_PI * hz * double(i) / sample_rate));
  return x;
}

std::string error_of(const std::function<void()>& f) {
  try {
    f();
  } catch (const Error& e) {
    return e.what();
  }
  return "";
}

}  // namespace pelagos::test
