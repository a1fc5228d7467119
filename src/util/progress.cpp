#include "util/progress.h"

#include <fmt/format.h>
#include <unistd.h>

#include <cmath>
#include <cstdlib>
#include <cstring>
#include <iostream>

#include "pelagos/error.h"

namespace pelagos {
namespace {

LogSettings g_settings;

// Seconds between plain (non-terminal) lines, and between terminal redraws.
constexpr double kLineEvery = 5.0;
constexpr double kRedrawEvery = 0.1;
constexpr int kBarWidth = 24;

bool stderr_is_terminal() {
  if (g_settings.terminal >= 0) return g_settings.terminal == 1;
  const char* term = std::getenv("TERM");
  return isatty(STDERR_FILENO) == 1 && !(term && std::strcmp(term, "dumb") == 0);
}

}  // namespace

void set_log_settings(const LogSettings& settings) { g_settings = settings; }
const LogSettings& log_settings() { return g_settings; }

LogFormat log_format_from_string(const std::string& name) {
  if (name == "text") return LogFormat::Text;
  if (name == "json") return LogFormat::Json;
  throw Error(fmt::format("--log-format {}: expected text or json", name));
}

void log_event(const std::string& event, const std::string& message, const nlohmann::json& fields) {
  if (g_settings.quiet) return;
  if (g_settings.format == LogFormat::Json) {
    nlohmann::json j = fields.is_object() ? fields : nlohmann::json::object();
    j["event"] = event;
    j["message"] = message;
    std::cerr << j.dump() << "\n";
  } else {
    std::cerr << message << "\n";
  }
}

std::string format_duration(double s) {
  if (!std::isfinite(s) || s < 0) return "?";
  const long t = std::lround(s);
  if (t < 60) return fmt::format("{} s", t);
  if (t < 3600) return fmt::format("{}:{:02}", t / 60, t % 60);
  return fmt::format("{}:{:02}:{:02}", t / 3600, (t / 60) % 60, t % 60);
}

Progress::Progress(std::string task, int64_t total, std::string unit)
    : task_(std::move(task)),
      unit_(std::move(unit)),
      total_(total),
      start_(Clock::now()),
      last_emit_(start_),
      terminal_(stderr_is_terminal() && g_settings.format == LogFormat::Text) {}

Progress::~Progress() { finish(); }

double Progress::rate() const {
  const double s = std::chrono::duration<double>(Clock::now() - start_).count();
  return s > 0 ? done_ / s : 0.0;
}

std::string Progress::render(bool bar) const {
  std::string out = task_;
  if (bar && total_ > 0) {
    const int filled = static_cast<int>(std::min<int64_t>(kBarWidth, done_ * kBarWidth / total_));
    out += " [" + std::string(filled, '#') + std::string(kBarWidth - filled, ' ') + "]";
  }
  out += total_ > 0 ? fmt::format(" {}/{} {}", done_, total_, unit_) : fmt::format(" {} {}", done_, unit_);
  const double r = rate();
  if (r > 0) out += fmt::format(" {:.3g}/s", r);
  if (total_ > 0 && r > 0 && done_ < total_) out += " ETA " + format_duration((total_ - done_) / r);
  if (total_ > 0 && done_ >= total_)
    out += " in " + format_duration(std::chrono::duration<double>(Clock::now() - start_).count());
  if (!note_.empty()) out += "  " + note_;
  return out;
}

void Progress::advance(int64_t n, const std::string& note) {
  std::lock_guard<std::mutex> lock(mutex_);
  done_ += n;
  if (!note.empty()) note_ = note;
  const double since = std::chrono::duration<double>(Clock::now() - last_emit_).count();
  if (since >= (terminal_ ? kRedrawEvery : kLineEvery)) emit(false);
}

void Progress::finish() {
  std::lock_guard<std::mutex> lock(mutex_);
  if (finished_) return;
  finished_ = true;
  // Nothing to say for work that never started; a quick task prints one line.
  if (done_ > 0 || emitted_) emit(true);
}

void Progress::emit(bool final) {
  last_emit_ = Clock::now();
  if (g_settings.quiet) return;
  emitted_ = true;
  if (g_settings.format == LogFormat::Json) {
    nlohmann::json j = {{"event", final ? "progress_done" : "progress"},
                        {"task", task_},
                        {"done", done_},
                        {"unit", unit_},
                        {"rate_per_s", rate()},
                        {"elapsed_s", std::chrono::duration<double>(last_emit_ - start_).count()}};
    if (total_ > 0) j["total"] = total_;
    if (total_ > 0 && rate() > 0 && done_ < total_) j["eta_s"] = (total_ - done_) / rate();
    if (!note_.empty()) j["note"] = note_;
    std::cerr << j.dump() << "\n";
  } else if (terminal_) {
    std::cerr << "\r\033[K" << render(true) << (final ? "\n" : "") << std::flush;
  } else {
    std::cerr << render(false) << "\n";
  }
}

}  // namespace pelagos
